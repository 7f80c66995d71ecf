"""The PDF fonts: Carlito for text, DejaVu Sans for characters Carlito lacks.

Embedding TrueType fonts makes the PDF look the same on every printer; the
fallback keeps names typed in other scripts legible instead of empty boxes.
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


_FILES = {
    BODY: "Carlito-Regular.ttf",
    BOLD: "Carlito-Bold.ttf",
    ITALIC: "Carlito-Italic.ttf",
    BOLD_ITALIC: "Carlito-BoldItalic.ttf",
    FALLBACK: "DejaVuSans.ttf",
}


@functools.cache
def register_fonts() -> None:
    """Register the five faces and the Carlito family, once per process.

    A PDF embeds (a subset of) only the faces its text uses, so registering
    all of them costs a little time and nothing in the file.
    """
    for name, file_name in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(paths.fonts_dir() / file_name)))
    # Registering maps a font's own name to itself for bold and italic too.
    _map_families()


def _map_families() -> None:
    """<b> and <i> inside Carlito text pick these faces; DejaVu Sans has one
    face, used for all four. reportlab's paragraph parser reads these names
    when a paragraph is made, before the fonts need to be loaded."""
    for bold, italic, face in ((0, 0, BODY), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD_ITALIC)):
        addMapping(BODY, bold, italic, face)
        addMapping(FALLBACK, bold, italic, FALLBACK)


_map_families()


@functools.cache
def _covered(font_name: str) -> frozenset[int]:
    register_fonts()
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
