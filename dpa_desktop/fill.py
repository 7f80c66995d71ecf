"""Fill one form: answers in, DOCX and PDF out, written atomically.

The one entry point the CLI and the GUI share, so both produce the same files.
Both documents are rendered in memory: nothing derived from the answers is
written anywhere but the chosen output folder.
"""

from __future__ import annotations

import errno
import io
from pathlib import Path

import msgspec

from dpa_desktop import platform
from dpa_desktop.answers import Answers
from dpa_desktop.assemble import build_document, output_name
from dpa_desktop.document import Document
from dpa_desktop.errors import OutputError
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
    """Validate, assemble and render; raises AnswersInvalid before writing anything.

    The two documents are written together (``platform.atomic_write_all``): a
    folder that cannot take them raises OutputError in Dutch and leaves no file
    of this fill behind.
    """
    doc = build_document(spec, answers)
    name = output_name(spec, answers, directory=out_dir)
    docx_bytes, pdf_bytes = render_bytes(doc)
    docx_path = out_dir / f"{name}.docx"
    pdf_path = out_dir / f"{name}.pdf"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        platform.atomic_write_all({docx_path: docx_bytes, pdf_path: pdf_bytes})
    except OSError as exc:
        raise OutputError(output_problem(exc, out_dir)) from exc
    return FillResult(name=name, docx=docx_path, pdf=pdf_path, document=doc)


def output_problem(exc: OSError, out_dir: Path) -> str:
    """Why the documents could not be written, in Dutch, with what to do about it."""
    folder = f"'{out_dir}'"
    where = Path(exc.filename) if isinstance(exc.filename, str) else out_dir
    if isinstance(exc, FileExistsError | NotADirectoryError):
        blocker = next((p for p in (out_dir, *out_dir.parents) if p.exists() and not p.is_dir()), None)
        if blocker == out_dir:
            return f"De uitvoermap {folder} is geen map: er staat een bestand met die naam. Kies een andere map."
        if blocker is not None:
            return (f"De uitvoermap {folder} kan niet worden gemaakt: een deel van het pad ('{blocker}') is een "
                    "bestand, geen map. Kies een andere map.")
    if isinstance(exc, IsADirectoryError):
        return (f"In {folder} staat al een map met de naam van het document ('{where.name}'). "
                "Hernoem of verwijder die map, of kies een andere uitvoermap.")
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"Geen toestemming om in {folder} te schrijven (de map is alleen-lezen of het document "
                "is geopend in een ander programma). Sluit het document of kies een andere map.")
    if exc.errno == errno.ENAMETOOLONG:
        return (f"Het pad naar de documenten in {folder} is te lang voor het bestandssysteem. "
                "Kies een map dichter bij de schijf (bijvoorbeeld Documenten).")
    if exc.errno == errno.ENOSPC:
        return f"De schijf van {folder} is vol. Maak ruimte vrij of kies een andere map."
    code = errno.errorcode.get(exc.errno or 0, str(exc.errno))
    return f"De documenten konden niet in {folder} worden geschreven (systeemfout {code}). Kies een andere map."
