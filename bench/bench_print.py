"""Benchmark: printing a 16-page agreement, 2 copies, to a PDF printer (not a test).

Targets (issue 21): at most 5 s and at most 10 MB, with the window repainting
throughout. It prints the way the app does (``gui.pdf.print_pdf_file`` in a
``ProgressOp`` on the print lane, progress dialog shown) while a window asks
for a repaint every 10 ms and records when it is painted; the longest gap
between two paints is the freeze she would see. The same window idle gives
the baseline gap, so the ratio says what printing adds on this machine.

Two paths are measured side by side:
- "PDF-printer": what the app does for a PDF printer (the agreement's own
  vector pages, copied per copy);
- "gerasterd": what every other printer gets (pages rendered at 300 dpi and
  drawn onto the QPrinter), here drawn onto the same PDF printer so its time
  and size can be read; the copies are sent by the app, as a printer without
  its own copy count would need;
- "gerasterd, 1 set": the same for one set, which is what a Windows or CUPS
  printer gets (its driver makes the copies).

    QT_QPA_PLATFORM=offscreen python bench/bench_print.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
_tmp = Path(tempfile.mkdtemp(prefix="dpa-bench-print-"))
os.environ.setdefault("DPA_DESKTOP_DATA_DIR", str(_tmp / "data"))

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer  # noqa: E402
from PySide6.QtGui import QPaintEvent  # noqa: E402
from PySide6.QtPrintSupport import QPrinter  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget  # noqa: E402

TIME_BUDGET_S = 5.0
SIZE_BUDGET_MB = 10.0
COPIES = 2


class RepaintProbe(QWidget):
    """Asks for a repaint every 10 ms and remembers when each paint happened."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Herteken-meter")
        layout = QVBoxLayout(self)
        self.label = QLabel("0")
        layout.addWidget(self.label)
        self.resize(400, 200)
        self.clock = QElapsedTimer()
        self.clock.start()
        self.paints: list[int] = []
        self.ticker = QTimer(self)
        self.ticker.setInterval(10)
        self.ticker.timeout.connect(self._tick)
        self.ticker.start()

    def _tick(self) -> None:
        self.label.setText(str(len(self.paints)))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        self.paints.append(self.clock.elapsed())
        super().paintEvent(event)

    def longest_gap(self, since: int, until: int) -> int:
        marks = [since] + [t for t in self.paints if since <= t <= until] + [until]
        return max(b - a for a, b in itertools.pairwise(marks))


def make_agreement(out: Path) -> Path:
    from dpa_desktop.answers import example_answers
    from dpa_desktop.fill import fill
    from dpa_desktop.forms.loader import load_forms

    spec = load_forms().get("vcare")
    return fill(spec, example_answers(spec), out).pdf


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def one_run(probe: RepaintProbe, pdf: Path, target: Path, raster: bool,
            copies: int = COPIES) -> tuple[float, int, int]:
    """(seconds, bytes, longest repaint gap in ms) of one print run."""
    from dpa_desktop.gui.operations import ProgressOp
    from dpa_desktop.gui.pdf import print_pdf_file

    target.unlink(missing_ok=True)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    printer.setCopyCount(copies)
    printer.setCollateCopies(True)
    done: dict[str, object] = {}
    loop = QEventLoop()

    def finished(result: object) -> None:
        done["result"] = result
        loop.quit()

    def failed(exc: BaseException) -> None:
        done["error"] = exc
        loop.quit()

    start_ms = probe.clock.elapsed()
    start = time.perf_counter()
    ProgressOp(probe, lambda progress: print_pdf_file(pdf, printer, progress, raster=raster),
               title="Afdrukken", label="Afdrukken…").success(finished).failure(
        failed).run_in_background()
    loop.exec()
    seconds = time.perf_counter() - start
    end_ms = probe.clock.elapsed()
    if "error" in done:
        raise done["error"]  # type: ignore[misc]
    from pypdf import PdfReader

    pages = len(PdfReader(target).pages)
    assert pages == 16 * copies, f"{pages} pages printed"
    return seconds, target.stat().st_size, probe.longest_gap(start_ms, end_ms)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    from pypdf import PdfReader

    from dpa_desktop.gui import operations

    pdf = make_agreement(_tmp / "out")
    pages = len(PdfReader(pdf).pages)
    print(f"agreement: {pages} pages, {pdf.stat().st_size / 1e3:.0f} kB, {COPIES} copies")
    probe = RepaintProbe()
    probe.show()
    wait(300)
    results: dict[str, list[tuple[float, int, int]]] = {
        "PDF-printer": [], "gerasterd": [], "gerasterd, 1 set (printer maakt de kopieën)": []}
    idle_gaps = []
    for _ in range(args.rounds):  # alternate, so machine noise hits every path alike
        since = probe.clock.elapsed()
        wait(2000)
        idle_gaps.append(probe.longest_gap(since, probe.clock.elapsed()))
        results["PDF-printer"].append(one_run(probe, pdf, _tmp / "vector.pdf", raster=False))
        results["gerasterd"].append(one_run(probe, pdf, _tmp / "raster.pdf", raster=True))
        results["gerasterd, 1 set (printer maakt de kopieën)"].append(
            one_run(probe, pdf, _tmp / "raster1.pdf", raster=True, copies=1))
    idle = statistics.median(idle_gaps)
    print(f"idle window: longest gap between repaints {idle:.0f} ms (median of {args.rounds})")
    print("| Path | Time | Ratio to 5 s | Size | Ratio to 10 MB | Longest repaint gap | Gap / idle |")
    print("|---|---|---|---|---|---|---|")
    for name, runs in results.items():
        seconds = statistics.median(r[0] for r in runs)
        size = statistics.median(r[1] for r in runs) / 1e6
        gap = statistics.median(r[2] for r in runs)
        worst_gap = max(r[2] for r in runs)
        print(f"| {name} | {seconds:.2f} s | {seconds / TIME_BUDGET_S:.2f} | {size:.2f} MB | "
              f"{size / SIZE_BUDGET_MB:.2f} | {gap:.0f} ms (worst {worst_gap:.0f}) | "
              f"{gap / max(idle, 1):.1f} |")
    operations.shutdown()
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
