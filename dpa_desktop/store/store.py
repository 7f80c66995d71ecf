"""The Store: one open, unlocked register in a data directory.

Opening never writes before the key is proven right and the schema is known
to be supported; a missing or wrong key, a missing keyring or a newer schema
leave every file as it was and say in Dutch what to do. One damaged record
never stops the rest: it is left out of lists and exports and named in
``damaged_records``, and a backup copies the register as it is.

The data directory holds ``register.sqlite`` (with ``-wal``/``-shm`` while
open), ``recovery.json`` (the data key wrapped with the recovery code) and
``backups/`` (the database as it was before a migration). Plain columns hold
only ids, statuses, dates, form ids and company names of processors and
subprocessors, each row with a MAC; everything else is AES-GCM ciphertext.
The data key itself is only in the keyring.

Setting up and restoring happen under an exclusive lock beside the data
directory and in a staging folder that replaces the data directory in one
rename (``folder``); every start first finishes or undoes what an
interrupted one left.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dpa_desktop import paths, platform
from dpa_desktop.answers import Answers
from dpa_desktop.forms.model import FormSpec
from dpa_desktop.statuses import SIGNED
from dpa_desktop.store import crypto, db, drafts, folder, migrations, profile, register
from dpa_desktop.store import keys as keys_mod
from dpa_desktop.store.crypto import Cipher
from dpa_desktop.store.drafts import Draft
from dpa_desktop.store.errors import (
    KeyringUnavailable,
    RecordDamaged,
    StoreCorrupt,
    StoreError,
    StoreExists,
    StoreIOError,
    StoreLocked,
    StoreMissing,
)
from dpa_desktop.store.external import ExternalEntry, RegisterFields
from dpa_desktop.store.keys import KeyBackend, default_backend
from dpa_desktop.store.register import (
    Agreement,
    AgreementSummary,
    DamagedRecord,
    DocumentKind,
    Signatory,
    SubprocessorUse,
)

if TYPE_CHECKING:
    from dpa_desktop.forms.loader import LoadedForms

RECOVERY_FILE = folder.RECOVERY_FILE
Progress = Callable[[int, int], None]


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


@contextmanager
def _database_errors(directory: Path) -> Iterator[None]:
    """SQLite's own errors while opening, as Dutch store errors naming the file."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise StoreError(f"Het register in {directory} is bezet door een ander proces van "
                             "DPA Desktop. Wacht even en probeer het opnieuw.") from exc
        if "unable to open" in text:
            raise StoreIOError(f"Het openen van {directory / db.DB_NAME}", OSError(0, str(exc))) \
                from exc
        raise StoreCorrupt(f"het registerbestand ({db.DB_NAME}) is onleesbaar ({exc})") from exc
    except sqlite3.DatabaseError as exc:
        raise StoreCorrupt(f"het registerbestand ({db.DB_NAME}) is geen leesbare database "
                           f"({exc})") from exc


def _settle(directory: Path) -> None:
    """Finish or undo an interrupted set-up or restore before anything else (at every start)."""
    if folder.needs_settling(directory):
        with folder.setup_lock(directory):
            folder.settle(directory)


class Store:
    def __init__(self, data_dir: Path, conn: sqlite3.Connection, cipher: Cipher,
                 store_id: str, *, key_saved: bool = True) -> None:
        self.data_dir = data_dir
        self.store_id = store_id
        # False when the key could not be put in the keyring (recovered without one).
        self.key_saved = key_saved
        # Where a restore with ``replace=True`` kept the register it replaced.
        self.replaced_folder: Path | None = None
        self._conn = conn
        self._cipher = cipher
        self._index = register.Index()
        self._other_damage: dict[tuple[str, int], DamagedRecord] = {}
        self._index.load(conn, cipher)

    # ------------------------------------------------------------------ lifecycle

    @staticmethod
    def exists(data_dir: Path | None = None) -> bool:
        """Is there a register? Finishes an interrupted set-up or restore first."""
        directory = data_dir or paths.data_dir()
        _settle(directory)
        return folder.has_register(directory)

    @classmethod
    def create(cls, data_dir: Path | None = None,
               keys: KeyBackend | None = None) -> tuple[Store, str]:
        """A new, empty register; returns it with the recovery code to show once.

        StoreExists when another process (or an earlier start) made one first.
        """
        directory = data_dir or paths.data_dir()
        keys = keys or default_backend(directory)
        with folder.setup_lock(directory):
            folder.settle(directory)
            if folder.has_register(directory):
                raise StoreExists(str(directory))
            data_key, code = cls._create_locked(directory, keys)
        return cls._open_with_key(directory, data_key), code

    @classmethod
    def open_or_create(cls, data_dir: Path | None = None,
                       keys: KeyBackend | None = None) -> tuple[Store, str | None]:
        """The register, set up first if there is none; the code only when it was just set up.

        Safe when several processes start on an empty folder at once: one sets
        up, the others wait for it and open what it made.
        """
        directory = data_dir or paths.data_dir()
        keys = keys or default_backend(directory)
        if not cls.exists(directory):
            with folder.setup_lock(directory):
                folder.settle(directory)
                if not folder.has_register(directory):
                    data_key, code = cls._create_locked(directory, keys)
                    return cls._open_with_key(directory, data_key), code
        return cls.open(directory, keys), None

    @classmethod
    def _create_locked(cls, directory: Path, keys: KeyBackend) -> tuple[bytes, str]:
        store_id = uuid.uuid4().hex
        data_key = crypto.new_key()
        code = crypto.new_recovery_code()
        wrap = crypto.wrap_key(data_key, code, store_id)
        # Fails before anything is written when the keyring does not keep keys.
        keys_mod.save_and_check(keys, key_name(store_id), data_key)
        cipher = Cipher(data_key)
        staging = folder.new_staging(directory)
        try:
            path = staging / db.DB_NAME
            db.create_file(path)
            conn = db.connect(path)
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                migrations.migrate(conn, path, cipher=cipher)
                with db.transaction(conn):
                    conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [
                        ("store_id", store_id),
                        ("key_check", cipher.key_check(store_id)),
                        ("created", datetime.now().replace(microsecond=0).isoformat()),
                    ])
                    register.seal_agreement_count(conn, cipher)
            finally:
                conn.close()
            platform.atomic_write(staging / RECOVERY_FILE,
                                  json.dumps(wrap, indent=2).encode("utf-8"))
            folder.mark_complete(staging, replace=False)
            folder.install(staging, directory)
        except OSError as exc:
            folder.remove_tree(staging)
            raise StoreIOError(f"Het instellen van het register in {directory}", exc) from exc
        except BaseException:
            folder.remove_tree(staging)
            raise
        return data_key, code

    @classmethod
    def open(cls, data_dir: Path | None = None, keys: KeyBackend | None = None) -> Store:
        directory = data_dir or paths.data_dir()
        keys = keys or default_backend(directory)
        if not cls.exists(directory):
            raise StoreMissing(str(directory))
        with _database_errors(directory):
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
        # WrongRecoveryCode: nothing touched
        data_key = crypto.unwrap_key(wrap, recovery_code, "het herstelbestand (recovery.json)")
        store = cls._open_with_key(directory, data_key)
        store.key_saved = _keep_key(keys, store.store_id, data_key)
        return store

    @classmethod
    def _open_with_key(cls, directory: Path, key: bytes) -> Store:
        folder.make_private(directory)
        path = directory / db.DB_NAME
        with _database_errors(directory):
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
                migrations.migrate(conn, path, cipher=cipher)
                return cls(directory, conn, cipher, store_id)
            except BaseException:
                conn.close()
                raise

    @classmethod
    def restore(cls, archive: Path, recovery_code: str, data_dir: Path | None = None,
                keys: KeyBackend | None = None, *, replace: bool = False,
                progress: Progress | None = None) -> Store:
        """Put a backup in place of the data folder and open it.

        Without ``replace`` only where there is no register yet (StoreExists
        otherwise, nothing written). With ``replace`` an existing register is
        moved aside, never deleted; ``replaced_folder`` of the result says
        where. Close any open Store on this folder first. The archive is
        checked entirely (code, header, every chunk, the database's key)
        before the data folder changes, in one rename; a crash at any point
        leaves the old register or the new one at the next start.
        """
        from dpa_desktop.store import backup

        directory = data_dir or paths.data_dir()
        keys = keys or default_backend(directory)
        with folder.setup_lock(directory):
            folder.settle(directory)
            if folder.has_register(directory) and not replace:
                raise StoreExists(str(directory))
            opened = backup.open_archive(archive, recovery_code)  # nothing written yet
            staging = folder.new_staging(directory)
            try:
                backup.extract(opened, staging, progress)
                # Before the swap: once the new register is in place, its key is too.
                key_saved = _keep_key(keys, opened.store_id, opened.data_key)
                folder.mark_complete(staging, replace=replace)
                kept = folder.install(staging, directory)
            except OSError as exc:
                folder.remove_tree(staging)
                raise StoreIOError(f"Het terugzetten in {directory}", exc) from exc
            except BaseException:
                folder.remove_tree(staging)
                raise
        store = cls._open_with_key(directory, opened.data_key)
        store.replaced_folder = kept
        store.key_saved = key_saved
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

    # ------------------------------------------------------------------ damage

    def damaged_records(self) -> list[DamagedRecord]:
        """Every record found damaged so far and left out, the register's own count first.

        Agreements are checked when the store opens; the profile and drafts
        when they are read, the data and documents of an agreement when it is
        opened or exported.
        """
        self._index.fresh(self._conn, self._cipher)
        out = [self._index.missing] if self._index.missing else []
        out += sorted(self._index.damaged.values(), key=lambda d: d.id)
        out += sorted(self._other_damage.values(), key=lambda d: (d.table, d.id))
        return out

    def _quarantine(self, table: str, ident: int, exc: RecordDamaged) -> None:
        damage = DamagedRecord(table, ident, exc.what, exc.detail)
        if table == "agreements":
            self._index.quarantine(ident, damage)
        else:
            self._other_damage[(table, ident)] = damage

    # ------------------------------------------------------------------ profile and drafts

    def load_profile(self) -> dict[str, str]:
        """The practice profile; empty (and named in ``damaged_records``) when it is damaged,
        so the app still starts and saving the profile again repairs it."""
        try:
            return profile.load(self._conn, self._cipher)
        except RecordDamaged as exc:
            self._quarantine("profile", 1, exc)
            return {}

    def save_profile(self, practice: dict[str, str]) -> None:
        """Validates first (AnswersInvalid names each bad field); stores normalised values."""
        profile.save(self._conn, self._cipher, practice)
        self._other_damage.pop(("profile", 1), None)

    def save_draft(self, draft: Draft) -> Draft:
        saved = drafts.save(self._conn, self._cipher, draft)
        self._other_damage.pop(("drafts", saved.id or 0), None)
        return saved

    def list_drafts(self) -> list[Draft]:
        """The drafts that can be read; damaged ones are left out and named."""
        good, damaged = drafts.list_all(self._conn, self._cipher)
        for draft_id, exc in damaged:
            self._quarantine("drafts", draft_id, exc)
        return good

    def load_draft(self, draft_id: int) -> Draft:
        try:
            return drafts.load(self._conn, self._cipher, draft_id)
        except RecordDamaged as exc:
            self._quarantine("drafts", draft_id, exc)
            raise

    def delete_draft(self, draft_id: int) -> None:
        drafts.delete(self._conn, draft_id)
        self._other_damage.pop(("drafts", draft_id), None)

    # ------------------------------------------------------------------ the register

    def record_agreement(self, spec: FormSpec, answers: Answers, docx: Path, pdf: Path,
                         draft_id: int | None = None) -> int:
        """Record a generated agreement as a concept; the draft it came from goes."""
        aid = register.record(self._conn, self._cipher, spec, answers, docx.read_bytes(),
                              pdf.read_bytes(), draft_id=draft_id)
        self._index.reload_one(self._conn, self._cipher, aid)
        if draft_id is not None:
            self._other_damage.pop(("drafts", draft_id), None)
        return aid

    def list_agreements(self, query: str = "", status: str | None = None, *,
                        review_due_on: date | None = None) -> list[AgreementSummary]:
        """Newest first; words of ``query`` must all occur (any case, any accents).

        Damaged agreements are left out; ``damaged_records`` names them.
        """
        self._index.fresh(self._conn, self._cipher)
        return self._index.search(query, status, review_due_on)

    @contextmanager
    def _agreement_checks(self, agreement_id: int) -> Iterator[None]:
        """A damaged agreement found while reading or writing it is quarantined, then reported."""
        try:
            yield
        except RecordDamaged as exc:
            self._quarantine("agreements", agreement_id, exc)
            raise

    def get_agreement(self, agreement_id: int) -> Agreement:
        with self._agreement_checks(agreement_id):
            return register.get(self._conn, self._cipher, agreement_id)

    def set_status(self, agreement_id: int, status: str, on: date, note: str = "",
                   scan: Path | None = None) -> None:
        with self._agreement_checks(agreement_id):
            register.set_status(self._conn, self._cipher, agreement_id, status, on, note, scan)
        self._index.reload_one(self._conn, self._cipher, agreement_id)

    def attach_scan(self, agreement_id: int, scan: Path) -> None:
        with self._agreement_checks(agreement_id):
            register.attach_scan(self._conn, self._cipher, agreement_id, scan)

    def update_agreement(self, agreement_id: int, *, notes: str | None = None,
                         review_on: date | None = None,
                         signatories: list[Signatory] | None = None) -> None:
        with self._agreement_checks(agreement_id):
            register.update(self._conn, self._cipher, agreement_id, notes=notes,
                            review_on=review_on, signatories=signatories)
        self._index.reload_one(self._conn, self._cipher, agreement_id)

    def record_external(self, entry: ExternalEntry, scan: Path | None = None) -> int:
        """Record an agreement not made here (``external.parse_entry`` checks one), as signed.

        The practice's name from the profile goes with it, like the organisation
        of an agreement made here.
        """
        organisation = self.load_profile().get("organisatie_naam", "")
        aid = register.record_external(self._conn, self._cipher, entry,
                                       organisation=organisation, scan=scan)
        self._index.reload_one(self._conn, self._cipher, aid)
        return aid

    def edit_agreement(self, agreement_id: int, fields: RegisterFields,
                       scan: Path | None = None) -> bool:
        """Correct an agreement's fields and/or its scan; the change goes into its history.

        ``fields`` is the whole new state: an ExternalEntry for an external
        agreement, RegisterFields (dates, note) for one made here; build it from
        ``Agreement.register_fields()`` or ``external.parse_changes``. False when
        nothing changed.
        """
        with self._agreement_checks(agreement_id):
            changed = register.edit(self._conn, self._cipher, agreement_id, fields, scan=scan)
        self._index.reload_one(self._conn, self._cipher, agreement_id)
        return changed

    def document_bytes(self, agreement_id: int, kind: DocumentKind) -> bytes:
        with self._agreement_checks(agreement_id):
            return register.document_bytes(self._conn, self._cipher, agreement_id, kind)

    def document_copy(self, agreement_id: int, kind: DocumentKind) -> Path:
        """A decrypted copy of a document to open in a viewer or print, in this user's private
        folder under a random name; delete it with ``copies.remove`` when the viewer is done
        (``copies.sweep`` at every start removes what is left)."""
        from dpa_desktop.store import copies

        with self._agreement_checks(agreement_id):
            agreement = register.get(self._conn, self._cipher, agreement_id)
            suffix = _suffix(kind, agreement.scan_type)
            return copies.write(f"overeenkomst-{agreement_id}-{kind}", suffix,
                                lambda write: register.write_document(
                                    self._conn, self._cipher, agreement_id, kind, write))

    def subprocessor_overview(self) -> list[SubprocessorUse]:
        """Subprocessors under signed agreements; damaged agreements are left out and named."""
        self._index.fresh(self._conn, self._cipher)
        signed = {aid: (self._index.subprocessor_counts[aid], s)
                  for aid, s in self._index.rows.items() if s.status == SIGNED}
        typed_forms = frozenset(fid for fid, spec in _load_forms().forms.items()
                                if spec.subprocessors_from is not None)
        return register.subprocessor_overview(
            self._conn, self._cipher, signed,
            lambda aid, exc: self._quarantine("agreements", aid, exc), typed_forms)

    # ------------------------------------------------------------------ export and backup

    def export_csv(self, path: Path, forms: LoadedForms | None = None) -> list[DamagedRecord]:
        """The overview as CSV, the same columns as ``export_pdf``; returns the damaged
        records that were left out (see ``damaged_records``). ``forms``: the installed
        forms (loaded when not given), for the details of agreements made here."""
        from dpa_desktop.store import export

        rows = export.overview_rows(self._export_rows(), forms or _load_forms())
        _write_out(path, export.csv_bytes(rows), "Het exporteren naar")
        return self.damaged_records()

    def export_pdf(self, path: Path, forms: LoadedForms | None = None) -> list[DamagedRecord]:
        """The "Overzicht verwerkers en verwerkersovereenkomsten" on A4 landscape, with the
        practice's name (from the profile) and the date, naming damaged agreements it
        leaves out."""
        from dpa_desktop.store import export

        rows = export.overview_rows(self._export_rows(), forms or _load_forms())
        overview = self.subprocessor_overview()
        damaged = [d for d in self.damaged_records() if d.table == "agreements"]
        _write_out(path, export.pdf_bytes(rows, overview, damaged, practice=self.practice_name()),
                   "Het exporteren naar")
        return self.damaged_records()

    def practice_name(self) -> str:
        """The practice's name: from the profile, else from the newest agreement."""
        name = self.load_profile().get("organisatie_naam", "")
        if name:
            return name
        return next((s.organisation for s in self.list_agreements() if s.organisation), "")

    def _export_rows(self) -> list[Agreement]:
        out = []
        for summary in reversed(self.list_agreements()):
            try:
                out.append(self.get_agreement(summary.id))
            except RecordDamaged:
                continue  # quarantined and named by damaged_records
        return out

    def backup(self, path: Path, *, progress: Progress | None = None) -> None:
        """One encrypted file that restores on another computer with the recovery code.

        Streams: the memory used does not grow with the register. The file
        holds the register as it is, damaged records included (they may be
        repairable elsewhere); only the recovery file must be readable.
        """
        from dpa_desktop.store import backup

        wrap = read_wrap(self.data_dir)
        try:
            backup.write_archive(self._conn, wrap, self._cipher, self.store_id,
                                 self.schema_version, path, self.data_dir, progress)
        except OSError as exc:
            raise StoreIOError(f"Het schrijven van de reservekopie naar {path}", exc) from exc


def _load_forms() -> LoadedForms:
    from dpa_desktop.forms.loader import load_forms

    return load_forms()


def _suffix(kind: DocumentKind, scan_type: str | None) -> str:
    if kind != "scan":
        return f".{kind}"
    return {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg",
            "image/tiff": ".tif"}.get(scan_type or "", ".bin")


def _write_out(path: Path, data: bytes, action: str) -> None:
    try:
        platform.atomic_write(path, data)
    except OSError as exc:
        raise StoreIOError(f"{action} {path}", exc) from exc


def _keep_key(keys: KeyBackend, store_id: str, data_key: bytes) -> bool:
    """Put the key in the keyring after a recovery or restore; False when it was not kept."""
    try:
        keys_mod.save_and_check(keys, key_name(store_id), data_key)
    except KeyringUnavailable:
        return False
    return True
