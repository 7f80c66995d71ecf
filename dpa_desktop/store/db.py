"""The SQLite connection and its settings; every write goes through ``transaction``.

WAL keeps saving a draft cheap (no fsync per commit with synchronous=NORMAL,
yet a killed process never loses a committed write). ``secure_delete``
zeroes freed pages and ``temp_store=MEMORY`` keeps sorts and temp tables off
disk, so nothing outlives its row in readable form.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DB_NAME = "register.sqlite"


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    uri = path.resolve().as_uri() + ("?mode=ro" if read_only else "")
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


def snapshot(conn: sqlite3.Connection) -> bytes:
    """A consistent copy of the whole database as bytes, without a temp file."""
    memory = sqlite3.connect(":memory:")
    try:
        conn.backup(memory)
        return memory.serialize()
    finally:
        memory.close()
