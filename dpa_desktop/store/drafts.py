"""Unfinished forms. The wizard saves one within a second of every change,
so a save is a single small encrypted row in one transaction."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime

from dpa_desktop.answers import Answers
from dpa_desktop.store import db
from dpa_desktop.store.crypto import Cipher
from dpa_desktop.store.errors import NotFound


@dataclass(frozen=True)
class Draft:
    id: int | None
    form_id: str
    answers: Answers
    page: str = ""
    updated: datetime | None = None


def _blob(cipher: Cipher, draft: Draft) -> bytes:
    data = {"answers": draft.answers.to_json(), "page": draft.page}
    return cipher.encrypt(json.dumps(data, ensure_ascii=False).encode("utf-8"), "draft")


def save(conn: sqlite3.Connection, cipher: Cipher, draft: Draft) -> Draft:
    now = datetime.now().replace(microsecond=0)
    blob = _blob(cipher, draft)
    with db.transaction(conn):
        if draft.id is None:
            cur = conn.execute("INSERT INTO drafts (form_id, updated, data_blob) VALUES (?, ?, ?)",
                               (draft.form_id, now.isoformat(), blob))
            new_id = cur.lastrowid
            assert new_id is not None
            return replace(draft, id=int(new_id), updated=now)
        cur = conn.execute("UPDATE drafts SET form_id = ?, updated = ?, data_blob = ? WHERE id = ?",
                           (draft.form_id, now.isoformat(), blob, draft.id))
        if cur.rowcount == 0:
            raise NotFound("Onafgemaakt formulier", draft.id)
    return replace(draft, updated=now)


def _row(cipher: Cipher, row: tuple[int, str, str, bytes]) -> Draft:
    draft_id, form_id, updated, blob = row
    data = json.loads(cipher.decrypt(blob, "draft"))
    answers = Answers.from_json(data.get("answers", {}), form_id=form_id)
    return Draft(id=draft_id, form_id=form_id, answers=answers, page=str(data.get("page", "")),
                 updated=datetime.fromisoformat(updated))


def list_all(conn: sqlite3.Connection, cipher: Cipher) -> list[Draft]:
    rows = conn.execute("SELECT id, form_id, updated, data_blob FROM drafts "
                        "ORDER BY updated DESC, id DESC").fetchall()
    return [_row(cipher, r) for r in rows]


def load(conn: sqlite3.Connection, cipher: Cipher, draft_id: int) -> Draft:
    row = conn.execute("SELECT id, form_id, updated, data_blob FROM drafts WHERE id = ?",
                       (draft_id,)).fetchone()
    if row is None:
        raise NotFound("Onafgemaakt formulier", draft_id)
    return _row(cipher, row)


def delete(conn: sqlite3.Connection, draft_id: int) -> None:
    with db.transaction(conn):
        conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))
