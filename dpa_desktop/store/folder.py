"""The data folder as a whole: who may set it up, how it is kept private, and how
a new register (set up or restored) takes its place in one rename.

A register is set up or restored in a sibling staging folder
(``.<name>.nieuw-<random>``) while this process holds the set-up lock (a file
beside the data folder, ``.<name>.lock``). When the staging folder is
complete it gets a marker file, and the data folder is swapped for it: the
old folder is renamed to ``.<name>.oud-<random>``, the staging folder to the
data folder's name. A crash at any point leaves one of these states, and
``settle`` (run under the lock before every set-up, restore and open) brings
it to the old register or the new one:

- a staging folder without the marker was interrupted while being built: it
  is deleted, and the data folder is as it was;
- a complete staging folder is swapped in, as the interrupted process would
  have done;
- an ``oud`` folder with no data folder beside it is renamed back; one with
  a data folder beside it is the register that was replaced: kept under a
  visible name (``<name> (vervangen <datum>)``) if it holds anything but
  caches, deleted otherwise.

The data folder is 0700 and its files 0600 on POSIX; on Windows it sits in the
user's profile and inherits the profile's ACL (``platform.make_private_dir``).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from dpa_desktop import platform
from dpa_desktop.store import db
from dpa_desktop.store.errors import StoreBusy, StoreIOError, UnsafeLocation

RECOVERY_FILE = "recovery.json"
COMPLETE = ".compleet"
LOCK_TIMEOUT = 300.0
# Files inside the data folder that only a crash of a set-up or restore leaves
# (no running process uses them there), so ``settle`` removes them. A backup's
# temporary copy of the database is not among them: a backup may be running in
# another process; ``backup`` clears old ones itself.
_TEMP_PREFIXES = (f".{db.DB_NAME}.new", f".{RECOVERY_FILE}.", COMPLETE)
# Rebuildable contents that are not worth keeping when a folder without a
# register is replaced.
_DISPOSABLE = {"cache"}


def lock_path(directory: Path) -> Path:
    return directory.parent / f".{directory.name}.lock"


def _staging_prefix(directory: Path) -> str:
    return f".{directory.name}.nieuw-"


def _old_prefix(directory: Path) -> str:
    return f".{directory.name}.oud-"


def has_register(directory: Path) -> bool:
    return (directory / db.DB_NAME).is_file()


@contextmanager
def setup_lock(directory: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Only one process at a time sets up, restores or repairs the register in ``directory``."""
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        with platform.exclusive_lock(lock_path(directory), timeout):
            yield
    except TimeoutError as exc:
        raise StoreBusy(str(directory)) from exc


def make_private(directory: Path) -> None:
    """The data folder readable by this user only, and every register file in it."""
    try:
        platform.make_private_dir(directory)
        for name in (db.DB_NAME, f"{db.DB_NAME}-wal", f"{db.DB_NAME}-shm", RECOVERY_FILE):
            path = directory / name
            if path.is_file():
                platform.make_private_file(path)
    except platform.UnsafeFolder as exc:
        raise UnsafeLocation(str(directory), str(exc)) from exc
    except OSError as exc:
        raise StoreIOError(f"Het afschermen van de gegevensmap {directory}", exc) from exc


def new_staging(directory: Path) -> Path:
    """An empty, private folder beside the data folder to build a register in."""
    staging = directory.parent / f"{_staging_prefix(directory)}{secrets.token_hex(8)}"
    try:
        staging.mkdir(mode=platform.PRIVATE_DIR_MODE)
        platform.make_private_dir(staging)
    except platform.UnsafeFolder as exc:
        raise UnsafeLocation(str(staging), str(exc)) from exc
    return staging


def mark_complete(staging: Path, *, replace: bool) -> None:
    """Everything in ``staging`` is on disk; from here on a crash rolls forward."""
    for path in staging.iterdir():
        if path.is_file():
            platform.fsync_file(path)
    platform.atomic_write(staging / COMPLETE, json.dumps({"replace": replace}).encode("utf-8"))


def install(staging: Path, directory: Path) -> Path | None:
    """Swap a complete staging folder in; returns where the replaced register was kept, if anywhere."""
    old: Path | None = None
    if directory.exists():
        old = directory.parent / f"{_old_prefix(directory)}{secrets.token_hex(8)}"
        platform.rename_dir(directory, old)
    platform.rename_dir(staging, directory)
    (directory / COMPLETE).unlink(missing_ok=True)
    if old is None:
        return None
    try:
        return _finish_old(old, directory)
    except OSError:
        return None  # the new register is in place; the next start tidies the old folder


def _finish_old(old: Path, directory: Path) -> Path | None:
    """The folder a new register replaced: kept if it holds anything worth keeping."""
    worth_keeping = any(p.name not in _DISPOSABLE and not _is_empty_dir(p) for p in old.iterdir())
    if not worth_keeping:
        remove_tree(old)
        return None
    stamp = datetime.now().strftime("%Y-%m-%d %H%M%S")
    kept = directory.parent / f"{directory.name} (vervangen {stamp})"
    n = 1
    while kept.exists():
        n += 1
        kept = directory.parent / f"{directory.name} (vervangen {stamp} {n})"
    platform.rename_dir(old, kept)
    return kept


def _is_empty_dir(path: Path) -> bool:
    return path.is_dir() and not any(path.iterdir())


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _siblings(directory: Path, prefix: str) -> list[Path]:
    try:
        return sorted(p for p in directory.parent.iterdir() if p.name.startswith(prefix))
    except FileNotFoundError:
        return []


def needs_settling(directory: Path) -> bool:
    """Cheap, without the lock: is there anything an interrupted process left behind?"""
    if _siblings(directory, _staging_prefix(directory)) or _siblings(directory, _old_prefix(directory)):
        return True
    try:
        names = os.listdir(directory)
    except (FileNotFoundError, NotADirectoryError):
        return False
    if any(name.startswith(_TEMP_PREFIXES) for name in names):
        return True
    return db.DB_NAME in names and _empty_register(directory)


def _empty_register(directory: Path) -> bool:
    """A 0-byte database with no journal: the remains of a set-up that crashed, holding no data."""
    path = directory / db.DB_NAME
    try:
        if path.stat().st_size:
            return False
    except FileNotFoundError:
        return False
    wal = directory / f"{db.DB_NAME}-wal"
    return not wal.exists() or wal.stat().st_size == 0


def settle(directory: Path) -> Path | None:
    """Finish or undo what an interrupted set-up or restore left; call under the set-up lock.

    Returns where a replaced register was kept, when finishing a restore kept one.
    """
    kept: Path | None = None
    for staging in _siblings(directory, _staging_prefix(directory)):
        if not (staging / COMPLETE).is_file():
            remove_tree(staging)
            continue
        try:
            replace = bool(json.loads((staging / COMPLETE).read_text(encoding="utf-8"))
                           .get("replace"))
        except (OSError, ValueError, AttributeError):
            replace = False
        if has_register(directory) and not replace and not _empty_register(directory):
            remove_tree(staging)  # a register appeared that it was never meant to replace
            continue
        # Also when killed between the two renames: the data folder is then
        # missing, and the old one is kept or removed just below.
        kept = install(staging, directory) or kept
    for old in _siblings(directory, _old_prefix(directory)):
        if directory.exists():
            kept = _finish_old(old, directory) or kept
        else:
            platform.rename_dir(old, directory)
    if directory.is_dir():
        for path in directory.iterdir():
            if path.name.startswith(_TEMP_PREFIXES):
                if path.is_dir():
                    remove_tree(path)
                else:
                    path.unlink(missing_ok=True)
        if (directory / db.DB_NAME).exists() and _empty_register(directory):
            for suffix in ("", "-wal", "-shm"):
                (directory / f"{db.DB_NAME}{suffix}").unlink(missing_ok=True)
    return kept
