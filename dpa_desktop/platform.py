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


def safe_filename(name: str, *, max_length: int = 120) -> str:
    """A file name valid on Windows (and so everywhere): no reserved names or characters."""
    cleaned = _BAD_CHARS.sub("-", name)
    cleaned = re.sub(r"\s+", " ", cleaned).strip().rstrip(". ")
    cleaned = cleaned[:max_length].rstrip(". ")
    if not cleaned:
        cleaned = "verwerkersovereenkomst"
    if cleaned.split(".")[0].upper() in _WINDOWS_RESERVED:
        cleaned = "_" + cleaned
    return cleaned


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
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp_path = Path(tmp)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        replace_file(tmp_path, path, windows=windows)
        _fsync_dir(path.parent, windows=windows)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
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
