"""Exports people open in Excel or print, and backups that restore on a new laptop."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from dpa_desktop.answers import example_answers
from dpa_desktop.forms.model import FormSpec
from dpa_desktop.store import (
    SIGNED,
    BackupDamaged,
    FileKeyring,
    Store,
    StoreExists,
    WrongRecoveryCode,
)
from dpa_desktop.store.export import CSV_HEADERS


def _signed(store: Store, vcare: FormSpec, documents: tuple[Path, Path]) -> int:
    aid = store.record_agreement(vcare, example_answers(vcare), *documents)
    store.set_status(aid, SIGNED, date(2026, 3, 4), note="Getekend")
    return aid


def test_the_csv_opens_in_dutch_excel(store: Store, vcare: FormSpec,
                                      documents: tuple[Path, Path], tmp_path: Path) -> None:
    aid = _signed(store, vcare, documents)
    path = tmp_path / "register.csv"
    store.export_csv(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == list(CSV_HEADERS)
    assert rows[0][7] == "Herbeoordeling"
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Nr."] == str(aid)
    assert row["Status"] == "Ondertekend"
    assert row["Ondertekend"] == "04-03-2026"
    assert row["Herbeoordeling"] == "04-03-2027"
    assert row["Soort"] == "DPA Desktop; formulier vcare"
    assert row["Verwerker"].startswith("Vcareconnect B.V.")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=st.text(max_size=80))
def test_any_note_survives_the_csv_and_never_becomes_a_formula(
        store: Store, vcare: FormSpec, documents: tuple[Path, Path], tmp_path: Path,
        note: str) -> None:
    aid = store.record_agreement(vcare, example_answers(vcare), *documents)
    store.update_agreement(aid, notes=note)
    path = tmp_path / "register.csv"
    store.export_csv(path)
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""),
                           delimiter=";"))
    cell = {r[0]: r[-1] for r in rows[1:]}[str(aid)]
    if note[:1] in ("=", "+", "-", "@", "\t", "\r"):
        assert cell == "'" + note
    else:
        assert cell == note


def test_the_pdf_overview_is_landscape_a4_with_agreements_and_subprocessors(
        store: Store, vcare: FormSpec, documents: tuple[Path, Path], tmp_path: Path) -> None:
    _signed(store, vcare, documents)
    path = tmp_path / "register.pdf"
    store.export_pdf(path)
    reader = PdfReader(path)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Overzicht verwerkers en verwerkersovereenkomsten" in text
    assert "Huisartsenpraktijk De Linde" in text
    assert "Ondertekend" in text
    first_sub = store.subprocessor_overview()[0].name
    assert first_sub in text


def test_a_backup_restores_into_an_empty_dir_on_another_machine(
        new_store: tuple[Store, str], vcare: FormSpec, documents: tuple[Path, Path],
        tmp_path: Path) -> None:
    store, code = new_store
    store.save_profile({"organisatie_naam": "Praktijk Back-up"})
    aid = _signed(store, vcare, documents)
    archive = tmp_path / "reservekopie.dpabackup"
    store.backup(archive)
    assert b"Linde" not in archive.read_bytes()
    assert b"Back-up" not in archive.read_bytes()
    laptop = tmp_path / "nieuwe-laptop" / "data"
    laptop_keys = FileKeyring(tmp_path / "nieuwe-laptop" / "keyring.json")
    with Store.restore(archive, code, laptop, laptop_keys) as restored:
        assert restored.load_profile() == {"organisatie_naam": "Praktijk Back-up"}
        assert [s.id for s in restored.list_agreements()] == [aid]
        assert restored.document_bytes(aid, "pdf") == documents[1].read_bytes()
    with Store.open(laptop, laptop_keys) as reopened:  # key now in the new keyring
        assert reopened.get_agreement(aid).status == SIGNED


def test_restoring_with_a_wrong_code_writes_nothing(
        store: Store, tmp_path: Path, key_backend: FileKeyring) -> None:
    archive = tmp_path / "reservekopie.dpabackup"
    store.backup(archive)
    target = tmp_path / "leeg"
    with pytest.raises(WrongRecoveryCode):
        Store.restore(archive, "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA", target,
                      key_backend)
    assert not target.exists()


def test_restoring_never_overwrites_an_existing_register(
        new_store: tuple[Store, str], data_dir: Path, tmp_path: Path,
        key_backend: FileKeyring) -> None:
    store, code = new_store
    archive = tmp_path / "reservekopie.dpabackup"
    store.backup(archive)
    store.close()
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in data_dir.rglob("*")
              if p.is_file()}
    with pytest.raises(StoreExists) as err:
        Store.restore(archive, code, data_dir, key_backend)
    assert "niets overschreven" in str(err.value)
    assert before == {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in data_dir.rglob("*")
                      if p.is_file()}


def test_a_damaged_backup_is_reported_in_dutch(new_store: tuple[Store, str], tmp_path: Path,
                                               key_backend: FileKeyring) -> None:
    store, code = new_store
    archive = tmp_path / "reservekopie.dpabackup"
    store.backup(archive)
    damaged = bytearray(archive.read_bytes())
    damaged[-5] ^= 0xFF
    archive.write_bytes(bytes(damaged))
    with pytest.raises(BackupDamaged) as err:
        Store.restore(archive, code, tmp_path / "leeg", key_backend)
    assert "beschadigd" in str(err.value)
    other = tmp_path / "iets.zip"
    other.write_bytes(b"PK\x03\x04 not ours")
    with pytest.raises(BackupDamaged) as err:
        Store.restore(other, code, tmp_path / "leeg", key_backend)
    assert "geen reservekopie" in str(err.value)
