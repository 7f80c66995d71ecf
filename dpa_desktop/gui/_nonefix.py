"""Keep ``None`` alive under PySide6 6.12 on Python 3.11.

PySide6 6.12's wheels drop a reference to ``None`` on every call of a Qt
method that returns nothing (``setText``, ``processEvents``...), as if
``None`` were immortal, which it only is from Python 3.12 on. On 3.11 the
interpreter aborts with "none_dealloc" after about 5,000 such calls, i.e.
seconds into using the app. Giving ``None`` a practically endless reference
count makes it immortal here too; on 3.12+ nothing is done.
"""

from __future__ import annotations

import ctypes
import platform
import sys

_PINNED = 1 << 48


def pin_none() -> bool:
    """Make ``None`` effectively immortal; True when the count was raised."""
    if sys.version_info >= (3, 12) or platform.python_implementation() != "CPython":
        return False
    refcount = ctypes.c_ssize_t.from_address(id(None))
    if refcount.value < _PINNED // 2:
        refcount.value += _PINNED
        return True
    return False


pin_none()
