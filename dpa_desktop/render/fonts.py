"""The PDF fonts: Carlito for text, DejaVu Sans for characters Carlito lacks.

Embedding TrueType fonts makes the PDF look the same on every printer; the
fallback keeps names typed in other scripts legible instead of empty boxes.

reportlab reads a font's tables (names, metrics, the character map, glyph
widths and offsets) in pure Python, ≈ 15 ms a face in every process that
writes a PDF. What it reads is kept in the cache directory as ``marshal`` data
(dicts, lists, numbers and bytes, no code or reportlab objects), named by a
hash of the font file and of everything else the result depends on, so a later
process restores the face instead of parsing it. An unreadable or odd cache is
rebuilt; if the cache cannot be written the font is simply parsed each time.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import re
import sys
from collections.abc import Callable
from fnmatch import fnmatch
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from dpa_desktop import cache_files, paths
from dpa_desktop.text import xml_escape as escape

BODY = "Carlito"
BOLD = "Carlito-Bold"
ITALIC = "Carlito-Italic"
BOLD_ITALIC = "Carlito-BoldItalic"
FALLBACK = "DejaVuSans"


_WIDTHS_KEPT = 20_000
_CACHE_VERSION = 1
_MISSING = object()
_PLAIN_TYPES = frozenset({int, float, str, bytes, bool, type(None), tuple, list, dict})
_METRICS: dict[str, str] = {}  # font file name -> its cache file's stem (see metrics_id)


def _cache_file(filename: str, data: bytes) -> Path:
    """Named by all that extractInfo's result depends on: the file's bytes and
    name (reportlab checks the name against ``allowTTFSubsetting``), reportlab's
    and Python's versions, and this format's. The bytes rather than the file's
    time: an installer rewrites identical fonts with new times. sha256 over a
    face takes ≈ 0.5 ms, next to ≈ 15 ms of parsing."""
    name = os.path.basename(filename)
    key = (name, name in rl_config.allowTTFSubsetting, reportlab.Version, sys.version_info[:2], _CACHE_VERSION)
    digest = hashlib.sha256(repr(key).encode("utf-8"))
    digest.update(data)
    return paths.cache_dir() / f"ttf-{Path(name).stem}-{digest.hexdigest()[:32]}.marshal"


def _scale(units_per_em: int) -> Callable[[float], float]:
    """The face's ``_pdfScale``, as extractInfo makes it (a function is not data)."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


def _dump(info: dict[str, Any]) -> bytes | None:
    """What extractInfo set, as marshal data; None if some of it is not data.

    marshal turns a bytes subclass (reportlab's TTFNameBytes) into plain bytes
    without a word, so each value's own type is checked; inside the lists and
    dicts are the numbers reportlab unpacked (walking them would cost more than
    parsing; the tests compare a restored face with a parsed one, types and all).
    """
    names: dict[str, bytes] = {}
    plain: dict[str, Any] = {}
    for key, value in info.items():
        if key == "_pdfScale":
            continue  # rebuilt from unitsPerEm
        if type(value) is TTFNameBytes:
            names[key] = bytes(value)  # the utf-8 of its .ustr, which TTFNameBytes() decodes again
        elif type(value) in _PLAIN_TYPES:
            plain[key] = value
        else:
            return None
    if type(plain.get("unitsPerEm")) is not int:
        return None
    try:
        return marshal.dumps({"plain": plain, "names": names})
    except ValueError:  # something in a list that is not data
        return None


def _valid(stored: Any) -> bool:
    """A cache is what _dump() makes, down to a usable unitsPerEm; anything else is rebuilt."""
    if not isinstance(stored, dict) or set(stored) != {"plain", "names"}:
        return False
    plain, names = stored["plain"], stored["names"]
    return (isinstance(plain, dict) and isinstance(names, dict)
            and all(type(key) is str for key in (*plain, *names))
            and all(type(value) is bytes for value in names.values())
            and type(plain.get("unitsPerEm")) is int and plain["unitsPerEm"] > 0)


class _CachedFace(TTFontFace):  # type: ignore[misc]  # reportlab is untyped
    """reportlab's face, with extractInfo's result taken from the cache when it is there.

    Reading the file and its table directory stays reportlab's (cheap, and the
    subsetting at embed time reads the file's bytes); only extractInfo, which
    walks the tables in Python, is skipped. What it sets is found by comparing
    the face's attributes before and after, so the restored face has all of
    them, ``_pos`` included, whatever reportlab's version sets.
    """

    def extractInfo(self, charInfo: int = 1) -> None:  # reportlab's name
        if not charInfo or self.fileKind != "TTF":  # not the app's case: no charInfo, a font collection
            super().extractInfo(charInfo)
            return
        cache = _cache_file(self.filename, self._ttf_data)
        _METRICS[self.filename] = cache.stem  # names the file's bytes and all else its metrics depend on
        stored = cache_files.read_marshal(cache)
        if _valid(stored):
            self.__dict__.update(stored["plain"])
            for key, value in stored["names"].items():
                setattr(self, key, TTFNameBytes(value))
            self._pdfScale = _scale(self.unitsPerEm)
            return
        before = dict(vars(self))
        super().extractInfo(charInfo)
        data = _dump({key: value for key, value in vars(self).items() if before.get(key, _MISSING) is not value})
        if data is not None:
            cache_files.write(cache, data)


class _SubsetFont(TTFont):  # type: ignore[misc]  # reportlab is untyped
    """A TrueType font whose plain-ASCII text skips reportlab's per-character loop.

    Drawing a line asks the font to map each character to its code in a
    subset. With ``asciiReadable`` (reportlab's default) printable ASCII keeps
    its own code in subset 0 from the start, so such a line maps to itself;
    reportlab still walks it character by character in Python, which was a
    third of the PDF's drawing time. Anything else takes reportlab's own path,
    and the output is byte for byte the same.
    """

    def __init__(self, name: str, filename: str) -> None:
        # TTFont.__init__ (reportlab 5.1, for the arguments we pass), which
        # names its face class inline: this builds a _CachedFace instead.
        self.fontName = name
        self.face = _CachedFace(filename)
        self._metrics_id = _METRICS.get(filename)
        self.encoding = TTEncoding()
        self.state: WeakKeyDictionary[Any, Any] = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = not any(fnmatch(name, glob) for glob in rl_config.unShapedFontGlob)
        self._widths: dict[tuple[str, float], float] = {}
        self._identity: re.Pattern[str] | None = None
        if self._asciiReadable and not getattr(self.face, "_full_font", None):
            ascii_glyphs = "".join(chr(c) for c in range(32, 128) if c in self.face.charToGlyph)
            self._identity = re.compile(f"[{re.escape(ascii_glyphs)}]+")

    def stringWidth(self, text: str, size: float, encoding: str = "utf8") -> float:
        # Line breaking measures every word of every paragraph, and a contract
        # repeats its words ("de", "Verwerker"): remember them per size, within
        # bounds, since the GUI renders many documents in one process.
        key = (text, size)
        width = self._widths.get(key)
        if width is None:
            if len(self._widths) >= _WIDTHS_KEPT:
                self._widths.clear()
            width = self._widths[key] = super().stringWidth(text, size, encoding)
        return width

    def splitString(self, text: Any, doc: Any, encoding: str = "utf-8") -> list[tuple[int, bytes]]:
        identity = self._identity
        if identity is not None and isinstance(text, str) and text and identity.fullmatch(text):
            self._assignState(doc)  # the subset state a later embed step reads
            return [(0, text.encode("ascii"))]
        result: list[tuple[int, bytes]] = super().splitString(text, doc, encoding)
        return result


_FILES = {
    BODY: "Carlito-Regular.ttf",
    BOLD: "Carlito-Bold.ttf",
    ITALIC: "Carlito-Italic.ttf",
    BOLD_ITALIC: "Carlito-BoldItalic.ttf",
    FALLBACK: "DejaVuSans.ttf",
}
_registered: set[str] = set()


def register(*names: str) -> None:
    """Register the named fonts (once each); parsing a font file takes 10-15 ms,
    restoring it from the cache 3-4.

    A document registers what it uses: most agreements need no italic and no
    fallback font, and a CLI run then skips parsing three of the five files.
    """
    new = [name for name in names if name not in _registered]
    for name in new:
        pdfmetrics.registerFont(_SubsetFont(name, str(paths.fonts_dir() / _FILES[name])))
        _registered.add(name)
    if new:
        # reportlab maps a registered font's own name to itself for bold and
        # italic too, which would turn <b> in Carlito into Carlito: map again.
        _map_families()


def _map_families() -> None:
    """The family mappings: names only, which reportlab's paragraph parser reads
    for a style's font and for <b> and <i>, before any font file is parsed."""
    for bold, italic, face in ((0, 0, BODY), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD_ITALIC)):
        addMapping(BODY, bold, italic, face)
        addMapping(FALLBACK, bold, italic, FALLBACK)


_map_families()  # from import on, whichever writer builds its paragraphs first


def register_fonts() -> None:
    """All five, for writers that do not track which they use."""
    register(*_FILES)


def metrics_id(font_name: str) -> str | None:
    """A name for the metrics of a registered font (its cache file's, from the
    file's digest), or None for a font this module did not load or parse from
    its cache: the line cache keys on it."""
    font = pdfmetrics.getFont(font_name)
    return font._metrics_id if isinstance(font, _SubsetFont) else None


@functools.cache
def _covered(font_name: str) -> frozenset[int]:
    register(font_name)
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)


@functools.cache
def _covered_or_newline(font_name: str) -> frozenset[int]:
    return _covered(font_name) | {ord("\n")}


def covers(font_name: str, text: str) -> bool:
    return _covered(font_name).issuperset(map(ord, text))


# Carlito has no U+2010 HYPHEN or U+2011 NON-BREAKING HYPHEN, which Word lists
# use as bullets (vcare's Bijlage C). In Calibri, whose metrics Carlito copies,
# they are the same glyph as the hyphen-minus, and Carlito has that one.
_SAME_GLYPH = {"\u2010": "-", "\u2011": "-"}


def label_text(label: str) -> str:
    """A list label with characters the body font lacks swapped for ones it prints the same.

    A dash bullet then stays in the body's typeface instead of DejaVu Sans,
    and a document whose text Carlito covers never loads the fallback face
    (≈ 10 ms of a fill). Characters with no such twin are left to the fallback.
    """
    if covers(BODY, label):
        return label
    return "".join(_SAME_GLYPH.get(ch, ch) for ch in label)


def markup(text: str) -> str:
    """Escape text for a reportlab Paragraph, switching to the fallback font where needed."""
    if text.isascii() or _covered_or_newline(BODY).issuperset(map(ord, text)):
        return escape(text).replace("\n", "<br/>")
    body = _covered(BODY)
    fallback = _covered(FALLBACK)
    out: list[str] = []
    run: list[str] = []
    in_fallback = False
    for ch in text:
        code = ord(ch)
        needs = code not in body and code in fallback and ch not in "\n"
        if needs != in_fallback:
            out.append(_flush(run, in_fallback))
            run = []
            in_fallback = needs
        run.append(ch)
    out.append(_flush(run, in_fallback))
    return "".join(out)


def _flush(run: list[str], fallback: bool) -> str:
    if not run:
        return ""
    text = escape("".join(run)).replace("\n", "<br/>")
    return f'<font name="{FALLBACK}">{text}</font>' if fallback else text
