"""Kill a writing process two hundred times: the store always opens, with every
write the child completed intact.

Children are forked where the platform can (Linux CI: a round takes tens of
milliseconds) and spawned elsewhere (Windows: same test, slower).
"""

from __future__ import annotations

import multiprocessing
import random
import sqlite3
import time
from pathlib import Path

import crash_writer

from dpa_desktop.forms.model import FormSpec
from dpa_desktop.store import SENT, FileKeyring, Store, db

ROUNDS = 200


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _wait_ready(child: multiprocessing.process.BaseProcess, report: Path,
                timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if report.exists() and b"ready\n" in report.read_bytes():
            return
        if not child.is_alive():
            raise AssertionError(f"child died before it was killed (exit {child.exitcode})")
        time.sleep(0.001)
    raise AssertionError("child never became ready")


def _verify(data_dir: Path, keys: FileKeyring, report: Path) -> int:
    lines = report.read_bytes().decode("utf-8").split("\n")[:-1]  # only complete lines
    with Store.open(data_dir, keys) as store:
        conn = sqlite3.connect(data_dir / db.DB_NAME)
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        conn.close()
        last_profile = ""
        for line in lines:
            kind, *rest = line.split(" ")
            if kind == "draft":
                draft = store.load_draft(int(rest[0]))
                assert draft.answers.values["plaats"] == f"Plaats {rest[1]}"
            elif kind == "agreement":
                aid = int(rest[0])
                assert store.document_bytes(aid, "pdf") == f"%PDF pdf {rest[1]}".encode()
                assert store.document_bytes(aid, "docx") == f"PK docx {rest[1]}".encode()
            elif kind == "status":
                agreement = store.get_agreement(int(rest[0]))
                assert agreement.status == SENT
                assert agreement.history[-1].note == f"note {rest[1]}"
            elif kind == "profile":
                last_profile = rest[0]
        if last_profile:
            # A later, unreported profile write may have landed; never an older one.
            current = store.load_profile()["organisatie_naam"].removeprefix("Praktijk ")
            assert current >= last_profile
    return sum(1 for line in lines if line != "ready")


def _worker(index: int, base: Path, spec: FormSpec, rounds: int) -> int:
    ctx = _context()
    data_dir = base / f"data{index}"
    keys = FileKeyring(base / f"keys{index}.json")
    Store.create(data_dir, keys)[0].close()
    rng = random.Random(index)
    completed = 0
    for n in range(rounds):
        report = base / f"report-{index}-{n}.txt"
        seed = index * 100_000 + n
        child = ctx.Process(target=crash_writer.run,  # type: ignore[attr-defined]
                            args=(str(data_dir), str(keys.path), str(report), seed, spec))
        child.start()
        if rng.random() < 0.15:
            time.sleep(rng.uniform(0, 0.02))  # sometimes while it is still opening
        else:
            _wait_ready(child, report)
            time.sleep(rng.uniform(0, 0.04))
        child.kill()
        child.join()
        if report.exists():
            completed += _verify(data_dir, keys, report)
    return completed


def test_killing_the_writer_at_random_moments_never_loses_a_completed_write(
        tmp_path: Path, vcare: FormSpec) -> None:
    # Sequential on purpose: forking from a threaded parent can deadlock the child.
    started = time.monotonic()
    completed = _worker(0, tmp_path, vcare, ROUNDS)
    assert completed > ROUNDS  # the children really wrote between the kills
    print(f"{ROUNDS} kills, {completed} completed writes verified "
          f"in {time.monotonic() - started:.1f} s")

