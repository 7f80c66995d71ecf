"""Backups stream in authenticated chunks: cut, reordered or crafted archives are refused
in Dutch, and a 50 MB scan never sits in memory whole (issue 20, points 5, 7 and 12).

Memory is measured with tracemalloc (Python's own allocations, where a
whole-file ``bytes`` would show); bench/bench_backup.py measures the process
RSS of a 2 GB register.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from dpa_desktop.answers import example_answers
from dpa_desktop.forms.model import FormSpec
from dpa_desktop.store import (
    SIGNED,
    BackupDamaged,
    FileKeyring,
    Store,
    StoreTooNew,
    WrongRecoveryCode,
    backup,
    crypto,
    db,
)

SCAN_BYTES = 50 * 1024 * 1024
MEMORY_LIMIT = 16 * 1024 * 1024  # a few chunks; a whole scan would be 50 MB or more


def _peak(fn: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture
def archive_and_code(new_store: tuple[Store, str], vcare: FormSpec,
                     documents: tuple[Path, Path], tmp_path: Path) -> tuple[Path, str, Store]:
    store, code = new_store
    store.record_agreement(vcare, example_answers(vcare), *documents)
    store.save_profile({"organisatie_naam": "Praktijk Stroom"})
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + os.urandom(3 * backup.CHUNK_BYTES))  # several chunks
    store.attach_scan(1, scan)
    archive = tmp_path / "kopie.dpabackup"
    store.backup(archive)
    return archive, code, store


def _chunks(raw: bytes) -> tuple[bytes, list[bytes]]:
    """The head (magic, length, header) and the chunks, each with its length prefix."""
    (length,) = struct.unpack(">I", raw[len(backup.MAGIC):len(backup.MAGIC) + 4])
    offset = len(backup.MAGIC) + 4 + length
    head, chunks = raw[:offset], []
    while offset < len(raw):
        (size,) = struct.unpack(">I", raw[offset:offset + 4])
        end = offset + 4 + crypto.NONCE_BYTES + size
        chunks.append(raw[offset:end])
        offset = end
    return head, chunks


def _restore(archive: Path, code: str, tmp_path: Path, name: str = "doel") -> Store:
    return Store.restore(archive, code, tmp_path / name / "data",
                         FileKeyring(tmp_path / name / "keys.json"))


def test_the_archive_round_trips_in_several_chunks(
        archive_and_code: tuple[Path, str, Store], tmp_path: Path) -> None:
    archive, code, store = archive_and_code
    _head, chunks = _chunks(archive.read_bytes())
    assert len(chunks) >= 4  # manifest + the database in pieces
    with _restore(archive, code, tmp_path) as restored:
        assert restored.document_bytes(1, "scan") == store.document_bytes(1, "scan")
        assert restored.load_profile() == {"organisatie_naam": "Praktijk Stroom"}


@pytest.mark.parametrize("change", ["drop-last", "drop-middle", "swap", "repeat", "append",
                                    "header"])
def test_a_cut_reordered_or_changed_archive_is_refused_and_nothing_is_written(
        archive_and_code: tuple[Path, str, Store], tmp_path: Path, change: str) -> None:
    archive, code, _store = archive_and_code
    head, chunks = _chunks(archive.read_bytes())
    if change == "drop-last":
        chunks = chunks[:-1]
    elif change == "drop-middle":
        del chunks[2]
    elif change == "swap":
        chunks[1], chunks[2] = chunks[2], chunks[1]
    elif change == "repeat":
        chunks.insert(2, chunks[1])
    elif change == "append":
        chunks.append(chunks[-1])
    else:
        header = json.loads(head[len(backup.MAGIC) + 4:])
        header["salt"] = crypto.b64(b"\0" * 16)
        body = json.dumps(header).encode()
        head = backup.MAGIC + struct.pack(">I", len(body)) + body
    archive.write_bytes(head + b"".join(chunks))
    with pytest.raises(BackupDamaged) as err:
        _restore(archive, code, tmp_path)
    text = str(err.value)
    assert text.startswith("De reservekopie is onbruikbaar") and "niets gewijzigd" in text
    assert "beschadigd" in text or "afgekapt" in text or "verplaatst" in text
    assert not (tmp_path / "doel" / "data").exists()
    assert [p.name for p in (tmp_path / "doel").iterdir()] in ([], [".data.lock"])


def test_a_wrong_code_is_refused_before_anything_is_written(
        archive_and_code: tuple[Path, str, Store], tmp_path: Path) -> None:
    archive, code, _store = archive_and_code
    wrong = ("0" if code[0] != "0" else "1") + code[1:]
    with pytest.raises(WrongRecoveryCode):
        _restore(archive, wrong, tmp_path)
    assert not (tmp_path / "doel" / "data").exists()


def _craft(store: Store, target: Path, manifest: object, *, header_extra: dict[str, object]
           | None = None, db_bytes: bytes = b"") -> None:
    """An archive made with the register's real key, with a manifest of one's choosing."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    from dpa_desktop.store.store import read_wrap

    salt = os.urandom(16)
    header = {"format": 2, "store_id": store.store_id, "recovery": read_wrap(store.data_dir),
              "salt": crypto.b64(salt), "chunk_bytes": backup.CHUNK_BYTES, **(header_extra or {})}
    body = json.dumps(header).encode()
    head = backup.MAGIC + struct.pack(">I", len(body)) + body
    digest = hashlib.sha256(head).digest()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt,
               info=b"dpa-desktop backup v2").derive(store._cipher.key)
    parts = [json.dumps(manifest).encode(), *([db_bytes] if db_bytes else [])]
    out = [head]
    for index, plain in enumerate(parts):
        nonce = os.urandom(12)
        sealed = AESGCM(key).encrypt(nonce, plain, digest + struct.pack(
            ">QB", index, int(index == len(parts) - 1)))
        out.append(struct.pack(">I", len(sealed)) + nonce + sealed)
    target.write_bytes(b"".join(out))


@pytest.mark.parametrize("manifest, expected", [
    (["geen", "mapping"], "inhoudsopgave hoort niet bij"),
    ({"store_id": "iets-anders", "schema": 3, "db_bytes": 10}, "inhoudsopgave hoort niet bij"),
    ({"schema": "drie", "db_bytes": 10}, "inhoudsopgave is onleesbaar"),
    ({"schema": 3, "db_bytes": -1}, "inhoudsopgave is onleesbaar"),
    ({"schema": 3, "db_bytes": 4}, "meer gegevens dan het aankondigt"),
    ({"schema": 3, "db_bytes": 10**9}, "onvolledig"),
])
def test_a_crafted_manifest_is_named_not_a_traceback(
        store: Store, tmp_path: Path, new_store: tuple[Store, str], manifest: object,
        expected: str) -> None:
    _store, code = new_store
    if isinstance(manifest, dict) and "store_id" not in manifest:
        manifest = {"store_id": store.store_id, **manifest}
    crafted = tmp_path / "gemaakt.dpabackup"
    _craft(store, crafted, manifest, db_bytes=b"SQLite format 3\0")
    with pytest.raises(BackupDamaged) as err:
        _restore(crafted, code, tmp_path)
    assert expected in str(err.value)


def test_a_crafted_database_in_a_valid_archive_is_refused(
        store: Store, tmp_path: Path, new_store: tuple[Store, str]) -> None:
    _store, code = new_store
    crafted = tmp_path / "gemaakt.dpabackup"
    garbage = b"geen database" * 100
    _craft(store, crafted, {"store_id": store.store_id, "schema": 3, "db_bytes": len(garbage)},
           db_bytes=garbage)
    with pytest.raises(BackupDamaged) as err:
        _restore(crafted, code, tmp_path)
    assert "database in de reservekopie is onleesbaar" in str(err.value)


def test_an_archive_from_a_newer_version_is_refused(
        store: Store, tmp_path: Path, new_store: tuple[Store, str]) -> None:
    _store, code = new_store
    crafted = tmp_path / "nieuwer.dpabackup"
    _craft(store, crafted, {"store_id": store.store_id, "schema": 99, "db_bytes": 16},
           db_bytes=b"SQLite format 3\0")
    with pytest.raises(StoreTooNew):
        _restore(crafted, code, tmp_path)


@pytest.mark.parametrize("header", [
    b"[1, 2]", b'{"format": 7}', b'{"format": 2, "store_id": 5}',
    b'{"format": 2, "store_id": "x", "recovery": "niet"}', b"\xff\xfe", b"{" * 10,
])
def test_a_crafted_header_is_named_not_a_traceback(tmp_path: Path, header: bytes) -> None:
    crafted = tmp_path / "kop.dpabackup"
    crafted.write_bytes(backup.MAGIC + struct.pack(">I", len(header)) + header)
    with pytest.raises(BackupDamaged):
        _restore(crafted, "7KQ0M-1XZ4A-BCDEF-GHJK0-MNPQR-STVWX-YZ123-45678", tmp_path)
    crafted.write_bytes(backup.MAGIC + struct.pack(">I", 2**31) + header)
    with pytest.raises(BackupDamaged) as err:
        _restore(crafted, "7KQ0M-1XZ4A-BCDEF-GHJK0-MNPQR-STVWX-YZ123-45678", tmp_path)
    assert "onwaarschijnlijk groot" in str(err.value)


def test_a_backup_in_the_first_format_still_restores(
        new_store: tuple[Store, str], vcare: FormSpec, documents: tuple[Path, Path],
        tmp_path: Path) -> None:
    """Format 1, as earlier versions wrote it: one AES-GCM blob holding a zip."""
    store, code = new_store
    aid = store.record_agreement(vcare, example_answers(vcare), *documents)
    from dpa_desktop.store.store import read_wrap

    copy = tmp_path / "kopie.sqlite"
    db.copy_pages(store._conn, copy)
    wrap = read_wrap(store.data_dir)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps({"format": 1, "store_id": store.store_id,
                                                 "schema": 3}))
        zf.writestr(db.DB_NAME, copy.read_bytes())
        zf.writestr("recovery.json", json.dumps(wrap))
    header = json.dumps({"format": 1, "store_id": store.store_id, "recovery": wrap}).encode()
    body = store._cipher.encrypt(buffer.getvalue(), f"backup:{store.store_id}")
    old = tmp_path / "oud.dpabackup"
    old.write_bytes(backup.MAGIC + struct.pack(">I", len(header)) + header + body)
    with _restore(old, code, tmp_path) as restored:
        assert [s.id for s in restored.list_agreements()] == [aid]


@pytest.mark.slow
def test_a_50_mb_scan_is_stored_backed_up_restored_and_opened_in_pieces(
        store: Store, vcare: FormSpec, documents: tuple[Path, Path], tmp_path: Path,
        new_store: tuple[Store, str]) -> None:
    _store, code = new_store
    aid = store.record_agreement(vcare, example_answers(vcare), *documents)
    scan = tmp_path / "groot.pdf"
    with scan.open("wb") as fh:
        fh.write(b"%PDF-1.4\n")
        for _ in range(50):
            fh.write(os.urandom(1024 * 1024))
        fh.truncate(SCAN_BYTES)
    expected = hashlib.sha256(scan.read_bytes()).hexdigest()
    assert _peak(lambda: store.set_status(aid, SIGNED, store.get_agreement(aid).created_on,
                                          scan=scan)) < MEMORY_LIMIT
    archive = tmp_path / "groot.dpabackup"
    assert _peak(lambda: store.backup(archive)) < MEMORY_LIMIT
    assert archive.stat().st_size > SCAN_BYTES
    laptop = tmp_path / "laptop" / "data"
    keys = FileKeyring(tmp_path / "laptop" / "keys.json")
    assert _peak(lambda: Store.restore(archive, code, laptop, keys).close()) < MEMORY_LIMIT
    with Store.open(laptop, keys) as restored:
        copies: list[Path] = []
        assert _peak(lambda: copies.append(restored.document_copy(aid, "scan"))) < MEMORY_LIMIT
        assert hashlib.sha256(copies[0].read_bytes()).hexdigest() == expected
        copies[0].unlink()


def test_a_scan_over_50_mb_is_refused_before_it_is_read(
        store: Store, vcare: FormSpec, documents: tuple[Path, Path], tmp_path: Path) -> None:
    aid = store.record_agreement(vcare, example_answers(vcare), *documents)
    scan = tmp_path / "te-groot.pdf"
    with scan.open("wb") as fh:
        fh.write(b"%PDF-1.4\n")
        fh.truncate(SCAN_BYTES + 1)
    from dpa_desktop.errors import DpaError

    with pytest.raises(DpaError) as err:
        store.attach_scan(aid, scan)
    assert "te groot" in str(err.value)
    assert store.get_agreement(aid).scan_sha256 is None


def test_a_snapshot_left_by_a_killed_backup_goes_only_once_it_is_stale(
        store: Store, tmp_path: Path) -> None:
    """Another process may be running a backup: its fresh snapshot is never touched."""
    import time as clock

    stale = store.data_dir / f"{backup.SNAPSHOT_PREFIX}dood.sqlite"
    fresh = store.data_dir / f"{backup.SNAPSHOT_PREFIX}bezig.sqlite"
    stale.write_bytes(b"x")
    fresh.write_bytes(b"y")
    past = clock.time() - backup.STALE_SNAPSHOT_SECONDS - 60
    os.utime(stale, (past, past))
    assert Store.exists(store.data_dir) and fresh.exists()  # a start leaves both alone
    store.backup(tmp_path / "kopie.dpabackup")
    assert not stale.exists() and fresh.exists()
