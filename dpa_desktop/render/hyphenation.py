"""Dutch hyphenation for narrow table cells, with the parsed patterns cached.

pyphen parses its 16,000 Dutch patterns from text on first use, about 130 ms
in every process that writes a PDF. The parsed table is kept in the cache
directory as ``marshal`` data (plain dicts, tuples, ints and bytes, no code)
and loads in about 6 ms. The cache names pyphen's version and the dictionary's size and
time, so an upgrade rebuilds it; an unreadable or odd cache is rebuilt too, and
if the cache cannot be written the patterns are simply parsed each time.
"""

from __future__ import annotations

import marshal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyphen

from dpa_desktop import cache_files, paths

LANG = "nl_NL"
# 2: (maxlen, patterns); maxlen took ≈ 3 ms to recompute.
# 3: each pattern's values as bytes, not a tuple of ints: 16,000 fewer tuples
#    to build, ≈ 9 → 6 ms to load (pyphen only iterates and measures them).
_CACHE_VERSION = 3


def _cache_name(dictionary: Path) -> str:
    """Names pyphen's version, the dictionary's size and time, Python's version and this format."""
    stat = dictionary.stat()
    tag = f"{pyphen.__version__}-{stat.st_size}-{stat.st_mtime_ns}-py{sys.version_info[0]}{sys.version_info[1]}"
    return f"hyph-{LANG}-{tag}-v{_CACHE_VERSION}"


def _cache_file(dictionary: Path) -> Path:
    return paths.cache_dir() / f"{_cache_name(dictionary)}.marshal"


def _valid(cached: Any) -> bool:
    """A cache holds (maxlen, dict of str to (int, bytes)); anything else is rebuilt."""
    if not (isinstance(cached, tuple) and len(cached) == 2 and isinstance(cached[0], int)):
        return False
    patterns = cached[1]
    if not isinstance(patterns, dict) or not patterns:
        return False
    key, value = next(iter(patterns.items()))
    return (isinstance(key, str) and isinstance(value, tuple) and len(value) == 2
            and isinstance(value[0], int) and isinstance(value[1], bytes))


def _plain(patterns: dict[str, Any]) -> dict[str, tuple[int, bytes]] | None:
    """The table as marshal-able data, or None if it uses pyphen's alternative patterns.

    A pattern's values are hyphenation priorities (digits in the file), so they
    fit in bytes, which pyphen reads as it reads a tuple of ints.
    """
    out: dict[str, tuple[int, bytes]] = {}
    for key, (start, values) in patterns.items():
        if any(type(v) is not int or not 0 <= v <= 255 for v in values):
            return None
        out[key] = (start, bytes(values))
    return out


class _CachedHyphDict(pyphen.HyphDict):  # type: ignore[misc]  # pyphen is untyped
    """pyphen's dictionary with its pattern table given instead of parsed."""

    def __init__(self, maxlen: int, patterns: dict[str, tuple[int, bytes]]) -> None:
        self.patterns = patterns
        self.cache: dict[str, Any] = {}
        self.maxlen = maxlen


def load(dictionary: Path | None = None) -> pyphen.Pyphen:
    """A pyphen hyphenator for Dutch, from the cache when it is there."""
    path = Path(dictionary or pyphen.LANGUAGES[LANG])
    if path not in pyphen.hdcache:
        cache = _cache_file(path)
        cached = cache_files.read_marshal(cache)
        if _valid(cached):
            pyphen.hdcache[path] = _CachedHyphDict(*cached)
        else:
            parsed = pyphen.HyphDict(path)
            pyphen.hdcache[path] = parsed
            plain = _plain(parsed.patterns)
            if plain is not None:
                cache_files.write(cache, marshal.dumps((parsed.maxlen, plain)))
    return pyphen.Pyphen(filename=path)


class Hyphenator:
    """What reportlab calls for a word: loads the patterns on the first word only."""

    def __init__(self) -> None:
        self._pyphen: pyphen.Pyphen | None = None
        self._identity: str | None = None

    def identity(self) -> str:
        """Names the patterns (as their cache file does) without loading them."""
        if self._identity is None:
            self._identity = _cache_name(Path(pyphen.LANGUAGES[LANG]))
        return self._identity

    def __call__(self, word: str) -> Iterator[tuple[str, str]]:
        if self._pyphen is None:
            self._pyphen = load()
        result: Iterator[tuple[str, str]] = self._pyphen.iterate(word)
        return result


DUTCH = Hyphenator()
