"""Show and print a generated PDF inside the app (QtPdf), loaded only when needed.

Printing renders each page to an image at the printer's resolution: QtPdf has
no direct printing, and this works the same with every Windows printer driver.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QVBoxLayout, QWidget

from dpa_desktop.errors import DpaError


class PdfPane(QWidget):
    """A scrollable, page-fitting view of one PDF."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.view.setAccessibleName("Voorbeeld van de overeenkomst")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def load(self, path: Path) -> None:
        error = self.document.load(str(path))
        if error != QPdfDocument.Error.None_:
            raise DpaError(f"De PDF {path} kon niet worden geopend.")

    def page_count(self) -> int:
        return int(self.document.pageCount())


def print_pdf(parent: QWidget | None, path: Path, *, copies: int = 1) -> bool:
    """Ask for a printer (copies preset) and print every page; False when cancelled."""
    document = QPdfDocument(parent) if parent is not None else QPdfDocument()
    if document.load(str(path)) != QPdfDocument.Error.None_:
        raise DpaError(f"De PDF {path} kon niet worden geopend om af te drukken.")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(path.stem)
    printer.setCopyCount(copies)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Overeenkomst afdrukken")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    print_document(document, printer)
    return True


def print_document(document: QPdfDocument, printer: QPrinter) -> None:
    painter = QPainter()
    if not painter.begin(printer):
        raise DpaError("De printer kon niet worden gestart.")
    try:
        dpi = printer.resolution()
        target = printer.pageLayout().paintRectPixels(dpi)
        for index in range(document.pageCount()):
            if index:
                printer.newPage()
            points = document.pagePointSize(index)
            size = QSize(int(points.width() / 72 * dpi), int(points.height() / 72 * dpi))
            size = size.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            image = document.render(index, size)
            painter.drawImage(QRect(QPoint(0, 0), size), image)
    finally:
        painter.end()
