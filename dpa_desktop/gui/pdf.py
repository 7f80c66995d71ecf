"""Show and print a generated PDF inside the app (QtPdf), loaded only when needed.

Printing runs on the print lane of ``operations`` with a progress dialog, so
the window keeps painting and she can cancel. Two ways to the paper:

- A PDF printer (Qt's "Afdrukken naar bestand (PDF)") gets the agreement's
  own pages, copied with pypdf: vectors and embedded fonts exactly as
  generated, a few kilobytes per extra copy.
- Any other printer gets each page rendered by QtPdf at 300 dpi (or the
  printer's resolution if that is lower) and drawn onto the QPrinter. QtPdf
  can only render to images, not to a QPainter, so this is the one path that
  works the same with every printer driver; 300 dpi is what a laser printer
  needs for body text, at a sixteenth of the data a 1200-dpi page would be.

Copies: a printer that makes copies itself (Windows and CUPS drivers,
``supportsMultipleCopies``) gets the pages once with the count set in its
job; for the others the app sends every copy, collated or not as she chose.
QPainter may paint onto a QPrinter from a thread other than the GUI thread
(Qt's "Threads and QObjects": painting in threads).
"""

from __future__ import annotations

import io
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QVBoxLayout, QWidget

from dpa_desktop.errors import DpaError
from dpa_desktop.gui.operations import Progress, ProgressOp

RASTER_DPI = 300
log = logging.getLogger(__name__)

PdfSource = Path | bytes


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


# ====================================================================== the job


@dataclass(frozen=True)
class Printed:
    """What went to the printer, for the "Afgedrukt" message and the log."""

    pages: int  # pages of one copy
    copies: int
    to_file: str  # the PDF written, or "" for a real printer
    printer: str
    seconds: float


class _Loaded:
    """A QPdfDocument on the printing thread, fed from a file or from bytes."""

    def __init__(self, source: PdfSource) -> None:
        self.document = QPdfDocument()
        self._buffer: QBuffer | None = None
        if isinstance(source, bytes):
            self._buffer = QBuffer()
            self._buffer.setData(QByteArray(source))
            self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            error = self.document.load(self._buffer)
        else:
            error = self.document.load(str(source))
        if error != QPdfDocument.Error.None_:
            raise DpaError("De PDF van de overeenkomst kon niet worden geopend om af te drukken.")

    def close(self) -> None:
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()


def page_count(source: PdfSource) -> int:
    loaded = _Loaded(source)
    try:
        return int(loaded.document.pageCount())
    finally:
        loaded.close()


def chosen_pages(printer: QPrinter, count: int) -> list[int]:
    """0-based pages of one copy: all, or the range she chose in the print dialog."""
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(printer.fromPage(), 1)
        last = min(printer.toPage() or count, count)
        return list(range(first - 1, last))
    return list(range(count))


def copies_by_app(printer: QPrinter) -> int:
    """How many copies the app must send itself (1 when the driver makes them)."""
    return 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())


def page_sequence(pages: list[int], copies: int, collate: bool) -> list[int]:
    """Pages in the order they go out: 1 2 3 1 2 3 collated, 1 1 2 2 3 3 otherwise."""
    if collate:
        return pages * copies
    return [page for page in pages for _ in range(copies)]


def print_pdf_file(source: PdfSource, printer: QPrinter, progress: Progress,
                   *, raster: bool | None = None) -> Printed:
    """Send the PDF to the printer; runs on the print lane, never touches a widget.

    ``raster`` forces one path (the benchmark compares them); by default a PDF
    printer gets the vector pages and every other printer the rendered ones.
    """
    start = time.perf_counter()
    count = page_count(source)
    pages = chosen_pages(printer, count)
    copies = copies_by_app(printer)
    sequence = page_sequence(pages, copies, printer.collateCopies())
    to_file = printer.outputFileName() if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat \
        else ""
    use_raster = raster if raster is not None else not to_file
    if use_raster:
        _print_raster(source, printer, sequence, progress)
    else:
        _write_pdf_pages(source, Path(to_file), sequence, progress)
    outcome = Printed(pages=len(pages), copies=max(1, printer.copyCount()), to_file=to_file,
                      printer=printer.printerName(), seconds=time.perf_counter() - start)
    log.info("printed %d pages x %d copies (%s) in %.1f s", outcome.pages, outcome.copies,
             "raster" if use_raster else "vector", outcome.seconds)
    return outcome


def _write_pdf_pages(source: PdfSource, target: Path, sequence: list[int],
                     progress: Progress) -> None:
    from pypdf import PdfReader, PdfWriter

    from dpa_desktop.platform import atomic_write

    reader = PdfReader(io.BytesIO(source) if isinstance(source, bytes) else source)
    writer = PdfWriter()
    for done, index in enumerate(sequence):
        progress.report(done, len(sequence))
        writer.add_page(reader.pages[index])
    if reader.metadata:
        writer.add_metadata({k: v for k, v in reader.metadata.items() if isinstance(v, str)})
    out = io.BytesIO()
    writer.write(out)
    progress.check()
    atomic_write(target, out.getvalue())
    progress.report(len(sequence), len(sequence))


def render_page(document: QPdfDocument, index: int, dpi: int) -> QImage:
    """One page at ``dpi`` on white paper (QtPdf leaves the page transparent)."""
    points = document.pagePointSize(index)
    size = QSize(max(1, round(points.width() / 72 * dpi)), max(1, round(points.height() / 72 * dpi)))
    rendered = document.render(index, size)
    page = QImage(size, QImage.Format.Format_RGB32)
    page.fill(QColor("white"))
    painter = QPainter(page)
    painter.drawImage(QPointF(0, 0), rendered)
    painter.end()
    return page


def _print_raster(source: PdfSource, printer: QPrinter, sequence: list[int],
                  progress: Progress) -> None:
    loaded = _Loaded(source)
    document = loaded.document
    printer.setFullPage(True)  # the PDF page carries its own margins
    painter = QPainter()
    if not painter.begin(printer):
        loaded.close()
        raise DpaError("De printer kon niet worden gestart. Controleer of hij aan staat en "
                       "probeer het opnieuw.")
    # Lossless: the PDF engine would otherwise store each page as a JPEG, fuzzy and larger.
    painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    dpi = min(printer.resolution(), RASTER_DPI)
    image: QImage | None = None
    shown = -1
    try:
        for done, index in enumerate(sequence):
            progress.report(done, len(sequence))
            if done:
                printer.newPage()
            if index != shown:  # a page repeated (uncollated copies) is drawn from one image
                image = render_page(document, index, dpi)
                shown = index
            assert image is not None
            painter.drawImage(_fit(image, printer), image)
        progress.report(len(sequence), len(sequence))
    except BaseException:
        printer.abort()
        raise
    finally:
        painter.end()
        loaded.close()


def _fit(image: QImage, printer: QPrinter) -> QRectF:
    """The paper in device pixels, the page scaled into it keeping its shape, centred."""
    paper = printer.pageLayout().fullRectPixels(printer.resolution())
    size = QSizeF(image.size()).scaled(QSizeF(paper.size()), Qt.AspectRatioMode.KeepAspectRatio)
    left = paper.left() + (paper.width() - size.width()) / 2
    top = paper.top() + (paper.height() - size.height()) / 2
    return QRectF(QPointF(left, top), size)


# ====================================================================== the dialog


def ask_printer(parent: QWidget | None, name: str, pages: int, copies: int) -> QPrinter | None:
    """The print dialog with the copies preset; None when she cancels."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(name)
    printer.setCopyCount(copies)
    printer.setCollateCopies(True)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Overeenkomst afdrukken")
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCollateCopies, True)
    dialog.setMinMax(1, max(pages, 1))
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return None
    return printer


def printed_message(outcome: Printed) -> str:
    copies = "1 exemplaar" if outcome.copies == 1 else f"{outcome.copies} exemplaren"
    pages = "1 pagina" if outcome.pages == 1 else f"{outcome.pages} pagina's"
    if outcome.to_file:
        return f"De overeenkomst is als PDF opgeslagen ({copies} van {pages}):\n{outcome.to_file}"
    where = f" '{outcome.printer}'" if outcome.printer else ""
    return (f"De overeenkomst is naar de printer{where} gestuurd: {copies} van {pages}.\n"
            "Haal de pagina's op bij de printer.")


def start_printing(parent: QWidget | None, source: PdfSource, printer: QPrinter,
                   name: str) -> ProgressOp[Printed]:
    """Print in the background with a progress dialog; "Afgedrukt" when done."""
    from dpa_desktop.gui.messages import show_info

    op: ProgressOp[Printed] = ProgressOp(
        parent, lambda progress: print_pdf_file(source, printer, progress),
        title="Afdrukken", label=f"{name} wordt afgedrukt…")
    op.success(lambda outcome: show_info(parent, "Afgedrukt", printed_message(outcome)))
    op.run_in_background()
    return op


def print_pdf(parent: QWidget | None, source: PdfSource, *, name: str,
              copies: int = 1) -> ProgressOp[Printed] | None:
    """Ask for a printer (copies preset) and print in the background; None when cancelled."""
    printer = ask_printer(parent, name, page_count(source), copies)
    if printer is None:
        return None
    return start_printing(parent, source, printer, name)
