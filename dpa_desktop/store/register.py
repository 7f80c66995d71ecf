"""The register of agreements: status, dates, documents, scans and history.

Only non-personal fields (form, processor company, status, dates) are plain
columns, so the list can be sorted and filtered in SQL; everything a person
wrote is ciphertext. The searchable text (organisation, notes) is decrypted
once into memory and kept in step with every write, which makes a search
over ten thousand agreements a scan of short strings.

The plain columns are the practice's accountability record, so every row
carries a MAC (``row_mac``) over its values and the tags of its blobs; an
agreement's MAC also covers how many history and subprocessor rows it has,
and those rows carry MACs of their own. Opening checks every agreement's MAC
and index; its data, history, subprocessors and documents are checked when
they are read. A row whose MAC or blob does not check out is
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

import msgspec
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
# How many history and subprocessor rows the agreement has; kept with each
# write and covered by its MAC, so a deleted or added row is noticed when the
# rows are read (each of those rows has a MAC of its own).
COUNT_COLUMNS = "history_count, subprocessor_count"
# An agreement row as read for checking its MAC: plain columns, counts, the
# index blob (decrypted anyway), the tag of the data blob, the MAC.
_CHECKED_ROW = (f"SELECT {AGREEMENT_COLUMNS}, {COUNT_COLUMNS}, index_blob, "
                f"substr(data_blob, -{TAG_BYTES}, {TAG_BYTES}), row_mac FROM agreements")
_AGREEMENTS_META = "agreements_mac"
_STATUS_SET = frozenset(STATUSES)
_JSON_DICT = msgspec.json.Decoder(dict[str, Any])


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


def agreement_mac_parts(cols: tuple[Any, ...], history_count: object, subprocessor_count: object,
                        index_tag: object, data_tag: object) -> list[object]:
    return ["agreements", *cols, history_count, subprocessor_count, index_tag, data_tag]


def history_mac_parts(history_id: object, aid: object, status: object, on_date: object,
                      at: object, note_tag: object) -> list[object]:
    return ["history", history_id, aid, status, on_date, at, note_tag]


def subprocessor_mac_parts(aid: object, seq: object, name: object, country: object,
                           outside_eea: object, services: object) -> list[object]:
    return ["subprocessors", aid, seq, name, country, outside_eea, services]


def agreement_label(aid: object, processor: object = None) -> str:
    return f"Overeenkomst {aid}" + (f" ({processor})" if isinstance(processor, str) else "")


_TAMPERED = "de gegevens zijn buiten DPA Desktop gewijzigd of verplaatst (controlecode klopt niet)"


@dataclass(frozen=True)
class CheckedRow:
    """An agreement row whose MAC and index checked out."""

    cols: tuple[Any, ...]
    history_count: int
    subprocessor_count: int
    index: dict[str, Any]

    @property
    def what(self) -> str:
        return agreement_label(self.cols[0], self.cols[3])


def check_agreement_row(cipher: Cipher, row: tuple[Any, ...]) -> CheckedRow:
    """A row of ``_CHECKED_ROW`` with its index decrypted; RecordDamaged otherwise.

    Runs for every agreement when the register opens, so the happy path is kept lean.
    """
    cols = row[:10]
    n_history, n_subs, index_blob, data_tag, mac = row[10:15]
    if not cipher.mac_ok(agreement_mac_parts(cols, n_history, n_subs, tag_of(index_blob),
                                             data_tag), mac):
        raise RecordDamaged(agreement_label(cols[0], cols[3]), _TAMPERED)
    # Values a MAC vouches for may still be ones this version cannot show (a newer app wrote them).
    if cols[4] not in _STATUS_SET:
        raise RecordDamaged(agreement_label(cols[0], cols[3]), f"onbekende status '{cols[4]}'")
    if not (type(cols[1]) is str and type(cols[2]) is str and type(cols[3]) is str
            and type(n_history) is int and type(n_subs) is int):
        raise RecordDamaged(agreement_label(cols[0], cols[3]),
                            "een verplicht veld is leeg of van het verkeerde soort")
    try:
        raw = cipher.decrypt(index_blob, index_purpose(cols[0]), INDEX_PART)
    except StoreCorrupt as exc:
        raise _damaged(agreement_label(cols[0], cols[3]), exc) from exc
    try:
        index = _JSON_DICT.decode(raw)
    except msgspec.DecodeError as exc:  # not JSON, or not an object
        raise RecordDamaged(agreement_label(cols[0], cols[3]), f"{INDEX_PART} is onleesbaar") \
            from exc
    return CheckedRow(cols, n_history, n_subs, index)


def summary_of(row: CheckedRow) -> AgreementSummary:
    cols = row.cols
    try:
        return AgreementSummary(
            id=cols[0], form_id=cols[1], form_version=cols[2],
            # A processor the practice typed is in the index; the column holds the form's label.
            processor=str(row.index.get("processor") or cols[3]),
            status=cols[4], created_on=date.fromisoformat(cols[5]), sent_on=_d(cols[6]),
            signed_on=_d(cols[7]), ended_on=_d(cols[8]), review_on=_d(cols[9]),
            organisation=str(row.index.get("organisation", "")))
    except (TypeError, ValueError) as exc:
        raise RecordDamaged(row.what, "een datum is ongeldig") from exc


INDEX_PART = "de zoekindex"
DATA_PART = "het gegevensblok"


def _json_dict(raw: bytes, what: str, part: str) -> dict[str, Any]:
    try:
        return _JSON_DICT.decode(raw)
    except msgspec.DecodeError as exc:  # not JSON, or not an object
        raise RecordDamaged(what, f"{part} is onleesbaar") from exc


def _damaged(what: str, exc: StoreCorrupt) -> RecordDamaged:
    """Name the record in an error raised about one of its parts."""
    if isinstance(exc, RecordDamaged) and exc.what == what:
        return exc
    return RecordDamaged(what, exc.detail)


def seal_agreement(conn: sqlite3.Connection, cipher: Cipher, aid: int) -> None:
    """Recompute an agreement's MAC after a write, inside the writing transaction."""
    row = conn.execute(
        f"SELECT {AGREEMENT_COLUMNS}, {COUNT_COLUMNS}, substr(index_blob, -{TAG_BYTES}, "
        f"{TAG_BYTES}), substr(data_blob, -{TAG_BYTES}, {TAG_BYTES}) FROM agreements "
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
        # Subprocessor rows each checked agreement has (for the overview).
        self.subprocessor_counts: dict[int, int] = {}
        self.missing: DamagedRecord | None = None
        self.data_version = -1

    def load(self, conn: sqlite3.Connection, cipher: Cipher) -> None:
        self.rows.clear()
        self.text.clear()
        self.damaged.clear()
        self.subprocessor_counts.clear()
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
        self.subprocessor_counts.pop(agreement_id, None)
        self.damaged.pop(agreement_id, None)
        if row is not None:
            self._check_and_put(cipher, row)
        self.data_version = _data_version(conn)

    def quarantine(self, agreement_id: int, damage: DamagedRecord) -> None:
        """Leave out an agreement found damaged after it was listed (in its data or documents)."""
        self.rows.pop(agreement_id, None)
        self.text.pop(agreement_id, None)
        self.subprocessor_counts.pop(agreement_id, None)
        self.damaged[agreement_id] = damage

    def _check_and_put(self, cipher: Cipher, row: tuple[Any, ...]) -> None:
        try:
            checked = check_agreement_row(cipher, row)
            summary = summary_of(checked)
        except RecordDamaged as exc:
            self.damaged[row[0]] = DamagedRecord("agreements", row[0], exc.what, exc.detail)
            return
        index = checked.index
        self.subprocessor_counts[summary.id] = checked.subprocessor_count
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
    from dpa_desktop.parties import processor_of, service_names_of, typed_subprocessors

    clean = normalised(spec, answers)
    created = today or date.today()
    organisation = _profile_value(spec, clean, "organisatie_naam")
    service_names = service_names_of(spec, clean)
    subs = []
    for sub in spec.subprocessors_for(clean.services):
        uses = [spec.service(s).name for s in clean.services
                if sub.id in spec.service(s).subprocessors]
        # The register knows yes or no; a country the agreement does not give is
        # "land onbekend" there, and not marked outside the EEA.
        subs.append({"name": sub.name, "country": sub.country_label,
                     "outside_eea": sub.eea_status() == "outside", "services": uses})
    # A processor and subprocessors the practice typed (the sector model) are what a
    # person wrote: ciphertext only. The plain column holds the form's label.
    processor = processor_of(spec, clean)
    typed_processor = processor.name != spec.processor.name
    typed_subs: list[dict[str, Any]] = [
        {"name": p.name, "country": p.country_label, "outside_eea": p.eea_status() == "outside",
         "services": []}
        for p in typed_subprocessors(spec, clean)]
    data: dict[str, Any] = {
        "answers": clean.to_json(),
        "service_names": service_names,
        "signatories": _signatories(spec, clean),
        "notes": "",
        "docx_sha256": hashlib.sha256(docx).hexdigest(),
        "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
        "scan": None,
    }
    if typed_subs:
        data["typed_subprocessors"] = typed_subs
    index = {"organisation": organisation, "notes": ""}
    if typed_processor:
        index["processor"] = processor.name
    with db.transaction(conn):
        aid = _next_id(conn, "agreements")
        conn.execute(
            "INSERT INTO agreements (id, form_id, form_version, processor, status, created_on, "
            "history_count, subprocessor_count, index_blob, data_blob) "
            "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
            (aid, spec.id, spec.version, spec.processor_label if typed_processor else processor.name,
             CONCEPT, created.isoformat(),
             len(subs), cipher.encrypt(_json(index), index_purpose(aid)),
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
    conn.execute("UPDATE agreements SET history_count = history_count + 1 WHERE id = ?", (aid,))


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
               aid: int) -> tuple[CheckedRow, dict[str, Any]]:
    """An agreement's checked row and its data; RecordDamaged names it otherwise."""
    row = conn.execute(
        f"SELECT {AGREEMENT_COLUMNS}, {COUNT_COLUMNS}, index_blob, data_blob, row_mac "
        "FROM agreements WHERE id = ?", (aid,)).fetchone()
    if row is None:
        raise NotFound("Overeenkomst", aid)
    data_blob = row[13]
    checked = check_agreement_row(cipher, (*row[:13], tag_of(data_blob), row[14]))
    try:
        raw = cipher.decrypt(data_blob, data_purpose(aid), DATA_PART)
    except StoreCorrupt as exc:
        raise _damaged(checked.what, exc) from exc
    return checked, _json_dict(raw, checked.what, DATA_PART)


def set_status(conn: sqlite3.Connection, cipher: Cipher, aid: int, status: str, on: date,
               note: str = "", scan: Path | None = None) -> None:
    """Move an agreement forward (steps may be skipped, never undone)."""
    if status not in STATUSES:
        raise DpaError(f"Onbekende status '{status}'. Kies een van: "
                       f"{', '.join(STATUS_LABELS[s] for s in STATUSES)}.")
    checked_scan = _check_scan(scan) if scan is not None else None
    with db.transaction(conn):
        checked, data = _load_data(conn, cipher, aid)
        cols, index = checked.cols, checked.index
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
        _checked, data = _load_data(conn, cipher, aid)
        _put_scan(conn, cipher, aid, data, checked)
        seal_agreement(conn, cipher, aid)


def update(conn: sqlite3.Connection, cipher: Cipher, aid: int, *, notes: str | None = None,
           review_on: date | None = None,
           signatories: list[Signatory] | None = None) -> None:
    """Edit what a person may change after the fact: notes, review date, signatories."""
    with db.transaction(conn):
        checked, data = _load_data(conn, cipher, aid)
        index = checked.index
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


def _history(conn: sqlite3.Connection, cipher: Cipher, aid: int, what: str,
             expected: int) -> tuple[StatusChange, ...]:
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
    if len(out) != expected:
        raise RecordDamaged(what, "er zijn stappen uit de geschiedenis verwijderd of eraan "
                                  "toegevoegd buiten DPA Desktop om")
    return tuple(out)


_SUBS_CHANGED = "de lijst van subverwerkers is buiten DPA Desktop gewijzigd"


def _subprocessors(conn: sqlite3.Connection, cipher: Cipher, aid: int, what: str,
                   expected: int) -> tuple[SubprocessorEntry, ...]:
    rows = conn.execute("SELECT seq, name, country, outside_eea, services, row_mac "
                        "FROM subprocessors WHERE agreement_id = ? ORDER BY seq", (aid,)).fetchall()
    if len(rows) != expected:
        raise RecordDamaged(what, _SUBS_CHANGED)
    entries = []
    for position, (seq, name, country, outside, services, mac) in enumerate(rows):
        if seq != position or not cipher.mac_ok(
                subprocessor_mac_parts(aid, seq, name, country, outside, services), mac):
            raise RecordDamaged(what, _SUBS_CHANGED)
        try:
            entries.append(SubprocessorEntry(name=name, country=country, outside_eea=bool(outside),
                                             services=tuple(json.loads(services))))
        except (TypeError, ValueError) as exc:
            raise RecordDamaged(what, "de lijst van subverwerkers is onleesbaar") from exc
    return tuple(entries)


def get(conn: sqlite3.Connection, cipher: Cipher, aid: int) -> Agreement:
    conn.execute("BEGIN")  # one snapshot for the row, its history and its subprocessors
    try:
        checked, data = _load_data(conn, cipher, aid)
        what = checked.what
        history = _history(conn, cipher, aid, what, checked.history_count)
        subs = _subprocessors(conn, cipher, aid, what, checked.subprocessor_count)
    finally:
        conn.execute("COMMIT")
    summary = summary_of(checked)
    try:
        answers = Answers.from_json(data["answers"], form_id=summary.form_id)
        scan = data.get("scan") or {}
        return Agreement(
            id=summary.id, form_id=summary.form_id, form_version=summary.form_version,
            processor=summary.processor, status=summary.status, created_on=summary.created_on,
            sent_on=summary.sent_on, signed_on=summary.signed_on, ended_on=summary.ended_on,
            review_on=summary.review_on, organisation=summary.organisation,
            answers=answers, services=answers.services,
            service_names=tuple(data.get("service_names", ())),
            retention=dict(answers.retention),
            signatories=tuple(Signatory(**s) for s in data.get("signatories", ())),
            notes=data.get("notes", ""), docx_sha256=data["docx_sha256"],
            pdf_sha256=data["pdf_sha256"], scan_sha256=scan.get("sha256"),
            scan_name=scan.get("name"), scan_type=scan.get("type"),
            subprocessors=subs + tuple(
                SubprocessorEntry(name=t["name"], country=t["country"],
                                  outside_eea=bool(t["outside_eea"]), services=tuple(t["services"]))
                for t in data.get("typed_subprocessors", ())),
            history=history)
    except (KeyError, TypeError, ValueError, AttributeError, DpaError) as exc:
        raise RecordDamaged(what, f"{DATA_PART} is onleesbaar") from exc


def _expected_sha(conn: sqlite3.Connection, cipher: Cipher, aid: int,
                  kind: DocumentKind) -> tuple[str, str]:
    """The agreement's name and the checked hash of one of its documents."""
    checked, data = _load_data(conn, cipher, aid)
    what = checked.what
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


def subprocessor_overview(conn: sqlite3.Connection, cipher: Cipher,
                          signed: dict[int, tuple[int, AgreementSummary]],
                          damaged: Callable[[int, RecordDamaged], None]) -> list[SubprocessorUse]:
    """Every subprocessor holding the practice's data under a signed agreement.

    ``signed`` maps the checked, signed agreements (from the index) to how
    many subprocessor rows each has and its summary; rows of other agreements
    are ignored, and an agreement whose rows fail their check is reported
    through ``damaged`` and left out. These are a catalogue's subprocessors;
    those a practice typed (the sector model) are ciphertext in the agreement's
    data, in ``Agreement.subprocessors`` but not here.
    """
    per_agreement: dict[int, list[tuple[Any, ...]]] = {aid: [] for aid in signed}
    # The status in SQL only narrows the rows read; ``signed`` (checked) decides.
    for aid, seq, name, country, outside, services, mac in conn.execute(
            "SELECT s.agreement_id, s.seq, s.name, s.country, s.outside_eea, s.services, "
            "s.row_mac FROM subprocessors s JOIN agreements a ON a.id = s.agreement_id "
            "WHERE a.status = ? ORDER BY s.agreement_id, s.seq", (SIGNED,)):
        if aid in per_agreement:
            per_agreement[aid].append((seq, name, country, outside, services, mac))
    grouped: dict[tuple[str, str], tuple[bool, list[SubprocessorAgreement]]] = {}
    parsed: dict[str, tuple[str, ...]] = {}  # the same service lists recur in every agreement
    for aid, rows in per_agreement.items():
        expected, summary = signed[aid]
        processor, form_id = summary.processor, summary.form_id
        what = agreement_label(aid, processor)
        try:
            if len(rows) != expected:
                raise RecordDamaged(what, _SUBS_CHANGED)
            for position, (seq, name, country, outside, services, mac) in enumerate(rows):
                if seq != position or not cipher.mac_ok(
                        subprocessor_mac_parts(aid, seq, name, country, outside, services), mac):
                    raise RecordDamaged(what, _SUBS_CHANGED)
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
