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
    FIXTURE_KEY,
    FIXTURE_NOTE,
    FIXTURE_PDF,
    FIXTURE_PROFILE,
    FIXTURE_SCAN,
    FIXTURE_STORE_ID,
    FIXTURES,
)

from dpa_desktop.store import FileKeyring, Store, StoreTooNew, db, migrations
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
        summaries = store.list_agreements()
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
        assert store.subprocessor_overview()


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
    assert conn.execute("SELECT count(*) FROM agreements").fetchone()[0] == 2
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
