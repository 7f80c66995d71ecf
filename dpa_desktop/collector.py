"""Pausing Python's cyclic garbage collector around short bursts of allocation.

A CLI command and a render each make a few hundred thousand short-lived
objects; every so many allocations the collector walks all long-lived objects
of the process (modules, font tables, hyphenation patterns, in the GUI Qt's
wrappers) to find the few cycles among them. Paused, that work is skipped; the
cycles left behind are collected once it runs again.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector off inside, and afterwards as it was (nesting keeps an outer pause)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
