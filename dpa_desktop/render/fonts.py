"""The PDF fonts: Carlito for text, DejaVu Sans for characters Carlito lacks.

Embedding TrueType fonts makes the PDF look the same on every printer; the
fallback keeps names typed in other scripts legible instead of empty boxes.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from dpa_desktop import paths
from dpa_desktop.text import xml_escape as escape

BODY = "Carlito"
BOLD = "Carlito-Bold"
ITALIC = "Carlito-Italic"
BOLD_ITALIC = "Carlito-BoldItalic"
FALLBACK = "DejaVuSans"


_WIDTHS_KEPT = 20_000


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
        super().__init__(name, filename)
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
    """Register the named fonts (once each); parsing a font file takes 10-15 ms.

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
