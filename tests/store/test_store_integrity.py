"""Records moved between rows or edited without the key are refused by name, and one
damaged record never locks out the rest (issue 20, points 3, 4 and 12)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from msgspec.structs import replace as struct_replace
from pypdf import PdfReader

from dpa_desktop.answers import example_answers
from dpa_desktop.cli import main
from dpa_desktop.forms.model import FormSpec
from dpa_desktop.store import (
    SENT,
    SIGNED,
    Draft,
    FileKeyring,
    RecordDamaged,
    Store,
    db,
    register,
)
from dpa_desktop.store.crypto import Cipher


@contextmanager
def raw(data_dir: Path) -> Iterator[sqlite3.Connection]:
    """The database as someone with the files but without the key sees it."""
    conn = sqlite3.connect(data_dir / db.DB_NAME, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


def _register(store: Store, spec: FormSpec, documents: tuple[Path, Path], count: int) -> list[int]:
    base = example_answers(spec)
    ids = []
    for n in range(1, count + 1):
        answers = struct_replace(base, values={**base.values,
                                               "organisatie_naam": f"Praktijk nummer {n}"})
        aid = store.record_agreement(spec, answers, *documents)
        store.set_status(aid, SENT, date(2026, 1, n % 28 + 1), note=f"notitie {n}")
        store.set_status(aid, SIGNED, date(2026, 2, n % 28 + 1))
        ids.append(aid)
    return ids


@pytest.fixture
def three(new_store: tuple[Store, str], vcare: FormSpec,
          documents: tuple[Path, Path]) -> tuple[Path, FileKeyring, list[int]]:
    """A closed register with three signed agreements."""
    store, _code = new_store
    ids = _register(store, vcare, documents, 3)
    data_dir = store.data_dir
    store.close()
    return data_dir, FileKeyring(data_dir.parent.parent / "keyring-outside-data.json"), ids


def _damaged(store: Store) -> dict[tuple[str, int], str]:
    return {(d.table, d.id): f"{d.what}: {d.reason}" for d in store.damaged_records()}


# --------------------------------------------------------------------------- point 4


def test_swapping_the_records_of_two_agreements_is_refused_by_name(
        three: tuple[Path, FileKeyring, list[int]], key_backend: FileKeyring) -> None:
    data_dir, _keys, (one, two, three_) = three
    with raw(data_dir) as conn:
        rows = {aid: conn.execute("SELECT index_blob, data_blob FROM agreements WHERE id = ?",
                                  (aid,)).fetchone() for aid in (one, three_)}
        for aid, other in ((one, three_), (three_, one)):
            conn.execute("UPDATE agreements SET index_blob = ?, data_blob = ? WHERE id = ?",
                         (*rows[other], aid))
    with Store.open(data_dir, key_backend) as store:
        assert [s.id for s in store.list_agreements()] == [two]
        damaged = _damaged(store)
        assert set(damaged) == {("agreements", one), ("agreements", three_)}
        assert "Overeenkomst 1 (Vcareconnect B.V.)" in damaged[("agreements", one)]
        with pytest.raises(RecordDamaged) as err:
            store.get_agreement(one)
        assert "Overeenkomst 1" in str(err.value) and "beschadigd" in str(err.value)


def test_swapping_only_the_data_blobs_is_refused_even_with_a_forged_mac_column(
        three: tuple[Path, FileKeyring, list[int]], key_backend: FileKeyring) -> None:
    """Copying the MACs along does not help: the associated data names the row."""
    data_dir, _keys, (one, _two, three_) = three
    with raw(data_dir) as conn:
        a = conn.execute("SELECT data_blob, row_mac FROM agreements WHERE id = ?", (one,)).fetchone()
        b = conn.execute("SELECT data_blob, row_mac FROM agreements WHERE id = ?",
                         (three_,)).fetchone()
        conn.execute("UPDATE agreements SET data_blob = ?, row_mac = ? WHERE id = ?", (*b, one))
        conn.execute("UPDATE agreements SET data_blob = ?, row_mac = ? WHERE id = ?", (*a, three_))
    with Store.open(data_dir, key_backend) as store:
        assert {d.id for d in store.damaged_records()} == {one, three_}


@pytest.mark.parametrize("column, value", [
    ("status", "concept"),
    ("signed_on", "2020-01-01"),
    ("review_on", "2099-12-31"),
    ("processor", "Een Andere Verwerker B.V."),
    ("form_id", "infogroen"),
])
def test_editing_a_plain_column_without_the_key_is_refused_by_name(
        three: tuple[Path, FileKeyring, list[int]], key_backend: FileKeyring,
        column: str, value: str) -> None:
    data_dir, _keys, (one, two, three_) = three
    with raw(data_dir) as conn:
        conn.execute(f"UPDATE agreements SET {column} = ? WHERE id = ?", (value, two))
    with Store.open(data_dir, key_backend) as store:
        assert [s.id for s in store.list_agreements()] == [three_, one]
        [damage] = store.damaged_records()
        assert (damage.table, damage.id) == ("agreements", two)
        assert "buiten DPA Desktop gewijzigd" in damage.reason
        assert all(u.agreements[0].agreement_id != two for u in store.subprocessor_overview())


def test_editing_or_moving_history_and_subprocessor_rows_is_refused(
        three: tuple[Path, FileKeyring, list[int]], key_backend: FileKeyring) -> None:
    """These rows are checked when they are read: opening an agreement, the overview, exports."""
    data_dir, _keys, (one, two, three_) = three
    with raw(data_dir) as conn:
        conn.execute("UPDATE history SET on_date = '2019-01-01' WHERE agreement_id = ? "
                     "AND status = 'ondertekend'", (one,))
        conn.execute("UPDATE subprocessors SET country = 'US', outside_eea = 1 "
                     "WHERE agreement_id = ? AND seq = 0", (two,))
        # A row moved from one agreement to another: its MAC names the first one.
        conn.execute("UPDATE history SET agreement_id = ? WHERE id = (SELECT min(id) FROM "
                     "history WHERE agreement_id = ?)", (one, three_))
    with Store.open(data_dir, key_backend) as store:
        for aid, part in ((one, "geschiedenis"), (three_, "geschiedenis"), (two, "subverwerkers")):
            with pytest.raises(RecordDamaged) as err:
                store.get_agreement(aid)
            assert f"Overeenkomst {aid}" in str(err.value) and part in str(err.value)
        assert {d.id for d in store.damaged_records()} == {one, two, three_}
        assert store.list_agreements() == []
        assert store.subprocessor_overview() == []


def test_the_overview_refuses_changed_subprocessor_rows_by_itself(
        three: tuple[Path, FileKeyring, list[int]], key_backend: FileKeyring) -> None:
    data_dir, _keys, (one, two, three_) = three
    with raw(data_dir) as conn:
        conn.execute("UPDATE subprocessors SET name = 'Onbekend Bedrijf' WHERE agreement_id = ? "
                     "AND seq = 1", (one,))
        conn.execute("DELETE FROM subprocessors WHERE agreement_id = ? AND seq = 2", (two,))
        conn.execute("INSERT INTO subprocessors (agreement_id, seq, name, country, outside_eea, "
                     "services, row_mac) SELECT agreement_id, 99, name, country, outside_eea, "
                     "services, row_mac FROM subprocessors WHERE agreement_id = ? AND seq = 0",
                     (three_,))
    with Store.open(data_dir, key_backend) as store:
        assert store.subprocessor_overview() == []
        assert {d.id for d in store.damaged_records()} == {one, two, three_}
        assert all("subverwerkers" in d.reason for d in store.damaged_records())


def test_a_deleted_agreement_is_noticed(three: tuple[Path, FileKeyring, list[int]],
                                        key_backend: FileKeyring) -> None:
    data_dir, _keys, (_one, two, _three) = three
    with raw(data_dir) as conn:
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("DELETE FROM agreements WHERE id = ?", (two,))
    with Store.open(data_dir, key_backend) as store:
        assert len(store.list_agreements()) == 2
        [damage] = store.damaged_records()
        assert damage.what == "Het register" and "verwijderd" in damage.reason


def test_moving_drafts_and_the_profile_between_rows_is_refused(
        store: Store, vcare: FormSpec, key_backend: FileKeyring) -> None:
    first = store.save_draft(Draft(id=None, form_id="vcare", answers=example_answers(vcare)))
    second = store.save_draft(Draft(id=None, form_id="vcare", answers=example_answers(vcare),
                                    page="diensten"))
    store.save_profile({"organisatie_naam": "Praktijk Profiel"})
    data_dir = store.data_dir
    store.close()
    with raw(data_dir) as conn:
        blob, mac = conn.execute("SELECT data_blob, row_mac FROM drafts WHERE id = ?",
                                 (second.id,)).fetchone()
        conn.execute("UPDATE drafts SET data_blob = ?, row_mac = ? WHERE id = ?",
                     (blob, mac, first.id))
        conn.execute("UPDATE profile SET data_blob = ?", (blob,))
    with Store.open(data_dir, key_backend) as reopened:
        assert [d.id for d in reopened.list_drafts()] == [second.id]
        assert reopened.load_profile() == {}
        damaged = _damaged(reopened)
        assert set(damaged) == {("drafts", first.id), ("profile", 1)}
        assert damaged[("profile", 1)].startswith("Het praktijkprofiel")
        reopened.save_profile({"organisatie_naam": "Opnieuw ingevuld"})  # repairs it
        assert reopened.load_profile() == {"organisatie_naam": "Opnieuw ingevuld"}
        assert set(_damaged(reopened)) == {("drafts", first.id)}


# --------------------------------------------------------------------------- point 3


def test_one_flipped_bit_in_one_of_fourteen_agreements_leaves_everything_else_usable(
        new_store: tuple[Store, str], vcare: FormSpec, documents: tuple[Path, Path],
        key_backend: FileKeyring, tmp_path: Path) -> None:
    store, code = new_store
    ids = _register(store, vcare, documents, 14)
    data_dir = store.data_dir
    store.close()
    victim = ids[6]
    with raw(data_dir) as conn:
        blob = bytearray(conn.execute("SELECT data_blob FROM agreements WHERE id = ?",
                                      (victim,)).fetchone()[0])
        blob[40] ^= 0x01
        conn.execute("UPDATE agreements SET data_blob = ? WHERE id = ?", (bytes(blob), victim))
    with Store.open(data_dir, key_backend) as reopened:
        assert len(reopened.list_agreements()) == 14  # the index is intact; the data is not
        csv_file = tmp_path / "register.csv"
        skipped = reopened.export_csv(csv_file)
        assert [d.id for d in skipped] == [victim]
        assert f"Overeenkomst {victim} (Vcareconnect B.V.)" in str(skipped[0])
        rows = list(csv.reader(io.StringIO(csv_file.read_bytes().decode("utf-8-sig")),
                               delimiter=";"))
        assert sorted(int(r[0]) for r in rows[1:]) == sorted(set(ids) - {victim})
        assert [s.id for s in reopened.list_agreements()] == sorted(set(ids) - {victim},
                                                                    reverse=True)
        pdf_file = tmp_path / "register.pdf"
        reopened.export_pdf(pdf_file)
        text = " ".join(p.extract_text() for p in PdfReader(pdf_file).pages)
        assert "Niet opgenomen omdat de gegevens beschadigd zijn" in " ".join(text.split())
        assert f"Overeenkomst {victim}" in text
        archive = tmp_path / "reservekopie.dpabackup"
        reopened.backup(archive)  # the backup holds the register as it is
    laptop = tmp_path / "laptop" / "data"
    with Store.restore(archive, code, laptop, FileKeyring(tmp_path / "laptop" / "k.json")) as back:
        assert len(back.list_agreements()) == 14
        with pytest.raises(RecordDamaged):
            back.get_agreement(victim)
        assert back.get_agreement(ids[0]).organisation == "Praktijk nummer 1"


def test_a_damaged_document_is_named_and_leaves_the_agreement_readable(
        store: Store, vcare: FormSpec, documents: tuple[Path, Path]) -> None:
    aid = _register(store, vcare, documents, 1)[0]
    with raw(store.data_dir) as conn:
        blob = bytearray(conn.execute("SELECT data_blob FROM documents WHERE agreement_id = ? "
                                      "AND kind = 'pdf'", (aid,)).fetchone()[0])
        blob[-1] ^= 0x80
        conn.execute("UPDATE documents SET data_blob = ? WHERE agreement_id = ? AND kind = 'pdf'",
                     (bytes(blob), aid))
    with pytest.raises(RecordDamaged) as err:
        store.document_bytes(aid, "pdf")
    assert "het PDF-document" in str(err.value) and f"Overeenkomst {aid}" in str(err.value)
    assert store.document_bytes(aid, "docx") == documents[0].read_bytes()


def test_the_register_list_command_names_the_damaged_record_and_lists_the_rest(
        tmp_path: Path, vcare: FormSpec, capsys: pytest.CaptureFixture[str],
        data_dir: Path) -> None:
    answers = tmp_path / "antwoorden.json"
    answers.write_text(example_answers(vcare).dumps(), encoding="utf-8")
    for _ in range(3):
        assert main(["fill", "vcare", "--answers", str(answers), "--out", str(tmp_path / "uit"),
                     "--register"]) == 0
    capsys.readouterr()
    with raw(data_dir) as conn:
        conn.execute("UPDATE agreements SET status = 'ondertekend' WHERE id = 2")
    assert main(["register", "list"]) == 0
    out = capsys.readouterr()
    assert [line.split("\t")[0] for line in out.out.splitlines()] == ["3", "1"]
    assert "Overeenkomst 2 (Vcareconnect B.V.) is beschadigd" not in out.out
    assert "Overeenkomst 2 (Vcareconnect B.V.): de gegevens zijn buiten DPA Desktop" in out.err
    assert "Traceback" not in out.err
    backup = tmp_path / "kopie.dpabackup"
    assert main(["backup", str(backup)]) == 0
    assert backup.stat().st_size > 0


# --------------------------------------------------------------------------- point 12


def test_an_unknown_status_written_with_the_key_is_named_not_a_traceback(
        three: tuple[Path, FileKeyring, list[int]], key_backend: FileKeyring,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A newer version (or a bug) wrote a status this version does not know; the MAC is valid."""
    data_dir, _keys, (one, _two, _three) = three
    with Store.open(data_dir, key_backend) as store:
        cipher: Cipher = store._cipher
    with raw(data_dir) as conn:
        conn.execute("UPDATE agreements SET status = 'gearchiveerd' WHERE id = ?", (one,))
        register.seal_agreement(conn, cipher, one)
    with Store.open(data_dir, key_backend) as store:
        [damage] = store.damaged_records()
        assert damage.id == one and "onbekende status 'gearchiveerd'" in damage.reason
    shutil.copyfile(key_backend.path, os.environ["DPA_DESKTOP_KEYRING_FILE"])  # for the CLI
    assert main(["register", "list", "--json"]) == 0
    err = capsys.readouterr().err
    assert "onbekende status 'gearchiveerd'" in err and "KeyError" not in err


@pytest.mark.parametrize("table, column, where", [
    ("agreements", "index_blob", "id = 1"),
    ("agreements", "data_blob", "id = 1"),
    ("history", "note_blob", "agreement_id = 1"),
    ("documents", "data_blob", "agreement_id = 1 AND kind = 'docx'"),
])
def test_a_column_that_is_not_a_blob_is_named(three: tuple[Path, FileKeyring, list[int]],
                                              key_backend: FileKeyring, table: str, column: str,
                                              where: str) -> None:
    data_dir, _keys, _ids = three
    with raw(data_dir) as conn:
        conn.execute(f"UPDATE {table} SET {column} = 12345 WHERE {where}")
    with Store.open(data_dir, key_backend) as store:
        with pytest.raises(RecordDamaged) as err:
            store.get_agreement(1)
            store.document_bytes(1, "docx")
        assert "Overeenkomst 1" in str(err.value)
        assert [d.id for d in store.damaged_records()] == [1]


def test_a_register_file_that_is_no_database_is_reported_in_dutch(
        store: Store, key_backend: FileKeyring) -> None:
    data_dir = store.data_dir
    store.close()
    for name in ("register.sqlite-wal", "register.sqlite-shm"):
        (data_dir / name).unlink(missing_ok=True)
    (data_dir / db.DB_NAME).write_bytes(b"dit is geen database" * 100)
    from dpa_desktop.store import StoreCorrupt

    with pytest.raises(StoreCorrupt) as err:
        Store.open(data_dir, key_backend)
    assert "register.sqlite" in str(err.value) and "geen leesbare database" in str(err.value)


def test_the_breach_card_leaves_out_a_damaged_agreement_and_names_it(
        three: tuple[Path, FileKeyring, list[int]], key_backend: FileKeyring, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, _keys, (one, _two, _three) = three
    with raw(data_dir) as conn:
        blob = bytearray(conn.execute("SELECT data_blob FROM agreements WHERE id = ?",
                                      (one,)).fetchone()[0])
        blob[30] ^= 0x04
        conn.execute("UPDATE agreements SET data_blob = ? WHERE id = ?", (bytes(blob), one))
    shutil.copyfile(key_backend.path, os.environ["DPA_DESKTOP_KEYRING_FILE"])  # for the CLI
    card = tmp_path / "kaart.pdf"
    assert main(["register", "datalek-kaart", str(card)]) == 0
    assert card.read_bytes().startswith(b"%PDF")
    assert f"Overeenkomst {one} (Vcareconnect B.V.)" in capsys.readouterr().err
