"""Benchmark: backup and restore of a large register (not a test; figures go in bench/README.md).

Target (issue 20): a 2 GB register backs up and restores with at most 200 MB
peak RSS. The register is generated here: agreements with incompressible
50 MB scans (the largest a scan may be) until the database reaches the size
asked for. Each measurement runs in a fresh process, so building the register
does not count; the first measurement only opens the register, for the
baseline the other two are compared with.

    python bench/bench_backup.py                 # 2 GB, several minutes and ~8 GB of disk
    python bench/bench_backup.py --size-mb 300   # a quick run
    python bench/bench_backup.py --keep DIR      # build into (or reuse) DIR
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCAN_BYTES = 50 * 1024 * 1024
BUDGET_MB = 200.0


def _keys(work: Path, name: str = "keyring.json") -> object:
    from dpa_desktop.store import FileKeyring

    return FileKeyring(work / name)


def build(work: Path, size_mb: int) -> tuple[float, int]:
    """The register in ``work/data``, grown to ``size_mb`` with scans; seconds and agreements."""
    from dpa_desktop.answers import example_answers
    from dpa_desktop.forms.loader import load_forms
    from dpa_desktop.store import Store

    spec = load_forms().get("vcare")
    answers = example_answers(spec)
    store, code = Store.create(work / "data", _keys(work))  # type: ignore[arg-type]
    (work / "code.txt").write_text(code, encoding="utf-8")
    docx, pdf, scan = work / "a.docx", work / "a.pdf", work / "scan.pdf"
    docx.write_bytes(b"PK\x03\x04" + os.urandom(52_000))
    pdf.write_bytes(b"%PDF-1.7\n" + os.urandom(99_000))
    with scan.open("wb") as fh:  # one random scan, stored again and again under new nonces
        fh.write(b"%PDF-1.4\n")
        for _ in range(SCAN_BYTES // (1024 * 1024)):
            fh.write(os.urandom(1024 * 1024))
        fh.truncate(SCAN_BYTES)
    per_agreement = SCAN_BYTES + len(docx.read_bytes()) + len(pdf.read_bytes())
    count = -(-size_mb * 1024 * 1024 // per_agreement)
    start = time.perf_counter()
    with store:
        for _ in range(count):
            aid = store.record_agreement(spec, answers, docx, pdf)
            store.attach_scan(aid, scan)
    scan.unlink()
    return time.perf_counter() - start, count


def _peak_rss_mb() -> float:
    """The process's peak resident set (VmHWM), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource  # POSIX; the bench runs on the Linux machine

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(work: Path, what: str) -> dict[str, float]:
    """Runs in a fresh process: imports, opens the store, then does ``what``."""
    from dpa_desktop.store import Store

    keys = _keys(work)
    store = Store.open(work / "data", keys)  # type: ignore[arg-type]
    agreements = len(store.list_agreements())
    archive = work / "register.dpabackup"
    start = time.perf_counter()
    if what == "backup":
        store.backup(archive)
    store.close()
    if what == "restore":
        target = work / "teruggezet" / "data"
        code = (work / "code.txt").read_text(encoding="utf-8")
        Store.restore(archive, code, target, _keys(work, "keyring-2.json")).close()  # type: ignore[arg-type]
    seconds = time.perf_counter() - start
    return {"agreements": agreements, "seconds": seconds, "peak_rss_mb": _peak_rss_mb()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=2048, help="register size (default 2048)")
    parser.add_argument("--keep", type=Path, help="build into (or reuse) this folder")
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure[0]), args.measure[1])))
        return
    with tempfile.TemporaryDirectory(prefix="dpa-bench-backup-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        os.environ["DPA_DESKTOP_DATA_DIR"] = str(work / "data")
        if not (work / "data" / "register.sqlite").exists():
            seconds, count = build(work, args.size_mb)
            print(f"built {count} agreements with a 50 MB scan each in {seconds:.0f} s")
        db_mb = sum(p.stat().st_size for p in (work / "data").glob("register.sqlite*")) / 2**20
        figures: dict[str, dict[str, float]] = {}
        for what in ("open", "backup", "restore"):
            out = subprocess.run([sys.executable, __file__, "--measure", str(work), what],
                                 check=True, capture_output=True, text=True).stdout
            figures[what] = json.loads(out)
        archive_mb = (work / "register.dpabackup").stat().st_size / 2**20
        restored_mb = (work / "teruggezet" / "data" / "register.sqlite").stat().st_size / 2**20
    print(f"register: {db_mb:,.0f} MB, {figures['open']['agreements']:.0f} agreements; "
          f"archive {archive_mb:,.0f} MB; restored database {restored_mb:,.0f} MB")
    base = figures["open"]["peak_rss_mb"]
    print(f"{'process':10} {'peak RSS':>10} {'budget':>8} {'ratio':>6} {'above open':>11} "
          f"{'time':>8}")
    for what, fig in figures.items():
        rss = fig["peak_rss_mb"]
        print(f"{what:10} {rss:8.0f} MB {BUDGET_MB:6.0f} MB {rss / BUDGET_MB:6.2f} "
              f"{rss - base:8.0f} MB {fig['seconds']:7.1f} s")


if __name__ == "__main__":
    main()
