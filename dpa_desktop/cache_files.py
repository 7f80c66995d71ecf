"""Reading and writing files in the cache directory (forms, fonts, hyphenation, line breaks).

Every cache is only a speed-up: a file that cannot be read is a miss, and one
that cannot be written costs the time again next run; neither ever reaches the
user. ValueError counts as "cannot": a data directory the platform cannot
represent raises it instead of OSError.
"""

from __future__ import annotations

import contextlib
import marshal
import zlib
from pathlib import Path
from typing import Any


def read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (OSError, ValueError):
        return None


def read_marshal(path: Path, *, compressed: bool = False) -> Any:
    """The marshal data in ``path`` (zlib-compressed if ``compressed``), or
    None; the caller still checks its shape."""
    blob = read(path)
    if blob is None:
        return None
    try:
        return marshal.loads(zlib.decompress(blob) if compressed else blob)
    except (zlib.error, EOFError, ValueError, TypeError):
        return None


def write(path: Path, data: bytes) -> None:
    """Atomically, so a crash never leaves half a cache file that looks whole."""
    from dpa_desktop import platform  # tempfile: only needed when writing

    with contextlib.suppress(OSError, ValueError):
        platform.atomic_write(path, data)
