"""Benchmark: the register with 10,000 agreements (not a test; figures go in bench/README.md).

Targets (issues 4 and 17): opening the store at most 300 ms, a filter or search
at most 50 ms, the process at most 250 MB RSS. Half the agreements are made
here, with realistically sized (incompressible) DOCX and PDF blobs; the other
half are external agreements (processor details, data categories, breach
contact, three subprocessors, every tenth with a 200 kB scan). The store is
built once; the measurements run in a fresh process so the build does not
inflate the memory figure.

    python bench/bench_register.py [--agreements N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from msgspec.structs import replace

DOCX_BYTES = 52_000  # sizes of the generated vcare DOCX and PDF
PDF_BYTES = 99_000
TOWNS = ("Enschede", "Hengelo", "Almelo", "Zwolle", "Deventer", "Utrecht", "Ede", "Assen")


def _keys(work: Path) -> object:
    from dpa_desktop.store import FileKeyring

    return FileKeyring(work / "keyring.json")


SERVICES = ("Laboratoriumonderzoek", "Salarisadministratie", "Website en e-consult",
            "ICT-beheer", "Cloudopslag", "Archiefvernietiging", "Declaratieservice")
SCAN_BYTES = 200_000


def _external(i: int, base: object) -> object:
    """The i-th external agreement: ``base`` (parsed once) with its own name, service,
    dates and subprocessors (parsing every one would time the validators, not the store)."""
    from dataclasses import replace as dc_replace

    from dpa_desktop.store.external import ExternalEntry, SubprocessorEntry, review_date

    assert isinstance(base, ExternalEntry)
    signed = date(2023, 1, 1) + timedelta(days=i % 1000)
    service = f"{SERVICES[i % len(SERVICES)]} {TOWNS[i % len(TOWNS)]}"
    subs = (SubprocessorEntry(f"Hosting {i % 97:02d}", "NL", "no"),
            SubprocessorEntry(f"Cloud {i % 13}", "US", "yes"),
            SubprocessorEntry(f"Back-up {i % 7}", "", "unknown"))
    return dc_replace(base, processor=f"Verwerker {TOWNS[i % len(TOWNS)]} {i:05d} B.V.",
                      signed_on=signed, review_on=review_date(signed),
                      details=dc_replace(base.details, service=service), subprocessors=subs,
                      notes=f"Afspraak herzien met leverancier {i}" if i % 50 == 1 else "")


def build(work: Path, count: int) -> float:
    from dpa_desktop.answers import example_answers
    from dpa_desktop.forms.loader import load_forms
    from dpa_desktop.store import SENT, SIGNED, Store
    from dpa_desktop.store.external import parse_entry

    spec = load_forms().get("vcare")
    base = example_answers(spec)
    external = parse_entry({
        "verwerker": {"naam": "Verwerker", "kvk": "12345678", "plaats": "Utrecht", "land": "NL"},
        "dienst": "Dienst", "persoonsgegevens": ["NAW-gegevens", "Medische gegevens"],
        "gezondheidsgegevens": True, "bsn": True, "ondertekend": "2024-01-01",
        "einde": "onbepaalde tijd",
        "datalek": {"email": "privacy@verwerker.nl", "telefoon": "030-1234567", "termijn": 24}})
    store, _code = Store.create(work / "data", _keys(work))  # type: ignore[arg-type]
    docx, pdf, scan = work / "a.docx", work / "a.pdf", work / "scan.pdf"
    start = time.perf_counter()
    for i in range(count):
        if i % 2:
            with_scan = i % 20 == 1
            if with_scan:
                scan.write_bytes(b"%PDF-1.4 " + os.urandom(SCAN_BYTES))
            store.record_external(_external(i, external),  # type: ignore[arg-type]
                                  scan if with_scan else None)
            continue
        docx.write_bytes(os.urandom(DOCX_BYTES))
        pdf.write_bytes(os.urandom(PDF_BYTES))
        name = f"Huisartsenpraktijk {TOWNS[i % len(TOWNS)]} {i:05d}"
        answers = replace(base, values={**base.values, "organisatie_naam": name})
        aid = store.record_agreement(spec, answers, docx, pdf)
        if i % 3:
            store.set_status(aid, SENT, date(2025, 1, 1))
        if i % 3 == 2:
            store.set_status(aid, SIGNED, date(2025, 1, 1) + timedelta(days=i % 365))
        if i % 50 == 0:
            store.update_agreement(aid, notes=f"Afspraak herzien met leverancier {i}")
    store.close()
    return time.perf_counter() - start


def _median_ms(fn: object, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(work: Path) -> dict[str, float]:
    """Runs in a fresh process: imports first, then the timed operations."""
    from dpa_desktop.answers import example_answers
    from dpa_desktop.forms.loader import load_forms
    from dpa_desktop.store import SIGNED, Draft, Store

    keys = _keys(work)
    data = work / "data"
    spec = load_forms().get("vcare")
    opened = []
    for _ in range(5):
        start = time.perf_counter()
        store = Store.open(data, keys)  # type: ignore[arg-type]
        opened.append(time.perf_counter() - start)
        store.close()
    store = Store.open(data, keys)  # type: ignore[arg-type]
    count = len(store.list_agreements())
    today = date(2026, 6, 1)
    figures = {
        "agreements": count,
        "open_ms": statistics.median(opened) * 1000,
        "search_text_ms": _median_ms(lambda: store.list_agreements("enschede 0042"), 20),
        "search_notes_ms": _median_ms(lambda: store.list_agreements("herzien"), 20),
        "search_external_ms": _median_ms(lambda: store.list_agreements("cloudopslag ede"), 20),
        "filter_status_ms": _median_ms(lambda: store.list_agreements(status=SIGNED), 20),
        "filter_review_due_ms": _median_ms(
            lambda: store.list_agreements(review_due_on=today), 20),
        "list_all_ms": _median_ms(lambda: store.list_agreements(), 20),
        "get_agreement_ms": _median_ms(lambda: store.get_agreement(count // 2), 20),
        "get_external_ms": _median_ms(lambda: store.get_agreement(count // 2 + 1), 20),
        "subprocessor_overview_ms": _median_ms(store.subprocessor_overview, 5),
    }
    draft = store.save_draft(Draft(id=None, form_id="vcare", answers=example_answers(spec)))
    figures["save_draft_ms"] = _median_ms(lambda: store.save_draft(draft), 50)
    figures["external"] = sum(1 for s in store.list_agreements() if s.external)
    store.close()
    figures["peak_rss_mb"] = _peak_rss_mb()
    figures["db_mb"] = (data / "register.sqlite").stat().st_size / 1e6
    return figures


def _peak_rss_mb() -> float:
    try:
        import resource  # POSIX; the bench runs on the Linux CI machine

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    except ImportError:
        return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agreements", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="build into (or reuse) this folder")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    with tempfile.TemporaryDirectory(prefix="dpa-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        os.environ["DPA_DESKTOP_DATA_DIR"] = str(work / "data")
        if not (work / "data" / "register.sqlite").exists():
            seconds = build(work, args.agreements)
            print(f"built {args.agreements} agreements in {seconds:.0f} s "
                  f"({seconds / args.agreements * 1000:.1f} ms each)")
        out = subprocess.run([sys.executable, __file__, "--measure", str(work)], check=True,
                             capture_output=True, text=True).stdout
        figures = json.loads(out)
    budgets = {"open_ms": 300, "search_text_ms": 50, "search_notes_ms": 50,
               "search_external_ms": 50,
               "filter_status_ms": 50, "filter_review_due_ms": 50, "list_all_ms": 50,
               "save_draft_ms": 20, "peak_rss_mb": 250}
    for key, value in figures.items():
        budget = budgets.get(key)
        ratio = f"  ({value / budget:.2f} of budget {budget})" if budget else ""
        print(f"{key:26} {value:10.1f}{ratio}")


if __name__ == "__main__":
    main()
