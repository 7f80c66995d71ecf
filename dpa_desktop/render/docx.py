"""Render the document model to DOCX with python-docx.

The DOCX is what the processor receives and may edit, so it uses real Word
styles (Title, Heading 1-3, custom clause styles with hanging indents), a
footer made of PAGE and NUMPAGES fields, table header rows marked to repeat,
and document properties. Clause numbers are printed text, not Word list
numbering: Word's automatic numbering renumbers when a clause is edited or
pasted and is lost on export (seed 001 shows exactly that), while the legal
text must keep the numbers both parties signed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor

from dpa_desktop import document as d

FONT = "Calibri"
INK = RGBColor(0x1A, 0x1A, 0x1A)
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
MUTED = RGBColor(0x5B, 0x66, 0x73)
HEADER_FILL = "E8EDF3"
RULE = "9AA5B1"
# Hanging indents per level, matching the PDF (points).
INDENT = {1: 30.0, 2: 52.0, 3: 72.0}

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def _set_font(style: Any, size: float, *, bold: bool = False, italic: bool = False,
              color: RGBColor = INK) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.color.rgb = color
    # East-Asian and complex-script slots too, or Word falls back per script.
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _setup_styles(document: Any) -> None:
    styles = document.styles
    normal = styles["Normal"]
    _set_font(normal, 10.5)
    normal.paragraph_format.space_after = Pt(5)
    normal.paragraph_format.line_spacing = 1.08

    title = styles["Title"]
    _set_font(title, 20, bold=True, color=ACCENT)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(4)
    # The default Title style draws a bottom border; a contract title does not need it.
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)

    subtitle = styles["Subtitle"]
    _set_font(subtitle, 12, color=MUTED)
    subtitle.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.paragraph_format.space_after = Pt(14)

    for level, size, before in ((1, 12.5, 12), (2, 11, 8), (3, 10.5, 6)):
        heading = styles[f"Heading {level}"]
        _set_font(heading, size, bold=True, italic=level == 3, color=ACCENT if level == 1 else INK)
        heading.paragraph_format.space_before = Pt(before)
        heading.paragraph_format.space_after = Pt(5 if level == 1 else 4)
        heading.paragraph_format.keep_with_next = True

    for level, indent in INDENT.items():
        clause = styles.add_style(f"Clause {level}", WD_STYLE_TYPE.PARAGRAPH)
        clause.base_style = normal
        clause.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        clause.paragraph_format.left_indent = Pt(indent)
        hang = indent - (0 if level == 1 else INDENT[level - 1])
        clause.paragraph_format.first_line_indent = Pt(-hang)
        clause.paragraph_format.tab_stops.add_tab_stop(Pt(indent))

    cell = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    _set_font(cell, 9)
    cell.paragraph_format.space_after = Pt(0)
    cell.paragraph_format.line_spacing = 1.0

    small = styles.add_style("Small Text", WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = normal
    _set_font(small, 9)

    for name in ("Header", "Footer"):
        _set_font(styles[name], 8.5, color=MUTED)


def _add_field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice update when shown."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run._r.append(sep)
    paragraph.add_run("1")
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)


def _bottom_border(paragraph: Any, color: str = "1A1A1A", size: int = 6) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(size))
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), color)
    borders.append(bottom)
    # Schema order matters to Word (not to LibreOffice): pBdr before these.
    ppr.insert_element_before(borders, *_AFTER_PBDR)


def _setup_page(document: Any, doc: d.Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Cm(21.0)
    section.page_height = Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = Cm(2.4)
    section.bottom_margin = Cm(2.2)
    section.header_distance = Cm(1.1)
    section.footer_distance = Cm(0.9)
    header = section.header.paragraphs[0]
    header.text = doc.header
    if doc.header:
        _bottom_border(header, RULE, 4)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Pagina ")
    _add_field(footer, "PAGE")
    footer.add_run(" van ")
    _add_field(footer, "NUMPAGES")


def _run(paragraph: Any, text: str, *, bold: bool = False, italic: bool = False) -> None:
    """Append a run as plain XML.

    python-docx's ``add_run`` inspects every character for tabs and breaks,
    which was a third of the rendering time; model text holds neither (the
    sanitiser and the cell splitter removed them), except a label's tab.
    """
    run = OxmlElement("w:r")
    if bold or italic:
        rpr = OxmlElement("w:rPr")
        if bold:
            rpr.append(OxmlElement("w:b"))
        if italic:
            rpr.append(OxmlElement("w:i"))
        run.append(rpr)
    parts = text.split("\t")
    for i, part in enumerate(parts):
        if i:
            run.append(OxmlElement("w:tab"))
        if part:
            t = OxmlElement("w:t")
            t.text = part
            t.set(qn("xml:space"), "preserve")
            run.append(t)
    paragraph._p.append(run)


def _add_spans(paragraph: Any, spans: d.Inline) -> None:
    for span in spans:
        if span.text:
            _run(paragraph, span.text, bold=span.bold, italic=span.italic)


class _Styles:
    """Style ids resolved once: python-docx looks a style name up by scanning every
    style on each use, which made rendering several times slower."""

    def __init__(self, document: Any) -> None:
        self._document = document
        self._ids: dict[str, str] = {}

    def apply(self, paragraph: Any, name: str) -> None:
        sid = self._ids.get(name)
        if sid is None:
            sid = self._ids[name] = self._document.styles[name].style_id
        paragraph._p.get_or_add_pPr().style = sid

    def add(self, container: Any, name: str | None, text: str = "") -> Any:
        paragraph = container.add_paragraph()
        if text:
            _run(paragraph, text)
        if name is not None:
            self.apply(paragraph, name)
        return paragraph


def _cell_text(styles: _Styles, cell: Any, text: str, *, bold: bool = False) -> None:
    lines = text.split("\n")
    first = cell.paragraphs[0]
    styles.apply(first, "Table Text")
    _run(first, lines[0], bold=bold)
    for line in lines[1:]:
        para = styles.add(cell, "Table Text")
        _run(para, line, bold=bold)


def _shade(cell: Any, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tcpr.append(shading)


def _mark_header_row(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _no_split(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def _table_borders(table: Any, color: str, visible: bool = True) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single" if visible else "nil")
        if visible:
            el.set(qn("w:sz"), "4")
            el.set(qn("w:color"), color)
        borders.append(el)
    tblpr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def _column_widths(table: Any, widths: list[float], total: Emu) -> None:
    scale = total / sum(widths)
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=False):
            cell.width = Emu(int(w * scale))
    for col, w in zip(table.columns, widths, strict=False):
        col.width = Emu(int(w * scale))


def _text_width(document: Any) -> Emu:
    section = document.sections[0]
    return Emu(section.page_width - section.left_margin - section.right_margin)


def _table(document: Any, styles: _Styles, table: d.Table) -> None:
    columns = table.column_count
    rows = ([table.header] if table.header is not None else []) + list(table.rows)
    grid = document.add_table(rows=len(rows), cols=columns)
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    grid.autofit = False
    _table_borders(grid, RULE)
    for r, row in enumerate(rows):
        padded = list(row) + [""] * (columns - len(row))
        is_header = table.header is not None and r == 0
        for c, text in enumerate(padded[:columns]):
            cell = grid.rows[r].cells[c]
            _cell_text(styles, cell, text, bold=is_header)
            if is_header:
                _shade(cell, HEADER_FILL)
        if is_header:
            _mark_header_row(grid.rows[r])
    widths = list(table.widths) if len(table.widths) == columns else [1.0] * columns
    _column_widths(grid, widths, _text_width(document))
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(2)


def _signature(document: Any, styles: _Styles, block: d.SignatureBlock) -> None:
    if block.intro:
        intro = styles.add(document, None, block.intro)
        intro.paragraph_format.keep_with_next = True
        intro.paragraph_format.space_before = Pt(10)
    parties = block.parties
    grid = document.add_table(rows=1, cols=len(parties))
    grid.autofit = False
    _table_borders(grid, RULE, visible=False)
    _no_split(grid.rows[0])
    for party, cell in zip(parties, grid.rows[0].cells, strict=True):
        head = cell.paragraphs[0]
        head.add_run(party.party).bold = True
        head.paragraph_format.keep_with_next = True
        for f in party.fields:
            para = cell.add_paragraph()
            para.paragraph_format.keep_with_next = True
            para.paragraph_format.space_after = Pt(3)
            if f.write_line:
                para.add_run(f"{f.label}:")
                line = cell.add_paragraph()
                line.paragraph_format.space_before = Pt(22 if "andtekening" in f.label else 10)
                line.paragraph_format.right_indent = Pt(18)
                line.paragraph_format.keep_with_next = True
                _bottom_border(line)
            else:
                para.add_run(f"{f.label}: {f.value}" if f.value else f"{f.label}:")
    _column_widths(grid, [1.0] * len(parties), _text_width(document))


def render_docx(doc: d.Document, path: Path) -> None:
    """Write the DOCX to ``path`` (the caller makes the write atomic)."""
    document = docx.Document()
    _setup_styles(document)
    _setup_page(document, doc)
    props = document.core_properties
    props.title = doc.title
    props.subject = doc.subject
    props.author = doc.author
    props.keywords = doc.keywords
    props.last_modified_by = doc.author
    props.comments = "Gemaakt met DPA Desktop"
    # The template's own dates are from 2013; Word shows these in File > Info.
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    props.created = now
    props.modified = now
    props.revision = 1
    styles = _Styles(document)
    pending_break = False
    for block in doc.blocks:
        if isinstance(block, d.PageBreak):
            pending_break = True
            continue
        para: Any = None
        if isinstance(block, d.Title):
            para = styles.add(document, "Title", block.text)
            if block.subtitle:
                styles.add(document, "Subtitle", block.subtitle)
        elif isinstance(block, d.Heading):
            para = styles.add(document, f"Heading {block.level}", block.text)
        elif isinstance(block, d.Paragraph):
            para = styles.add(document, "Small Text" if block.small else None)
            para.alignment = _ALIGN[block.align]
            _add_spans(para, block.spans)
        elif isinstance(block, d.NumberedParagraph):
            para = styles.add(document, f"Clause {block.level}")
            if block.label:
                _run(para, f"{block.label}\t")
            else:
                para.paragraph_format.first_line_indent = Pt(0)
            _add_spans(para, block.spans)
        elif isinstance(block, d.Table):
            if pending_break:
                document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
                pending_break = False
            _table(document, styles, block)
        elif isinstance(block, d.SignatureBlock):
            _signature(document, styles, block)
        if para is not None and pending_break:
            para.paragraph_format.page_break_before = True
            pending_break = False
    document.save(str(path))
