"""The child of the crash test: writes to the store until it is killed.

After each committed write it appends one line to the report file with an
unbuffered ``os.write``, so the parent knows exactly which writes completed
even when the process dies the next instant.
"""

from __future__ import annotations

import os
import random
from datetime import date
from pathlib import Path

from msgspec.structs import replace

from dpa_desktop.answers import example_answers
from dpa_desktop.forms.model import FormSpec
from dpa_desktop.store import SENT, Draft, FileKeyring, Store


def _report(fd: int, line: str) -> None:
    os.write(fd, (line + "\n").encode("utf-8"))


def run(data_dir: str, keyring_file: str, report: str, seed: int, spec: FormSpec) -> None:
    rng = random.Random(seed)
    fd = os.open(report, os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0))
    store = Store.open(Path(data_dir), FileKeyring(Path(keyring_file)))
    _report(fd, "ready")
    base = example_answers(spec)
    docs = Path(report).with_suffix(".docs")
    docs.mkdir(exist_ok=True)
    last_agreement: int | None = None
    n = 0
    while True:
        n += 1
        marker = f"{seed}-{n}"
        op = rng.choice(("draft", "draft", "profile", "agreement", "status"))
        if op == "draft":
            answers = replace(base, values={**base.values, "plaats": f"Plaats {marker}"})
            draft = store.save_draft(Draft(id=None, form_id=spec.id, answers=answers))
            _report(fd, f"draft {draft.id} {marker}")
        elif op == "profile":
            store.save_profile({"organisatie_naam": f"Praktijk {seed:08d}-{n:08d}"})
            _report(fd, f"profile {seed:08d}-{n:08d}")
        elif op == "agreement":
            docx, pdf = docs / f"{marker}.docx", docs / f"{marker}.pdf"
            docx.write_bytes(f"PK docx {marker}".encode())
            pdf.write_bytes(f"%PDF pdf {marker}".encode())
            last_agreement = store.record_agreement(spec, base, docx, pdf)
            _report(fd, f"agreement {last_agreement} {marker}")
        elif last_agreement is not None:
            store.set_status(last_agreement, SENT, date.today(), note=f"note {marker}")
            _report(fd, f"status {last_agreement} {marker}")
            last_agreement = None
