"""Benchmark: making the vcare agreement (not a test; figures go in bench/README.md).

Two budgets, each measured as a ratio in one run so that a busy machine slows
both sides alike:

- ``fill``: the whole ``dpa-desktop fill vcare`` process (DOCX and PDF) takes
  at most 0.5 of LibreOffice's headless conversion of the same DOCX to PDF.
  The two commands are timed alternately.
- The GUI: from "Genereren" to the preview shown takes at most 1 s on a warm
  app (the wizard has generated once before). It writes the agreement, the
  review beside it and the register entry, then loads the PDF in the preview.
  The ratio is the median against the 1 s budget; LibreOffice's median from
  the same run is printed beside it, to show how fast the machine was.

    .venv/bin/python bench/bench_fill.py [--rounds N]   (the README's environment)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FILL_BUDGET_RATIO = 0.5
PREVIEW_BUDGET_S = 1.0


def side_by_side(rounds: int, work: Path) -> tuple[list[float], list[float]]:
    answers = work / "vcare.json"
    answers.write_text(
        subprocess.run([sys.executable, "-m", "dpa_desktop", "example", "vcare"], check=True,
                       capture_output=True, text=True).stdout, encoding="utf-8")
    fill_cmd = [sys.executable, "-m", "dpa_desktop", "fill", "vcare", "--answers", str(answers),
                "--out", str(work / "out")]
    # As installed (pip and PyInstaller compile at install): the package's bytecode exists,
    # also where PYTHONDONTWRITEBYTECODE keeps a run from writing it.
    import dpa_desktop

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(dpa_desktop.__file__).parent)],
                   check=True)
    subprocess.run(fill_cmd, check=True, capture_output=True)
    docx = next((work / "out").glob("*.docx"))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("soffice not found: install libreoffice-writer-nogui")
    profile = work / "lo-profile"
    lo_cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
              "--convert-to", "pdf", "--outdir", str(work / "lo"), str(docx)]
    subprocess.run(lo_cmd, check=True, capture_output=True)  # its first start creates the profile
    fill_times, lo_times = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(fill_cmd, check=True, capture_output=True)
        fill_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        subprocess.run(lo_cmd, check=True, capture_output=True)
        lo_times.append(time.perf_counter() - start)
    return fill_times, lo_times


def preview_times(rounds: int, work: Path) -> list[float]:
    """"Genereren" to the preview, in a wizard on a fresh register, ``rounds`` times after a warm-up."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["DPA_DESKTOP_DATA_DIR"] = str(work / "data")
    os.environ["DPA_DESKTOP_KEYRING"] = "file"
    os.environ["DPA_DESKTOP_KEYRING_FILE"] = str(work / "keyring.json")
    from PySide6.QtWidgets import QApplication

    from dpa_desktop.answers import example_answers
    from dpa_desktop.forms.loader import load_forms
    from dpa_desktop.gui import operations
    from dpa_desktop.gui.session import Session
    from dpa_desktop.gui.wizard import AgreementWizard
    from dpa_desktop.store import Draft, Store

    app = QApplication.instance() or QApplication([])
    session = Session()
    session.forms = load_forms()
    spec = session.forms.get("vcare")
    session.store, _code = Store.create()
    times = []
    try:
        for i in range(rounds + 1):
            draft = Draft(id=None, form_id=spec.id, answers=example_answers(spec))
            wizard = AgreementWizard(spec, session, draft)
            wizard.output_dir = work / f"gui-{i}"
            result = wizard.pages["result"]
            start = time.perf_counter()
            result.generate()  # type: ignore[attr-defined]  # what "Genereren" starts
            while getattr(result, "pdf_document", None) is None:
                app.processEvents()
                time.sleep(0.001)
            app.processEvents()  # the preview's first paint
            elapsed = time.perf_counter() - start
            if i:  # the first is the warm-up: fonts, hyphenation, QtPdf
                times.append(elapsed)
            wizard.close()
            wizard.deleteLater()
            app.processEvents()
    finally:
        operations.wait_idle()
        session.store.close()
        operations.shutdown()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        fill_t, lo_t = side_by_side(args.rounds, work)
        gui_t = preview_times(args.rounds, work)
    f, lo, g = statistics.median(fill_t), statistics.median(lo_t), statistics.median(gui_t)
    print(f"fill vcare, whole process: median {f * 1000:.0f} ms (runs: "
          + ", ".join(f"{t * 1000:.0f}" for t in fill_t) + ")")
    print(f"LibreOffice DOCX->PDF:     median {lo * 1000:.0f} ms (runs: "
          + ", ".join(f"{t * 1000:.0f}" for t in lo_t) + ")")
    pairs = statistics.median(a / b for a, b in zip(fill_t, lo_t, strict=True))
    print(f"  ratio of the medians          = {f / lo:.2f}")
    print(f"  median of the per-round ratios = {pairs:.2f} (budget <= {FILL_BUDGET_RATIO})"
          f" {'met' if pairs <= FILL_BUDGET_RATIO else 'NOT MET'}")
    print(f"GUI Genereren -> preview:  median {g * 1000:.0f} ms (runs: "
          + ", ".join(f"{t * 1000:.0f}" for t in gui_t) + ")")
    print(f"  ratio preview / budget = {g / PREVIEW_BUDGET_S:.2f} (budget <= 1.0)"
          f" {'met' if g <= PREVIEW_BUDGET_S else 'NOT MET'}")


if __name__ == "__main__":
    main()
