"""The Store: one open, unlocked register in a data directory.

Opening never writes before the key is proven right and the schema is known
to be supported; a missing or wrong key, a missing keyring or a newer schema
leave every file as it was and say in Dutch what to do.

The data directory holds ``register.sqlite`` (with ``-wal``/``-shm`` while
open), ``recovery.json`` (the data key wrapped with the recovery code) and
``backups/`` (the database as it was before a migration). Plain columns hold
only ids, statuses, dates, form ids and company names of processors and
subprocessors; everything else is AES-GCM ciphertext. The data key itself is
only in the keyring.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

from dpa_desktop import paths, platform
from dpa_desktop.answers import Answers
from dpa_desktop.forms.model import FormSpec
from dpa_desktop.store import crypto, db, drafts, migrations, profile, register
from dpa_desktop.store.crypto import Cipher
from dpa_desktop.store.drafts import Draft
from dpa_desktop.store.errors import (
    KeyringUnavailable,
    StoreCorrupt,
    StoreExists,
    StoreLocked,
    StoreMissing,
)
from dpa_desktop.store.keys import KeyBackend, default_backend
from dpa_desktop.store.register import (
    Agreement,
    AgreementSummary,
    DocumentKind,
    Signatory,
    SubprocessorUse,
)

RECOVERY_FILE = "recovery.json"


def key_name(store_id: str) -> str:
    return f"register-{store_id}"


def _read_meta(conn: sqlite3.Connection) -> dict[str, Any]:
    try:
        return {k: v for k, v in conn.execute("SELECT key, value FROM meta")}
    except sqlite3.DatabaseError as exc:
        raise StoreCorrupt("de registertabel ontbreekt") from exc


def read_wrap(data_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((data_dir / RECOVERY_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise StoreCorrupt("het herstelbestand (recovery.json) ontbreekt") from exc
    except (OSError, ValueError) as exc:
        raise StoreCorrupt("het herstelbestand (recovery.json) is onleesbaar") from exc
    if not isinstance(data, dict):
        raise StoreCorrupt("het herstelbestand (recovery.json) is onleesbaar")
    return data


class Store:
    def __init__(self, data_dir: Path, conn: sqlite3.Connection, cipher: Cipher,
                 store_id: str, *, key_saved: bool = True) -> None:
        self.data_dir = data_dir
        self.store_id = store_id
        # False when the key could not be put in the keyring (recovered without one).
        self.key_saved = key_saved
        self._conn = conn
        self._cipher = cipher
        self._index = register.Index()
        self._index.load(conn, cipher)

    # ------------------------------------------------------------------ lifecycle

    @staticmethod
    def exists(data_dir: Path | None = None) -> bool:
        return ((data_dir or paths.data_dir()) / db.DB_NAME).is_file()

    @classmethod
    def create(cls, data_dir: Path | None = None,
               keys: KeyBackend | None = None) -> tuple[Store, str]:
        """A new, empty register; returns it with the recovery code to show once."""
        directory = data_dir or paths.data_dir()
        keys = keys or default_backend(directory)
        if cls.exists(directory):
            raise StoreExists(str(directory))
        store_id = uuid.uuid4().hex
        data_key = crypto.new_key()
        code = crypto.new_recovery_code()
        wrap = crypto.wrap_key(data_key, code, store_id)
        keys.set(key_name(store_id), data_key)  # fails before anything is written
        directory.mkdir(parents=True, exist_ok=True)
        platform.atomic_write(directory / RECOVERY_FILE,
                              json.dumps(wrap, indent=2).encode("utf-8"))
        cipher = Cipher(data_key)
        # Built beside and renamed, so a crash never leaves a half-made register.
        tmp = directory / f".{db.DB_NAME}.new"
        tmp.unlink(missing_ok=True)
        conn = db.connect(tmp)
        try:
            migrations.migrate(conn, tmp)
            with db.transaction(conn):
                conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [
                    ("store_id", store_id),
                    ("key_check", cipher.key_check(store_id)),
                    ("created", datetime.now().replace(microsecond=0).isoformat()),
                ])
        finally:
            conn.close()
        platform.replace_file(tmp, directory / db.DB_NAME)
        return cls._open_with_key(directory, data_key), code

    @classmethod
    def open(cls, data_dir: Path | None = None, keys: KeyBackend | None = None) -> Store:
        directory = data_dir or paths.data_dir()
        keys = keys or default_backend(directory)
        if not cls.exists(directory):
            raise StoreMissing(str(directory))
        conn = db.connect(directory / db.DB_NAME)
        try:
            migrations.check_supported(conn)
            store_id = str(_read_meta(conn).get("store_id", ""))
        finally:
            conn.close()
        if not store_id:
            raise StoreCorrupt("het register heeft geen kenmerk")
        key = keys.get(key_name(store_id))
        if key is None:
            raise StoreLocked()
        return cls._open_with_key(directory, key)

    @classmethod
    def recover(cls, recovery_code: str, data_dir: Path | None = None,
                keys: KeyBackend | None = None) -> Store:
        """Open with the recovery code and put the key back in the keyring."""
        directory = data_dir or paths.data_dir()
        keys = keys or default_backend(directory)
        if not cls.exists(directory):
            raise StoreMissing(str(directory))
        wrap = read_wrap(directory)
        data_key = crypto.unwrap_key(wrap, recovery_code)  # WrongRecoveryCode: nothing touched
        store = cls._open_with_key(directory, data_key)
        try:
            keys.set(key_name(store.store_id), data_key)
        except KeyringUnavailable:
            store.key_saved = False
        return store

    @classmethod
    def _open_with_key(cls, directory: Path, key: bytes) -> Store:
        path = directory / db.DB_NAME
        conn = db.connect(path)
        try:
            migrations.check_supported(conn)
            meta = _read_meta(conn)
            store_id = str(meta.get("store_id", ""))
            check = meta.get("key_check")
            if not store_id or not isinstance(check, bytes):
                raise StoreCorrupt("het register heeft geen sleutelcontrole")
            cipher = Cipher(key)
            cipher.verify(check, store_id)
            db.use_wal(conn)
            migrations.migrate(conn, path)
            return cls(directory, conn, cipher, store_id)
        except BaseException:
            conn.close()
            raise

    @classmethod
    def restore(cls, archive: Path, recovery_code: str, data_dir: Path | None = None,
                keys: KeyBackend | None = None) -> Store:
        from dpa_desktop.store import backup

        directory = data_dir or paths.data_dir()
        keys = keys or default_backend(directory)
        store_id, data_key = backup.restore(archive, recovery_code, directory)
        store = cls._open_with_key(directory, data_key)
        assert store.store_id == store_id
        try:
            keys.set(key_name(store_id), data_key)
        except KeyringUnavailable:
            store.key_saved = False
        return store

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return db.schema_version(self._conn)

    # ------------------------------------------------------------------ profile and drafts

    def load_profile(self) -> dict[str, str]:
        return profile.load(self._conn, self._cipher)

    def save_profile(self, practice: dict[str, str]) -> None:
        """Validates first (AnswersInvalid names each bad field); stores normalised values."""
        profile.save(self._conn, self._cipher, practice)

    def save_draft(self, draft: Draft) -> Draft:
        return drafts.save(self._conn, self._cipher, draft)

    def list_drafts(self) -> list[Draft]:
        return drafts.list_all(self._conn, self._cipher)

    def load_draft(self, draft_id: int) -> Draft:
        return drafts.load(self._conn, self._cipher, draft_id)

    def delete_draft(self, draft_id: int) -> None:
        drafts.delete(self._conn, draft_id)

    # ------------------------------------------------------------------ the register

    def record_agreement(self, spec: FormSpec, answers: Answers, docx: Path, pdf: Path,
                         draft_id: int | None = None) -> int:
        """Record a generated agreement as a concept; the draft it came from goes."""
        aid = register.record(self._conn, self._cipher, spec, answers, docx.read_bytes(),
                              pdf.read_bytes(), draft_id=draft_id)
        self._index.reload_one(self._conn, self._cipher, aid)
        return aid

    def list_agreements(self, query: str = "", status: str | None = None, *,
                        review_due_on: date | None = None) -> list[AgreementSummary]:
        """Newest first; words of ``query`` must all occur (any case, any accents)."""
        self._index.fresh(self._conn, self._cipher)
        return self._index.search(query, status, review_due_on)

    def get_agreement(self, agreement_id: int) -> Agreement:
        return register.get(self._conn, self._cipher, agreement_id)

    def set_status(self, agreement_id: int, status: str, on: date, note: str = "",
                   scan: Path | None = None) -> None:
        register.set_status(self._conn, self._cipher, agreement_id, status, on, note, scan)
        self._index.reload_one(self._conn, self._cipher, agreement_id)

    def attach_scan(self, agreement_id: int, scan: Path) -> None:
        register.attach_scan(self._conn, self._cipher, agreement_id, scan)

    def update_agreement(self, agreement_id: int, *, notes: str | None = None,
                         review_on: date | None = None,
                         signatories: list[Signatory] | None = None) -> None:
        register.update(self._conn, self._cipher, agreement_id, notes=notes,
                        review_on=review_on, signatories=signatories)
        self._index.reload_one(self._conn, self._cipher, agreement_id)

    def document_bytes(self, agreement_id: int, kind: DocumentKind) -> bytes:
        return register.document_bytes(self._conn, self._cipher, agreement_id, kind)

    def subprocessor_overview(self) -> list[SubprocessorUse]:
        return register.subprocessor_overview(self._conn)

    # ------------------------------------------------------------------ export and backup

    def export_csv(self, path: Path) -> None:
        from dpa_desktop.store import export

        platform.atomic_write(path, export.csv_bytes(self._export_rows()))

    def export_pdf(self, path: Path) -> None:
        from dpa_desktop.store import export

        platform.atomic_write(path, export.pdf_bytes(self._export_rows(),
                                                     self.subprocessor_overview()))

    def _export_rows(self) -> list[Agreement]:
        return [self.get_agreement(s.id) for s in reversed(self.list_agreements())]

    def backup(self, path: Path) -> None:
        """One encrypted file that restores on another computer with the recovery code."""
        from dpa_desktop.store import backup

        platform.atomic_write(path, backup.archive_bytes(
            db.snapshot(self._conn), read_wrap(self.data_dir), self._cipher, self.store_id,
            self.schema_version))
