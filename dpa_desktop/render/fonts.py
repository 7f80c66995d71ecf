"""The PDF fonts: Carlito for text, DejaVu Sans for characters Carlito lacks.

Embedding TrueType fonts makes the PDF look the same on every printer; the
fallback keeps names typed in other scripts legible instead of empty boxes.
"""

from __future__ import annotations

import functools
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from dpa_desktop import paths

BODY = "Carlito"
BOLD = "Carlito-Bold"
ITALIC = "Carlito-Italic"
BOLD_ITALIC = "Carlito-BoldItalic"
FALLBACK = "DejaVuSans"


@functools.cache
def register_fonts() -> None:
    directory = paths.fonts_dir()
    for name in (BODY, BOLD, ITALIC, BOLD_ITALIC):
        file = "Carlito-Regular.ttf" if name == BODY else f"{name}.ttf"
        pdfmetrics.registerFont(TTFont(name, str(directory / file)))
    pdfmetrics.registerFont(TTFont(FALLBACK, str(directory / "DejaVuSans.ttf")))
    addMapping(BODY, 0, 0, BODY)
    addMapping(BODY, 1, 0, BOLD)
    addMapping(BODY, 0, 1, ITALIC)
    addMapping(BODY, 1, 1, BOLD_ITALIC)
    addMapping(FALLBACK, 0, 0, FALLBACK)
    addMapping(FALLBACK, 1, 0, FALLBACK)
    addMapping(FALLBACK, 0, 1, FALLBACK)
    addMapping(FALLBACK, 1, 1, FALLBACK)


@functools.cache
def _covered(font_name: str) -> frozenset[int]:
    register_fonts()
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)


def covers(font_name: str, text: str) -> bool:
    covered = _covered(font_name)
    return all(ord(ch) in covered for ch in text)


def markup(text: str) -> str:
    """Escape text for a reportlab Paragraph, switching to the fallback font where needed."""
    body = _covered(BODY)
    if text.isascii():
        return escape(text).replace("\n", "<br/>")
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
