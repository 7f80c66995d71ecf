"""Render the document model to PDF with reportlab's platypus.

The PDF is what gets printed and signed, so it is built for paper: embedded
fonts, "Pagina X van Y" on every page, headings kept with their text, tables
that split with their header repeated, and a signature block never split.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import IO, Any, NamedTuple

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

from dpa_desktop import document as d
from dpa_desktop.render import fonts, scripts
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
HYPHENATION_LANG = "nl_NL"  # a pyphen dictionary name
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
        # Narrow table cells hyphenate Dutch compounds (reportlab asks pyphen)
        # instead of cutting "Gezondheidsinformatie" at an arbitrary letter.
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=11.2, alignment=TA_LEFT,
                               spaceAfter=0, hyphenationLang=HYPHENATION_LANG, hyphenationMinWordLength=12),
        "cell_head": ParagraphStyle("cell_head", parent=base, fontName=fonts.BOLD, fontSize=9,
                                    leading=11.2, alignment=TA_LEFT, spaceAfter=0),
        "sig_party": ParagraphStyle("sig_party", parent=base, fontName=fonts.BOLD,
                                    alignment=TA_LEFT, spaceAfter=6),
        "sig": ParagraphStyle("sig", parent=base, alignment=TA_LEFT, spaceAfter=0),
    }


def para(markup: str, style: ParagraphStyle, bullet: str | None = None) -> Paragraph:
    """A paragraph of reportlab markup."""
    return Paragraph(markup, style, bulletText=bullet)


def text_para(text: str, style: ParagraphStyle) -> Flowable:
    """A paragraph of plain text (escaped, each character in a font that has it)."""
    return inline_para((d.Span(text),), style)


def inline_para(spans: d.Inline, style: ParagraphStyle, bullet: str | None = None) -> Flowable:
    """A paragraph of spans; one holding right-to-left text is laid out for the width it gets."""
    if any(scripts.needs_bidi(span.text) for span in spans):
        return _BidiParagraph(spans, style, bullet)
    return para(_inline(spans), style, bullet)


def _inline(spans: d.Inline, width: float | None = None, size: float = BODY_SIZE) -> str:
    out = []
    glued = 0.0  # width of the unbroken stretch the spans so far end in
    for index, span in enumerate(spans):
        shown = span.text
        if width is not None:
            width_of = _measure(size, span.bold)
            shown = scripts.display(shown, width_of, width, lead=glued, tail=_glue_after(spans[index + 1:], size))
            glued = scripts.trailing_glue(shown, width_of, glued)
        text = fonts.markup(shown)
        if span.bold:
            text = f"<b>{text}</b>"
        if span.italic:
            text = f"<i>{text}</i>"
        out.append(text)
    return "".join(out)


def _glue_after(spans: d.Inline, size: float) -> float:
    """How wide the text is that ``spans`` start with before a line can break (or
    right-to-left text starts)."""
    total = 0.0
    for span in spans:
        glued = scripts.glued_start(span.text)
        total += _measure(size, span.bold)(glued)
        if glued != span.text:
            break
    return total


def _measure(size: float, bold: bool) -> Callable[[str], float]:
    """The printed width of a piece of text in a span of this size and weight."""
    return functools.partial(fonts.width, size=size, bold=bold)


class _BidiParagraph(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A paragraph with Hebrew or Arabic in it, laid out once its width is known.

    Right-to-left runs are put in display order in pieces no wider than the
    line (``scripts.display``), so the paragraph is made only when platypus
    asks for it at a width; it then behaves as that Paragraph.
    """

    def __init__(self, spans: d.Inline, style: ParagraphStyle, bullet: str | None) -> None:
        super().__init__()
        self.spans = spans
        self.style = style
        self.bullet = bullet
        self.keepWithNext = getattr(style, "keepWithNext", 0)
        self._para: Paragraph | None = None
        self._width = -1.0

    def _at(self, avail_width: float) -> Paragraph:
        if self._para is None or self._width != avail_width:
            style = self.style
            line = avail_width - style.leftIndent - style.rightIndent - max(style.firstLineIndent, 0)
            self._para = para(_inline(self.spans, max(line, 1.0), style.fontSize), style, self.bullet)
            self._width = avail_width
        return self._para

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        width, height = self._at(avail_width).wrap(avail_width, avail_height)
        self.width, self.height = width, height
        return width, height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        parts: list[Flowable] = self._at(avail_width).split(avail_width, avail_height)
        return parts

    def draw(self) -> None:
        assert self._para is not None
        self._para.drawOn(self.canv, 0, 0)

    def getSpaceBefore(self) -> float:  # reportlab's name
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:  # reportlab's name
        return float(self.style.spaceAfter)


class _Pages:
    """Draws the running header and "Pagina X van Y" on every page.

    The total is known only when the last page is laid out, so each page
    shows its footer as a form XObject that is drawn later (canvas.doForm:
    "may be defined later"); ``_PageTotals`` at the end of the story defines
    them all.
    """

    def __init__(self, header: str, pagesize: tuple[float, float] = A4,
                 margin_x: float = MARGIN_L) -> None:
        self.header = header
        self.count = 0
        self.width, self.height = pagesize
        self.margin_x = margin_x

    def __call__(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        self.count = canvas.getPageNumber()
        left, right = self.margin_x, self.width - self.margin_x
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        if self.header:
            flowable, extra = header_flowable(self.header, right - left)
            rule = self.height - 15.5 * mm - extra
            flowable.drawOn(canvas, left, rule + 1.5 * mm - HEADER_DESCENT)
            canvas.line(left, rule, right, rule)
        canvas.line(left, 14.5 * mm, right, 14.5 * mm)
        canvas.doForm(_footer_form(self.count))
        canvas.restoreState()


HEADER_STYLE = ParagraphStyle("header", fontName=fonts.BODY, fontSize=8.5, leading=10.5, textColor=MUTED,
                              alignment=TA_LEFT)
# How far the last line's baseline sits above the paragraph's bottom edge.
HEADER_DESCENT = HEADER_STYLE.leading - HEADER_STYLE.fontSize


def header_flowable(header: str, width: float = FRAME_W) -> tuple[Flowable, float]:
    """The running header wrapped to the text width, and how much taller than one line it is.

    One line sits where it always did (its baseline 14 mm from the top); every
    further line moves the rule and the text frame down by a line.
    """
    flowable = text_para(header, HEADER_STYLE)
    _, height = flowable.wrap(width, PAGE_H)
    return flowable, max(height - HEADER_STYLE.leading, 0.0)


def _footer_form(page: int) -> str:
    return f"pagina{page}"


class _PageTotals(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """The story's last flowable: once drawn, every page is known, and each
    page's "Pagina X van Y" form is defined."""

    def __init__(self, right: float = PAGE_W - MARGIN_R) -> None:
        super().__init__()
        self.width = self.height = 0
        self.right = right  # where the footer ends, from the page's left edge

    def draw(self) -> None:
        canvas = self.canv
        total = canvas.getPageNumber()
        for page in range(1, total + 1):
            canvas.beginForm(_footer_form(page))
            canvas.setFillColor(MUTED)
            canvas.setFont(fonts.BODY, 8.5)
            canvas.drawRightString(self.right, 10 * mm, f"Pagina {page} van {total}")
            canvas.endForm()


def _table(table: d.Table, styles: dict[str, ParagraphStyle]) -> Table:
    columns = table.column_count
    widths = list(table.widths) if len(table.widths) == columns else [1.0] * columns
    scale = FRAME_W / sum(widths)
    col_widths = [w * scale for w in widths]
    cell = styles["cell"] if table.small or columns > 2 else styles["body_left"]
    head = styles["cell_head"]

    data: list[list[Flowable]] = []
    if table.header is not None:
        data.append([text_para(t, head) for t in table.header])
    for row in table.rows:
        padded = list(row) + [""] * (columns - len(row))
        data.append([text_para(t, cell) for t in padded[:columns]])
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
            if f.write_line:
                cells.append(text_para(f.label, styles["sig"]))
                cells.append(_WriteLine(col_w - 18, 30 if "andtekening" in f.label else 16))
            else:
                cells.append(text_para(f.text, styles["sig"]))
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
            story.append(inline_para(block.spans, styles[key]))
        elif isinstance(block, d.NumberedParagraph):
            indent = INDENT[block.level]
            bullet_indent = 0.0 if block.level == 1 else INDENT[block.level - 1]
            # A bullet label is plain text in one font (no markup): pick one that has it.
            label = fonts.label_text(block.label)
            bullet_font = fonts.bullet_font(label)
            style = numbered.get((block.level, bullet_font))
            if style is None:
                style = numbered[block.level, bullet_font] = ParagraphStyle(
                    f"num{block.level}", parent=styles["body"], leftIndent=indent,
                    bulletIndent=bullet_indent, bulletFontName=bullet_font, bulletFontSize=BODY_SIZE)
            bullet = escape(label) if label else None
            story.append(inline_para(block.spans, style, bullet))
        elif isinstance(block, d.Table):
            story.append(_table(block, styles))
        elif isinstance(block, d.SignatureBlock):
            story.append(_signature(block, styles))
        elif isinstance(block, d.PageBreak):
            story.append(PageBreak())
    return story


class PdfInfo(NamedTuple):
    """The document properties a PDF viewer shows."""

    title: str
    subject: str = ""
    author: str = "DPA Desktop"
    keywords: str = ""


def build_pdf(out: IO[bytes], story: list[Flowable], info: PdfInfo, *, header: str = "",
              frame_top: float = MARGIN_T, pagesize: tuple[float, float] = A4,
              margin_x: float = MARGIN_L, italic: bool = True) -> None:
    """Lay out a story with the running header and "Pagina X van Y" into ``out``.

    The page is A4 portrait unless ``pagesize`` says otherwise (the register
    overview is A4 landscape, ``reportlab.lib.pagesizes.landscape(A4)``);
    ``margin_x`` is the left and right margin, the frame width is what is left
    (``frame_width``). ``invariant`` makes the same story give the same bytes,
    so a stored SHA-256 means something. ``italic`` False says the story
    prints nothing in Carlito's italic faces, so they need not be loaded.
    """
    fonts.register_fonts(italic=italic)
    page_w, page_h = pagesize
    if header:
        frame_top += header_flowable(header, page_w - 2 * margin_x)[1]
    template = BaseDocTemplate(
        out, pagesize=pagesize, leftMargin=margin_x, rightMargin=margin_x, topMargin=frame_top,
        bottomMargin=MARGIN_B, title=info.title, author=info.author, subject=info.subject,
        keywords=info.keywords, creator="DPA Desktop", invariant=1, lang="nl-NL",
        # The canvas's first font is Helvetica unless told, which would be referenced unembedded.
        initialFontName=fonts.BODY, initialFontSize=BODY_SIZE,
    )
    frame = Frame(margin_x, MARGIN_B, frame_width(pagesize, margin_x),
                  page_h - frame_top - MARGIN_B, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    template.addPageTemplates([PageTemplate(id="page", frames=[frame],
                                            onPageEnd=_Pages(header, pagesize, margin_x))])
    template.build([*story, _PageTotals(page_w - margin_x)])


def frame_width(pagesize: tuple[float, float] = A4, margin_x: float = MARGIN_L) -> float:
    """The width text and tables have on a page of ``build_pdf``."""
    return pagesize[0] - 2 * margin_x


def render_pdf(doc: d.Document, out: IO[bytes]) -> None:
    """Write the agreement's PDF to the binary stream ``out``."""
    info = PdfInfo(title=doc.title, subject=doc.subject, author=doc.author, keywords=doc.keywords)
    build_pdf(out, _story(doc), info, header=doc.header, italic=prints_italic(doc))


def prints_italic(doc: d.Document) -> bool:
    """Whether the PDF has italic text: an italic span, or a level-3 heading (``_styles``)."""
    for block in doc.blocks:
        if isinstance(block, d.Heading) and block.level >= 3:
            return True
        if isinstance(block, d.Paragraph | d.NumberedParagraph) and any(span.italic for span in block.spans):
            return True
    return False
