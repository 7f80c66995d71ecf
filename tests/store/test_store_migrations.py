"""Every released schema version opens, migrates and keeps its data."""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from store_fixtures import (
    FIXTURE_DOCX,
    FIXTURE_EXTERNAL,
    FIXTURE_EXTERNAL_SCAN,
    FIXTURE_KEY,
    FIXTURE_NOTE,
    FIXTURE_PDF,
    FIXTURE_PROFILE,
    FIXTURE_SCAN,
    FIXTURE_STORE_ID,
    FIXTURES,
)

from dpa_desktop.store import FileKeyring, RecordDamaged, Store, StoreTooNew, db, migrations
from dpa_desktop.store.store import key_name

FIXTURE_FILES = sorted(FIXTURES.glob("v*.sqlite"))


def _version(path: Path) -> int:
    match = re.fullmatch(r"v(\d+)\.sqlite", path.name)
    assert match, path
    return int(match.group(1))


def _install(fixture: Path, data_dir: Path, keys: FileKeyring) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(fixture, data_dir / db.DB_NAME)
    keys.set(key_name(FIXTURE_STORE_ID), FIXTURE_KEY)


def test_every_schema_version_has_a_fixture() -> None:
    versions = {_version(p) for p in FIXTURE_FILES}
    assert versions == set(range(1, migrations.LATEST + 1))
    assert [m.version for m in migrations.MIGRATIONS] == list(range(1, migrations.LATEST + 1))


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda p: p.stem)
def test_a_fixture_of_each_version_opens_at_the_latest_version_with_its_data(
        fixture: Path, data_dir: Path, key_backend: FileKeyring) -> None:
    _install(fixture, data_dir, key_backend)
    with Store.open(data_dir, key_backend) as store:
        assert store.schema_version == migrations.LATEST
        assert store.load_profile() == FIXTURE_PROFILE
        [draft] = store.list_drafts()
        assert (draft.form_id, draft.page) == ("vcare", "diensten")
        made_here = [s for s in store.list_agreements() if not s.external]
        summaries = made_here
        assert [s.status for s in summaries] == ["concept", "ondertekend"]
        signed = store.get_agreement(summaries[1].id)
        assert signed.organisation == "Huisartsenpraktijk De Linde"
        assert [h.status for h in signed.history] == ["concept", "verzonden", "ondertekend"]
        assert signed.history[-1].note == FIXTURE_NOTE
        assert str(signed.review_on) == "2027-02-01"
        assert store.document_bytes(signed.id, "docx") == FIXTURE_DOCX
        assert store.document_bytes(signed.id, "pdf") == FIXTURE_PDF
        assert store.document_bytes(signed.id, "scan") == FIXTURE_SCAN
        assert store.list_agreements("overleg") == [summaries[1]]
        overview = store.subprocessor_overview()
        assert {u.outside_eea for u in overview} <= {"yes", "no", "unknown"}
        assert all(h.event == "status" for h in signed.history)
        if _version(fixture) >= 4:
            _check_external(store)


def _check_external(store: Store) -> None:
    """The external agreement a fixture of schema 4 or later holds, with its edit."""
    from dpa_desktop.store import external

    [summary] = [s for s in store.list_agreements() if s.external]
    agreement = store.get_agreement(summary.id)
    expected = {**FIXTURE_EXTERNAL, "herbeoordeling": "2026-09-01"}
    assert external.entry_json(agreement.register_fields()) == expected  # type: ignore[arg-type]
    assert [h.event for h in agreement.history] == ["status", "edit"]
    assert "01-06-2026 → 01-09-2026" in agreement.history[-1].note
    assert store.document_bytes(summary.id, "scan") == FIXTURE_EXTERNAL_SCAN
    uses = {u.name: u for u in store.subprocessor_overview()}
    assert (uses["Fixture Cloud"].outside_eea, uses["Fixture Backup"].outside_eea) == (
        "yes", "unknown")


@pytest.mark.parametrize("fixture", [p for p in FIXTURE_FILES if _version(p) < migrations.LATEST],
                         ids=lambda p: p.stem)
def test_migrating_copies_the_old_database_first(fixture: Path, data_dir: Path,
                                                 key_backend: FileKeyring) -> None:
    _install(fixture, data_dir, key_backend)
    before = (data_dir / db.DB_NAME).read_bytes()
    Store.open(data_dir, key_backend).close()
    [copy] = (data_dir / migrations.BACKUP_DIR).glob(f"register-v{_version(fixture)}-*.sqlite")
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == _version(fixture)
    assert conn.execute("SELECT count(*) FROM agreements").fetchone()[0] == (
        2 if _version(fixture) < 4 else 3)
    conn.close()
    assert hashlib.sha256(before).digest() != hashlib.sha256(
        (data_dir / db.DB_NAME).read_bytes()).digest()


def test_a_register_from_a_newer_version_is_refused_and_left_alone(
        data_dir: Path, key_backend: FileKeyring) -> None:
    _install(FIXTURE_FILES[-1], data_dir, key_backend)
    path = data_dir / db.DB_NAME
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    conn.close()
    before = {p.name: p.read_bytes() for p in data_dir.iterdir()}
    with pytest.raises(StoreTooNew) as err:
        Store.open(data_dir, key_backend)
    assert "nieuwere versie" in str(err.value)
    assert {p.name: p.read_bytes() for p in data_dir.iterdir()} == before


def test_a_failing_migration_leaves_the_previous_version(
        data_dir: Path, key_backend: FileKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    _install(FIXTURE_FILES[-1], data_dir, key_backend)

    def broken(conn: sqlite3.Connection, cipher: object) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("power cut")

    latest = migrations.LATEST
    monkeypatch.setattr(migrations, "MIGRATIONS",
                        (*migrations.MIGRATIONS, migrations.Migration(latest + 1, "bad", broken)))
    monkeypatch.setattr(migrations, "LATEST", latest + 1)
    with pytest.raises(RuntimeError):
        Store.open(data_dir, key_backend)
    conn = sqlite3.connect(data_dir / db.DB_NAME)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == latest
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert "half_done" not in tables


def _v3_fixture(data_dir: Path, keys: FileKeyring) -> Path:
    [v3] = [p for p in FIXTURE_FILES if _version(p) == 3]
    _install(v3, data_dir, keys)
    return data_dir / db.DB_NAME


def test_migration_4_reads_land_onbekend_as_an_unknown_eea_status(
        data_dir: Path, key_backend: FileKeyring) -> None:
    # Schema 3 stored a subprocessor without a country as "land onbekend", not outside
    # the EEA: the register could not say "unknown". Schema 4 can.
    from dpa_desktop.store.crypto import Cipher

    path = _v3_fixture(data_dir, key_backend)
    cipher = Cipher(FIXTURE_KEY)
    conn = sqlite3.connect(path)
    aid, seq, name, services = conn.execute(
        "SELECT agreement_id, seq, name, services FROM subprocessors WHERE name = 'E-Zorg' "
        "ORDER BY agreement_id").fetchone()
    mac = cipher.mac(migrations._v3_subprocessor_parts(aid, seq, name, "land onbekend", 0,
                                                        services))
    conn.execute("UPDATE subprocessors SET country = 'land onbekend', row_mac = ? "
                 "WHERE agreement_id = ? AND seq = ?", (mac, aid, seq))
    conn.commit()
    conn.close()
    with Store.open(data_dir, key_backend) as store:
        [entry] = [s for s in store.get_agreement(aid).subprocessors if s.name == "E-Zorg"]
        assert (entry.country, entry.outside_eea, entry.country_label) == (
            "", "unknown", "land onbekend")
        others = [s for s in store.get_agreement(aid).subprocessors if s.name != "E-Zorg"]
        assert {(s.country, s.outside_eea) for s in others} == {("NL", "no")}
        assert store.damaged_records() == []


def test_migration_4_does_not_vouch_for_rows_changed_before_it(
        data_dir: Path, key_backend: FileKeyring) -> None:
    # Re-sealing every row would launder an edit made outside the app under schema 3.
    path = _v3_fixture(data_dir, key_backend)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE subprocessors SET country = 'US', outside_eea = 1 "
                 "WHERE agreement_id = 1 AND seq = 0")
    conn.execute("UPDATE history SET on_date = '2020-01-01' WHERE agreement_id = 2")
    conn.execute("UPDATE agreements SET processor = 'Iemand Anders' WHERE id = 2")
    conn.commit()
    conn.close()
    with Store.open(data_dir, key_backend) as store:
        assert store.schema_version == migrations.LATEST
        assert {d.id for d in store.damaged_records()} == {2}
        with pytest.raises(RecordDamaged):
            store.get_agreement(1)
        assert {d.id for d in store.damaged_records()} == {1, 2}


def test_the_latest_migration_writes_the_mac_format_the_register_reads() -> None:
    from dpa_desktop.store import register

    assert register.AGREEMENT_COLUMNS == migrations.V4_AGREEMENT_COLUMNS
    args = (7, 3, "ondertekend", "2026-01-01", "2026-01-01T10:00:00", b"t" * 16, "edit")
    assert register.history_mac_parts(*args) == migrations.v4_history_parts(*args)
    sub = (3, 0, "Naam", "", "unknown", "[]")
    assert register.subprocessor_mac_parts(*sub) == migrations._v3_subprocessor_parts(*sub)
