"""The in-app PDF view and printing (to a PDF printer, as no real one is attached)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pypdf import PdfReader
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from dpa_desktop.answers import example_answers
from dpa_desktop.fill import fill
from dpa_desktop.forms.loader import load_forms
from dpa_desktop.gui.pdf import PdfPane, print_document


def test_generated_pdf_is_shown_and_every_page_is_printed(qtbot: Any, tmp_path: Path) -> None:
    spec = load_forms().get("vcare")
    result = fill(spec, example_answers(spec), tmp_path)
    pages = len(PdfReader(result.pdf).pages)
    pane = PdfPane()
    qtbot.addWidget(pane)
    pane.load(result.pdf)
    assert pane.page_count() == pages

    document = QPdfDocument()
    assert document.load(str(result.pdf)) == QPdfDocument.Error.None_
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "afgedrukt.pdf"
    printer.setOutputFileName(str(printed))
    print_document(document, printer)
    assert len(PdfReader(printed).pages) == pages
