"""The register of agreements: status, dates, documents, scans and history.

Only non-personal fields (form, processor company, status, dates) are plain
columns, so the list can be sorted and filtered in SQL; everything a person
wrote is ciphertext. The searchable text (organisation, notes) is decrypted
once into memory and kept in step with every write, which makes a search
over ten thousand agreements a scan of short strings.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from dpa_desktop.answers import Answers, normalised
from dpa_desktop.errors import DpaError
from dpa_desktop.forms.model import FormSpec
from dpa_desktop.statuses import CONCEPT, ENDED, SENT, SIGNED, STATUS_LABELS, STATUSES
from dpa_desktop.store import db
from dpa_desktop.store.crypto import Cipher
from dpa_desktop.store.errors import NotFound, StoreCorrupt

REVIEW_AFTER = timedelta(days=365)
MAX_SCAN_BYTES = 50 * 1024 * 1024
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


def fold(text: str) -> str:
    """Case- and accent-insensitive form for search: 'Beëindigd' finds 'beeindigd'."""
    if text.isascii():
        return text.lower()  # the common case, ten times faster than decomposing
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


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
    """Decrypted summaries of every agreement, refreshed when another connection writes."""

    def __init__(self) -> None:
        self.rows: dict[int, AgreementSummary] = {}
        self.text: dict[int, str] = {}
        self.data_version = -1

    def load(self, conn: sqlite3.Connection, cipher: Cipher) -> None:
        self.rows.clear()
        self.text.clear()
        for row in conn.execute(
                "SELECT id, form_id, form_version, processor, status, created_on, sent_on, "
                "signed_on, ended_on, review_on, index_blob FROM agreements"):
            self._put(row[:10], json.loads(cipher.decrypt(row[10], "agreement:index")))
        self.data_version = _data_version(conn)

    def fresh(self, conn: sqlite3.Connection, cipher: Cipher) -> None:
        if _data_version(conn) != self.data_version:
            self.load(conn, cipher)

    def reload_one(self, conn: sqlite3.Connection, cipher: Cipher, agreement_id: int) -> None:
        row = conn.execute(
            "SELECT id, form_id, form_version, processor, status, created_on, sent_on, "
            "signed_on, ended_on, review_on, index_blob FROM agreements WHERE id = ?",
            (agreement_id,)).fetchone()
        if row is None:
            self.rows.pop(agreement_id, None)
            self.text.pop(agreement_id, None)
        else:
            self._put(row[:10], json.loads(cipher.decrypt(row[10], "agreement:index")))
        self.data_version = _data_version(conn)

    def _put(self, cols: tuple[Any, ...], index: dict[str, str]) -> None:
        summary = AgreementSummary(
            id=cols[0], form_id=cols[1], form_version=cols[2], processor=cols[3], status=cols[4],
            created_on=date.fromisoformat(cols[5]), sent_on=_d(cols[6]), signed_on=_d(cols[7]),
            ended_on=_d(cols[8]), review_on=_d(cols[9]),
            organisation=index.get("organisation", ""))
        self.rows[summary.id] = summary
        self.text[summary.id] = fold(" ".join(
            (summary.processor, summary.organisation, summary.form_id, index.get("notes", ""),
             index.get("history_notes", ""))))

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
        # The register knows yes or no; a country the agreement does not give is
        # "land onbekend" there, and not marked outside the EEA.
        subs.append({"name": sub.name, "country": sub.country_label,
                     "outside_eea": sub.eea_status() == "outside", "services": uses})
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
        cur = conn.execute(
            "INSERT INTO agreements (form_id, form_version, processor, status, created_on, "
            "index_blob, data_blob) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (spec.id, spec.version, spec.processor.name, CONCEPT, created.isoformat(),
             cipher.encrypt(_json(index), "agreement:index"),
             cipher.encrypt(_json(data), "agreement:data")))
        aid = int(cur.lastrowid or 0)
        for kind, content in (("docx", docx), ("pdf", pdf)):
            conn.execute("INSERT INTO documents (agreement_id, kind, data_blob) VALUES (?, ?, ?)",
                         (aid, kind, cipher.encrypt(content, f"document:{aid}:{kind}")))
        for sub_row in subs:
            conn.execute("INSERT INTO subprocessors (agreement_id, name, country, outside_eea, "
                         "services) VALUES (?, ?, ?, ?, ?)",
                         (aid, sub_row["name"], sub_row["country"],
                          int(bool(sub_row["outside_eea"])),
                          json.dumps(sub_row["services"], ensure_ascii=False)))
        _add_history(conn, cipher, aid, CONCEPT, created, "")
        if draft_id is not None:
            conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))
    return aid


def _add_history(conn: sqlite3.Connection, cipher: Cipher, aid: int, status: str, on: date,
                 note: str) -> None:
    conn.execute("INSERT INTO history (agreement_id, status, on_date, at, note_blob) "
                 "VALUES (?, ?, ?, ?, ?)",
                 (aid, status, on.isoformat(), datetime.now().replace(microsecond=0).isoformat(),
                  cipher.encrypt(note.encode("utf-8"), f"history:{aid}")))


def scan_type(content: bytes) -> tuple[str, str]:
    """Media type and extension of a signed scan; only PDF and common images are accepted."""
    for magic, media, ext in _SCAN_TYPES:
        if content.startswith(magic):
            return media, ext
    raise DpaError("De scan moet een PDF of een afbeelding (PNG, JPEG of TIFF) zijn.")


def _read_scan(scan: Path) -> bytes:
    try:
        size = scan.stat().st_size
        if size > MAX_SCAN_BYTES:
            raise DpaError(f"De scan '{scan.name}' is te groot (meer dan 50 MB).")
        return scan.read_bytes()
    except OSError as exc:
        raise DpaError(f"De scan '{scan}' is niet te lezen: {exc.strerror}") from exc


def _load_data(conn: sqlite3.Connection, cipher: Cipher,
               aid: int) -> tuple[tuple[Any, ...], dict[str, Any], dict[str, Any]]:
    row = conn.execute(
        "SELECT id, form_id, form_version, processor, status, created_on, sent_on, signed_on, "
        "ended_on, review_on, index_blob, data_blob FROM agreements WHERE id = ?",
        (aid,)).fetchone()
    if row is None:
        raise NotFound("Overeenkomst", aid)
    index = json.loads(cipher.decrypt(row[10], "agreement:index"))
    data = json.loads(cipher.decrypt(row[11], "agreement:data"))
    return tuple(row[:10]), index, data


def set_status(conn: sqlite3.Connection, cipher: Cipher, aid: int, status: str, on: date,
               note: str = "", scan: Path | None = None) -> None:
    """Move an agreement forward (steps may be skipped, never undone)."""
    if status not in STATUSES:
        raise DpaError(f"Onbekende status '{status}'. Kies een van: "
                       f"{', '.join(STATUS_LABELS[s] for s in STATUSES)}.")
    scan_bytes = _read_scan(scan) if scan is not None else None
    scan_info = None
    if scan_bytes is not None:
        assert scan is not None
        media, _ext = scan_type(scan_bytes)
        scan_info = {"sha256": hashlib.sha256(scan_bytes).hexdigest(), "name": scan.name,
                     "type": media}
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
                         (cipher.encrypt(_json(index), "agreement:index"), aid))
        if scan_bytes is not None:
            _put_scan(conn, cipher, aid, data, scan_bytes, scan_info)
        _add_history(conn, cipher, aid, status, on, note)


def _review_date(signed: date) -> date:
    try:
        return signed.replace(year=signed.year + 1)
    except ValueError:  # 29 February
        return signed + REVIEW_AFTER


def _put_scan(conn: sqlite3.Connection, cipher: Cipher, aid: int, data: dict[str, Any],
              content: bytes, info: dict[str, str] | None) -> None:
    conn.execute("INSERT INTO documents (agreement_id, kind, data_blob) VALUES (?, 'scan', ?) "
                 "ON CONFLICT(agreement_id, kind) DO UPDATE SET data_blob = excluded.data_blob",
                 (aid, cipher.encrypt(content, f"document:{aid}:scan")))
    data["scan"] = info
    conn.execute("UPDATE agreements SET data_blob = ? WHERE id = ?",
                 (cipher.encrypt(_json(data), "agreement:data"), aid))


def attach_scan(conn: sqlite3.Connection, cipher: Cipher, aid: int, scan: Path) -> None:
    content = _read_scan(scan)
    media, _ext = scan_type(content)
    info = {"sha256": hashlib.sha256(content).hexdigest(), "name": scan.name, "type": media}
    with db.transaction(conn):
        _cols, _index, data = _load_data(conn, cipher, aid)
        _put_scan(conn, cipher, aid, data, content, info)


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
                     (cipher.encrypt(_json(index), "agreement:index"),
                      cipher.encrypt(_json(data), "agreement:data"), aid))
        if review_on is not None:
            conn.execute("UPDATE agreements SET review_on = ? WHERE id = ?",
                         (review_on.isoformat(), aid))


# --------------------------------------------------------------------------- reads


def get(conn: sqlite3.Connection, cipher: Cipher, aid: int) -> Agreement:
    cols, index, data = _load_data(conn, cipher, aid)
    answers = Answers.from_json(data["answers"], form_id=cols[1])
    history = tuple(
        StatusChange(status=s, on=date.fromisoformat(on), at=datetime.fromisoformat(at),
                     note=cipher.decrypt(blob, f"history:{aid}").decode("utf-8"))
        for s, on, at, blob in conn.execute(
            "SELECT status, on_date, at, note_blob FROM history WHERE agreement_id = ? "
            "ORDER BY id", (aid,)))
    subs = tuple(
        SubprocessorEntry(name=n, country=c, outside_eea=bool(o), services=tuple(json.loads(s)))
        for n, c, o, s in conn.execute(
            "SELECT name, country, outside_eea, services FROM subprocessors "
            "WHERE agreement_id = ? ORDER BY rowid", (aid,)))
    scan = data.get("scan") or {}
    return Agreement(
        id=cols[0], form_id=cols[1], form_version=cols[2], processor=cols[3], status=cols[4],
        created_on=date.fromisoformat(cols[5]), sent_on=_d(cols[6]), signed_on=_d(cols[7]),
        ended_on=_d(cols[8]), review_on=_d(cols[9]), organisation=index.get("organisation", ""),
        answers=answers, services=answers.services,
        service_names=tuple(data.get("service_names", ())), retention=dict(answers.retention),
        signatories=tuple(Signatory(**s) for s in data.get("signatories", ())),
        notes=data.get("notes", ""), docx_sha256=data["docx_sha256"],
        pdf_sha256=data["pdf_sha256"], scan_sha256=scan.get("sha256"),
        scan_name=scan.get("name"), scan_type=scan.get("type"), subprocessors=subs,
        history=history)


def document_bytes(conn: sqlite3.Connection, cipher: Cipher, aid: int, kind: DocumentKind) -> bytes:
    row = conn.execute("SELECT data_blob FROM documents WHERE agreement_id = ? AND kind = ?",
                       (aid, kind)).fetchone()
    if row is None:
        if conn.execute("SELECT 1 FROM agreements WHERE id = ?", (aid,)).fetchone() is None:
            raise NotFound("Overeenkomst", aid)
        label = "scan" if kind == "scan" else kind.upper()
        raise DpaError(f"Bij overeenkomst {aid} is geen {label} opgeslagen.")
    content = cipher.decrypt(row[0], f"document:{aid}:{kind}")
    agreement = get(conn, cipher, aid)
    expected = {"docx": agreement.docx_sha256, "pdf": agreement.pdf_sha256,
                "scan": agreement.scan_sha256}[kind]
    if hashlib.sha256(content).hexdigest() != expected:
        raise StoreCorrupt(f"het document ({kind}) van overeenkomst {aid} is gewijzigd")
    return content


def subprocessor_overview(conn: sqlite3.Connection) -> list[SubprocessorUse]:
    """Every subprocessor holding the practice's data under a signed agreement."""
    grouped: dict[tuple[str, str], tuple[bool, list[SubprocessorAgreement]]] = {}
    parsed: dict[str, tuple[str, ...]] = {}  # the same service lists recur in every agreement
    for name, country, outside, services, aid, processor, form_id in conn.execute(
            "SELECT s.name, s.country, s.outside_eea, s.services, a.id, a.processor, a.form_id "
            "FROM subprocessors s JOIN agreements a ON a.id = s.agreement_id "
            "WHERE a.status = ? ORDER BY s.name COLLATE NOCASE, a.id", (SIGNED,)):
        key = (name, country)
        flag, uses = grouped.setdefault(key, (bool(outside), []))
        grouped[key] = (flag or bool(outside), uses)
        uses.append(SubprocessorAgreement(agreement_id=aid, processor=processor, form_id=form_id,
                                          services=parsed.get(services)
                                          or parsed.setdefault(services,
                                                               tuple(json.loads(services)))))
    return [SubprocessorUse(name=n, country=c, outside_eea=flag, agreements=tuple(uses))
            for (n, c), (flag, uses) in grouped.items()]
