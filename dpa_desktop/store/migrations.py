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
from typing import Any

from dpa_desktop.store import db
from dpa_desktop.store.crypto import TAG_BYTES, Cipher
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
        mac = cipher.mac(_v3_history_parts(hid, aid, status, on_date, at, register.tag_of(new)))
        conn.execute("UPDATE history SET note_blob = ?, row_mac = ? WHERE id = ?",
                     (new, mac, hid))
    subs = conn.execute("SELECT rowid, agreement_id, name, country, outside_eea, services "
                        "FROM subprocessors ORDER BY agreement_id, rowid").fetchall()
    seqs: dict[int, int] = {}
    for rowid, aid, name, country, outside, services in subs:
        seq = seqs[aid] = seqs.get(aid, -1) + 1
        mac = cipher.mac(_v3_subprocessor_parts(aid, seq, name, country, outside, services))
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
        _v3_seal_agreement(conn, cipher, aid)
    _seal_agreement_count(conn, cipher)


# The row MACs as schema 3 wrote them: kept here so migration 3 writes, and
# migration 4 checks, exactly that format whatever register.py does later.
_V3_AGREEMENT_COLUMNS = ("id, form_id, form_version, processor, status, created_on, sent_on, "
                         "signed_on, ended_on, review_on")


def _v3_history_parts(hid: object, aid: object, status: object, on_date: object, at: object,
                      note_tag: object) -> list[object]:
    return ["history", hid, aid, status, on_date, at, note_tag]


def _v3_subprocessor_parts(aid: object, seq: object, name: object, country: object,
                           outside_eea: object, services: object) -> list[object]:
    return ["subprocessors", aid, seq, name, country, outside_eea, services]


def _v3_agreement_parts(row: tuple[Any, ...]) -> list[object]:
    """``row``: the v3 columns, the two counts and the tags of the index and data blobs."""
    return ["agreements", *row]


def _v3_seal_agreement(conn: sqlite3.Connection, cipher: Cipher, aid: int) -> None:
    row = conn.execute(
        f"SELECT {_V3_AGREEMENT_COLUMNS}, history_count, subprocessor_count, "
        f"substr(index_blob, -{TAG_BYTES}, {TAG_BYTES}), "
        f"substr(data_blob, -{TAG_BYTES}, {TAG_BYTES}) FROM agreements WHERE id = ?",
        (aid,)).fetchone()
    conn.execute("UPDATE agreements SET row_mac = ? WHERE id = ?",
                 (cipher.mac(_v3_agreement_parts(tuple(row))), aid))


def _seal_agreement_count(conn: sqlite3.Connection, cipher: Cipher) -> None:
    count, top = conn.execute("SELECT count(*), coalesce(max(id), 0) FROM agreements").fetchone()
    conn.execute("INSERT INTO meta (key, value) VALUES ('agreements_mac', ?) ON CONFLICT(key) "
                 "DO UPDATE SET value = excluded.value",
                 (cipher.mac(["agreements-count", count, top]),))


# The row MACs as schema 4 writes them (register.py writes the same; a test holds them equal).
V4_AGREEMENT_COLUMNS = _V3_AGREEMENT_COLUMNS + ", ends_on, external"


def v4_history_parts(hid: object, aid: object, status: object, on_date: object, at: object,
                     note_tag: object, event: object) -> list[object]:
    return ["history", hid, aid, status, on_date, at, note_tag, event]


def _v4(conn: sqlite3.Connection, cipher: Cipher | None) -> None:
    # Agreements not made here ("external") enter the register, with the end of
    # their term; a history step can be an edit; a subprocessor's EEA status is
    # yes, no or unknown (it was 1 or 0, and 0 with country "land onbekend"
    # meant unknown; such a country is now stored empty).
    _run(conn, """
        ALTER TABLE agreements ADD COLUMN ends_on TEXT;
        ALTER TABLE agreements ADD COLUMN external INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE history ADD COLUMN event TEXT NOT NULL DEFAULT 'status';
        CREATE TABLE subprocessors_v4 (
            agreement_id INTEGER NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            name TEXT NOT NULL,
            country TEXT NOT NULL,
            outside_eea TEXT NOT NULL,
            services TEXT NOT NULL,
            row_mac BLOB
        )
    """)
    has_rows = conn.execute("SELECT 1 FROM agreements LIMIT 1").fetchone() is not None
    if has_rows and cipher is None:
        raise RuntimeError("migration 4 re-seals records and needs the data key")
    # A row whose v3 MAC does not check out keeps its old MAC, which fails under
    # the new format: it stays quarantined instead of being vouched for now.
    for aid, seq, name, country, outside, services, mac in conn.execute(
            "SELECT agreement_id, seq, name, country, outside_eea, services, row_mac "
            "FROM subprocessors ORDER BY rowid").fetchall():
        status = "yes" if outside == 1 else "unknown" if country == "land onbekend" else "no"
        place = "" if country == "land onbekend" else country
        if cipher is not None and cipher.mac_ok(
                _v3_subprocessor_parts(aid, seq, name, country, outside, services), mac):
            mac = cipher.mac(_v3_subprocessor_parts(aid, seq, name, place, status, services))
        conn.execute("INSERT INTO subprocessors_v4 (agreement_id, seq, name, country, "
                     "outside_eea, services, row_mac) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (aid, seq, name, place, status, services, mac))
    _run(conn, """
        DROP TABLE subprocessors;
        ALTER TABLE subprocessors_v4 RENAME TO subprocessors;
        CREATE INDEX subprocessors_agreement ON subprocessors(agreement_id)
    """)
    if cipher is None:
        return
    for hid, aid, status, on_date, at, tag, mac in conn.execute(
            f"SELECT id, agreement_id, status, on_date, at, "
            f"substr(note_blob, -{TAG_BYTES}, {TAG_BYTES}), row_mac FROM history").fetchall():
        if cipher.mac_ok(_v3_history_parts(hid, aid, status, on_date, at, tag), mac):
            conn.execute("UPDATE history SET row_mac = ? WHERE id = ?", (cipher.mac(
                v4_history_parts(hid, aid, status, on_date, at, tag, "status")), hid))
    for row in conn.execute(
            f"SELECT {V4_AGREEMENT_COLUMNS}, history_count, subprocessor_count, "
            f"substr(index_blob, -{TAG_BYTES}, {TAG_BYTES}), "
            f"substr(data_blob, -{TAG_BYTES}, {TAG_BYTES}), row_mac FROM agreements").fetchall():
        v3_row = (*row[:10], *row[12:16])
        if cipher.mac_ok(_v3_agreement_parts(v3_row), row[16]):
            conn.execute("UPDATE agreements SET row_mac = ? WHERE id = ?",
                         (cipher.mac(["agreements", *row[:16]]), row[0]))


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
    Migration(4, "external agreements, edits in the history, EEA status yes/no/unknown", _v4),
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
