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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import msgspec
from cryptography.exceptions import InvalidTag

from dpa_desktop.answers import Answers, normalised
from dpa_desktop.errors import AnswersInvalid, DpaError, FieldProblem
from dpa_desktop.forms.model import UNKNOWN_COUNTRY, FormSpec
from dpa_desktop.statuses import CONCEPT, ENDED, SENT, SIGNED, STATUS_LABELS, STATUSES
from dpa_desktop.store import db
from dpa_desktop.store.crypto import TAG_BYTES, Cipher
from dpa_desktop.store.errors import NotFound, RecordDamaged, StoreCorrupt
from dpa_desktop.store.external import (
    EEA_LABELS,
    EEA_STATUSES,
    NOT_SAVED,
    EeaStatus,
    ExternalDetails,
    ExternalEntry,
    RegisterFields,
    SubprocessorEntry,
    describe_changes,
    field_label,
    review_date,
)

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


EVENTS = ("status", "edit")


@dataclass(frozen=True)
class StatusChange:
    """A step in an agreement's history: a status change, or (``event`` "edit") a correction
    of its fields, whose note says what changed from what to what; ``status`` is then the
    status it had."""

    status: str
    on: date
    at: datetime
    note: str = ""
    event: str = "status"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def label(self) -> str:
        return "Gewijzigd" if self.event == "edit" else self.status_label


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
    # The end of the agreement's term; None: "onbepaalde tijd" for an external
    # agreement, "volgens de overeenkomst" for one made here.
    ends_on: date | None = None
    # Recorded from a paper or PDF agreement not made with DPA Desktop.
    external: bool = False

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def kind_label(self) -> str:
        """"extern" for an agreement not made here, else its form."""
        return "extern" if self.external else self.form_id

    @property
    def ends_label(self) -> str:
        if self.ends_on is not None:
            return self.ends_on.strftime("%d-%m-%Y")
        return "onbepaalde tijd" if self.external else "volgens de overeenkomst"

    def review_due(self, today: date | None = None) -> bool:
        """A signed agreement whose review date has come."""
        if self.status != SIGNED or self.review_on is None:
            return False
        return self.review_on <= (today or date.today())


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
    # An external agreement's processor details, data, breach contact (None when made here).
    details: ExternalDetails | None = None

    def register_fields(self) -> RegisterFields:
        """What can be edited: every field of an external agreement (an ExternalEntry), the
        dates and the note of one made here."""
        if self.details is not None:
            return ExternalEntry(processor=self.processor, details=self.details,
                                 subprocessors=self.subprocessors, signed_on=self.signed_on,
                                 ends_on=self.ends_on, review_on=self.review_on,
                                 notes=self.notes)
        return RegisterFields(signed_on=self.signed_on, ends_on=self.ends_on,
                              review_on=self.review_on, notes=self.notes)


@dataclass(frozen=True)
class SubprocessorAgreement:
    agreement_id: int
    processor: str
    form_id: str
    services: tuple[str, ...]
    external: bool = False


@dataclass(frozen=True)
class SubprocessorUse:
    name: str
    country: str
    # "yes" when any agreement places it outside the EEA, else "unknown" when any
    # leaves it open, else "no".
    outside_eea: EeaStatus
    agreements: tuple[SubprocessorAgreement, ...]

    @property
    def services(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for a in self.agreements for s in a.services))

    @property
    def country_label(self) -> str:
        return self.country or "land onbekend"

    @property
    def outside_eea_label(self) -> str:
        return EEA_LABELS[self.outside_eea]


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
                     "signed_on, ended_on, review_on, ends_on, external")
N_COLUMNS = 12
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
                      at: object, note_tag: object, event: object) -> list[object]:
    return ["history", history_id, aid, status, on_date, at, note_tag, event]


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
    cols = row[:N_COLUMNS]
    n_history, n_subs, index_blob, data_tag, mac = row[N_COLUMNS:N_COLUMNS + 5]
    if not cipher.mac_ok(agreement_mac_parts(cols, n_history, n_subs, tag_of(index_blob),
                                             data_tag), mac):
        raise RecordDamaged(agreement_label(cols[0], cols[3]), _TAMPERED)
    # Values a MAC vouches for may still be ones this version cannot show (a newer app wrote them).
    if cols[4] not in _STATUS_SET:
        raise RecordDamaged(agreement_label(cols[0], cols[3]), f"onbekende status '{cols[4]}'")
    if not (type(cols[1]) is str and type(cols[2]) is str and type(cols[3]) is str
            and type(n_history) is int and type(n_subs) is int and type(cols[11]) is int
            and cols[11] in (0, 1)):
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
            ends_on=_d(cols[10]), external=bool(cols[11]),
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
    mac = cipher.mac(agreement_mac_parts(tuple(row[:N_COLUMNS]), *row[N_COLUMNS:N_COLUMNS + 4]))
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
            (summary.processor, summary.organisation, summary.kind_label,
             str(index.get("notes", "")), str(index.get("history_notes", "")),
             str(index.get("service", "")))))

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
    """A generated agreement enters the register as a concept, with its two documents and
    the subprocessors it names for the services taken."""
    from dpa_desktop.parties import processor_of, service_names_of, typed_subprocessors

    clean = normalised(spec, answers)
    created = today or date.today()
    organisation = _profile_value(spec, clean, "organisatie_naam")
    service_names = service_names_of(spec, clean)
    subs = []
    # The subprocessors of the services taken, and those the agreement names without
    # tying them to a service (they serve the whole agreement).
    claimed = {pid for service in spec.services for pid in service.subprocessors}
    general = [p for p in spec.subprocessors if p.id not in claimed]
    for sub in [*spec.subprocessors_for(clean.services), *general]:
        uses = [spec.service(s).name for s in clean.services
                if sub.id in spec.service(s).subprocessors]
        # A country the agreement does not give is stored empty, its EEA status unknown.
        subs.append(SubprocessorEntry(
            name=sub.name, country="" if sub.country == UNKNOWN_COUNTRY else sub.country,
            outside_eea=_EEA_OF_FORM[sub.eea_status()], services=tuple(uses)))
    # A processor and subprocessors the practice typed (the sector model) are what a
    # person wrote: ciphertext only. The plain column holds the form's label.
    processor = processor_of(spec, clean)
    typed_processor = processor.name != spec.processor.name
    typed_subs: list[dict[str, Any]] = [
        {"name": p.name, "country": "" if p.country == UNKNOWN_COUNTRY else p.country,
         "outside_eea": _EEA_OF_FORM[p.eea_status()], "services": []}
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
            "history_count, subprocessor_count, external, index_blob, data_blob) "
            "VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?)",
            (aid, spec.id, spec.version, spec.processor_label if typed_processor else processor.name,
             CONCEPT, created.isoformat(),
             cipher.encrypt(_json(index), index_purpose(aid)),
             cipher.encrypt(_json(data), data_purpose(aid))))
        for kind, content in (("docx", docx), ("pdf", pdf)):
            conn.execute("INSERT INTO documents (agreement_id, kind, data_blob) VALUES (?, ?, ?)",
                         (aid, kind, cipher.encrypt(content, document_purpose(aid, kind))))
        _put_subprocessors(conn, cipher, aid, subs)
        _add_history(conn, cipher, aid, CONCEPT, created, "")
        if draft_id is not None:
            conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))
        seal_agreement(conn, cipher, aid)
        seal_agreement_count(conn, cipher)
    return aid


_EEA_OF_FORM: dict[str, EeaStatus] = {"outside": "yes", "inside": "no", "unknown": "unknown"}


def _typed_entry(t: dict[str, Any]) -> SubprocessorEntry:
    """A typed subprocessor from an agreement's data. Schema 3 wrote its EEA status as
    true/false and an unknown country as "land onbekend"; schema 4 as yes/no/unknown."""
    outside = t["outside_eea"]
    if isinstance(outside, bool):
        outside = "yes" if outside else "no"
    if outside not in EEA_STATUSES:
        raise ValueError(outside)
    country = "" if t["country"] in (UNKNOWN_COUNTRY, "land onbekend") else str(t["country"])
    return SubprocessorEntry(name=str(t["name"]), country=country, outside_eea=outside,
                             services=tuple(str(s) for s in t["services"]))


def _put_subprocessors(conn: sqlite3.Connection, cipher: Cipher, aid: int,
                       subs: Sequence[SubprocessorEntry]) -> None:
    """Replace an agreement's subprocessor rows (each with its MAC) and their count."""
    conn.execute("DELETE FROM subprocessors WHERE agreement_id = ?", (aid,))
    for seq, sub in enumerate(subs):
        values = (aid, seq, sub.name, sub.country, sub.outside_eea,
                  json.dumps(list(sub.services), ensure_ascii=False))
        conn.execute("INSERT INTO subprocessors (agreement_id, seq, name, country, "
                     "outside_eea, services, row_mac) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (*values, cipher.mac(subprocessor_mac_parts(*values))))
    conn.execute("UPDATE agreements SET subprocessor_count = ? WHERE id = ?", (len(subs), aid))


def _add_history(conn: sqlite3.Connection, cipher: Cipher, aid: int, status: str, on: date,
                 note: str, event: str = "status") -> None:
    hid = _next_id(conn, "history")
    at = datetime.now().replace(microsecond=0).isoformat()
    blob = cipher.encrypt(note.encode("utf-8"), note_purpose(hid))
    mac = cipher.mac(history_mac_parts(hid, aid, status, on.isoformat(), at, tag_of(blob), event))
    conn.execute("INSERT INTO history (id, agreement_id, status, on_date, at, note_blob, event, "
                 "row_mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 (hid, aid, status, on.isoformat(), at, blob, event, mac))
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


def check_scan(scan: Path) -> None:
    """DpaError in Dutch when ``scan`` cannot be stored (missing, too large, not a PDF or
    image); lets a caller refuse before it writes anything."""
    _check_scan(scan)


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
    n = N_COLUMNS + 3  # the columns, the two counts and the index blob
    data_blob = row[n]
    checked = check_agreement_row(cipher, (*row[:n], tag_of(data_blob), row[n + 1]))
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
                         (review_date(on).isoformat(), aid))
        if note:
            index["history_notes"] = (index.get("history_notes", "") + "\n" + note).strip()
            conn.execute("UPDATE agreements SET index_blob = ? WHERE id = ?",
                         (cipher.encrypt(_json(index), index_purpose(aid)), aid))
        if checked_scan is not None:
            _put_scan(conn, cipher, aid, data, checked_scan)
        _add_history(conn, cipher, aid, status, on, note)
        seal_agreement(conn, cipher, aid)


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


EXTERNAL_NOTE = "Bestaande overeenkomst vastgelegd (extern, niet met DPA Desktop gemaakt)"


def record_external(conn: sqlite3.Connection, cipher: Cipher, entry: ExternalEntry, *,
                    organisation: str, scan: Path | None = None,
                    today: date | None = None) -> int:
    """An agreement made elsewhere enters the register as signed, with its scan if given.

    Its processor and dates are plain columns like those of an agreement made
    here (so it sorts, filters and comes up for review the same way);
    everything else the practice wrote is in the encrypted data and index.
    """
    if entry.signed_on is None:
        raise AnswersInvalid([_problem("ondertekend", "verplicht")], heading=NOT_SAVED)
    checked_scan = _check_scan(scan) if scan is not None else None
    created = today or date.today()
    data: dict[str, Any] = {"external": entry.details.to_data(), "signatories": [],
                            "notes": entry.notes, "scan": None}
    index = {"organisation": organisation, "notes": entry.notes,
             "service": entry.details.service}
    with db.transaction(conn):
        aid = _next_id(conn, "agreements")
        conn.execute(
            "INSERT INTO agreements (id, form_id, form_version, processor, status, created_on, "
            "signed_on, review_on, ends_on, external, history_count, subprocessor_count, "
            "index_blob, data_blob) VALUES (?, '', '', ?, ?, ?, ?, ?, ?, 1, 0, 0, ?, ?)",
            (aid, entry.processor, SIGNED, created.isoformat(), entry.signed_on.isoformat(),
             _iso(entry.review_on or review_date(entry.signed_on)), _iso(entry.ends_on),
             cipher.encrypt(_json(index), index_purpose(aid)),
             cipher.encrypt(_json(data), data_purpose(aid))))
        _put_subprocessors(conn, cipher, aid, entry.subprocessors)
        if checked_scan is not None:
            _put_scan(conn, cipher, aid, data, checked_scan)
        _add_history(conn, cipher, aid, SIGNED, entry.signed_on, EXTERNAL_NOTE)
        seal_agreement(conn, cipher, aid)
        seal_agreement_count(conn, cipher)
    return aid


def _problem(field: str, message: str) -> FieldProblem:
    return FieldProblem(field, field_label(field), message)


def edit(conn: sqlite3.Connection, cipher: Cipher, aid: int, fields: RegisterFields, *,
         scan: Path | None = None, today: date | None = None) -> bool:
    """Correct an agreement's fields (an ExternalEntry for an external one) and/or its scan.

    The status is not changed here (``set_status`` moves it on). Each edit adds
    a history step (event "edit") saying what changed from what to what;
    returns False, writing nothing, when nothing changed.
    """
    checked_scan = _check_scan(scan) if scan is not None else None
    with db.transaction(conn):
        checked, data = _load_data(conn, cipher, aid)
        cols, index, what = checked.cols, checked.index, checked.what
        external = bool(cols[11])
        if isinstance(fields, ExternalEntry) != external:
            raise DpaError(f"Overeenkomst {aid} is " + (
                "extern vastgelegd; wijzig haar met alle velden van een bestaande overeenkomst."
                if external else "met DPA Desktop gemaakt; alleen de data en de notitie "
                                 "kunnen worden gewijzigd."))
        status = cols[4]
        sent, ended = _d(cols[6]), _d(cols[8])
        problems = []
        signed_status = status in (SIGNED, ENDED)
        if signed_status and fields.signed_on is None:
            problems.append(_problem("ondertekend", "verplicht: de overeenkomst is ondertekend"))
        if not signed_status and fields.signed_on is not None:
            problems.append(_problem("ondertekend", "deze overeenkomst is nog niet ondertekend; "
                                                    "markeer haar eerst als ondertekend"))
        if fields.signed_on is not None and sent is not None and fields.signed_on < sent:
            problems.append(_problem("ondertekend", f"ligt vóór de datum van verzenden "
                                                    f"({sent:%d-%m-%Y})"))
        if fields.signed_on is not None and ended is not None and fields.signed_on > ended:
            problems.append(_problem("ondertekend", f"ligt na de datum van beëindiging "
                                                    f"({ended:%d-%m-%Y})"))
        if problems:
            raise AnswersInvalid(problems, heading=NOT_SAVED)
        subs = _subprocessors(conn, cipher, aid, what, checked.subprocessor_count)
        try:
            old: RegisterFields
            if external:
                old = ExternalEntry(processor=cols[3],
                                    details=ExternalDetails.from_data(data["external"]),
                                    subprocessors=subs, signed_on=_d(cols[7]),
                                    ends_on=_d(cols[10]), review_on=_d(cols[9]),
                                    notes=str(data.get("notes", "")))
            else:
                old = RegisterFields(signed_on=_d(cols[7]), ends_on=_d(cols[10]),
                                     review_on=_d(cols[9]), notes=str(data.get("notes", "")))
        except (KeyError, TypeError, ValueError) as exc:
            raise RecordDamaged(what, f"{DATA_PART} is onleesbaar") from exc
        changes = describe_changes(old, fields)
        if checked_scan is not None:
            changes.append(f"scan {'vervangen' if data.get('scan') else 'toegevoegd'}: "
                           f"{checked_scan.path.name}")
        if not changes:
            return False
        conn.execute("UPDATE agreements SET signed_on = ?, ends_on = ?, review_on = ? "
                     "WHERE id = ?", (_iso(fields.signed_on), _iso(fields.ends_on),
                                      _iso(fields.review_on), aid))
        data["notes"] = index["notes"] = fields.notes
        if isinstance(fields, ExternalEntry):
            conn.execute("UPDATE agreements SET processor = ? WHERE id = ?",
                         (fields.processor, aid))
            data["external"] = fields.details.to_data()
            index["service"] = fields.details.service
            if isinstance(old, ExternalEntry) and fields.subprocessors != old.subprocessors:
                _put_subprocessors(conn, cipher, aid, fields.subprocessors)
        conn.execute("UPDATE agreements SET index_blob = ?, data_blob = ? WHERE id = ?",
                     (cipher.encrypt(_json(index), index_purpose(aid)),
                      cipher.encrypt(_json(data), data_purpose(aid)), aid))
        if checked_scan is not None:
            _put_scan(conn, cipher, aid, data, checked_scan)
        _add_history(conn, cipher, aid, status, today or date.today(), "; ".join(changes),
                     event="edit")
        seal_agreement(conn, cipher, aid)
    return True


# --------------------------------------------------------------------------- reads


def _history(conn: sqlite3.Connection, cipher: Cipher, aid: int, what: str,
             expected: int) -> tuple[StatusChange, ...]:
    out = []
    for hid, status, on, at, blob, event, mac in conn.execute(
            "SELECT id, status, on_date, at, note_blob, event, row_mac FROM history "
            "WHERE agreement_id = ? ORDER BY id", (aid,)):
        if not cipher.mac_ok(history_mac_parts(hid, aid, status, on, at, tag_of(blob), event),
                             mac):
            raise RecordDamaged(what, f"de geschiedenis (stap {hid}) is buiten DPA Desktop "
                                      "gewijzigd")
        if status not in STATUSES or event not in EVENTS:
            raise RecordDamaged(what, f"onbekende status '{status}' in de geschiedenis")
        try:
            note = cipher.decrypt(blob, note_purpose(hid), f"de notitie bij stap {hid}")
            out.append(StatusChange(status=status, on=date.fromisoformat(on),
                                    at=datetime.fromisoformat(at), note=note.decode("utf-8"),
                                    event=event))
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
            if outside not in EEA_STATUSES or not isinstance(country, str):
                raise ValueError(outside)
            entries.append(SubprocessorEntry(name=name, country=country, outside_eea=outside,
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
        scan = data.get("scan") or {}
        if summary.external:
            return Agreement(
                id=summary.id, form_id="", form_version="", processor=summary.processor,
                status=summary.status, created_on=summary.created_on, sent_on=summary.sent_on,
                signed_on=summary.signed_on, ended_on=summary.ended_on,
                review_on=summary.review_on, ends_on=summary.ends_on, external=True,
                organisation=summary.organisation, notes=data["notes"],
                details=ExternalDetails.from_data(data["external"]),
                scan_sha256=scan.get("sha256"), scan_name=scan.get("name"),
                scan_type=scan.get("type"), subprocessors=subs, history=history)
        answers = Answers.from_json(data["answers"], form_id=summary.form_id)
        return Agreement(
            id=summary.id, form_id=summary.form_id, form_version=summary.form_version,
            processor=summary.processor, status=summary.status, created_on=summary.created_on,
            sent_on=summary.sent_on, signed_on=summary.signed_on, ended_on=summary.ended_on,
            review_on=summary.review_on, ends_on=summary.ends_on,
            organisation=summary.organisation, answers=answers, services=answers.services,
            service_names=tuple(data.get("service_names", ())),
            retention=dict(answers.retention),
            signatories=tuple(Signatory(**s) for s in data.get("signatories", ())),
            notes=data.get("notes", ""), docx_sha256=data["docx_sha256"],
            pdf_sha256=data["pdf_sha256"], scan_sha256=scan.get("sha256"),
            scan_name=scan.get("name"), scan_type=scan.get("type"),
            subprocessors=subs + tuple(_typed_entry(t) for t in data.get("typed_subprocessors", ())),
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


# One agreement placing a subprocessor outside the EEA outweighs another that does not say.
_EEA_RANK: dict[str, int] = {"no": 0, "unknown": 1, "yes": 2}
_EEA_WORST: dict[int, EeaStatus] = {0: "no", 1: "unknown", 2: "yes"}


def subprocessor_overview(conn: sqlite3.Connection, cipher: Cipher,
                          signed: dict[int, tuple[int, AgreementSummary]],
                          damaged: Callable[[int, RecordDamaged], None],
                          typed_forms: frozenset[str] = frozenset()) -> list[SubprocessorUse]:
    """Every subprocessor holding the practice's data under a signed agreement.

    ``signed`` maps the checked, signed agreements (from the index) to how
    many subprocessor rows each has and its summary; rows of other agreements
    are ignored, and an agreement whose rows fail their check is reported
    through ``damaged`` and left out. The plain rows are a catalogue's
    subprocessors and those of agreements made elsewhere; those a practice typed
    into a form (the sector model) are ciphertext in the agreement's data, read
    here only for agreements on one of ``typed_forms``.
    """
    per_agreement: dict[int, list[tuple[Any, ...]]] = {aid: [] for aid in signed}
    # The status in SQL only narrows the rows read; ``signed`` (checked) decides.
    for aid, seq, name, country, outside, services, mac in conn.execute(
            "SELECT s.agreement_id, s.seq, s.name, s.country, s.outside_eea, s.services, "
            "s.row_mac FROM subprocessors s JOIN agreements a ON a.id = s.agreement_id "
            "WHERE a.status = ? ORDER BY s.agreement_id, s.seq", (SIGNED,)):
        if aid in per_agreement:
            per_agreement[aid].append((seq, name, country, outside, services, mac))
    grouped: dict[tuple[str, str], tuple[EeaStatus, list[SubprocessorAgreement]]] = {}
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
                if outside not in EEA_STATUSES or not isinstance(name, str) \
                        or not isinstance(country, str):
                    raise ValueError(outside)
                if services not in parsed:
                    parsed[services] = tuple(str(s) for s in json.loads(services))
        except RecordDamaged as exc:
            damaged(aid, exc)
            continue
        except (TypeError, ValueError):
            damaged(aid, RecordDamaged(what, "de lijst van subverwerkers is onleesbaar"))
            continue
        typed: list[tuple[Any, ...]] = []
        if summary.form_id in typed_forms:
            try:
                _, data = _load_data(conn, cipher, aid)
                typed = [(0, e.name, e.country, e.outside_eea, "[]", b"")
                         for e in map(_typed_entry, data.get("typed_subprocessors", ()))]
            except RecordDamaged as exc:
                damaged(aid, exc)
                continue
            except (KeyError, TypeError, ValueError):
                damaged(aid, RecordDamaged(what, "de lijst van subverwerkers is onleesbaar"))
                continue
            parsed.setdefault("[]", ())
        for _seq, name, country, outside, services, _mac in [*rows, *typed]:
            key = (name, country)
            flag, uses = grouped.setdefault(key, (outside, []))
            grouped[key] = (_EEA_WORST[max(_EEA_RANK[flag], _EEA_RANK[outside])], uses)
            uses.append(SubprocessorAgreement(agreement_id=aid, processor=processor,
                                              form_id=form_id, services=parsed[services],
                                              external=summary.external))
    ordered = sorted(grouped.items(), key=lambda item: (item[0][0].casefold(), item[0][1]))
    return [SubprocessorUse(name=n, country=c, outside_eea=flag,
                            agreements=tuple(sorted(uses, key=lambda u: u.agreement_id)))
            for (n, c), (flag, uses) in ordered]
