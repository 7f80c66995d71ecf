"""Fill one form: answers in, DOCX and PDF out, written atomically.

The one entry point the CLI and the GUI share, so both produce the same files.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from dpa_desktop import collector, platform
from dpa_desktop.answers import Answers
from dpa_desktop.assemble import build_document, output_name
from dpa_desktop.document import Document
from dpa_desktop.forms.model import FormSpec

if TYPE_CHECKING:
    from dpa_desktop.docx_worker import DocxWorker


class FillResult(msgspec.Struct, frozen=True):
    name: str
    docx: Path
    pdf: Path
    document: Document


def _docx_bytes(doc: Document) -> bytes:
    from dpa_desktop.render.docx import render_docx

    buffer = io.BytesIO()
    render_docx(doc, buffer)
    return buffer.getvalue()


def _pdf_bytes(doc: Document) -> bytes:
    from dpa_desktop.render.pdf import render_pdf

    with tempfile.TemporaryDirectory(prefix="dpa-") as tmp:
        pdf_path = Path(tmp) / "out.pdf"
        render_pdf(doc, pdf_path)
        return pdf_path.read_bytes()


def render_bytes(doc: Document) -> tuple[bytes, bytes]:
    """DOCX and PDF of a document as bytes; the collector is paused (≈ 5 % of a warm render)."""
    with collector.paused():
        return _docx_bytes(doc), _pdf_bytes(doc)


def fill(spec: FormSpec, answers: Answers, out_dir: Path, *, worker: DocxWorker | None = None) -> FillResult:
    """Validate, assemble and render; raises AnswersInvalid before writing anything.

    With a ``worker`` (the CLI's), the DOCX is rendered there while this
    process renders the PDF; whatever the worker does not deliver is rendered
    here.
    """
    doc = build_document(spec, answers)
    name = output_name(spec, answers)
    if worker is not None:
        worker.send(doc)
    with collector.paused():
        pdf_bytes = _pdf_bytes(doc)
        docx_bytes = worker.receive() if worker is not None else None
        if docx_bytes is None:
            docx_bytes = _docx_bytes(doc)
    out_dir.mkdir(parents=True, exist_ok=True)
    docx_path = out_dir / f"{name}.docx"
    pdf_path = out_dir / f"{name}.pdf"
    platform.atomic_write(docx_path, docx_bytes)
    platform.atomic_write(pdf_path, pdf_bytes)
    return FillResult(name=name, docx=docx_path, pdf=pdf_path, document=doc)
