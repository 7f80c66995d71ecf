"""The register of agreements: status, dates, documents, scans and history.

Only non-personal fields (form, processor company, status, dates) are plain
columns, so the list can be sorted and filtered in SQL; everything a person
wrote is ciphertext. The searchable text (organisation, notes) is decrypted
once into memory and kept in step with every write, which makes a search
over ten thousand agreements a scan of short strings.

The plain columns are the practice's accountability record, so every row
carries a MAC (``row_mac``) over its values and the tags of its blobs; an
agreement's MAC also counts its history and subprocessor rows, which carry
MACs of their own. A row whose MAC or blob does not check out is
quarantined: named in ``damaged`` and left out of lists and exports, while
the rest of the register stays usable.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from cryptography.exceptions import InvalidTag

from dpa_desktop.answers import Answers, normalised
from dpa_desktop.errors import DpaError
from dpa_desktop.forms.model import FormSpec
from dpa_desktop.statuses import CONCEPT, ENDED, SENT, SIGNED, STATUS_LABELS, STATUSES
from dpa_desktop.store import db
from dpa_desktop.store.crypto import TAG_BYTES, Cipher
from dpa_desktop.store.errors import NotFound, RecordDamaged, StoreCorrupt

REVIEW_AFTER = timedelta(days=365)
MAX_SCAN_BYTES = 50 * 1024 * 1024
CHUNK_BYTES = 1024 * 1024  # scans are read, encrypted and written in pieces of this size
DocumentKind = Literal["docx", "pdf", "scan"]

_SCAN_TYPES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"II*\x00", "image/tiff", "tif"),
    (b"MM\x00*", "image/tiff", "tif"),
)


@dataclass(frozen=True)
class Signatory:
    party: str
    name: str
    function: str = ""


@dataclass(frozen=True)
class StatusChange:
    status: str
    on: date
    at: datetime
    note: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class AgreementSummary:
    id: int
    form_id: str
    form_version: str
    processor: str
    organisation: str
    status: str
    created_on: date
    sent_on: date | None = None
    signed_on: date | None = None
    ended_on: date | None = None
    review_on: date | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def review_due(self, today: date | None = None) -> bool:
        """A signed agreement whose review date has come."""
        if self.status != SIGNED or self.review_on is None:
            return False
        return self.review_on <= (today or date.today())


@dataclass(frozen=True)
class SubprocessorEntry:
    name: str
    country: str
    outside_eea: bool
    services: tuple[str, ...]


@dataclass(frozen=True)
class Agreement(AgreementSummary):
    answers: Answers = field(default_factory=lambda: Answers(form_id=""))
    services: tuple[str, ...] = ()
    service_names: tuple[str, ...] = ()
    retention: dict[str, tuple[int, str]] = field(default_factory=dict)
    signatories: tuple[Signatory, ...] = ()
    notes: str = ""
    docx_sha256: str = ""
    pdf_sha256: str = ""
    scan_sha256: str | None = None
    scan_name: str | None = None
    scan_type: str | None = None
    subprocessors: tuple[SubprocessorEntry, ...] = ()
    history: tuple[StatusChange, ...] = ()


@dataclass(frozen=True)
class SubprocessorAgreement:
    agreement_id: int
    processor: str
    form_id: str
    services: tuple[str, ...]


@dataclass(frozen=True)
class SubprocessorUse:
    name: str
    country: str
    outside_eea: bool
    agreements: tuple[SubprocessorAgreement, ...]

    @property
    def services(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for a in self.agreements for s in a.services))


@dataclass(frozen=True)
class DamagedRecord:
    """A record the store could not trust and left out; ``what`` names it in Dutch."""

    table: str
    id: int
    what: str
    reason: str

    def __str__(self) -> str:
        return f"{self.what}: {self.reason}"


def fold(text: str) -> str:
    """Case- and accent-insensitive form for search: 'Beëindigd' finds 'beeindigd'."""
    if text.isascii():
        return text.lower()  # the common case, ten times faster than decomposing
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# --------------------------------------------------------------------------- row integrity

AGREEMENT_COLUMNS = ("id, form_id, form_version, processor, status, created_on, sent_on, "
                     "signed_on, ended_on, review_on")
_COUNTS = ("(SELECT count(*) FROM history h WHERE h.agreement_id = a.id), "
           "(SELECT count(*) FROM subprocessors s WHERE s.agreement_id = a.id)")
# What the MAC of an agreement covers, as read for checking it: the plain
# columns, the index blob (decrypted anyway), the tag of the data blob and the
# number of history and subprocessor rows.
_CHECKED_ROW = (f"SELECT {AGREEMENT_COLUMNS}, index_blob, substr(data_blob, -{TAG_BYTES}, "
                f"{TAG_BYTES}), row_mac, {_COUNTS} FROM agreements a")
_AGREEMENTS_META = "agreements_mac"


def index_purpose(aid: int) -> str:
    return f"agreements.index_blob:{aid}"


def data_purpose(aid: int) -> str:
    return f"agreements.data_blob:{aid}"


def note_purpose(history_id: int) -> str:
    return f"history.note_blob:{history_id}"


def document_purpose(aid: int, kind: str) -> str:
    return f"document:{aid}:{kind}"


def tag_of(blob: object) -> object:
    """The GCM tag at the end of a blob: it changes with every write of that blob."""
    return blob[-TAG_BYTES:] if isinstance(blob, bytes) else blob


def agreement_mac_parts(cols: tuple[Any, ...], index_tag: object, data_tag: object,
                        history_count: object, subprocessor_count: object) -> list[object]:
    return ["agreements", *cols, index_tag, data_tag, history_count, subprocessor_count]


def history_mac_parts(history_id: object, aid: object, status: object, on_date: object,
                      at: object, note_tag: object) -> list[object]:
    return ["history", history_id, aid, status, on_date, at, note_tag]


def subprocessor_mac_parts(aid: object, seq: object, name: object, country: object,
                           outside_eea: object, services: object) -> list[object]:
    return ["subprocessors", aid, seq, name, country, outside_eea, services]


def agreement_label(aid: object, processor: object = None) -> str:
    return f"Overeenkomst {aid}" + (f" ({processor})" if isinstance(processor, str) else "")


_TAMPERED = "de gegevens zijn buiten DPA Desktop gewijzigd of verplaatst (controlecode klopt niet)"


def check_agreement_row(cipher: Cipher, row: tuple[Any, ...]) -> tuple[tuple[Any, ...], dict[str, str]]:
    """The plain columns and the decrypted index of a row of ``_CHECKED_ROW``; RecordDamaged otherwise."""
    cols = tuple(row[:10])
    index_blob, data_tag, mac, n_history, n_subs = row[10:15]
    what = agreement_label(cols[0], cols[3])
    parts = agreement_mac_parts(cols, tag_of(index_blob), data_tag, n_history, n_subs)
    if not cipher.mac_ok(parts, mac):
        raise RecordDamaged(what, _TAMPERED)
    _check_columns(cols, what)
    try:
        raw = cipher.decrypt(index_blob, index_purpose(cols[0]), INDEX_PART)
    except StoreCorrupt as exc:
        raise _damaged(what, exc) from exc
    return cols, _json_dict(raw, what, INDEX_PART)


def _check_columns(cols: tuple[Any, ...], what: str) -> None:
    """Values a MAC vouches for may still be ones this version cannot show (a newer app wrote them)."""
    if not all(isinstance(v, str) for v in cols[1:6]):
        raise RecordDamaged(what, "een verplicht veld is leeg of van het verkeerde soort")
    if cols[4] not in STATUSES:
        raise RecordDamaged(what, f"onbekende status '{cols[4]}'")
    try:
        for value in cols[5:10]:
            if value is not None:
                date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise RecordDamaged(what, f"ongeldige datum '{value}'") from exc


INDEX_PART = "de zoekindex"
DATA_PART = "het gegevensblok"


def _json_dict(raw: bytes, what: str, part: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise RecordDamaged(what, f"{part} is onleesbaar") from exc
    if not isinstance(data, dict):
        raise RecordDamaged(what, f"{part} is onleesbaar")
    return data


def _damaged(what: str, exc: StoreCorrupt) -> RecordDamaged:
    """Name the record in an error raised about one of its parts."""
    if isinstance(exc, RecordDamaged) and exc.what == what:
        return exc
    return RecordDamaged(what, exc.detail)


def seal_agreement(conn: sqlite3.Connection, cipher: Cipher, aid: int) -> None:
    """Recompute an agreement's MAC after a write, inside the writing transaction."""
    row = conn.execute(
        f"SELECT {AGREEMENT_COLUMNS}, substr(index_blob, -{TAG_BYTES}, {TAG_BYTES}), "
        f"substr(data_blob, -{TAG_BYTES}, {TAG_BYTES}), {_COUNTS} FROM agreements a "
        "WHERE id = ?", (aid,)).fetchone()
    mac = cipher.mac(agreement_mac_parts(tuple(row[:10]), *row[10:14]))
    conn.execute("UPDATE agreements SET row_mac = ? WHERE id = ?", (mac, aid))


def seal_agreement_count(conn: sqlite3.Connection, cipher: Cipher) -> None:
    """A MAC over how many agreements there are, so a deleted row is noticed."""
    count, top = conn.execute("SELECT count(*), coalesce(max(id), 0) FROM agreements").fetchone()
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                 "SET value = excluded.value",
                 (_AGREEMENTS_META, cipher.mac(["agreements-count", count, top])))


def check_agreement_count(conn: sqlite3.Connection, cipher: Cipher) -> DamagedRecord | None:
    count, top = conn.execute("SELECT count(*), coalesce(max(id), 0) FROM agreements").fetchone()
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (_AGREEMENTS_META,)).fetchone()
    if row is not None and cipher.mac_ok(["agreements-count", count, top], row[0]):
        return None
    return DamagedRecord("agreements", 0, "Het register",
                         f"er zijn overeenkomsten verwijderd of toegevoegd buiten DPA Desktop "
                         f"om (nu {count} overeenkomst(en))")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _profile_value(spec: FormSpec, answers: Answers, key: str) -> str:
    """The answer to the question a profile key prefills (ids differ between forms)."""
    for q in spec.questions:
        if q.profile == key or (q.profile is None and q.id == key):
            value = answers.values.get(q.id)
            if isinstance(value, str) and value:
                return value
    return ""


def _signatories(spec: FormSpec, answers: Answers) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    name = _profile_value(spec, answers, "vertegenwoordiger")
    if name:
        out.append({"party": _profile_value(spec, answers, "organisatie_naam"), "name": name,
                    "function": _profile_value(spec, answers, "vertegenwoordiger_functie")})
    return out


# --------------------------------------------------------------------------- the index


class Index:
    """Checked, decrypted summaries of every agreement, refreshed when another connection writes.

    An agreement that fails its check is left out and named in ``damaged``.
    """

    def __init__(self) -> None:
        self.rows: dict[int, AgreementSummary] = {}
        self.text: dict[int, str] = {}
        self.damaged: dict[int, DamagedRecord] = {}
        self.missing: DamagedRecord | None = None
        self.data_version = -1

    def load(self, conn: sqlite3.Connection, cipher: Cipher) -> None:
        self.rows.clear()
        self.text.clear()
        self.damaged.clear()
        # One read transaction: the rows and their counts come from one snapshot.
        conn.execute("BEGIN")
        try:
            for row in conn.execute(_CHECKED_ROW):
                self._check_and_put(cipher, row)
            self.missing = check_agreement_count(conn, cipher)
        finally:
            conn.execute("COMMIT")
        self.data_version = _data_version(conn)

    def fresh(self, conn: sqlite3.Connection, cipher: Cipher) -> None:
        if _data_version(conn) != self.data_version:
            self.load(conn, cipher)

    def reload_one(self, conn: sqlite3.Connection, cipher: Cipher, agreement_id: int) -> None:
        row = conn.execute(_CHECKED_ROW + " WHERE id = ?", (agreement_id,)).fetchone()
        self.rows.pop(agreement_id, None)
        self.text.pop(agreement_id, None)
        self.damaged.pop(agreement_id, None)
        if row is not None:
            self._check_and_put(cipher, row)
        self.data_version = _data_version(conn)

    def quarantine(self, agreement_id: int, damage: DamagedRecord) -> None:
        """Leave out an agreement found damaged after it was listed (in its data or documents)."""
        self.rows.pop(agreement_id, None)
        self.text.pop(agreement_id, None)
        self.damaged[agreement_id] = damage

    def _check_and_put(self, cipher: Cipher, row: tuple[Any, ...]) -> None:
        try:
            cols, index = check_agreement_row(cipher, row)
        except RecordDamaged as exc:
            self.damaged[row[0]] = DamagedRecord("agreements", row[0], exc.what, exc.detail)
            return
        self._put(cols, index)

    def _put(self, cols: tuple[Any, ...], index: dict[str, str]) -> None:
        summary = AgreementSummary(
            id=cols[0], form_id=cols[1], form_version=cols[2], processor=cols[3], status=cols[4],
            created_on=date.fromisoformat(cols[5]), sent_on=_d(cols[6]), signed_on=_d(cols[7]),
            ended_on=_d(cols[8]), review_on=_d(cols[9]),
            organisation=str(index.get("organisation", "")))
        self.rows[summary.id] = summary
        self.text[summary.id] = fold(" ".join(
            (summary.processor, summary.organisation, summary.form_id,
             str(index.get("notes", "")), str(index.get("history_notes", "")))))

    def search(self, query: str = "", status: str | None = None,
               review_due_on: date | None = None) -> list[AgreementSummary]:
        words = fold(query).split()
        out = []
        for aid, summary in self.rows.items():
            if status is not None and summary.status != status:
                continue
            if review_due_on is not None and not summary.review_due(review_due_on):
                continue
            if words:
                text = self.text[aid]
                if not all(w in text for w in words):
                    continue
            out.append(summary)
        out.sort(key=lambda s: s.id, reverse=True)
        return out


def _data_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


# --------------------------------------------------------------------------- writes


def _next_id(conn: sqlite3.Connection, table: str) -> int:
    """The id a new row gets; inside the write transaction, so no other writer takes it.

    Chosen before the insert because the row's blobs are encrypted with their
    row id in the associated data.
    """
    return int(conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0])


def record(conn: sqlite3.Connection, cipher: Cipher, spec: FormSpec, answers: Answers,
           docx: bytes, pdf: bytes, *, draft_id: int | None = None,
           today: date | None = None) -> int:
    """A generated agreement enters the register as a concept, with its two documents."""
    clean = normalised(spec, answers)
    created = today or date.today()
    organisation = _profile_value(spec, clean, "organisatie_naam")
    service_names = [spec.service(s).name for s in clean.services]
    subs = []
    for sub in spec.subprocessors_for(clean.services):
        uses = [spec.service(s).name for s in clean.services
                if sub.id in spec.service(s).subprocessors]
        subs.append({"name": sub.name, "country": sub.country, "outside_eea": sub.outside_eea,
                     "services": uses})
    data = {
        "answers": clean.to_json(),
        "service_names": service_names,
        "signatories": _signatories(spec, clean),
        "notes": "",
        "docx_sha256": hashlib.sha256(docx).hexdigest(),
        "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
        "scan": None,
    }
    index = {"organisation": organisation, "notes": ""}
    with db.transaction(conn):
        aid = _next_id(conn, "agreements")
        conn.execute(
            "INSERT INTO agreements (id, form_id, form_version, processor, status, created_on, "
            "index_blob, data_blob) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (aid, spec.id, spec.version, spec.processor.name, CONCEPT, created.isoformat(),
             cipher.encrypt(_json(index), index_purpose(aid)),
             cipher.encrypt(_json(data), data_purpose(aid))))
        for kind, content in (("docx", docx), ("pdf", pdf)):
            conn.execute("INSERT INTO documents (agreement_id, kind, data_blob) VALUES (?, ?, ?)",
                         (aid, kind, cipher.encrypt(content, document_purpose(aid, kind))))
        for seq, sub_row in enumerate(subs):
            values = (aid, seq, sub_row["name"], sub_row["country"],
                      int(bool(sub_row["outside_eea"])),
                      json.dumps(sub_row["services"], ensure_ascii=False))
            conn.execute("INSERT INTO subprocessors (agreement_id, seq, name, country, "
                         "outside_eea, services, row_mac) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (*values, cipher.mac(subprocessor_mac_parts(*values))))
        _add_history(conn, cipher, aid, CONCEPT, created, "")
        if draft_id is not None:
            conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))
        seal_agreement(conn, cipher, aid)
        seal_agreement_count(conn, cipher)
    return aid


def _add_history(conn: sqlite3.Connection, cipher: Cipher, aid: int, status: str, on: date,
                 note: str) -> None:
    hid = _next_id(conn, "history")
    at = datetime.now().replace(microsecond=0).isoformat()
    blob = cipher.encrypt(note.encode("utf-8"), note_purpose(hid))
    mac = cipher.mac(history_mac_parts(hid, aid, status, on.isoformat(), at, tag_of(blob)))
    conn.execute("INSERT INTO history (id, agreement_id, status, on_date, at, note_blob, row_mac) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)", (hid, aid, status, on.isoformat(), at, blob, mac))


def scan_type(content: bytes) -> tuple[str, str]:
    """Media type and extension of a signed scan; only PDF and common images are accepted."""
    for magic, media, ext in _SCAN_TYPES:
        if content.startswith(magic):
            return media, ext
    raise DpaError("De scan moet een PDF of een afbeelding (PNG, JPEG of TIFF) zijn.")


@dataclass(frozen=True)
class _Scan:
    """A scan file checked for size and type, read again in pieces when it is stored."""

    path: Path
    size: int
    media: str


def _check_scan(scan: Path) -> _Scan:
    try:
        size = scan.stat().st_size
        if size > MAX_SCAN_BYTES:
            raise DpaError(f"De scan '{scan.name}' is te groot (meer dan 50 MB).")
        with scan.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise DpaError(f"De scan '{scan}' is niet te lezen: {exc.strerror}") from exc
    media, _ext = scan_type(head)
    return _Scan(scan, size, media)


def _load_data(conn: sqlite3.Connection, cipher: Cipher,
               aid: int) -> tuple[tuple[Any, ...], dict[str, Any], dict[str, Any]]:
    """An agreement's plain columns, index and data, checked; RecordDamaged names it otherwise."""
    row = conn.execute(
        f"SELECT {AGREEMENT_COLUMNS}, index_blob, data_blob, row_mac, {_COUNTS} "
        "FROM agreements a WHERE id = ?", (aid,)).fetchone()
    if row is None:
        raise NotFound("Overeenkomst", aid)
    data_blob = row[11]
    cols, index = check_agreement_row(cipher, (*row[:11], tag_of(data_blob), *row[12:]))
    what = agreement_label(aid, cols[3])
    try:
        raw = cipher.decrypt(data_blob, data_purpose(aid), DATA_PART)
    except StoreCorrupt as exc:
        raise _damaged(what, exc) from exc
    return cols, index, _json_dict(raw, what, DATA_PART)


def set_status(conn: sqlite3.Connection, cipher: Cipher, aid: int, status: str, on: date,
               note: str = "", scan: Path | None = None) -> None:
    """Move an agreement forward (steps may be skipped, never undone)."""
    if status not in STATUSES:
        raise DpaError(f"Onbekende status '{status}'. Kies een van: "
                       f"{', '.join(STATUS_LABELS[s] for s in STATUSES)}.")
    checked_scan = _check_scan(scan) if scan is not None else None
    with db.transaction(conn):
        cols, index, data = _load_data(conn, cipher, aid)
        current = cols[4]
        if STATUSES.index(status) <= STATUSES.index(current):
            raise DpaError(f"De status kan niet van '{STATUS_LABELS[current]}' naar "
                           f"'{STATUS_LABELS[status]}': een overeenkomst gaat alleen vooruit.")
        # Not checked against the creation date: older paper agreements are
        # recorded after they were signed.
        steps = [d for d in (_d(cols[6]), _d(cols[7])) if d is not None]
        last = max(steps, default=None)
        if last is not None and on < last:
            raise DpaError(f"De datum {on:%d-%m-%Y} ligt vóór de vorige stap "
                           f"({last:%d-%m-%Y}).")
        column = {SENT: "sent_on", SIGNED: "signed_on", ENDED: "ended_on"}[status]
        conn.execute(f"UPDATE agreements SET status = ?, {column} = ? WHERE id = ?",
                     (status, on.isoformat(), aid))
        if status == SIGNED and cols[9] is None:
            conn.execute("UPDATE agreements SET review_on = ? WHERE id = ?",
                         (_review_date(on).isoformat(), aid))
        if note:
            index["history_notes"] = (index.get("history_notes", "") + "\n" + note).strip()
            conn.execute("UPDATE agreements SET index_blob = ? WHERE id = ?",
                         (cipher.encrypt(_json(index), index_purpose(aid)), aid))
        if checked_scan is not None:
            _put_scan(conn, cipher, aid, data, checked_scan)
        _add_history(conn, cipher, aid, status, on, note)
        seal_agreement(conn, cipher, aid)


def _review_date(signed: date) -> date:
    try:
        return signed.replace(year=signed.year + 1)
    except ValueError:  # 29 February
        return signed + REVIEW_AFTER


def _put_scan(conn: sqlite3.Connection, cipher: Cipher, aid: int, data: dict[str, Any],
              scan: _Scan) -> None:
    """Store the scan in pieces: a 50 MB scan never sits in memory whole, let alone twice.

    The blob is made at its final size and filled through SQLite's incremental
    blob I/O; the caller's transaction makes it all or nothing.
    """
    head, encryptor = cipher.blob_encryptor(document_purpose(aid, "scan"))
    total = len(head) + scan.size + TAG_BYTES
    conn.execute("INSERT INTO documents (agreement_id, kind, data_blob) VALUES (?, 'scan', "
                 "zeroblob(?)) ON CONFLICT(agreement_id, kind) DO UPDATE SET "
                 "data_blob = excluded.data_blob", (aid, total))
    (rowid,) = conn.execute("SELECT rowid FROM documents WHERE agreement_id = ? AND "
                            "kind = 'scan'", (aid,)).fetchone()
    digest = hashlib.sha256()
    try:
        with scan.path.open("rb") as fh, conn.blobopen("documents", "data_blob", rowid) as blob:
            blob.write(head)
            remaining = scan.size
            while remaining:
                chunk = fh.read(min(CHUNK_BYTES, remaining))
                if not chunk:
                    break
                remaining -= len(chunk)
                digest.update(chunk)
                blob.write(encryptor.update(chunk))
            if remaining or fh.read(1):
                raise DpaError(f"De scan '{scan.path.name}' veranderde terwijl hij werd "
                               "gelezen. Probeer het opnieuw.")
            blob.write(encryptor.finalize() + encryptor.tag)
    except OSError as exc:
        raise DpaError(f"De scan '{scan.path}' is niet te lezen: {exc.strerror}") from exc
    data["scan"] = {"sha256": digest.hexdigest(), "name": scan.path.name, "type": scan.media}
    conn.execute("UPDATE agreements SET data_blob = ? WHERE id = ?",
                 (cipher.encrypt(_json(data), data_purpose(aid)), aid))


def attach_scan(conn: sqlite3.Connection, cipher: Cipher, aid: int, scan: Path) -> None:
    checked = _check_scan(scan)
    with db.transaction(conn):
        _cols, _index, data = _load_data(conn, cipher, aid)
        _put_scan(conn, cipher, aid, data, checked)
        seal_agreement(conn, cipher, aid)


def update(conn: sqlite3.Connection, cipher: Cipher, aid: int, *, notes: str | None = None,
           review_on: date | None = None,
           signatories: list[Signatory] | None = None) -> None:
    """Edit what a person may change after the fact: notes, review date, signatories."""
    with db.transaction(conn):
        _cols, index, data = _load_data(conn, cipher, aid)
        if notes is not None:
            data["notes"] = notes
            index["notes"] = notes
        if signatories is not None:
            data["signatories"] = [{"party": s.party, "name": s.name, "function": s.function}
                                   for s in signatories]
        conn.execute("UPDATE agreements SET index_blob = ?, data_blob = ? WHERE id = ?",
                     (cipher.encrypt(_json(index), index_purpose(aid)),
                      cipher.encrypt(_json(data), data_purpose(aid)), aid))
        if review_on is not None:
            conn.execute("UPDATE agreements SET review_on = ? WHERE id = ?",
                         (review_on.isoformat(), aid))
        seal_agreement(conn, cipher, aid)


# --------------------------------------------------------------------------- reads


def _history(conn: sqlite3.Connection, cipher: Cipher, aid: int,
             what: str) -> tuple[StatusChange, ...]:
    out = []
    for hid, status, on, at, blob, mac in conn.execute(
            "SELECT id, status, on_date, at, note_blob, row_mac FROM history "
            "WHERE agreement_id = ? ORDER BY id", (aid,)):
        if not cipher.mac_ok(history_mac_parts(hid, aid, status, on, at, tag_of(blob)), mac):
            raise RecordDamaged(what, f"de geschiedenis (stap {hid}) is buiten DPA Desktop "
                                      "gewijzigd")
        if status not in STATUSES:
            raise RecordDamaged(what, f"onbekende status '{status}' in de geschiedenis")
        try:
            note = cipher.decrypt(blob, note_purpose(hid), f"de notitie bij stap {hid}")
            out.append(StatusChange(status=status, on=date.fromisoformat(on),
                                    at=datetime.fromisoformat(at), note=note.decode("utf-8")))
        except StoreCorrupt as exc:
            raise _damaged(what, exc) from exc
        except (TypeError, ValueError) as exc:
            raise RecordDamaged(what, "de geschiedenis is onleesbaar") from exc
    return tuple(out)


def _subprocessors(conn: sqlite3.Connection, cipher: Cipher, aid: int,
                   what: str) -> tuple[SubprocessorEntry, ...]:
    rows = conn.execute("SELECT seq, name, country, outside_eea, services, row_mac "
                        "FROM subprocessors WHERE agreement_id = ? ORDER BY seq", (aid,)).fetchall()
    entries = []
    for position, (seq, name, country, outside, services, mac) in enumerate(rows):
        if seq != position or not cipher.mac_ok(
                subprocessor_mac_parts(aid, seq, name, country, outside, services), mac):
            raise RecordDamaged(what, "de lijst van subverwerkers is buiten DPA Desktop gewijzigd")
        try:
            entries.append(SubprocessorEntry(name=name, country=country, outside_eea=bool(outside),
                                             services=tuple(json.loads(services))))
        except (TypeError, ValueError) as exc:
            raise RecordDamaged(what, "de lijst van subverwerkers is onleesbaar") from exc
    return tuple(entries)


def get(conn: sqlite3.Connection, cipher: Cipher, aid: int) -> Agreement:
    conn.execute("BEGIN")  # one snapshot for the row, its history and its subprocessors
    try:
        cols, index, data = _load_data(conn, cipher, aid)
        what = agreement_label(aid, cols[3])
        history = _history(conn, cipher, aid, what)
        subs = _subprocessors(conn, cipher, aid, what)
    finally:
        conn.execute("COMMIT")
    try:
        answers = Answers.from_json(data["answers"], form_id=cols[1])
        scan = data.get("scan") or {}
        return Agreement(
            id=cols[0], form_id=cols[1], form_version=cols[2], processor=cols[3],
            status=cols[4], created_on=date.fromisoformat(cols[5]), sent_on=_d(cols[6]),
            signed_on=_d(cols[7]), ended_on=_d(cols[8]), review_on=_d(cols[9]),
            organisation=str(index.get("organisation", "")),
            answers=answers, services=answers.services,
            service_names=tuple(data.get("service_names", ())),
            retention=dict(answers.retention),
            signatories=tuple(Signatory(**s) for s in data.get("signatories", ())),
            notes=data.get("notes", ""), docx_sha256=data["docx_sha256"],
            pdf_sha256=data["pdf_sha256"], scan_sha256=scan.get("sha256"),
            scan_name=scan.get("name"), scan_type=scan.get("type"), subprocessors=subs,
            history=history)
    except (KeyError, TypeError, ValueError, AttributeError, DpaError) as exc:
        raise RecordDamaged(what, f"{DATA_PART} is onleesbaar") from exc


def _expected_sha(conn: sqlite3.Connection, cipher: Cipher, aid: int,
                  kind: DocumentKind) -> tuple[str, str]:
    """The agreement's name and the checked hash of one of its documents."""
    cols, _index, data = _load_data(conn, cipher, aid)
    what = agreement_label(aid, cols[3])
    scan = data.get("scan") or {}
    expected = scan.get("sha256") if kind == "scan" else data.get(f"{kind}_sha256")
    if not isinstance(expected, str):
        label = "scan" if kind == "scan" else kind.upper()
        raise DpaError(f"Bij overeenkomst {aid} is geen {label} opgeslagen.")
    return what, expected


def _document_label(kind: str) -> str:
    return "de scan" if kind == "scan" else f"het {kind.upper()}-document"


def document_bytes(conn: sqlite3.Connection, cipher: Cipher, aid: int, kind: DocumentKind) -> bytes:
    conn.execute("BEGIN")
    try:
        what, expected = _expected_sha(conn, cipher, aid, kind)
        row = conn.execute("SELECT data_blob FROM documents WHERE agreement_id = ? AND kind = ?",
                           (aid, kind)).fetchone()
    finally:
        conn.execute("COMMIT")
    if row is None:
        raise RecordDamaged(what, f"{_document_label(kind)} ontbreekt")
    try:
        content = cipher.decrypt(row[0], document_purpose(aid, kind), _document_label(kind))
    except StoreCorrupt as exc:
        raise _damaged(what, exc) from exc
    if hashlib.sha256(content).hexdigest() != expected:
        raise RecordDamaged(what, f"{_document_label(kind)} is gewijzigd")
    return content


def write_document(conn: sqlite3.Connection, cipher: Cipher, aid: int, kind: DocumentKind,
                   write: Callable[[bytes], object]) -> None:
    """Decrypt a document in pieces into ``write``; RecordDamaged at the end if it was changed.

    The pieces are unauthenticated until the end: the caller writes them where
    nobody uses them yet and throws them away when this raises.
    """
    conn.execute("BEGIN")  # a consistent snapshot for the whole read
    try:
        what, expected = _expected_sha(conn, cipher, aid, kind)
        row = conn.execute("SELECT rowid, length(data_blob), typeof(data_blob) FROM documents "
                           "WHERE agreement_id = ? AND kind = ?", (aid, kind)).fetchone()
        if row is None:
            raise RecordDamaged(what, f"{_document_label(kind)} ontbreekt")
        rowid, length, kind_of = row
        head_len = 1 + 12
        if kind_of != "blob" or length < head_len + TAG_BYTES:
            raise RecordDamaged(what, f"{_document_label(kind)} is onleesbaar")
        digest = hashlib.sha256()
        with conn.blobopen("documents", "data_blob", rowid, readonly=True) as blob:
            head = blob.read(head_len)
            blob.seek(length - TAG_BYTES)
            tag = blob.read(TAG_BYTES)
            blob.seek(head_len)
            try:
                decryptor = cipher.blob_decryptor(head, tag, document_purpose(aid, kind),
                                                  _document_label(kind))
            except StoreCorrupt as exc:
                raise _damaged(what, exc) from exc
            remaining = length - head_len - TAG_BYTES
            while remaining:
                piece = blob.read(min(CHUNK_BYTES, remaining))
                remaining -= len(piece)
                plain = decryptor.update(piece)
                digest.update(plain)
                write(plain)
        try:
            write(decryptor.finalize())
        except InvalidTag as exc:
            raise RecordDamaged(what, f"{_document_label(kind)} is beschadigd") from exc
        if digest.hexdigest() != expected:
            raise RecordDamaged(what, f"{_document_label(kind)} is gewijzigd")
    finally:
        conn.execute("COMMIT")


def subprocessor_overview(conn: sqlite3.Connection, cipher: Cipher, signed: set[int],
                          damaged: Callable[[int, RecordDamaged], None]) -> list[SubprocessorUse]:
    """Every subprocessor holding the practice's data under a signed agreement.

    ``signed`` are the ids of the checked, signed agreements (the index);
    rows of other agreements are ignored, and an agreement whose rows fail
    their check is reported through ``damaged`` and left out.
    """
    per_agreement: dict[int, list[tuple[Any, ...]]] = {}
    processors: dict[int, tuple[str, str]] = {}
    for aid, seq, name, country, outside, services, mac, processor, form_id in conn.execute(
            "SELECT s.agreement_id, s.seq, s.name, s.country, s.outside_eea, s.services, "
            "s.row_mac, a.processor, a.form_id FROM subprocessors s "
            "JOIN agreements a ON a.id = s.agreement_id WHERE a.status = ? "
            "ORDER BY s.agreement_id, s.seq", (SIGNED,)):
        if aid not in signed:
            continue
        per_agreement.setdefault(aid, []).append((seq, name, country, outside, services, mac))
        processors[aid] = (processor, form_id)
    grouped: dict[tuple[str, str], tuple[bool, list[SubprocessorAgreement]]] = {}
    parsed: dict[str, tuple[str, ...]] = {}  # the same service lists recur in every agreement
    for aid, rows in per_agreement.items():
        processor, form_id = processors[aid]
        what = agreement_label(aid, processor)
        try:
            for position, (seq, name, country, outside, services, mac) in enumerate(rows):
                if seq != position or not cipher.mac_ok(
                        subprocessor_mac_parts(aid, seq, name, country, outside, services), mac):
                    raise RecordDamaged(what, "de lijst van subverwerkers is buiten DPA Desktop "
                                              "gewijzigd")
                if services not in parsed:
                    parsed[services] = tuple(str(s) for s in json.loads(services))
        except RecordDamaged as exc:
            damaged(aid, exc)
            continue
        except (TypeError, ValueError):
            damaged(aid, RecordDamaged(what, "de lijst van subverwerkers is onleesbaar"))
            continue
        for _seq, name, country, outside, services, _mac in rows:
            key = (name, country)
            flag, uses = grouped.setdefault(key, (bool(outside), []))
            grouped[key] = (flag or bool(outside), uses)
            uses.append(SubprocessorAgreement(agreement_id=aid, processor=processor,
                                              form_id=form_id, services=parsed[services]))
    ordered = sorted(grouped.items(), key=lambda item: (item[0][0].casefold(), item[0][1]))
    return [SubprocessorUse(name=n, country=c, outside_eea=flag,
                            agreements=tuple(sorted(uses, key=lambda u: u.agreement_id)))
            for (n, c), (flag, uses) in ordered]
