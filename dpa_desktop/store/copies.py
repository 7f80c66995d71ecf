"""Decrypted copies of register documents, made to open in a viewer or to print.

A viewer needs a file, so a document opened from the register is decrypted
into this user's private folder (``paths.private_temp_dir``, 0700 on POSIX,
the profile's ACL on Windows), under a random name that nobody can create
first, and written beside under a temporary name until its content checked
out. Copies go again as soon as they are no longer needed: the caller
removes one when printing is done; ``sweep`` removes what is left at every
start and when the app closes, and, given an age, copies that a viewer has
let go of in the meantime (on Windows a file a viewer holds open cannot be
deleted, and is skipped until the next sweep).
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path

from dpa_desktop import paths, platform
from dpa_desktop.store.errors import StoreIOError, UnsafeLocation

_PARTIAL = ".deel-"


def folder() -> Path:
    """The private folder, created if needed; UnsafeLocation if someone else owns it."""
    path = paths.private_temp_dir()
    try:
        return platform.make_private_dir(path)
    except platform.UnsafeFolder as exc:
        raise UnsafeLocation(str(path), str(exc)) from exc
    except OSError as exc:
        raise StoreIOError(f"Het aanmaken van de map {path}", exc) from exc


def write(stem: str, suffix: str, produce: Callable[[Callable[[bytes], object]], None]) -> Path:
    """A new copy named ``<stem>-<random><suffix>``, filled by ``produce(write)``.

    The content is visible under its final name only once ``produce`` returned
    (for a document: once its authentication tag checked out); a failure
    leaves nothing behind.
    """
    directory = folder()
    name = f"{platform.safe_filename(stem)}-{secrets.token_hex(8)}{suffix}"
    partial = directory / f"{_PARTIAL}{name}"
    final = directory / name
    try:
        with os.fdopen(platform.create_private_file(partial), "wb") as out:
            produce(out.write)
        platform.replace_file(partial, final)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise StoreIOError(f"Het klaarzetten van het document in {directory}", exc) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return final


def remove(path: Path) -> bool:
    """Delete one copy; False when a viewer still holds it (it goes at a later sweep)."""
    if path.parent.resolve() != paths.private_temp_dir().resolve():
        return False  # only ever delete what this module made
    try:
        path.unlink(missing_ok=True)
    except OSError:
        return False
    return True


def sweep(min_age_seconds: float = 0.0) -> int:
    """Delete copies at least ``min_age_seconds`` old that no viewer holds; returns how many."""
    directory = paths.private_temp_dir()
    if not directory.is_dir():
        return 0
    try:
        platform.make_private_dir(directory)  # never touch a folder someone else owns
    except OSError:
        return 0
    now = time.time()
    removed = 0
    for entry in os.scandir(directory):
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if now - entry.stat(follow_symlinks=False).st_mtime < min_age_seconds:
                continue
            os.unlink(entry.path)
            removed += 1
        except OSError:
            continue  # held open by a viewer (Windows) or gone already
    return removed
