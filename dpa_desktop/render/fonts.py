"""The PDF fonts: Carlito for text, Noto Sans Arabic and Hebrew for those scripts,
DejaVu Sans for the other characters Carlito lacks.

Embedding TrueType fonts makes the PDF look the same on every printer; each
character is printed in the first of these fonts that has it (``font_for``).
Which characters the PDF prints at all is decided in ``scripts``.
"""

from __future__ import annotations

import functools

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
ARABIC = "NotoSansArabic"
ARABIC_BOLD = "NotoSansArabic-Bold"
HEBREW = "NotoSansHebrew"
HEBREW_BOLD = "NotoSansHebrew-Bold"


_FILES = {
    BODY: "Carlito-Regular.ttf",
    BOLD: "Carlito-Bold.ttf",
    ITALIC: "Carlito-Italic.ttf",
    BOLD_ITALIC: "Carlito-BoldItalic.ttf",
    FALLBACK: "DejaVuSans.ttf",
    ARABIC: "NotoSansArabic-Regular.ttf",
    ARABIC_BOLD: "NotoSansArabic-Bold.ttf",
    HEBREW: "NotoSansHebrew-Regular.ttf",
    HEBREW_BOLD: "NotoSansHebrew-Bold.ttf",
}


# Registered only when a document holds a character Carlito lacks (``_register``):
# most never do, and reading DejaVu Sans's 6,000 glyphs is a third of the fonts' time.
_ON_DEMAND = (FALLBACK, ARABIC, ARABIC_BOLD, HEBREW, HEBREW_BOLD)


@functools.cache
def register_fonts(*, italic: bool = True) -> None:
    """Register Carlito's regular and bold faces, and its two italic ones unless
    ``italic`` is False, once per process.

    A PDF embeds (a subset of) only the faces its text uses, so registering
    them costs time and nothing in the file: none of the shipped agreements
    prints italic, so a fill skips reading those two.
    """
    for name in (BODY, BOLD, *((ITALIC, BOLD_ITALIC) if italic else ())):
        _register(name)


def bullet_font(label: str) -> str:
    """The font a list label is printed in: plain text in one font, no markup."""
    if covers(BODY, label):
        return BODY
    _register(FALLBACK)
    return FALLBACK


@functools.cache
def _register(name: str) -> None:
    pdfmetrics.registerFont(TTFont(name, str(paths.fonts_dir() / _FILES[name])))
    # Registering maps a font's own name to itself for bold and italic too.
    _map_families()


def _map_families() -> None:
    """<b> and <i> inside Carlito text pick these faces; DejaVu Sans has one
    face, used for all four; Noto has a bold face and no italic. reportlab's
    paragraph parser reads these names when a paragraph is made, before the
    fonts need to be loaded."""
    for bold, italic, face in ((0, 0, BODY), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD_ITALIC)):
        addMapping(BODY, bold, italic, face)
        addMapping(FALLBACK, bold, italic, FALLBACK)
        addMapping(ARABIC, bold, italic, ARABIC_BOLD if bold else ARABIC)
        addMapping(HEBREW, bold, italic, HEBREW_BOLD if bold else HEBREW)


_map_families()

@functools.cache
def _covered(font_name: str) -> frozenset[int]:
    register_fonts(italic=False)
    _register(font_name)
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

    A dash bullet then stays in the body's typeface instead of DejaVu Sans.
    Characters with no such twin are left to the fallback.
    """
    if covers(BODY, label):
        return label
    return "".join(_SAME_GLYPH.get(ch, ch) for ch in label)


def _script_font(ch: str) -> str | None:
    """The Noto face for a Hebrew or Arabic character (presentation forms included)."""
    code = ord(ch)
    if 0x0590 <= code <= 0x05FF or 0xFB1D <= code <= 0xFB4F:
        return HEBREW
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        return ARABIC
    return None


@functools.cache
def font_for(ch: str) -> str | None:
    """The first font that prints ``ch``: Carlito, the script's Noto face, DejaVu Sans; None if none has it.

    A Noto face it names is registered, with its bold face, so a paragraph may use it.
    """
    code = ord(ch)
    script = _script_font(ch)
    for name in ((script, BODY, FALLBACK) if script else (BODY, FALLBACK)):
        if name is not None and code in _covered(name):
            _register(face(name, bold=True))
            return name
    return None


def face(name: str, bold: bool) -> str:
    """The face <b> picks for a font (family) name."""
    if not bold:
        return name
    return {BODY: BOLD, ARABIC: ARABIC_BOLD, HEBREW: HEBREW_BOLD}.get(name, name)


def width(text: str, size: float, *, bold: bool = False) -> float:
    """The printed width of ``text`` (points) with each character in its own font."""
    register_fonts(italic=False)
    return float(sum(pdfmetrics.stringWidth(ch, face(font_for(ch) or BODY, bold), size) for ch in text))


def markup(text: str) -> str:
    """Escape text for a reportlab Paragraph, switching font where Carlito lacks a character."""
    if text.isascii() or _covered_or_newline(BODY).issuperset(map(ord, text)):
        return escape(text).replace("\n", "<br/>")
    out: list[str] = []
    run: list[str] = []
    current: str | None = BODY
    for ch in text:
        name = BODY if ch == "\n" else (font_for(ch) or BODY)
        if name != current:
            out.append(_flush(run, current))
            run = []
            current = name
        run.append(ch)
    out.append(_flush(run, current))
    return "".join(out)


def _flush(run: list[str], name: str | None) -> str:
    if not run:
        return ""
    text = escape("".join(run)).replace("\n", "<br/>")
    return f'<font name="{name}">{text}</font>' if name != BODY else text
