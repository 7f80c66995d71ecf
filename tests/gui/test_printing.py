"""Printing: in the background with progress and cancel, copies honoured, 'Afgedrukt' at the end.

No real printer is attached here, so the PDF printer stands in (Qt's
"print to file"); the raster path every other printer takes is driven onto
the same device.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from dpa_desktop.answers import example_answers
from dpa_desktop.fill import fill
from dpa_desktop.forms.loader import load_forms
from dpa_desktop.gui.operations import Progress, ProgressOp
from dpa_desktop.gui.pdf import (
    PdfPane,
    Printed,
    chosen_pages,
    page_sequence,
    print_pdf,
    print_pdf_file,
)


@pytest.fixture(scope="module")
def agreements(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    forms = load_forms()
    out = tmp_path_factory.mktemp("agreements")
    return {form_id: fill(forms.get(form_id), example_answers(forms.get(form_id)), out / form_id).pdf
            for form_id in ("vcare", "infogroen")}


def pdf_printer(target: Path, copies: int, collate: bool = True) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    printer.setCopyCount(copies)
    printer.setCollateCopies(collate)
    return printer


def texts(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def test_the_generated_pdf_is_shown_page_by_page(qtbot: Any, agreements: dict[str, Path]) -> None:
    pane = PdfPane()
    qtbot.addWidget(pane)
    pane.load(agreements["vcare"])
    assert pane.page_count() == len(PdfReader(agreements["vcare"]).pages) == 16


def test_printing_to_a_pdf_printer_runs_in_the_background_and_prints_every_copy(
        qtbot: Any, agreements: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        error_boxes: list[str]) -> None:
    source = agreements["vcare"]
    target = tmp_path / "afgedrukt.pdf"
    asked: dict[str, int] = {}

    def choose_pdf_printer(dialog: QPrintDialog) -> int:
        printer = dialog.printer()
        asked["copies"] = printer.copyCount()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return int(QPrintDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(QPrintDialog, "exec", choose_pdf_printer)
    parent = QWidget()
    qtbot.addWidget(parent)
    op = print_pdf(parent, source, name="Vcare", copies=2)
    assert op is not None
    assert isinstance(op.dialog, QProgressDialog) and op.dialog.windowTitle() == "Afdrukken"
    qtbot.waitUntil(lambda: len(error_boxes) == 1, timeout=30_000)
    assert asked["copies"] == 2, "the dialog opens with the agreement's number of originals"
    assert error_boxes.pop().startswith("De overeenkomst is als PDF opgeslagen (2 exemplaren "
                                        "van 16 pagina's)")
    printed = texts(target)
    assert len(printed) == 32
    assert printed[:16] == printed[16:] == texts(source), "two collated copies, word for word"
    # Vectors: the agreement's own fonts, no page images.
    page = PdfReader(target).pages[20]
    assert not page.images
    assert page["/Resources"]["/Font"]
    assert target.stat().st_size < 2 * source.stat().st_size


def test_every_other_printer_gets_pages_rendered_at_300_dpi_with_each_copy(
        qtbot: Any, agreements: dict[str, Path], tmp_path: Path) -> None:
    source = agreements["infogroen"]
    count = len(PdfReader(source).pages)
    target = tmp_path / "gerasterd.pdf"
    printer = pdf_printer(target, copies=2, collate=False)
    outcome = print_pdf_file(source, printer, Progress(), raster=True)
    assert outcome == Printed(pages=count, copies=2, to_file=str(target),
                              printer=printer.printerName(), seconds=outcome.seconds)
    reader = PdfReader(target)
    assert len(reader.pages) == 2 * count
    first, again, second = (reader.pages[i].images[0] for i in (0, 1, 2))
    assert first.image is not None and first.image.size == (2480, 3508), "A4 at 300 dpi"
    # Not collated: 1 1 2 2 …, the repeated page drawn from the same image.
    assert first.indirect_reference == again.indirect_reference != second.indirect_reference
    # White paper, black ink (QtPdf renders a transparent page).
    assert first.image.convert("L").getpixel((5, 5)) == 255
    assert first.image.convert("L").getextrema()[0] < 60


def test_a_page_range_and_the_order_of_copies(qtbot: Any) -> None:
    printer = QPrinter()
    assert chosen_pages(printer, 5) == [0, 1, 2, 3, 4]
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert chosen_pages(printer, 5) == [1, 2]
    assert page_sequence([0, 1, 2], 2, collate=True) == [0, 1, 2, 0, 1, 2]
    assert page_sequence([0, 1, 2], 2, collate=False) == [0, 0, 1, 1, 2, 2]


def test_cancel_stops_printing_without_an_afgedrukt_message(
        qtbot: Any, agreements: dict[str, Path], tmp_path: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    printer = pdf_printer(tmp_path / "gestopt.pdf", copies=3)
    outcome: dict[str, object] = {}
    op: ProgressOp[Printed] = ProgressOp(
        parent, lambda progress: print_pdf_file(agreements["vcare"], printer, progress, raster=True),
        title="Afdrukken", label="Afdrukken…")
    op.success(lambda r: outcome.setdefault("printed", r)).cancelled(
        lambda: outcome.setdefault("cancelled", True))
    op.run_in_background()
    dialog = op.dialog
    assert isinstance(dialog, QProgressDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.value() >= 1, timeout=30_000)  # a page went out
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Annuleren"
    cancel.click()
    qtbot.waitUntil(lambda: bool(outcome), timeout=30_000)
    assert outcome == {"cancelled": True}
    assert op.dialog is None
