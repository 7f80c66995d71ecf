"""Fill one form: answers in, DOCX and PDF out, written atomically.

The one entry point the CLI and the GUI share, so both produce the same files.
Both documents are rendered in memory: nothing derived from the answers is
written anywhere but the chosen output folder.
"""

from __future__ import annotations

import io
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
    """DOCX and PDF of a document as bytes."""
    from dpa_desktop.render.docx import render_docx
    from dpa_desktop.render.pdf import render_pdf

    docx_buffer = io.BytesIO()
    render_docx(doc, docx_buffer)
    pdf_buffer = io.BytesIO()
    render_pdf(doc, pdf_buffer)
    return docx_buffer.getvalue(), pdf_buffer.getvalue()


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
