"""The SQLite connection and its settings; every write goes through ``transaction``.

WAL keeps saving a draft cheap (no fsync per commit with synchronous=NORMAL,
yet a killed process never loses a committed write). ``secure_delete``
zeroes freed pages and ``temp_store=MEMORY`` keeps sorts and temp tables off
disk, so nothing outlives its row in readable form.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dpa_desktop import platform

DB_NAME = "register.sqlite"


def connect(path: Path, *, read_only: bool = False, create: bool = False) -> sqlite3.Connection:
    """Open the database; never creates a file unless ``create`` (so a missing one is not
    replaced by an empty one that then reads as damaged)."""
    mode = "ro" if read_only else "rwc" if create else "rw"
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                           timeout=10.0)
    conn.execute("PRAGMA secure_delete=ON")
    conn.execute("PRAGMA temp_store=MEMORY")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL; only after the version check, as it rewrites the file header."""
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All or nothing; takes the write lock up front so two writers never deadlock."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def schema_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def create_file(path: Path) -> None:
    """An empty database file that only this user can read; SQLite gives its
    ``-wal`` and ``-shm`` files the same permissions."""
    os.close(platform.create_private_file(path))


def copy_to_file(conn: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of the whole database in ``target``, written beside and renamed.

    SQLite's backup API copies page by page through a small cache, so a
    database of gigabytes is copied in a few megabytes of memory.
    """
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        copy_pages(conn, tmp)
        platform.replace_file(tmp, target)
        platform.fsync_dir(target.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def copy_pages(conn: sqlite3.Connection, target: Path) -> None:
    """SQLite's online backup of ``conn`` into the new file ``target``, flushed to disk."""
    create_file(target)
    out = sqlite3.connect(target)
    try:
        conn.backup(out)
        out.execute("PRAGMA journal_mode=DELETE")
    finally:
        out.close()
    platform.fsync_file(target)
