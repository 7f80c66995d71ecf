"""Everything that differs between Windows and the rest, in one place.

The target is Windows; development and CI run on Linux. Each function has a
branch per platform, and the tests exercise every branch that can run here
(the Windows branches by passing ``windows=True``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

IS_WINDOWS = sys.platform == "win32"

_WINDOWS_RESERVED = {
    "CON", "PRN", "AUX", "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
_BAD_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


# Longest file name component most file systems take: 255 bytes (ext4, APFS in
# UTF-8) or 255 UTF-16 code units (NTFS). A name is kept well below both, so the
# extension and the temporary name beside it (``atomic_write``) fit as well.
NAME_BYTES = 200
NAME_UNITS = 200
# Windows without long-path support: a whole path has at most 259 characters (MAX_PATH
# minus its terminator). TEMP_OVERHEAD is what atomic_write adds to a name (".", ".docx.",
# eight random characters, ".tmp").
WINDOWS_MAX_PATH = 259
TEMP_OVERHEAD = 20


def safe_filename(name: str, *, max_length: int = 120, directory: Path | None = None,
                  windows: bool = IS_WINDOWS) -> str:
    """A file name valid on Windows (and so everywhere): no reserved names or characters.

    The name is cut to ``max_length`` characters and to what a file system takes
    (``NAME_BYTES`` in UTF-8, ``NAME_UNITS`` in UTF-16), never inside a character
    or between a letter and its accents. On Windows, given the folder, the whole
    path stays within MAX_PATH where the folder leaves room for a name at all.
    """
    cleaned = _BAD_CHARS.sub("-", name)
    cleaned = re.sub(r"\s+", " ", cleaned).strip().rstrip(". ")
    units = NAME_UNITS
    if windows and directory is not None:
        units = min(units, max(WINDOWS_MAX_PATH - len(str(directory)) - 1 - TEMP_OVERHEAD, 16))
    cleaned = _cut(cleaned, max_length, NAME_BYTES, units).rstrip(". ")
    if not cleaned:
        cleaned = "verwerkersovereenkomst"
    if cleaned.split(".")[0].upper() in _WINDOWS_RESERVED:
        cleaned = "_" + cleaned
    return cleaned


def _cut(text: str, max_chars: int, max_bytes: int, max_units: int) -> str:
    """The longest start of ``text`` within all three limits that ends between two characters
    a reader sees as separate (not before a combining accent)."""
    import unicodedata

    end = 0
    size = units = 0
    for i, ch in enumerate(text):
        size += len(ch.encode("utf-8"))
        units += 2 if ord(ch) > 0xFFFF else 1
        if i + 1 > max_chars or size > max_bytes or units > max_units:
            break
        end = i + 1
    else:
        return text
    # Do not leave a letter without the accents that follow it.
    while end > 0 and unicodedata.combining(text[end]):
        end -= 1
    return text[:end]


def replace_file(src: Path, dst: Path, *, windows: bool = IS_WINDOWS, attempts: int = 20) -> None:
    """Atomically put src in place of dst.

    On Windows a virus scanner or the indexer may hold dst open for a moment,
    which makes ``os.replace`` fail with PermissionError: retry briefly there.
    """
    if not windows:
        os.replace(src, dst)
        return
    for attempt in range(attempts):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def _fsync_dir(directory: Path, *, windows: bool = IS_WINDOWS) -> None:
    """Make a rename durable; directories cannot be opened for fsync on Windows."""
    if windows:
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, *, windows: bool = IS_WINDOWS) -> None:
    """Write beside the target and rename: readers see the old or the new file, never half."""
    atomic_write_all({path: data}, windows=windows)


def atomic_write_all(files: dict[Path, bytes], *, windows: bool = IS_WINDOWS) -> None:
    """Write several files so that either all are written or none is changed.

    Every file is first written completely beside its target; only then are
    they renamed into place. If a rename fails, the files already renamed are
    put back as they were (removed, or their old content restored), so a
    failure never leaves one document new and the other old or missing.
    """
    temps: dict[Path, Path] = {}
    replaced: list[tuple[Path, bytes | None]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps[path] = Path(tmp_name)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for path, temp in temps.items():
            old = path.read_bytes() if len(files) > 1 and path.is_file() else None
            replace_file(temp, path, windows=windows)
            replaced.append((path, old))
        for directory in {p.parent for p in files}:
            _fsync_dir(directory, windows=windows)
    except BaseException:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
        for path, old in replaced:
            if old is None:
                path.unlink(missing_ok=True)
            else:
                atomic_write(path, old, windows=windows)
        raise


def open_command(path: Path, *, platform: str = sys.platform) -> list[str] | None:
    """The command that opens a file in its default application; None means os.startfile."""
    if platform == "win32":
        return None
    if platform == "darwin":
        return ["open", str(path)]
    return ["xdg-open", str(path)]


def open_with_default_app(path: Path) -> None:
    command = open_command(path)
    if command is None:
        os.startfile(path)  # type: ignore[attr-defined]  # Windows only
    else:
        subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
