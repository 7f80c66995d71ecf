"""The DOCX body as WordprocessingML text, parsed once.

python-docx's element API (a property object per setting, a lookup per child)
made the body most of the DOCX rendering time; the body is regular enough to
write directly. Every property element is written in the schema order Word
insists on (tests/test_docx_schema_order.py checks it). Styles, page set-up,
header and footer stay with python-docx in docx.py.
"""

from __future__ import annotations

from dpa_desktop import document as d
from dpa_desktop.text import xml_escape as escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEADER_FILL = "E8EDF3"
RULE = "9AA5B1"
_JC = {"left": "left", "center": "center", "justify": "both"}


def _twips(points: float) -> int:
    return round(points * 20)


# Every paragraph style a body can name (the form model allows heading and
# clause levels 1-3); the template keeps these and drops the rest.
STYLES = ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Clause 1", "Clause 2", "Clause 3",
          "Small Text", "Table Text")


def style_id(name: str) -> str:
    """Word's style id for a style name, as python-docx assigns it ("Heading 1" -> "Heading1")."""
    return name.replace(" ", "")


def _run(text: str, *, bold: bool = False, italic: bool = False) -> str:
    """A run; a tab is a ``w:tab`` and a line break a ``w:br`` (in a ``w:t`` Word shows them as spaces)."""
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    out = ["<w:r>"]
    if props:
        out.append(f"<w:rPr>{props}</w:rPr>")
    for j, line in enumerate(text.split("\n")):
        if j:
            out.append("<w:br/>")
        for i, part in enumerate(line.split("\t")):
            if i:
                out.append("<w:tab/>")
            if part:
                out.append(f'<w:t xml:space="preserve">{escape(part)}</w:t>')
    out.append("</w:r>")
    return "".join(out)


def _para(runs: str, *, style: str | None = None, keep_next: bool = False, page_break: bool = False,
          border_bottom: bool = False, before: float | None = None, after: float | None = None,
          first_line_zero: bool = False, right: float | None = None, jc: str | None = None) -> str:
    props = []
    if style:
        props.append(f'<w:pStyle w:val="{style_id(style)}"/>')
    if keep_next:
        props.append("<w:keepNext/>")
    if page_break:
        props.append("<w:pageBreakBefore/>")
    if border_bottom:
        props.append('<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="1A1A1A"/></w:pBdr>')
    if before is not None or after is not None:
        attrs = (f' w:before="{_twips(before)}"' if before is not None else "") + (
            f' w:after="{_twips(after)}"' if after is not None else "")
        props.append(f"<w:spacing{attrs}/>")
    if first_line_zero or right is not None:
        attrs = (' w:firstLine="0"' if first_line_zero else "") + (
            f' w:right="{_twips(right)}"' if right is not None else "")
        props.append(f"<w:ind{attrs}/>")
    if jc:
        props.append(f'<w:jc w:val="{jc}"/>')
    ppr = f"<w:pPr>{''.join(props)}</w:pPr>" if props else ""
    return f"<w:p>{ppr}{runs}</w:p>"


def _spans(spans: d.Inline) -> str:
    return "".join(_run(s.text, bold=s.bold, italic=s.italic) for s in spans if s.text)


def _borders(visible: bool) -> str:
    edges = ("top", "left", "bottom", "right", "insideH", "insideV")
    if visible:
        return "<w:tblBorders>" + "".join(
            f'<w:{e} w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>' for e in edges) + "</w:tblBorders>"
    return "<w:tblBorders>" + "".join(f'<w:{e} w:val="nil"/>' for e in edges) + "</w:tblBorders>"


def _table_start(widths: list[int], *, visible: bool) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="left"/>'
            f'{_borders(visible)}<w:tblLayout w:type="fixed"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
            f'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>')


def _cell(width: int, paragraphs: str, *, fill: str | None = None) -> str:
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>{paragraphs}</w:tc>'


def _widths(relative: tuple[float, ...], columns: int, total: int) -> list[int]:
    rel = list(relative) if len(relative) == columns else [1.0] * columns
    scale = total / sum(rel)
    return [int(w * scale) for w in rel]


def _table(table: d.Table, total: int) -> str:
    columns = table.column_count
    widths = _widths(table.widths, columns, total)
    out = [_table_start(widths, visible=True)]
    rows = ([table.header] if table.header is not None else []) + list(table.rows)
    for r, row in enumerate(rows):
        is_header = table.header is not None and r == 0
        out.append("<w:tr><w:trPr><w:tblHeader/></w:trPr>" if is_header else "<w:tr>")
        padded = (list(row) + [""] * columns)[:columns]
        for text, width in zip(padded, widths, strict=True):
            paras = "".join(_para(_run(line, bold=is_header), style="Table Text") for line in text.split("\n"))
            out.append(_cell(width, paras, fill=HEADER_FILL if is_header else None))
        out.append("</w:tr>")
    out.append("</w:tbl>")
    out.append(_para("", after=2))
    return "".join(out)


def _signature(block: d.SignatureBlock, total: int) -> str:
    out = []
    if block.intro:
        out.append(_para(_run(block.intro), keep_next=True, before=10))
    widths = _widths((), len(block.parties), total)
    out.append(_table_start(widths, visible=False))
    out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
    for party, width in zip(block.parties, widths, strict=True):
        paras = [_para(_run(party.party, bold=True), keep_next=True)]
        for f in party.fields:
            if f.write_line:
                paras.append(_para(_run(f.label), keep_next=True, after=3))
                paras.append(_para("", keep_next=True, border_bottom=True,
                                   before=22 if "andtekening" in f.label else 10, right=18))
            else:
                paras.append(_para(_run(f.text), keep_next=True, after=3))
        out.append(_cell(width, "".join(paras)))
    out.append("</w:tr></w:tbl>")
    return "".join(out)


def body_xml(doc: d.Document, text_width_twips: int) -> str:
    """The body's blocks as one ``<w:body>`` element (without its section properties)."""
    out = [f'<w:body xmlns:w="{W_NS}">']
    pending_break = False
    for block in doc.blocks:
        if isinstance(block, d.PageBreak):
            pending_break = True
            continue
        brk = pending_break
        if isinstance(block, d.Title):
            out.append(_para(_run(block.text), style="Title", page_break=brk))
            if block.subtitle:
                out.append(_para(_run(block.subtitle), style="Subtitle"))
        elif isinstance(block, d.Heading):
            out.append(_para(_run(block.text), style=f"Heading {block.level}", page_break=brk))
        elif isinstance(block, d.Paragraph):
            out.append(_para(_spans(block.spans), style="Small Text" if block.small else None,
                             page_break=brk, jc=_JC[block.align]))
        elif isinstance(block, d.NumberedParagraph):
            label = _run(f"{block.label}\t") if block.label else ""
            out.append(_para(label + _spans(block.spans), style=f"Clause {block.level}", page_break=brk,
                             first_line_zero=not block.label))
        elif isinstance(block, d.Table):
            if brk:
                out.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
            out.append(_table(block, text_width_twips))
        elif isinstance(block, d.SignatureBlock):
            if brk:
                out.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
            out.append(_signature(block, text_width_twips))
        pending_break = False
    out.append("</w:body>")
    return "".join(out)
