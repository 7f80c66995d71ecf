"""Keep ``None``, ``True`` and ``False`` alive under PySide6 6.12 on Python 3.11.

PySide6 6.12's wheels drop a reference to ``None`` on every call of a Qt
method that returns nothing (``setText``, ``processEvents``...), and to
``True``/``False`` on some bool paths (Python overrides of virtuals), as if
these were immortal, which they only are from Python 3.12 on. On 3.11 the
interpreter aborts with "none_dealloc" after about 5,000 such calls, i.e.
seconds into using the app. Giving them a practically endless reference
count makes them immortal here too; on 3.12+ nothing is done.
"""

from __future__ import annotations

import ctypes
import sys

_PINNED = 1 << 48


def pin_singletons() -> bool:
    """Make None/True/False effectively immortal; True when a count was raised."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    raised = False
    for singleton in (None, True, False):
        refcount = ctypes.c_ssize_t.from_address(id(singleton))
        if refcount.value < _PINNED // 2:
            refcount.value += _PINNED
            raised = True
    return raised


pin_singletons()
