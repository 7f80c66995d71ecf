"""The backup archive: one file, useless without the recovery code, streamed both ways.

Layout (format 2)::

    DPA-DESKTOP-BACKUP\\n
    u32 header length, header JSON: format, store id, the recovery wrap of the
        data key (not personal), a random salt, the chunk size
    chunks: u32 length, 12-byte nonce, AES-GCM ciphertext

The archive key is derived from the data key and the salt (HKDF). Chunk 0 is
the manifest (schema version, database size), the others the database in
pieces of ``CHUNK_BYTES``. Each chunk's associated data is the SHA-256 of
the magic line and header, the chunk's index and a flag for the last chunk,
so a changed header, a reordered, dropped or repeated chunk and a file cut
short at a chunk boundary all fail to decrypt. The database comes from
SQLite's backup API into a temporary file in the data folder; neither side
ever holds more than one chunk in memory, whatever the register's size.

On a new laptop the recovery code unwraps the key from the header, so the
old keyring is not needed. Format 1 (the whole zip in one AES-GCM blob) is
still read.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import sqlite3
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from dpa_desktop import __version__, platform
from dpa_desktop.store import crypto, db, migrations
from dpa_desktop.store.crypto import NONCE_BYTES, TAG_BYTES, Cipher
from dpa_desktop.store.errors import BackupDamaged, StoreCorrupt, StoreLocked, StoreTooNew

MAGIC = b"DPA-DESKTOP-BACKUP\n"
FORMAT = 2
CHUNK_BYTES = 1024 * 1024
MAX_HEADER_BYTES = 64 * 1024
MAX_MANIFEST_BYTES = 64 * 1024
RECOVERY_FILE = "recovery.json"
SNAPSHOT_PREFIX = ".backup-"
STALE_SNAPSHOT_SECONDS = 24 * 3600  # a backup running longer than this is not expected
_ARCHIVE_INFO = b"dpa-desktop backup v2"
_SOURCE = "de reservekopie"

Progress = Callable[[int, int], None]  # bytes done, bytes in all


def _archive_key(data_key: bytes, salt: bytes) -> AESGCM:
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=crypto.KEY_BYTES, salt=salt,
                       info=_ARCHIVE_INFO).derive(data_key))


def _aad(header_digest: bytes, index: int, final: bool) -> bytes:
    return header_digest + struct.pack(">QB", index, int(final))


# --------------------------------------------------------------------------- writing


def write_archive(conn: sqlite3.Connection, wrap: dict[str, Any], cipher: Cipher, store_id: str,
                  schema: int, target: Path, work_dir: Path,
                  progress: Progress | None = None) -> None:
    """Write the archive to ``target`` (beside it, then renamed): all of it or nothing.

    The database is first copied to a temporary file in ``work_dir`` (the data
    folder: it holds what the database holds, nothing more); copies that a
    killed backup left there are removed once they are a day old.
    """
    _remove_stale_snapshots(work_dir)
    snapshot = work_dir / f"{SNAPSHOT_PREFIX}{secrets.token_hex(8)}.sqlite"
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        db.copy_pages(conn, snapshot)
        size = snapshot.stat().st_size
        salt = os.urandom(16)
        header = json.dumps({"format": FORMAT, "store_id": store_id, "recovery": wrap,
                             "salt": crypto.b64(salt), "chunk_bytes": CHUNK_BYTES}).encode()
        head = MAGIC + struct.pack(">I", len(header)) + header
        digest = hashlib.sha256(head).digest()
        aead = _archive_key(cipher.key, salt)
        manifest = json.dumps({"format": FORMAT, "store_id": store_id, "schema": schema,
                               "created": datetime.now().replace(microsecond=0).isoformat(),
                               "app": __version__, "db_bytes": size}).encode()
        with os.fdopen(platform.create_private_file(tmp), "wb") as out, \
                snapshot.open("rb") as src:
            out.write(head)

            def put(index: int, plain: bytes, final: bool) -> None:
                nonce = os.urandom(NONCE_BYTES)
                sealed = aead.encrypt(nonce, plain, _aad(digest, index, final))
                out.write(struct.pack(">I", len(sealed)) + nonce + sealed)

            put(0, manifest, final=size == 0)
            done, index = 0, 0
            while done < size:
                piece = src.read(min(CHUNK_BYTES, size - done))
                if not piece:
                    raise OSError("de kopie van de database werd korter tijdens het lezen")
                done += len(piece)
                index += 1
                put(index, piece, final=done >= size)
                if progress is not None:
                    progress(done, size)
            out.flush()
            os.fsync(out.fileno())
        platform.replace_file(tmp, target)
        platform.fsync_dir(target.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        snapshot.unlink(missing_ok=True)


def _remove_stale_snapshots(work_dir: Path) -> None:
    now = datetime.now().timestamp()
    for path in work_dir.glob(f"{SNAPSHOT_PREFIX}*.sqlite"):
        try:
            if now - path.stat().st_mtime > STALE_SNAPSHOT_SECONDS:
                path.unlink()
        except OSError:
            continue  # in use (Windows) or gone


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Archive:
    """An archive whose header checked out and whose key the recovery code unwrapped."""

    path: Path
    format: int
    store_id: str
    wrap: dict[str, Any]
    data_key: bytes
    header: dict[str, Any]
    body_offset: int
    header_digest: bytes


def open_archive(path: Path, code: str) -> Archive:
    """Read and check the header and unwrap the key; nothing is written.

    WrongRecoveryCode for a wrong code, BackupDamaged for anything else wrong.
    """
    try:
        with path.open("rb") as fh:
            magic = fh.read(len(MAGIC))
            if magic != MAGIC:
                raise BackupDamaged("dit bestand is geen reservekopie van DPA Desktop")
            raw_len = fh.read(4)
            if len(raw_len) != 4:
                raise BackupDamaged("het bestand is afgekapt (de kop ontbreekt)")
            (length,) = struct.unpack(">I", raw_len)
            if length > MAX_HEADER_BYTES:
                raise BackupDamaged("de kop van het bestand is onwaarschijnlijk groot")
            header_bytes = fh.read(length)
    except OSError as exc:
        raise BackupDamaged(f"het bestand is niet te lezen ({exc.strerror or exc})") from exc
    if len(header_bytes) != length:
        raise BackupDamaged("het bestand is afgekapt (de kop is onvolledig)")
    try:
        header = json.loads(header_bytes)
    except ValueError as exc:
        raise BackupDamaged("de kop van het bestand is onleesbaar") from exc
    if not isinstance(header, dict) or header.get("format") not in (1, FORMAT):
        raise BackupDamaged("het bestand heeft een onbekend formaat (gemaakt met een andere "
                            "versie van DPA Desktop?)")
    store_id = header.get("store_id")
    wrap = header.get("recovery")
    if not isinstance(store_id, str) or not isinstance(wrap, dict) \
            or wrap.get("store_id") != store_id:
        raise BackupDamaged("de sleutelgegevens in de kop ontbreken of horen niet bij elkaar")
    if header["format"] == FORMAT and (header.get("chunk_bytes") != CHUNK_BYTES
                                       or not isinstance(header.get("salt"), str)):
        raise BackupDamaged("de kop van het bestand heeft ongeldige instellingen")
    data_key = crypto.unwrap_key(wrap, code, source=_SOURCE, error=BackupDamaged)
    offset = len(MAGIC) + 4 + length
    digest = hashlib.sha256(MAGIC + raw_len + header_bytes).digest()
    return Archive(path, header["format"], store_id, wrap, data_key, header, offset, digest)


def extract(archive: Archive, staging: Path, progress: Progress | None = None) -> None:
    """Write the register and its recovery file into the empty folder ``staging``, checked.

    BackupDamaged (or StoreTooNew) when anything does not check out; the caller
    then deletes ``staging``.
    """
    target = staging / db.DB_NAME
    if archive.format == 1:
        _extract_v1(archive, target)
    else:
        with archive.path.open("rb") as fh:
            fh.seek(archive.body_offset)
            _extract_v2(archive, fh, target, progress)
    platform.atomic_write(staging / RECOVERY_FILE,
                          json.dumps(archive.wrap, indent=2).encode("utf-8"))
    verify_database(target, archive.store_id, archive.data_key)


def _read_chunk(fh: IO[bytes], index: int) -> bytes | None:
    raw_len = fh.read(4)
    if not raw_len:
        return None
    if len(raw_len) != 4:
        raise BackupDamaged(f"het bestand is afgekapt (in deel {index})")
    (length,) = struct.unpack(">I", raw_len)
    if not TAG_BYTES <= length <= max(CHUNK_BYTES, MAX_MANIFEST_BYTES) + TAG_BYTES:
        raise BackupDamaged(f"deel {index} van het bestand heeft een ongeldige lengte")
    body = fh.read(NONCE_BYTES + length)
    if len(body) != NONCE_BYTES + length:
        raise BackupDamaged(f"het bestand is afgekapt (in deel {index})")
    return body


def _extract_v2(archive: Archive, fh: IO[bytes], target: Path,
                progress: Progress | None) -> None:
    try:
        salt = crypto.unb64(archive.header["salt"])
    except (ValueError, UnicodeEncodeError) as exc:
        raise BackupDamaged("de kop van het bestand heeft ongeldige instellingen") from exc
    aead = _archive_key(archive.data_key, salt)
    index = 0
    expected: int | None = None
    written = 0
    final_seen = False
    with os.fdopen(platform.create_private_file(target), "wb") as out:
        body = _read_chunk(fh, index)
        if body is None:
            raise BackupDamaged("het bestand is afgekapt (er staat niets na de kop)")
        while body is not None:
            following = _read_chunk(fh, index + 1)
            final = following is None
            try:
                plain = aead.decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:],
                                     _aad(archive.header_digest, index, final))
            except InvalidTag as exc:
                where = (f"het laatste deel (deel {index}) is beschadigd, of het bestand is "
                         "afgekapt" if final else f"deel {index} is beschadigd of verplaatst")
                raise BackupDamaged(where) from exc
            if index == 0:
                expected = _check_manifest(plain, archive.store_id)
            else:
                written += len(plain)
                if expected is None or written > expected:
                    raise BackupDamaged("het bestand bevat meer gegevens dan het aankondigt")
                out.write(plain)
                if progress is not None:
                    progress(written, expected)
            final_seen = final
            body = following
            index += 1
        out.flush()
        os.fsync(out.fileno())
    if not final_seen or written != expected:
        raise BackupDamaged("het bestand is onvolledig")


def _check_manifest(raw: bytes, store_id: str) -> int:
    try:
        manifest = json.loads(raw)
    except ValueError as exc:
        raise BackupDamaged("de inhoudsopgave is onleesbaar") from exc
    if not isinstance(manifest, dict) or manifest.get("store_id") != store_id:
        raise BackupDamaged("de inhoudsopgave hoort niet bij deze reservekopie")
    schema, size = manifest.get("schema"), manifest.get("db_bytes")
    if not isinstance(schema, int) or not isinstance(size, int) or size < 0 or schema < 1:
        raise BackupDamaged("de inhoudsopgave is onleesbaar")
    if schema > migrations.LATEST:
        raise StoreTooNew(schema, migrations.LATEST)
    return size


def _extract_v1(archive: Archive, target: Path) -> None:
    """Format 1: one AES-GCM blob holding a zip; read whole, as it was written."""
    with archive.path.open("rb") as fh:
        fh.seek(archive.body_offset)
        body = fh.read()
    try:
        plain = Cipher(archive.data_key).decrypt(body, f"backup:{archive.store_id}",
                                                 "de inhoud")
    except StoreCorrupt as exc:
        raise BackupDamaged(exc.detail) from exc
    try:
        with zipfile.ZipFile(io.BytesIO(plain)) as zf:
            manifest = json.loads(zf.read("manifest.json"))
            snapshot = zf.read(db.DB_NAME)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise BackupDamaged("de inhoud is onvolledig") from exc
    if not isinstance(manifest, dict) or manifest.get("store_id") != archive.store_id:
        raise BackupDamaged("de inhoud hoort niet bij deze reservekopie")
    with os.fdopen(platform.create_private_file(target), "wb") as out:
        out.write(snapshot)
        out.flush()
        os.fsync(out.fileno())


def verify_database(path: Path, store_id: str, data_key: bytes) -> None:
    """The extracted database is one this app reads, of this register, under this key."""
    try:
        conn = db.connect(path, read_only=True)
        try:
            found = db.schema_version(conn)
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupDamaged(f"de database in de reservekopie is onleesbaar ({exc})") from exc
    if found > migrations.LATEST:
        raise StoreTooNew(found, migrations.LATEST)
    check = meta.get("key_check")
    if meta.get("store_id") != store_id or not isinstance(check, bytes):
        raise BackupDamaged("de database hoort niet bij deze reservekopie")
    try:
        Cipher(data_key).verify(check, store_id)
    except StoreLocked as exc:
        raise BackupDamaged("de sleutel in de reservekopie hoort niet bij de database") from exc
