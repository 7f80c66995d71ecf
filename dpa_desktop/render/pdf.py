"""Render the document model to PDF with reportlab's platypus.

The PDF is what gets printed and signed, so it is built for paper: embedded
fonts, "Pagina X van Y" on every page, headings kept with their text, tables
that split with their header repeated, and a signature block never split.
``invariant`` makes the same input give the same bytes, so a stored SHA-256
means something.
"""

from __future__ import annotations

import copy
import weakref
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.paragraph import cleanBlockQuotedText

from dpa_desktop import document as d
from dpa_desktop.render import fonts, line_cache
from dpa_desktop.render.hyphenation import DUTCH
from dpa_desktop.text import xml_escape as escape

INK = colors.HexColor("#1a1a1a")
ACCENT = colors.HexColor("#1f3a5f")
RULE = colors.HexColor("#9aa5b1")
HEADER_FILL = colors.HexColor("#e8edf3")
MUTED = colors.HexColor("#5b6673")

PAGE_W, PAGE_H = A4
MARGIN_L = MARGIN_R = 25 * mm
MARGIN_T = 24 * mm
MARGIN_B = 22 * mm
FRAME_W = PAGE_W - MARGIN_L - MARGIN_R

BODY_SIZE = 10.5
INDENT = {1: 30.0, 2: 52.0, 3: 72.0}


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=fonts.BODY, fontSize=BODY_SIZE, leading=14.2,
                          textColor=INK, alignment=TA_JUSTIFY, spaceAfter=5)
    return {
        "body": base,
        "body_left": ParagraphStyle("body_left", parent=base, alignment=TA_LEFT),
        "body_center": ParagraphStyle("body_center", parent=base, alignment=TA_CENTER),
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=11.5),
        "title": ParagraphStyle("title", parent=base, fontName=fonts.BOLD, fontSize=20, leading=25,
                                alignment=TA_CENTER, textColor=ACCENT, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=12, leading=16,
                                   alignment=TA_CENTER, textColor=MUTED, spaceAfter=14),
        "h1": ParagraphStyle("h1", parent=base, fontName=fonts.BOLD, fontSize=12.5, leading=16,
                             textColor=ACCENT, alignment=TA_LEFT, spaceBefore=12, spaceAfter=5,
                             keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=base, fontName=fonts.BOLD, fontSize=11, leading=14.5,
                             alignment=TA_LEFT, spaceBefore=8, spaceAfter=4, keepWithNext=1),
        "h3": ParagraphStyle("h3", parent=base, fontName=fonts.BOLD_ITALIC, fontSize=10.5,
                             leading=14, alignment=TA_LEFT, spaceBefore=6, spaceAfter=3,
                             keepWithNext=1),
        # Narrow table cells hyphenate Dutch compounds (pyphen) instead of
        # cutting "Gezondheidsinformatie" at an arbitrary letter.
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=11.2, alignment=TA_LEFT,
                               spaceAfter=0, hyphenationLang=DUTCH, hyphenationMinWordLength=12),
        "cell_head": ParagraphStyle("cell_head", parent=base, fontName=fonts.BOLD, fontSize=9,
                                    leading=11.2, alignment=TA_LEFT, spaceAfter=0),
        "sig_party": ParagraphStyle("sig_party", parent=base, fontName=fonts.BOLD,
                                    alignment=TA_LEFT, spaceAfter=6),
        "sig": ParagraphStyle("sig", parent=base, alignment=TA_LEFT, spaceAfter=0),
    }


class _Para(Paragraph):  # type: ignore[misc]  # reportlab is untyped
    """A paragraph that breaks its lines once per width.

    Platypus wraps most paragraphs two or three times at the same width (to
    keep a heading with the next block, to size a table row, to draw it);
    breaking lines is the costliest step of the PDF and gives the same result
    each time, so the last result is kept. Splitting makes new paragraphs,
    which break their own lines.
    """

    _wrapped: tuple[float, tuple[float, float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        done = self._wrapped
        # split() drops blPara when it refuses a split: then break again.
        if done is not None and done[0] == availWidth and "blPara" in self.__dict__:
            return done[1]
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, size)
        return size

    def breakLines(self, width: Any) -> Any:  # reportlab's name
        return line_cache.break_lines(self, width, super().breakLines)


_PLAIN_FRAG: weakref.WeakKeyDictionary[ParagraphStyle, Any] = weakref.WeakKeyDictionary()


def para(markup: str, style: ParagraphStyle, bullet: str | None = None) -> Paragraph:
    """A paragraph of reportlab markup; plain text skips reportlab's HTML parser.

    Most paragraphs of a contract are plain text, for which the parser makes
    one fragment in the style's font. That fragment is made once per style and
    copied, which gives the same fragments as parsing (a test compares them).
    """
    if not markup or "<" in markup or "&" in markup:
        return _Para(markup, style, bulletText=bullet)
    template = _PLAIN_FRAG.get(style)
    if template is None:
        template = _PLAIN_FRAG[style] = Paragraph("x", style).frags[0]
    text = cleanBlockQuotedText(markup)
    if not text:
        return _Para(markup, style, bulletText=bullet)
    frag = copy.copy(template)
    frag.text = text
    return _Para(text, style, bulletText=bullet, frags=[frag])


def text_para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped, fallback font where needed)."""
    return para(fonts.markup(text), style)


def _inline(spans: d.Inline) -> str:
    out = []
    for span in spans:
        text = fonts.markup(span.text)
        if span.bold:
            text = f"<b>{text}</b>"
        if span.italic:
            text = f"<i>{text}</i>"
        out.append(text)
    return "".join(out)


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    """Defers page decoration until the page count is known ("Pagina X van Y")."""

    header_text = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The default initial font is Helvetica, which would be referenced unembedded.
        # BaseDocTemplate passes initialFontName=None explicitly.
        kwargs["initialFontName"] = kwargs.get("initialFontName") or fonts.BODY
        kwargs["initialFontSize"] = kwargs.get("initialFontSize") or BODY_SIZE
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        self.saveState()
        self.setFillColor(MUTED)
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        if self.header_text:
            self.setFont(fonts.BODY, 8.5)
            self.drawString(MARGIN_L, PAGE_H - 14 * mm, self.header_text)
            self.line(MARGIN_L, PAGE_H - 15.5 * mm, PAGE_W - MARGIN_R, PAGE_H - 15.5 * mm)
        self.line(MARGIN_L, 14.5 * mm, PAGE_W - MARGIN_R, 14.5 * mm)
        self.setFont(fonts.BODY, 8.5)
        self.drawRightString(PAGE_W - MARGIN_R, 10 * mm,
                             f"Pagina {self._pageNumber} van {total}")
        self.restoreState()


def _cell(text: str, style: ParagraphStyle) -> Flowable | list[Flowable]:
    """A cell's text; its lines (a service and its variants) as a paragraph each.

    Stacked paragraphs with no space between sit where the lines of one
    paragraph with line breaks would, but each is plain text, which breaks
    faster and whose lines the line cache keeps (a ``<br/>`` makes markup).
    """
    lines = text.split("\n")
    if len(lines) == 1 or not lines[-1].strip():  # reportlab drops a last empty line: keep its way
        return text_para(text, style)
    return [text_para(line, style) if line.strip() else Spacer(1, style.leading) for line in lines]


def _table(table: d.Table, styles: dict[str, ParagraphStyle]) -> Table:
    columns = table.column_count
    widths = list(table.widths) if len(table.widths) == columns else [1.0] * columns
    scale = FRAME_W / sum(widths)
    col_widths = [w * scale for w in widths]
    cell = styles["cell"] if table.small or columns > 2 else styles["body_left"]
    head = styles["cell_head"]

    data: list[list[Flowable | list[Flowable]]] = []
    if table.header is not None:
        data.append([text_para(t, head) for t in table.header])
    for row in table.rows:
        padded = list(row) + [""] * (columns - len(row))
        data.append([_cell(t, cell) for t in padded[:columns]])
    commands: list[tuple[Any, ...]] = [
        # Platypus sets each cell's font even for flowable cells; never Helvetica.
        ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if table.header is not None:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL))
    return Table(data, colWidths=col_widths, repeatRows=1 if table.header is not None else 0,
                 style=TableStyle(commands), hAlign="LEFT", splitByRow=1, spaceBefore=4,
                 spaceAfter=8)


def _signature(block: d.SignatureBlock, styles: dict[str, ParagraphStyle]) -> Flowable:
    parties = block.parties
    col_w = FRAME_W / max(len(parties), 1)
    columns: list[list[Flowable]] = []
    for party in parties:
        cells: list[Flowable] = [text_para(party.party, styles["sig_party"])]
        for f in party.fields:
            label = f"{fonts.markup(f.label)}:"
            if f.write_line:
                cells.append(para(label, styles["sig"]))
                cells.append(_WriteLine(col_w - 18, 30 if "andtekening" in f.label else 16))
            else:
                cells.append(para(f"{label} {fonts.markup(f.value)}", styles["sig"]))
            cells.append(Spacer(1, 5))
        columns.append(cells)
    grid = Table([columns], colWidths=[col_w] * len(parties), hAlign="LEFT",
                 style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 18)]))
    parts: list[Flowable] = [Spacer(1, 10)]
    if block.intro:
        parts.append(text_para(block.intro, styles["body"]))
        parts.append(Spacer(1, 6))
    parts.append(grid)
    return KeepTogether(parts)


class _WriteLine(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A line to write on: the signature, a handwritten date."""

    def __init__(self, width: float, height: float) -> None:
        super().__init__()
        self.width = width
        self.height = height

    def draw(self) -> None:
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(0.6)
        self.canv.line(0, 2, self.width, 2)


def _story(doc: d.Document) -> list[Flowable]:
    styles = _styles()
    numbered: dict[tuple[int, str], ParagraphStyle] = {}
    story: list[Flowable] = []
    for block in doc.blocks:
        if isinstance(block, d.Title):
            story.append(text_para(block.text, styles["title"]))
            if block.subtitle:
                story.append(text_para(block.subtitle, styles["subtitle"]))
            else:
                story.append(Spacer(1, 10))
        elif isinstance(block, d.Heading):
            story.append(CondPageBreak(40 * mm if block.level == 1 else 25 * mm))
            story.append(text_para(block.text, styles[f"h{block.level}"]))
        elif isinstance(block, d.Paragraph):
            key = "small" if block.small else {"left": "body_left", "center": "body_center",
                                                "justify": "body"}[block.align]
            story.append(para(_inline(block.spans), styles[key]))
        elif isinstance(block, d.NumberedParagraph):
            indent = INDENT[block.level]
            bullet_indent = 0.0 if block.level == 1 else INDENT[block.level - 1]
            # A bullet label is plain text in one font (no markup): pick one that has it.
            label = fonts.label_text(block.label)
            bullet_font = fonts.BODY if fonts.covers(fonts.BODY, label) else fonts.FALLBACK
            fonts.register(bullet_font)
            style = numbered.get((block.level, bullet_font))
            if style is None:
                style = numbered[block.level, bullet_font] = ParagraphStyle(
                    f"num{block.level}", parent=styles["body"], leftIndent=indent,
                    bulletIndent=bullet_indent, bulletFontName=bullet_font, bulletFontSize=BODY_SIZE)
            bullet = escape(label) if label else None
            story.append(para(_inline(block.spans), style, bullet))
        elif isinstance(block, d.Table):
            story.append(_table(block, styles))
        elif isinstance(block, d.SignatureBlock):
            story.append(_signature(block, styles))
        elif isinstance(block, d.PageBreak):
            story.append(PageBreak())
    return story


def _fonts_used(doc: d.Document) -> set[str]:
    """The Carlito faces the document's styles and spans call for (the fallback
    font registers itself when markup() or covers() first needs it)."""
    used = {fonts.BODY, fonts.BOLD}
    for block in doc.blocks:
        if isinstance(block, d.Heading) and block.level == 3:
            used.add(fonts.BOLD_ITALIC)
        for span in getattr(block, "spans", ()):
            if span.italic:  # in a bold style too
                used.update((fonts.ITALIC, fonts.BOLD_ITALIC))
    return used


def render_pdf(doc: d.Document, path: Path) -> None:
    """Write the PDF to ``path`` (the caller makes the write atomic)."""
    fonts.register(*_fonts_used(doc))
    template = BaseDocTemplate(
        str(path), pagesize=A4, leftMargin=MARGIN_L, rightMargin=MARGIN_R, topMargin=MARGIN_T,
        bottomMargin=MARGIN_B, title=doc.title, author=doc.author, subject=doc.subject,
        keywords=doc.keywords, creator="DPA Desktop", invariant=1, lang="nl-NL",
    )
    frame = Frame(MARGIN_L, MARGIN_B, FRAME_W, PAGE_H - MARGIN_T - MARGIN_B, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    template.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    class Canvas_(_NumberedCanvas):
        header_text = doc.header

    with line_cache.keeping(doc.private):
        template.build(_story(doc), canvasmaker=Canvas_)
