"""Benchmark: filling the vcare form (not a test; figures go in bench/README.md).

Targets (issue 2): DOCX plus PDF for vcare in at most 150 ms in process; the
whole ``dpa-desktop fill`` process at least 5x faster than LibreOffice's
headless conversion of the same DOCX to PDF alone. The two processes are timed
alternately in one run, so a noisy machine slows both alike and the ratio holds.
When the frozen app has been built (installers/dist), its ``fill`` joins the
alternation, since that is the program a practice runs.

    python bench/bench_fill.py [--rounds N]
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

from dpa_desktop.answers import example_answers
from dpa_desktop.assemble import build_document
from dpa_desktop.fill import render_bytes
from dpa_desktop.forms.loader import load_forms


def in_process(rounds: int) -> list[float]:
    spec = load_forms().get("vcare")
    answers = example_answers(spec)
    render_bytes(build_document(spec, answers))  # warm: fonts, templates, imports
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        render_bytes(build_document(spec, answers))
        times.append(time.perf_counter() - start)
    return times


def _env(work: Path) -> dict[str, str]:
    """Bytecode cached as an installed app has it (some shells set PYTHONDONTWRITEBYTECODE)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    return env


BUNDLE = Path(__file__).resolve().parent.parent / "installers" / "dist" / "dpa-desktop"


def frozen_cli() -> Path | None:
    """The frozen command line of ``python installers/build.py``, when it has been built."""
    for name in ("dpa-desktop.exe", "dpa-desktop"):
        if (BUNDLE / name).is_file():
            return BUNDLE / name
    return None


def side_by_side(rounds: int, work: Path) -> tuple[list[float], list[float], list[float]]:
    answers = work / "vcare.json"
    answers.write_text(
        subprocess.run([sys.executable, "-m", "dpa_desktop", "example", "vcare"], check=True,
                       capture_output=True, text=True).stdout, encoding="utf-8")
    fill_cmd = [sys.executable, "-m", "dpa_desktop", "fill", "vcare", "--answers", str(answers),
                "--out", str(work / "out")]
    env = _env(work)
    subprocess.run(fill_cmd, check=True, capture_output=True, env=env)  # warm: writes bytecode
    docx = next((work / "out").glob("*.docx"))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("soffice not found: install libreoffice-writer-nogui")
    profile = work / "lo-profile"
    lo_cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
              "--convert-to", "pdf", "--outdir", str(work / "lo"), str(docx)]
    subprocess.run(lo_cmd, check=True, capture_output=True)  # first start creates the profile
    frozen = frozen_cli()
    frozen_cmd = None if frozen is None else [str(frozen), *fill_cmd[3:-1], str(work / "frozen")]
    if frozen_cmd is not None:
        subprocess.run(frozen_cmd, check=True, capture_output=True)  # warm: its own caches
    fill_times, lo_times, frozen_times = [], [], []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(fill_cmd, check=True, capture_output=True, env=env)
        fill_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        subprocess.run(lo_cmd, check=True, capture_output=True)
        lo_times.append(time.perf_counter() - start)
        if frozen_cmd is not None:
            start = time.perf_counter()
            subprocess.run(frozen_cmd, check=True, capture_output=True)
            frozen_times.append(time.perf_counter() - start)
    return fill_times, lo_times, frozen_times


_LAPS = """
import time
t0 = time.perf_counter()
laps = []
def lap(name):
    laps.append((name, time.perf_counter()))
from pathlib import Path
from dpa_desktop import cli; lap("CLI (argparse, errors)")
from dpa_desktop.forms.loader import load_form_by_id; lap("import form loader")
from dpa_desktop.assemble import build_document; lap("import answers, assembler")
spec = load_form_by_id("vcare"); lap("load vcare (form cache)")
answers = cli._read_answers(Path(ANSWERS), "vcare"); doc = build_document(spec, answers); lap("answers + assemble")
from dpa_desktop.render import docx; lap("import python-docx + renderer")
from dpa_desktop.render import pdf; lap("import reportlab + renderer")
docx.render_docx(doc, Path(OUT) / "a.docx"); lap("render DOCX (first in process)")
pdf.render_pdf(doc, Path(OUT) / "a.pdf"); lap("render PDF (first in process)")
prev = t0
for name, t in laps:
    print(f"  {name:40s}{(t - prev) * 1000:7.1f} ms")
    prev = t
print(f"  {'total after interpreter start':40s}{(prev - t0) * 1000:7.1f} ms")
"""


def process_laps(work: Path) -> None:
    """Where a fresh process spends its time, step by step (one run, bytecode cached).

    Serial and without the DOCX worker, so each cost shows; ``fill`` itself runs
    the python-docx steps in its worker, beside the reportlab ones.
    """
    answers = work / "vcare.json"
    code = _LAPS.replace("ANSWERS", repr(str(answers))).replace("OUT", repr(str(work)))
    subprocess.run([sys.executable, "-c", code], check=True, env=_env(work))  # warm bytecode
    subprocess.run([sys.executable, "-c", code], check=True, env=_env(work))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    times = in_process(args.rounds * 3)
    print(f"in process, DOCX+PDF for vcare: median {statistics.median(times) * 1000:.0f} ms, "
          f"min {min(times) * 1000:.0f} ms (target <= 150 ms)")
    with tempfile.TemporaryDirectory() as tmp:
        fill_t, lo_t, frozen_t = side_by_side(args.rounds, Path(tmp))
        print("one fresh process, step by step:")
        process_laps(Path(tmp))
    f, lo = statistics.median(fill_t), statistics.median(lo_t)
    print(f"whole fill process: median {f * 1000:.0f} ms; LibreOffice DOCX->PDF alone: median "
          f"{lo * 1000:.0f} ms; ratio {lo / f:.1f}x (target >= 5x)")
    if frozen_t:
        fz = statistics.median(frozen_t)
        print(f"frozen app's fill ({BUNDLE.name}, same run): median {fz * 1000:.0f} ms; ratio {lo / fz:.1f}x")
    else:
        print("frozen app: not built (python installers/build.py), not measured")


if __name__ == "__main__":
    main()
