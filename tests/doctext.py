"""Read generated documents back as a reader sees them: paragraphs and lines.

DOCX: every paragraph of the body in order (table cells included), a ``w:br``
as a newline. PDF: the lines of every page as pypdf extracts them.
"""

from __future__ import annotations

from pathlib import Path


def docx_paragraphs(path: Path) -> list[str]:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(path))
    out: list[str] = []
    for el in document.element.body.iter(qn("w:p")):
        pieces = []
        for node in el.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
            if node.tag == qn("w:t"):
                pieces.append(node.text or "")
            elif node.tag == qn("w:tab"):
                pieces.append("\t")
            else:
                pieces.append("\n")
        out.append("".join(pieces))
    return out


def pdf_lines(path: Path) -> list[str]:
    from pypdf import PdfReader

    lines: list[str] = []
    for page in PdfReader(str(path)).pages:
        lines += (page.extract_text() or "").splitlines()
    return lines
