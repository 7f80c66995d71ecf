"""Builds the fixture database of one schema version: ``python tests/store/store_fixtures.py N``.

Run it once, when a schema version is released, and commit the file as
``tests/fixtures/store/vN.sqlite``; never regenerate an old one, it stands
for registers already on people's computers. The key is fixed and public:
these files hold made-up data only.
"""

from __future__ import annotations

import sqlite3
import sys
from datetime import date
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "store"
FIXTURE_KEY = bytes(range(32))
FIXTURE_STORE_ID = "f1x7u4e0000000000000000000000000"
FIXTURE_PROFILE = {"organisatie_naam": "Fixturepraktijk Oud", "kvk": "12345678",
                   "organisatie_soort": "huisartsenpraktijk"}
FIXTURE_NOTE = "Getekend na overleg"
FIXTURE_DOCX = b"PK\x03\x04 fixture docx"
FIXTURE_PDF = b"%PDF-1.4 fixture pdf"
FIXTURE_SCAN = b"%PDF-1.4 fixture scan"
# From schema 4 on, the fixture also holds an agreement not made here, edited once.
FIXTURE_EXTERNAL = {
    "verwerker": {"naam": "Fixture Labs B.V.", "kvk": "87654321", "plaats": "Utrecht",
                  "land": "NL"},
    "dienst": "Laboratoriumuitslagen",
    "persoonsgegevens": ["NAW-gegevens", "Labuitslagen"],
    "gezondheidsgegevens": True,
    "bsn": True,
    "ondertekend": "2025-06-01",
    "einde": "onbepaalde tijd",
    "herbeoordeling": "2026-06-01",
    "datalek": {"email": "privacy@fixturelabs.example", "telefoon": "030 123 4567",
                "termijn": 24},
    "subverwerkers": [{"naam": "Fixture Cloud", "land": "US", "buiten_eer": "ja"},
                      {"naam": "Fixture Backup", "land": "", "buiten_eer": "onbekend"}],
    "notitie": "Papieren overeenkomst",
}
FIXTURE_EXTERNAL_EDIT = {"herbeoordeling": "2026-09-01"}
FIXTURE_EXTERNAL_SCAN = b"%PDF-1.4 fixture external scan"


def build(version: int, target: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root))
    from dpa_desktop.answers import example_answers
    from dpa_desktop.forms.loader import load_forms
    from dpa_desktop.store import db, drafts, migrations, profile, register
    from dpa_desktop.store.crypto import Cipher

    spec = load_forms().get("vcare")
    answers = example_answers(spec)
    cipher = Cipher(FIXTURE_KEY)
    target.unlink(missing_ok=True)
    conn = db.connect(target, create=True)
    migrations.migrate(conn, target, upto=version, cipher=cipher)
    with db.transaction(conn):
        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [
            ("store_id", FIXTURE_STORE_ID), ("key_check", cipher.key_check(FIXTURE_STORE_ID)),
            ("created", "2026-01-01T12:00:00")])
    profile.save(conn, cipher, FIXTURE_PROFILE)
    drafts.save(conn, cipher, drafts.Draft(id=None, form_id="vcare", answers=answers,
                                           page="diensten"))
    first = register.record(conn, cipher, spec, answers, FIXTURE_DOCX, FIXTURE_PDF,
                            today=date(2026, 1, 5))
    register.record(conn, cipher, spec, answers, FIXTURE_DOCX, FIXTURE_PDF,
                    today=date(2026, 1, 6))
    register.set_status(conn, cipher, first, register.SENT, date(2026, 1, 10))
    scan = target.with_suffix(".scan.pdf")
    scan.write_bytes(FIXTURE_SCAN)
    try:
        register.set_status(conn, cipher, first, register.SIGNED, date(2026, 2, 1),
                            note=FIXTURE_NOTE, scan=scan)
    finally:
        scan.unlink()
    if version >= 4:
        from dpa_desktop.store import external

        entry = external.parse_entry(FIXTURE_EXTERNAL)
        scan.write_bytes(FIXTURE_EXTERNAL_SCAN)
        try:
            aid = register.record_external(conn, cipher, entry, organisation="Fixturepraktijk Oud",
                                           scan=scan, today=date(2026, 2, 2))
        finally:
            scan.unlink()
        changed = external.parse_changes(FIXTURE_EXTERNAL_EDIT, entry, signed=True)
        register.edit(conn, cipher, aid, changed, today=date(2026, 2, 3))
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("VACUUM")
    conn.close()
    assert isinstance(sqlite3.connect(target).execute("PRAGMA user_version").fetchone()[0], int)


if __name__ == "__main__":
    n = int(sys.argv[1])
    build(n, FIXTURES / f"v{n}.sqlite")
    print(FIXTURES / f"v{n}.sqlite")
