"""Unfinished forms. The wizard saves one within a second of every change,
so a save is a single small encrypted row in one transaction.

The blob is bound to its row id; a MAC covers the row's plain columns (form,
time) and the blob's tag. A draft that fails either check is skipped by the
list and named, never allowed to stop the others from loading.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime

from dpa_desktop.answers import Answers
from dpa_desktop.errors import DpaError
from dpa_desktop.store import db
from dpa_desktop.store.crypto import TAG_BYTES, Cipher
from dpa_desktop.store.errors import NotFound, RecordDamaged, StoreCorrupt


@dataclass(frozen=True)
class Draft:
    id: int | None
    form_id: str
    answers: Answers
    page: str = ""
    updated: datetime | None = None


def purpose(draft_id: int) -> str:
    return f"drafts.data_blob:{draft_id}"


def mac_parts(draft_id: object, form_id: object, updated: object, tag: object) -> list[object]:
    return ["drafts", draft_id, form_id, updated, tag]


def label(draft_id: object) -> str:
    return f"Onafgemaakt formulier {draft_id}"


def _blob(cipher: Cipher, draft: Draft, draft_id: int) -> bytes:
    data = {"answers": draft.answers.to_json(), "page": draft.page}
    return cipher.encrypt(json.dumps(data, ensure_ascii=False).encode("utf-8"), purpose(draft_id))


def save(conn: sqlite3.Connection, cipher: Cipher, draft: Draft) -> Draft:
    now = datetime.now().replace(microsecond=0)
    with db.transaction(conn):
        if draft.id is None:
            draft_id = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM drafts").fetchone()[0])
        else:
            draft_id = draft.id
            if conn.execute("SELECT 1 FROM drafts WHERE id = ?", (draft_id,)).fetchone() is None:
                raise NotFound("Onafgemaakt formulier", draft_id)
        blob = _blob(cipher, draft, draft_id)
        mac = cipher.mac(mac_parts(draft_id, draft.form_id, now.isoformat(), blob[-TAG_BYTES:]))
        conn.execute("INSERT INTO drafts (id, form_id, updated, data_blob, row_mac) "
                     "VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                     "form_id = excluded.form_id, updated = excluded.updated, "
                     "data_blob = excluded.data_blob, row_mac = excluded.row_mac",
                     (draft_id, draft.form_id, now.isoformat(), blob, mac))
    return replace(draft, id=draft_id, updated=now)


_COLUMNS = "SELECT id, form_id, updated, data_blob, row_mac FROM drafts"


def _row(cipher: Cipher, row: tuple[int, str, str, bytes, bytes]) -> Draft:
    draft_id, form_id, updated, blob, mac = row
    tag = blob[-TAG_BYTES:] if isinstance(blob, bytes) else blob
    if not cipher.mac_ok(mac_parts(draft_id, form_id, updated, tag), mac):
        raise RecordDamaged(label(draft_id), "de gegevens zijn buiten DPA Desktop gewijzigd of "
                                             "verplaatst (controlecode klopt niet)")
    try:
        plain = cipher.decrypt(blob, purpose(draft_id), "het gegevensblok")
    except StoreCorrupt as exc:
        raise RecordDamaged(label(draft_id), exc.detail) from exc
    try:
        data = json.loads(plain)
        answers = Answers.from_json(data.get("answers", {}), form_id=form_id)
        return Draft(id=draft_id, form_id=form_id, answers=answers, page=str(data.get("page", "")),
                     updated=datetime.fromisoformat(updated))
    except (AttributeError, TypeError, ValueError, DpaError) as exc:
        raise RecordDamaged(label(draft_id), "het gegevensblok is onleesbaar") from exc


def list_all(conn: sqlite3.Connection,
             cipher: Cipher) -> tuple[list[Draft], list[tuple[int, RecordDamaged]]]:
    """The drafts that check out, newest first, and the ids of the others with what is wrong."""
    rows = conn.execute(f"{_COLUMNS} ORDER BY updated DESC, id DESC").fetchall()
    drafts: list[Draft] = []
    damaged: list[tuple[int, RecordDamaged]] = []
    for r in rows:
        try:
            drafts.append(_row(cipher, r))
        except RecordDamaged as exc:
            damaged.append((r[0], _named(r[0], exc)))
    return drafts, damaged


def _named(draft_id: int, exc: RecordDamaged) -> RecordDamaged:
    return exc if exc.what == label(draft_id) else RecordDamaged(label(draft_id), exc.detail)


def load(conn: sqlite3.Connection, cipher: Cipher, draft_id: int) -> Draft:
    row = conn.execute(f"{_COLUMNS} WHERE id = ?", (draft_id,)).fetchone()
    if row is None:
        raise NotFound("Onafgemaakt formulier", draft_id)
    try:
        return _row(cipher, row)
    except RecordDamaged as exc:
        raise _named(draft_id, exc) from exc


def delete(conn: sqlite3.Connection, draft_id: int) -> None:
    with db.transaction(conn):
        conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))
