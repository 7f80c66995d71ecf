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
import io
import zipfile
from pathlib import Path
from typing import IO, Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor

from dpa_desktop import document as d
from dpa_desktop import paths
from dpa_desktop.render.docx_body import RULE, STYLES, body_xml, style_id

FONT = "Calibri"
INK = RGBColor(0x1A, 0x1A, 0x1A)
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
MUTED = RGBColor(0x5B, 0x66, 0x73)
# Hanging indents per level, matching the PDF (points).
INDENT = {1: 30.0, 2: 52.0, 3: 72.0}



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


def _setup_page(document: Any) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Cm(21.0)
    section.page_height = Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = Cm(2.4)
    section.bottom_margin = Cm(2.2)
    section.header_distance = Cm(1.1)
    section.footer_distance = Cm(0.9)
    # The header part first (its text is each document's own), as Word orders them.
    section.header.is_linked_to_previous = False
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Pagina ")
    _add_field(footer, "PAGE")
    footer.add_run(" van ")
    _add_field(footer, "NUMPAGES")


def _set_header(document: Any, text: str) -> None:
    header = document.sections[0].header.paragraphs[0]
    header.text = text
    if text:
        _bottom_border(header, RULE, 4)


def build_template() -> bytes:
    """The styled, empty agreement every DOCX starts from (``resources/docx``).

    Setting up the Word styles through python-docx takes longer than writing the
    whole body, so it is done once here and the result shipped; a test checks
    that the shipped file is what this function makes. Rebuild it after a style
    change with ``python -m dpa_desktop.render.docx``.
    """
    document = docx.Document()
    _setup_styles(document)
    _setup_page(document)
    _prune_styles(document)
    props = document.core_properties
    props.title = props.subject = props.author = props.keywords = props.last_modified_by = ""
    props.comments = "Gemaakt met DPA Desktop"
    # Fixed, so the template builds to the same bytes; every document gets its own time.
    props.created = props.modified = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return _stable_zip(buffer.getvalue())


_STYLE_REFS = tuple(qn(t) for t in ("w:pStyle", "w:rStyle", "w:tblStyle", "w:numStyleLink", "w:styleLink"))
_STYLE_LINKS = tuple(qn(t) for t in ("w:basedOn", "w:next", "w:link"))


def _prune_styles(document: Any) -> None:
    """Keep only the styles an agreement can use, and drop stylesWithEffects.

    python-docx's default template defines about 160 styles (a 352 kB
    styles.xml) and carries a 438 kB stylesWithEffects.xml copy for Word 2010;
    every DOCX parsed, wrote and compressed both again, ≈ 15 ms of each. Kept:
    the styles the body writer names (``docx_body.STYLES``), every style
    another part of the template names, the defaults, and whatever those are
    based on, followed by or linked to. Word's latent style table stays, so
    Word offers its built-in styles as always.
    """
    styles = document.styles.element
    by_id = {el.get(qn("w:styleId")): el for el in styles.findall(qn("w:style"))}
    wanted = {style_id(name) for name in STYLES}
    wanted |= {sid for sid, el in by_id.items() if el.get(qn("w:default")) == "1"}
    for part in document.part.package.iter_parts():
        element = getattr(part, "element", None)
        if element is None or element is styles:
            continue
        wanted |= {ref.get(qn("w:val")) for ref in element.iter(*_STYLE_REFS)}
    todo = list(wanted)
    while todo:
        style = by_id.get(todo.pop())
        if style is None:  # named but not defined here: nothing to follow
            continue
        for link in style.iterchildren(*_STYLE_LINKS):
            if (target := link.get(qn("w:val"))) not in wanted:
                wanted.add(target)
                todo.append(target)
    for sid, style in by_id.items():
        if sid not in wanted:
            styles.remove(style)
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rid)


def _stable_zip(data: bytes) -> bytes:
    """The same parts with a fixed timestamp, so the same template gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info))
    return out.getvalue()


def template_path() -> Path:
    return paths.resources_dir() / "docx" / "template.docx"


def _text_width(document: Any) -> Emu:
    section = document.sections[0]
    return Emu(section.page_width - section.left_margin - section.right_margin)


# python-docx refuses a core property (title, subject, author) longer than this.
PROPERTY_LIMIT = 255


def _property(text: str) -> str:
    """A document property within python-docx's limit; a 300-character organisation name in the
    subject is cut with an ellipsis there (the document's own text prints it whole)."""
    return text if len(text) <= PROPERTY_LIMIT else text[: PROPERTY_LIMIT - 1].rstrip() + "…"


def render_docx(doc: d.Document, path: Path | IO[bytes]) -> None:
    """Write the DOCX to ``path`` or a binary stream (the caller makes a file write atomic)."""
    template = template_path()
    document = docx.Document(str(template) if template.is_file() else io.BytesIO(build_template()))
    _set_header(document, doc.header)
    props = document.core_properties
    props.title = _property(doc.title)
    props.subject = _property(doc.subject)
    props.author = _property(doc.author)
    props.keywords = _property(doc.keywords)
    props.last_modified_by = _property(doc.author)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    props.created = now
    props.modified = now
    # The body: written as WordprocessingML in one go (docx_body.py), placed
    # before the section properties of the template.
    body = document.element.body
    section_props = body.sectPr
    width = _text_width(document)
    for element in parse_xml(body_xml(doc, int(width / 635))):
        section_props.addprevious(element)
    document.save(path if not isinstance(path, Path) else str(path))


if __name__ == "__main__":
    template_path().parent.mkdir(parents=True, exist_ok=True)
    template_path().write_bytes(build_template())
    print(template_path())
