"""Fill one form: answers in, DOCX and PDF out, written atomically.

The one entry point the CLI and the GUI share, so both produce the same files.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import msgspec

from dpa_desktop import platform
from dpa_desktop.answers import Answers
from dpa_desktop.assemble import build_document, output_name
from dpa_desktop.document import Document
from dpa_desktop.forms.model import FormSpec


class FillResult(msgspec.Struct, frozen=True):
    name: str
    docx: Path
    pdf: Path
    document: Document


def render_bytes(doc: Document) -> tuple[bytes, bytes]:
    """DOCX and PDF of a document as bytes (renderers write files; read them back)."""
    from dpa_desktop.render.docx import render_docx
    from dpa_desktop.render.pdf import render_pdf

    with tempfile.TemporaryDirectory(prefix="dpa-") as tmp:
        docx_path = Path(tmp) / "out.docx"
        pdf_path = Path(tmp) / "out.pdf"
        render_docx(doc, docx_path)
        render_pdf(doc, pdf_path)
        return docx_path.read_bytes(), pdf_path.read_bytes()


def fill(spec: FormSpec, answers: Answers, out_dir: Path) -> FillResult:
    """Validate, assemble and render; raises AnswersInvalid before writing anything."""
    doc = build_document(spec, answers)
    name = output_name(spec, answers)
    docx_bytes, pdf_bytes = render_bytes(doc)
    out_dir.mkdir(parents=True, exist_ok=True)
    docx_path = out_dir / f"{name}.docx"
    pdf_path = out_dir / f"{name}.pdf"
    platform.atomic_write(docx_path, docx_bytes)
    platform.atomic_write(pdf_path, pdf_bytes)
    return FillResult(name=name, docx=docx_path, pdf=pdf_path, document=doc)
