"""Schema versions, oldest first. A migration is never edited once released.

Each migration runs in its own transaction together with the version bump,
so a crash leaves the register at the old or the new version, never between.
Before the first migrating write the database is copied to ``backups/``.
A register newer than this app is refused untouched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dpa_desktop.store import db
from dpa_desktop.store.errors import StoreTooNew

BACKUP_DIR = "backups"


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[sqlite3.Connection], None]


def _v1(conn: sqlite3.Connection) -> None:
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


def _v2(conn: sqlite3.Connection) -> None:
    # The register screens filter by status and review date and open histories
    # per agreement; without indexes those scans grow with the register.
    _run(conn, """
        CREATE INDEX agreements_status ON agreements(status);
        CREATE INDEX agreements_review ON agreements(review_on);
        CREATE INDEX history_agreement ON history(agreement_id);
        CREATE INDEX subprocessors_agreement ON subprocessors(agreement_id);
    """)


def _run(conn: sqlite3.Connection, script: str) -> None:
    # Not executescript(): it commits a pending transaction first, which
    # would split a migration from its version bump.
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _v1),
    Migration(2, "indexes for filters and histories", _v2),
)
LATEST = MIGRATIONS[-1].version


def check_supported(conn: sqlite3.Connection) -> int:
    found = db.schema_version(conn)
    if found > LATEST:
        raise StoreTooNew(found, LATEST)
    return found


def migrate(conn: sqlite3.Connection, db_path: Path, *, upto: int | None = None) -> int:
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
            migration.apply(conn)
            conn.execute(f"PRAGMA user_version = {int(migration.version)}")
    return start


def _copy_before_migrating(conn: sqlite3.Connection, db_path: Path, version: int) -> None:
    """Keep the pre-migration database; it holds only ciphertext and index fields."""
    from dpa_desktop import platform

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = db_path.parent / BACKUP_DIR / f"register-v{version}-{stamp}.sqlite"
    platform.atomic_write(target, db.snapshot(conn))
