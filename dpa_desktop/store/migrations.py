"""Schema versions, oldest first. A migration is never edited once released.

Each migration runs in its own transaction together with the version bump,
so a crash leaves the register at the old or the new version, never between;
the version is read again inside that transaction, so two processes opening
an old register at once migrate it once. Before the first migrating write the
database is copied to ``backups/``. A register newer than this app is refused
untouched. A migration that rewrites encrypted data gets the open cipher.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dpa_desktop.store import db
from dpa_desktop.store.crypto import Cipher
from dpa_desktop.store.errors import StoreCorrupt, StoreTooNew

BACKUP_DIR = "backups"


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[sqlite3.Connection, Cipher | None], None]


def _v1(conn: sqlite3.Connection, cipher: Cipher | None) -> None:
    # Plaintext columns hold only what is not personal data (ids, status, dates,
    # form id, processor company); *_blob columns are AES-GCM ciphertext.
    _run(conn, """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
        CREATE TABLE profile (id INTEGER PRIMARY KEY CHECK (id = 1), data_blob BLOB NOT NULL);
        CREATE TABLE drafts (
            id INTEGER PRIMARY KEY,
            form_id TEXT NOT NULL,
            updated TEXT NOT NULL,
            data_blob BLOB NOT NULL
        );
        CREATE TABLE agreements (
            id INTEGER PRIMARY KEY,
            form_id TEXT NOT NULL,
            form_version TEXT NOT NULL,
            processor TEXT NOT NULL,
            status TEXT NOT NULL,
            created_on TEXT NOT NULL,
            sent_on TEXT,
            signed_on TEXT,
            ended_on TEXT,
            review_on TEXT,
            index_blob BLOB NOT NULL,
            data_blob BLOB NOT NULL
        );
        CREATE TABLE documents (
            agreement_id INTEGER NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            data_blob BLOB NOT NULL,
            PRIMARY KEY (agreement_id, kind)
        );
        CREATE TABLE history (
            id INTEGER PRIMARY KEY,
            agreement_id INTEGER NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
            status TEXT NOT NULL,
            on_date TEXT NOT NULL,
            at TEXT NOT NULL,
            note_blob BLOB NOT NULL
        );
        CREATE TABLE subprocessors (
            agreement_id INTEGER NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            country TEXT NOT NULL,
            outside_eea INTEGER NOT NULL,
            services TEXT NOT NULL
        );
    """)


def _v2(conn: sqlite3.Connection, cipher: Cipher | None) -> None:
    # The register screens filter by status and review date and open histories
    # per agreement; without indexes those scans grow with the register.
    _run(conn, """
        CREATE INDEX agreements_status ON agreements(status);
        CREATE INDEX agreements_review ON agreements(review_on);
        CREATE INDEX history_agreement ON history(agreement_id);
        CREATE INDEX subprocessors_agreement ON subprocessors(agreement_id);
    """)


def _v3(conn: sqlite3.Connection, cipher: Cipher | None) -> None:
    # Blobs were bound to their column only ("agreement:data"), so records could
    # be swapped between rows, and plain columns could be edited unnoticed. Now
    # each blob is bound to table, column and row id, and a MAC covers each
    # row's plain columns and blob tags (register.py). Documents were already
    # bound to their row ("document:<id>:<kind>") and are not rewritten.
    from dpa_desktop.store import drafts, profile, register

    _run(conn, """
        ALTER TABLE agreements ADD COLUMN history_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE agreements ADD COLUMN subprocessor_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE agreements ADD COLUMN row_mac BLOB;
        ALTER TABLE history ADD COLUMN row_mac BLOB;
        ALTER TABLE drafts ADD COLUMN row_mac BLOB;
        ALTER TABLE subprocessors ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE subprocessors ADD COLUMN row_mac BLOB
    """)
    has_rows = any(conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone()
                   for t in ("profile", "drafts", "agreements"))
    if not has_rows:
        return
    if cipher is None:
        raise RuntimeError("migration 3 re-encrypts records and needs the data key")

    def rebind(blob: object, old: str, new: str) -> object:
        # A blob that no longer decrypts stays as it was: after the migration
        # it fails its check and is quarantined, like any damaged record.
        try:
            return cipher.encrypt(cipher.decrypt(blob, old), new)
        except StoreCorrupt:
            return blob

    for (blob,) in conn.execute("SELECT data_blob FROM profile WHERE id = 1").fetchall():
        conn.execute("UPDATE profile SET data_blob = ? WHERE id = 1",
                     (rebind(blob, "profile", profile.PURPOSE),))
    for draft_id, form_id, updated, blob in conn.execute(
            "SELECT id, form_id, updated, data_blob FROM drafts").fetchall():
        new = rebind(blob, "draft", drafts.purpose(draft_id))
        mac = cipher.mac(drafts.mac_parts(draft_id, form_id, updated, register.tag_of(new)))
        conn.execute("UPDATE drafts SET data_blob = ?, row_mac = ? WHERE id = ?",
                     (new, mac, draft_id))
    for hid, aid, status, on_date, at, blob in conn.execute(
            "SELECT id, agreement_id, status, on_date, at, note_blob FROM history").fetchall():
        new = rebind(blob, f"history:{aid}", register.note_purpose(hid))
        mac = cipher.mac(register.history_mac_parts(hid, aid, status, on_date, at,
                                                     register.tag_of(new)))
        conn.execute("UPDATE history SET note_blob = ?, row_mac = ? WHERE id = ?",
                     (new, mac, hid))
    subs = conn.execute("SELECT rowid, agreement_id, name, country, outside_eea, services "
                        "FROM subprocessors ORDER BY agreement_id, rowid").fetchall()
    seqs: dict[int, int] = {}
    for rowid, aid, name, country, outside, services in subs:
        seq = seqs[aid] = seqs.get(aid, -1) + 1
        mac = cipher.mac(register.subprocessor_mac_parts(aid, seq, name, country, outside,
                                                          services))
        conn.execute("UPDATE subprocessors SET seq = ?, row_mac = ? WHERE rowid = ?",
                     (seq, mac, rowid))
    conn.execute("UPDATE agreements SET "
                 "history_count = (SELECT count(*) FROM history h WHERE h.agreement_id = "
                 "agreements.id), subprocessor_count = (SELECT count(*) FROM subprocessors s "
                 "WHERE s.agreement_id = agreements.id)")
    for aid, index_blob, data_blob in conn.execute(
            "SELECT id, index_blob, data_blob FROM agreements").fetchall():
        conn.execute("UPDATE agreements SET index_blob = ?, data_blob = ? WHERE id = ?",
                     (rebind(index_blob, "agreement:index", register.index_purpose(aid)),
                      rebind(data_blob, "agreement:data", register.data_purpose(aid)), aid))
        register.seal_agreement(conn, cipher, aid)
    register.seal_agreement_count(conn, cipher)


def _run(conn: sqlite3.Connection, script: str) -> None:
    # Not executescript(): it commits a pending transaction first, which
    # would split a migration from its version bump.
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _v1),
    Migration(2, "indexes for filters and histories", _v2),
    Migration(3, "blobs bound to their row; MACs over every row", _v3),
)
LATEST = MIGRATIONS[-1].version


def check_supported(conn: sqlite3.Connection) -> int:
    found = db.schema_version(conn)
    if found > LATEST:
        raise StoreTooNew(found, LATEST)
    return found


def migrate(conn: sqlite3.Connection, db_path: Path, *, upto: int | None = None,
            cipher: Cipher | None = None) -> int:
    """Bring the database to ``upto`` (the latest); returns the version it started at."""
    start = check_supported(conn)
    target = LATEST if upto is None else upto
    pending = [m for m in MIGRATIONS if start < m.version <= target]
    if not pending:
        return start
    if start > 0:
        _copy_before_migrating(conn, db_path, start)
    for migration in pending:
        with db.transaction(conn):
            if db.schema_version(conn) >= migration.version:
                continue  # another process migrated while this one waited for the lock
            migration.apply(conn, cipher)
            conn.execute(f"PRAGMA user_version = {int(migration.version)}")
    return start


def _copy_before_migrating(conn: sqlite3.Connection, db_path: Path, version: int) -> None:
    """Keep the pre-migration database; it holds only ciphertext and index fields."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = db_path.parent / BACKUP_DIR / f"register-v{version}-{stamp}.sqlite"
    db.copy_to_file(conn, target)
