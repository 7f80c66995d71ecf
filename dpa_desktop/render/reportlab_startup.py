"""Keep reportlab's import from doing work no agreement needs.

A ``fill`` process is timed against LibreOffice (issue 2), and importing
reportlab used to be its largest single cost. Two things in it serve features
our documents never use:

- two regular expressions compiled at import: ``paragraph.uri_pat`` (splitting
  long URLs; case-insensitive over all of Unicode, ≈ 40 ms to compile) and
  ``textsplit.rx`` (wrapping CJK text, ≈ 7 ms). reportlab tries ``uri_pat`` on
  every word it hyphenates, so deferring alone would only move its cost into
  the first table; but a match needs a literal ``://`` (the scheme group is not
  optional), so a word without one is answered without compiling;
- Pillow, imported by ``reportlab.lib.utils`` for raster images (≈ 17 ms);
- ``reportlab.lib.PyFontify``, which colours Python source for
  ``PythonPreformatted`` (≈ 3 ms, most of it compiling its patterns).

``prepare()`` runs before reportlab is imported (from ``dpa_desktop.render``'s
``__init__``). It leaves a stand-in in ``re``'s own cache for each of the two
patterns, which compiles the real pattern the first time it is used, and
registers the two modules with the standard library's ``LazyLoader``, which
runs a module the first time one of its attributes is read. Nothing
changes in what reportlab does, only when it pays for it; if a reportlab
upgrade changes a pattern, that pattern is simply compiled at import again (a
test notices). Where the interpreter's ``re`` internals differ, nothing is
installed.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from typing import Any

# The exact (pattern, flags) reportlab 4.x/5.x compiles at import.
_URI = (
    "(^(?:[a-z0-9\\.\\-\\+]*)://)(?:\\S+(?::\\S*)?@)?(?:(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)"
    "(?:\\.(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3}|\\[[0-9a-f:\\.]+\\]|([a-z\xa1-\uffff0-9]"
    "(?:[a-z\xa1-\uffff0-9-]{0,61}[a-z\xa1-\uffff0-9])?(?:\\.(?!-)[a-z\xa1-\uffff0-9-]{1,63}(?<!-))*"
    "\\.(?!-)(?:[a-z\xa1-\uffff-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\\.?|localhost))(?::\\d{2,5})?"
    "(?:[/?#][^\\s]*)?\\Z"
)
DEFERRED_PATTERNS: tuple[tuple[str, int, str], ...] = (
    # (pattern, flags, a substring every match must contain, or "")
    (_URI, re.IGNORECASE, "://"),
    ("([\u2e80-\uffff])", re.UNICODE, ""),
)


class LazyPattern:
    """A compiled pattern that compiles itself on first use.

    ``needs`` is a substring every match contains: ``match`` on a string
    without it is None at once, compiled or not.
    """

    __slots__ = ("_compiled", "_flags", "_needs", "_pattern")

    def __init__(self, pattern: str, flags: int, needs: str = "") -> None:
        self._pattern = pattern
        self._flags = flags
        self._needs = needs
        self._compiled: re.Pattern[str] | None = None

    def match(self, string: str, *args: int) -> re.Match[str] | None:
        if self._needs and not args and self._needs not in string:
            return None
        return self.compiled().match(string, *args)

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            # re.compile would find this stand-in in its cache and return it again.
            self._compiled = re._compiler.compile(self._pattern, self._flags)  # type: ignore[attr-defined]
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        state = "compiled" if self._compiled is not None else "not compiled yet"
        return f"<LazyPattern {self._pattern[:30]!r}… ({state})>"


def _defer_patterns() -> None:
    cache = getattr(re, "_cache", None)
    if not isinstance(cache, dict) or not hasattr(re, "_compiler"):
        return
    for pattern, flags, needs in DEFERRED_PATTERNS:
        # re keys its cache on (type, pattern, int flags) in Python 3.11-3.13.
        cache.setdefault((str, pattern, int(flags)), LazyPattern(pattern, int(flags), needs))


DEFERRED_MODULES = ("PIL.Image", "reportlab.lib.PyFontify")


def _defer_module(name: str) -> None:
    if name in sys.modules:
        return
    try:
        spec = importlib.util.find_spec(name)  # imports the parent package, which is cheap
    except (ImportError, ValueError):
        return
    if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    sys.modules[parent].__dict__[child] = module


def prepare() -> None:
    """Install the stand-ins; harmless when reportlab is already imported."""
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    _defer_patterns()
    for name in DEFERRED_MODULES:
        _defer_module(name)
