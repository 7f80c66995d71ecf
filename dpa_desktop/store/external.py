"""Agreements the practice did not make with DPA Desktop: their fields, JSON shape and checks.

A practice works with twenty to forty processors, most of which send their own
PDF; the register records those "external" agreements beside the ones made
here. The JSON shape read by ``dpa-desktop register add --json`` (and shown by
``register show --json``) is a contract, documented in the README:

    {"verwerker": {"naam", "kvk", "plaats", "land"}, "dienst", "persoonsgegevens": [..],
     "gezondheidsgegevens", "bsn", "ondertekend", "einde", "herbeoordeling",
     "datalek": {"email", "telefoon", "termijn"},
     "subverwerkers": [{"naam", "land", "buiten_eer"}], "notitie"}

Parsing checks the whole object and reports every problem at once, each naming
its field in Dutch ("Subverwerker 2 – land"), with the validators the wizard
uses (KvK, e-mail, phone, dates). What it returns is normalised, so writing it
back as JSON and parsing again gives the same entry.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from dpa_desktop import validation
from dpa_desktop.errors import AnswersInvalid, FieldProblem
from dpa_desktop.forms.model import EEA_COUNTRIES

# Whether a subprocessor holds the data outside the European Economic Area.
EeaStatus = Literal["yes", "no", "unknown"]
EEA_STATUSES: tuple[EeaStatus, ...] = ("yes", "no", "unknown")
EEA_LABELS: dict[EeaStatus, str] = {"yes": "ja", "no": "nee", "unknown": "onbekend"}
_EEA_FROM_LABEL: dict[str, EeaStatus] = {v: k for k, v in EEA_LABELS.items()}

# How soon the processor must report a data breach to the practice.
NoticeKind = Literal["hours", "immediate", "not_regulated"]
IMMEDIATE = "onverwijld"
NOT_REGULATED = "niet geregeld"
INDEFINITE = "onbepaalde tijd"
MAX_HOURS = 8760
REVIEW_AFTER = timedelta(days=365)

# Dutch names of the EEA countries, so a subprocessor "in Ierland" marked outside
# the EEA is caught as a slip (ISO codes are checked against EEA_COUNTRIES).
EEA_NAMES_NL = frozenset({
    "belgie", "bulgarije", "cyprus", "denemarken", "duitsland", "estland", "finland",
    "frankrijk", "griekenland", "hongarije", "ierland", "ijsland", "italie", "kroatie",
    "letland", "liechtenstein", "litouwen", "luxemburg", "malta", "nederland", "noorwegen",
    "oostenrijk", "polen", "portugal", "roemenie", "slovenie", "slowakije", "spanje",
    "tsjechie", "zweden",
})

# Limits on what a person types; the JSON file itself is limited by the CLI.
MAX_NAME = 200
MAX_PLACE = 100
MAX_COUNTRY = 60
MAX_SERVICE = 500
MAX_CATEGORY = 150
MAX_CATEGORIES = 60
MAX_SUBPROCESSORS = 200
MAX_NOTES = 5000


@dataclass(frozen=True)
class SubprocessorEntry:
    """A subprocessor of one agreement; ``country`` is empty when the agreement does not say."""

    name: str
    country: str
    outside_eea: EeaStatus
    services: tuple[str, ...] = ()

    @property
    def country_label(self) -> str:
        return self.country or "land onbekend"

    @property
    def outside_eea_label(self) -> str:
        return EEA_LABELS[self.outside_eea]


@dataclass(frozen=True)
class BreachNotice:
    """The notice deadline for a data breach: a number of hours, "onverwijld", or not regulated."""

    kind: NoticeKind
    hours: int | None = None

    @property
    def label(self) -> str:
        """As said after "meldt": "binnen 24 uur", "onverwijld", "niet geregeld"."""
        if self.kind == "hours":
            return f"binnen {self.hours} uur"
        return IMMEDIATE if self.kind == "immediate" else NOT_REGULATED

    def to_json(self) -> int | str:
        if self.kind == "hours" and self.hours is not None:
            return self.hours
        return IMMEDIATE if self.kind == "immediate" else NOT_REGULATED


@dataclass(frozen=True, kw_only=True)
class ExternalDetails:
    """What the register knows of an external agreement besides its dates and subprocessors."""

    kvk: str = ""
    place: str = ""
    country: str = ""
    service: str
    categories: tuple[str, ...]
    health_data: bool = False
    bsn: bool = False
    breach_email: str = ""
    breach_phone: str = ""
    breach_notice: BreachNotice

    def to_data(self) -> dict[str, Any]:
        """The stored (encrypted) form."""
        return {"kvk": self.kvk, "place": self.place, "country": self.country,
                "service": self.service, "categories": list(self.categories),
                "health_data": self.health_data, "bsn": self.bsn,
                "breach": {"email": self.breach_email, "phone": self.breach_phone,
                           "kind": self.breach_notice.kind, "hours": self.breach_notice.hours}}

    @classmethod
    def from_data(cls, data: Any) -> ExternalDetails:
        """From the stored form; ValueError when it is not what ``to_data`` writes."""
        if not isinstance(data, dict) or not isinstance(data.get("breach"), dict):
            raise ValueError("external details")
        breach = data["breach"]
        kind, hours = breach["kind"], breach["hours"]
        if kind not in ("hours", "immediate", "not_regulated") or (
                (kind == "hours") != (type(hours) is int)):
            raise ValueError("breach notice")
        texts = [data[k] for k in ("kvk", "place", "country", "service")] + [
            breach["email"], breach["phone"]]
        categories = data["categories"]
        if not (all(isinstance(t, str) for t in texts) and isinstance(categories, list)
                and all(isinstance(c, str) for c in categories)
                and type(data["health_data"]) is bool and type(data["bsn"]) is bool):
            raise ValueError("external details")
        return cls(kvk=data["kvk"], place=data["place"], country=data["country"],
                   service=data["service"], categories=tuple(categories),
                   health_data=data["health_data"], bsn=data["bsn"],
                   breach_email=breach["email"], breach_phone=breach["phone"],
                   breach_notice=BreachNotice(kind, hours))


@dataclass(frozen=True, kw_only=True)
class RegisterFields:
    """What every agreement has in the register and a person may correct later.

    ``ends_on`` None: for an external agreement "onbepaalde tijd", for one made
    here "volgens de overeenkomst" (its own text says how long it runs).
    """

    signed_on: date | None = None
    ends_on: date | None = None
    review_on: date | None = None
    notes: str = ""


@dataclass(frozen=True, kw_only=True)
class ExternalEntry(RegisterFields):
    """An external agreement as recorded: every field of ``register add``."""

    processor: str
    details: ExternalDetails
    subprocessors: tuple[SubprocessorEntry, ...] = ()


# --------------------------------------------------------------------------- labels

TOP_KEYS = ("verwerker", "dienst", "persoonsgegevens", "gezondheidsgegevens", "bsn",
            "ondertekend", "einde", "herbeoordeling", "datalek", "subverwerkers", "notitie")
PROCESSOR_KEYS = ("naam", "kvk", "plaats", "land")
BREACH_KEYS = ("email", "telefoon", "termijn")
SUB_KEYS = ("naam", "land", "buiten_eer")
# The fields every agreement has; the others belong to external agreements only.
REGISTER_KEYS = ("ondertekend", "einde", "herbeoordeling", "notitie")

LABELS: dict[str, str] = {
    "(bestand)": "JSON-bestand",
    "verwerker": "Verwerker",
    "verwerker.naam": "Verwerker – naam",
    "verwerker.kvk": "Verwerker – KvK-nummer",
    "verwerker.plaats": "Verwerker – plaats",
    "verwerker.land": "Verwerker – land",
    "dienst": "Wat de verwerker voor de praktijk doet",
    "persoonsgegevens": "Categorieën persoonsgegevens",
    "gezondheidsgegevens": "Gezondheidsgegevens",
    "bsn": "BSN",
    "ondertekend": "Datum van ondertekening",
    "einde": "Einddatum",
    "herbeoordeling": "Datum herbeoordeling",
    "datalek": "Datalekken",
    "datalek.email": "Meldpunt datalekken – e-mail",
    "datalek.telefoon": "Meldpunt datalekken – telefoon",
    "datalek.termijn": "Meldtermijn datalekken",
    "subverwerkers": "Subverwerkers",
    "notitie": "Notitie",
}
SUB_LABELS = {"naam": "naam", "land": "land", "buiten_eer": "buiten de EER"}


def field_label(field: str) -> str:
    """The Dutch name of a field id ("subverwerkers[1].land" -> "Subverwerker 2 – land");
    a key this shape does not know is quoted ("Verwerker – veld 'kvkk'")."""
    if field in LABELS:
        return LABELS[field]
    match = re.fullmatch(r"subverwerkers\[(\d+)\](?:\.(.*))?", field, re.S)
    if match:
        name = f"Subverwerker {int(match.group(1)) + 1}"
        key = match.group(2)
        if key is None:
            return name
        return f"{name} – {SUB_LABELS[key]}" if key in SUB_LABELS else f"{name} – veld '{key}'"
    head, dot, key = field.partition(".")
    if dot and head in ("verwerker", "datalek"):
        return f"{LABELS[head]} – veld '{key}'"
    return f"Veld '{field}'"


class _Problems:
    def __init__(self) -> None:
        self.items: list[FieldProblem] = []

    def add(self, field: str, message: str) -> None:
        self.items.append(FieldProblem(field, field_label(field), message))

    def raise_if_any(self) -> None:
        if self.items:
            raise AnswersInvalid(self.items, heading=NOT_SAVED)


NOT_SAVED = "De overeenkomst is niet opgeslagen; deze velden zijn niet in orde:"


def _unknown_keys(obj: Mapping[str, Any], known: tuple[str, ...], prefix: str,
                  problems: _Problems) -> None:
    for key in obj:
        if key in known:
            continue
        close = difflib.get_close_matches(str(key), known, n=1)
        hint = f" (bedoelt u '{close[0]}'?)" if close else f"; bekend zijn: {', '.join(known)}"
        problems.add(f"{prefix}{key}", f"onbekend veld{hint}")


def _text(obj: Mapping[str, Any], key: str, field: str, problems: _Problems, *,
          required: bool, max_length: int, multiline: bool = False,
          check: Callable[[str], str] | None = None) -> str:
    value = obj.get(key)
    if value is None or value == "":
        if required:
            problems.add(field, "verplicht; vul dit in")
        return ""
    if not isinstance(value, str):
        problems.add(field, "moet tekst zijn (tussen aanhalingstekens)")
        return ""
    try:
        cleaned = validation.text(value, min_length=None, max_length=max_length,
                                  multiline=multiline)
        if not cleaned:
            if required:
                problems.add(field, "verplicht; vul dit in")
            return ""
        return check(cleaned) if check is not None else cleaned
    except ValueError as exc:
        problems.add(field, str(exc))
        return ""


def _date(obj: Mapping[str, Any], key: str, problems: _Problems, *,
          required: bool) -> date | None:
    value = obj.get(key)
    if value is None or value == "":
        if required:
            problems.add(key, "verplicht; schrijf bijvoorbeeld 23-11-2026")
        return None
    if not isinstance(value, str):
        problems.add(key, "moet een datum als tekst zijn, bijvoorbeeld \"23-11-2026\"")
        return None
    try:
        return date.fromisoformat(validation.date(value))
    except ValueError as exc:
        problems.add(key, str(exc))
        return None


def _bool(obj: Mapping[str, Any], key: str, problems: _Problems) -> bool:
    value = obj.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        problems.add(key, "moet true (ja) of false (nee) zijn")
        return False
    return value


def _object(obj: Mapping[str, Any], key: str, problems: _Problems,
            required: bool) -> Mapping[str, Any]:
    value = obj.get(key)
    if value is None:
        if required:
            problems.add(key, "verplicht; een JSON-object met de velden "
                              f"{', '.join(PROCESSOR_KEYS if key == 'verwerker' else BREACH_KEYS)}")
        return {}
    if not isinstance(value, Mapping):
        problems.add(key, "moet een JSON-object zijn")
        return {}
    return value


def in_eea(country: str) -> bool:
    """A country the EEA certainly includes, written as ISO code or Dutch name."""
    from dpa_desktop.store.register import fold

    return country.upper() in EEA_COUNTRIES or fold(country).replace(" ", "") in EEA_NAMES_NL


def _country(value: str) -> str:
    """A two-letter code is written in capitals (NL, IE); a name stays as typed."""
    return value.upper() if len(value) == 2 and value.isascii() and value.isalpha() else value


def _notice(value: Any, problems: _Problems) -> BreachNotice | None:
    field = "datalek.termijn"
    how = (f"geef een aantal uren (bijvoorbeeld 24), \"{IMMEDIATE}\" of \"{NOT_REGULATED}\"")
    if value is None or value == "":
        problems.add(field, f"verplicht; {how}")
        return None
    hours: int | None = None
    if isinstance(value, bool):
        hours = None
    elif isinstance(value, int):
        hours = value
    elif isinstance(value, str):
        text = " ".join(value.lower().split())
        if text in (IMMEDIATE, "onmiddellijk"):
            return BreachNotice("immediate")
        if text in (NOT_REGULATED, "niet-geregeld"):
            return BreachNotice("not_regulated")
        match = re.fullmatch(r"(?:binnen )?([0-9]{1,5}) ?(?:uur)?", text)
        if match:
            hours = int(match.group(1))
    if hours is None:
        problems.add(field, how)
        return None
    if not 1 <= hours <= MAX_HOURS:
        problems.add(field, f"het aantal uren moet tussen 1 en {MAX_HOURS} liggen")
        return None
    return BreachNotice("hours", hours)


def _subprocessors(value: Any, problems: _Problems) -> tuple[SubprocessorEntry, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.add("subverwerkers", "moet een lijst zijn: [{\"naam\": …, \"land\": …, "
                                      "\"buiten_eer\": \"ja\", \"nee\" of \"onbekend\"}]")
        return ()
    if len(value) > MAX_SUBPROCESSORS:
        problems.add("subverwerkers", f"te veel: hoogstens {MAX_SUBPROCESSORS}")
        return ()
    out = []
    for i, item in enumerate(value):
        prefix = f"subverwerkers[{i}]"
        if not isinstance(item, Mapping):
            problems.add(prefix, "moet een JSON-object zijn met naam, land en buiten_eer")
            continue
        _unknown_keys(item, SUB_KEYS, f"{prefix}.", problems)
        name = _text(item, "naam", f"{prefix}.naam", problems, required=True,
                     max_length=MAX_NAME)
        country = _country(_text(item, "land", f"{prefix}.land", problems, required=False,
                                 max_length=MAX_COUNTRY))
        raw = item.get("buiten_eer")
        status: EeaStatus
        if raw is None or raw == "":
            status = "no" if country and in_eea(country) else "unknown"
        elif isinstance(raw, str) and raw.strip().lower() in _EEA_FROM_LABEL:
            status = _EEA_FROM_LABEL[raw.strip().lower()]
            if status == "yes" and country and in_eea(country):
                problems.add(f"{prefix}.buiten_eer",
                             f"{country} ligt in de EER; kies \"nee\" of corrigeer het land")
                continue
        else:
            problems.add(f"{prefix}.buiten_eer", "kies \"ja\", \"nee\" of \"onbekend\"")
            continue
        out.append(SubprocessorEntry(name=name, country=country, outside_eea=status))
    return tuple(out)


def _categories(value: Any, problems: _Problems) -> tuple[str, ...]:
    field = "persoonsgegevens"
    if value is None or value == []:
        problems.add(field, "noem minstens één categorie, bijvoorbeeld [\"NAW-gegevens\"]")
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.add(field, "moet een lijst van teksten zijn, bijvoorbeeld "
                            "[\"NAW-gegevens\", \"medische gegevens\"]")
        return ()
    if len(value) > MAX_CATEGORIES:
        problems.add(field, f"te veel: hoogstens {MAX_CATEGORIES} categorieën")
        return ()
    out = []
    for i, item in enumerate(value):
        try:
            cleaned = validation.text(item, min_length=None, max_length=MAX_CATEGORY)
        except ValueError as exc:
            problems.add(field, f"categorie {i + 1}: {exc}")
            continue
        if not cleaned:
            problems.add(field, f"categorie {i + 1} is leeg")
            continue
        out.append(cleaned)
    return tuple(out)


def review_date(signed: date) -> date:
    """A year after signing: when the register asks to look at an agreement again."""
    try:
        return signed.replace(year=signed.year + 1)
    except ValueError:  # 29 February
        return signed + REVIEW_AFTER


def _end(obj: Mapping[str, Any], problems: _Problems, *, external: bool) -> date | None:
    value = obj.get("einde")
    if isinstance(value, str) and " ".join(value.lower().split()) == INDEFINITE and external:
        return None
    if value is None and not external:
        return None
    how = (f"een datum, bijvoorbeeld 31-12-2027, of \"{INDEFINITE}\"" if external else
           "een datum, bijvoorbeeld 31-12-2027, of null (volgens de overeenkomst)")
    if value is None or value == "":
        problems.add("einde", f"verplicht; {how}")
        return None
    if not isinstance(value, str):
        problems.add("einde", f"moet {how} zijn")
        return None
    try:
        return date.fromisoformat(validation.date(value))
    except ValueError as exc:
        problems.add("einde", f"{exc}, of \"{INDEFINITE}\"" if external else str(exc))
        return None


def _dates_in_order(signed: date | None, ends: date | None, review: date | None,
                    problems: _Problems) -> None:
    if signed is None:
        return
    if ends is not None and ends < signed:
        problems.add("einde", f"ligt vóór de datum van ondertekening ({signed:%d-%m-%Y})")
    if review is not None and review < signed:
        problems.add("herbeoordeling", f"ligt vóór de datum van ondertekening "
                                       f"({signed:%d-%m-%Y})")


def parse_entry(obj: Any) -> ExternalEntry:
    """An external agreement from the JSON shape; AnswersInvalid lists every bad field."""
    problems = _Problems()
    if not isinstance(obj, Mapping):
        problems.add("(bestand)", "verwacht een JSON-object met de velden van de overeenkomst: "
                                  f"{', '.join(TOP_KEYS)}")
        problems.raise_if_any()
        raise AssertionError  # unreachable
    _unknown_keys(obj, TOP_KEYS, "", problems)
    proc = _object(obj, "verwerker", problems, required=True)
    _unknown_keys(proc, PROCESSOR_KEYS, "verwerker.", problems)
    name = _text(proc, "naam", "verwerker.naam", problems, required=True, max_length=MAX_NAME)
    kvk = _text(proc, "kvk", "verwerker.kvk", problems, required=False, max_length=40,
                check=validation.kvk)
    place = _text(proc, "plaats", "verwerker.plaats", problems, required=False,
                  max_length=MAX_PLACE)
    country = _country(_text(proc, "land", "verwerker.land", problems, required=False,
                             max_length=MAX_COUNTRY))
    service = _text(obj, "dienst", "dienst", problems, required=True, max_length=MAX_SERVICE,
                    multiline=False)
    categories = _categories(obj.get("persoonsgegevens"), problems)
    health = _bool(obj, "gezondheidsgegevens", problems)
    bsn = _bool(obj, "bsn", problems)
    signed = _date(obj, "ondertekend", problems, required=True)
    ends = _end(obj, problems, external=True)
    review = _date(obj, "herbeoordeling", problems, required=False)
    breach = _object(obj, "datalek", problems, required=True)
    _unknown_keys(breach, BREACH_KEYS, "datalek.", problems)
    email = _text(breach, "email", "datalek.email", problems, required=False, max_length=254,
                  check=validation.email)
    phone = _text(breach, "telefoon", "datalek.telefoon", problems, required=False,
                  max_length=40, check=validation.phone)
    notice = _notice(breach.get("termijn"), problems) if "datalek" in obj else None
    subs = _subprocessors(obj.get("subverwerkers"), problems)
    notes = _text(obj, "notitie", "notitie", problems, required=False, max_length=MAX_NOTES,
                  multiline=True)
    _dates_in_order(signed, ends, review, problems)
    problems.raise_if_any()
    assert signed is not None and notice is not None
    return ExternalEntry(
        processor=name, signed_on=signed, ends_on=ends,
        review_on=review if review is not None else review_date(signed), notes=notes,
        details=ExternalDetails(kvk=kvk, place=place, country=country, service=service,
                                categories=categories, health_data=health, bsn=bsn,
                                breach_email=email, breach_phone=phone, breach_notice=notice),
        subprocessors=subs)


def entry_json(entry: ExternalEntry) -> dict[str, Any]:
    """The JSON shape of an external agreement; ``parse_entry`` reads it back unchanged."""
    d = entry.details
    return {
        "verwerker": {"naam": entry.processor, "kvk": d.kvk, "plaats": d.place,
                      "land": d.country},
        "dienst": d.service,
        "persoonsgegevens": list(d.categories),
        "gezondheidsgegevens": d.health_data,
        "bsn": d.bsn,
        "ondertekend": _iso(entry.signed_on),
        "einde": _iso(entry.ends_on) or INDEFINITE,
        "herbeoordeling": _iso(entry.review_on),
        "datalek": {"email": d.breach_email, "telefoon": d.breach_phone,
                    "termijn": d.breach_notice.to_json()},
        "subverwerkers": [{"naam": s.name, "land": s.country,
                           "buiten_eer": EEA_LABELS[s.outside_eea]} for s in entry.subprocessors],
        "notitie": entry.notes,
    }


def fields_json(fields: RegisterFields) -> dict[str, Any]:
    """The JSON shape of the fields every agreement has (an agreement made here)."""
    return {"ondertekend": _iso(fields.signed_on), "einde": _iso(fields.ends_on),
            "herbeoordeling": _iso(fields.review_on), "notitie": fields.notes}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def parse_changes(obj: Any, current: RegisterFields, *,
                  signed: bool) -> RegisterFields:
    """The fields after an edit: ``obj`` holds the keys to change (JSON shape), the rest stay.

    ``current`` is the agreement as stored: an ExternalEntry for an external
    agreement (every field may change), RegisterFields for one made here (only
    the dates and the note). ``signed``: whether the agreement has been signed,
    so that it has, and keeps, a signing date.
    """
    problems = _Problems()
    if not isinstance(obj, Mapping):
        problems.add("(bestand)", "verwacht een JSON-object met de velden die wijzigen")
        problems.raise_if_any()
        raise AssertionError  # unreachable
    if isinstance(current, ExternalEntry):
        merged = entry_json(current)
        for key, value in obj.items():
            if key in ("verwerker", "datalek") and isinstance(value, Mapping) \
                    and isinstance(merged.get(key), Mapping):
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
        return parse_entry(merged)
    for key in obj:
        if key not in REGISTER_KEYS:
            if key in TOP_KEYS:
                problems.add(key, "volgt bij een overeenkomst die met DPA Desktop is gemaakt uit "
                                  "de overeenkomst zelf; hier wijzigen alleen ondertekend, "
                                  "einde, herbeoordeling en notitie")
            else:
                _unknown_keys({key: None}, REGISTER_KEYS, "", problems)
    merged = {**fields_json(current), **obj}
    signed_on = _date(merged, "ondertekend", problems, required=signed)
    if not signed and signed_on is not None:
        problems.add("ondertekend", "deze overeenkomst is nog niet ondertekend; markeer haar "
                                    "eerst als ondertekend")
        signed_on = None
    ends = _end(merged, problems, external=False)
    review = _date(merged, "herbeoordeling", problems, required=False)
    notes = _text(merged, "notitie", "notitie", problems, required=False, max_length=MAX_NOTES,
                  multiline=True)
    _dates_in_order(signed_on, ends, review, problems)
    problems.raise_if_any()
    return RegisterFields(signed_on=signed_on, ends_on=ends, review_on=review, notes=notes)


# --------------------------------------------------------------------------- history of edits


def _show(value: object, *, ends_external: bool | None = None) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if value is None:
        if ends_external is not None:
            return INDEFINITE if ends_external else "volgens de overeenkomst"
        return "(leeg)"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) or "(geen)"
    text = str(value)
    if not text:
        return "(leeg)"
    return text if len(text) <= 200 else text[:199] + "…"


def _sub_text(subs: tuple[SubprocessorEntry, ...]) -> str:
    return "; ".join(f"{s.name} ({s.country_label}, buiten de EER: {s.outside_eea_label})"
                     for s in subs) or "(geen)"


def describe_changes(old: RegisterFields, new: RegisterFields) -> list[str]:
    """What an edit changed, from what to what, in Dutch: the note of its history step."""
    external = isinstance(new, ExternalEntry)
    pairs: list[tuple[str, object, object]] = []
    if isinstance(old, ExternalEntry) and isinstance(new, ExternalEntry):
        o, n = old.details, new.details
        pairs += [
            ("verwerker.naam", old.processor, new.processor),
            ("verwerker.kvk", o.kvk, n.kvk),
            ("verwerker.plaats", o.place, n.place),
            ("verwerker.land", o.country, n.country),
            ("dienst", o.service, n.service),
            ("persoonsgegevens", o.categories, n.categories),
            ("gezondheidsgegevens", o.health_data, n.health_data),
            ("bsn", o.bsn, n.bsn),
            ("datalek.email", o.breach_email, n.breach_email),
            ("datalek.telefoon", o.breach_phone, n.breach_phone),
            ("datalek.termijn", o.breach_notice.label, n.breach_notice.label),
        ]
    pairs += [("ondertekend", old.signed_on, new.signed_on),
              ("herbeoordeling", old.review_on, new.review_on)]
    out = [f"{field_label(f)}: {_show(a)} → {_show(b)}" for f, a, b in pairs if a != b]
    if old.ends_on != new.ends_on:
        out.append(f"{field_label('einde')}: {_show(old.ends_on, ends_external=external)} → "
                   f"{_show(new.ends_on, ends_external=external)}")
    if isinstance(old, ExternalEntry) and isinstance(new, ExternalEntry) \
            and old.subprocessors != new.subprocessors:
        out.append(f"Subverwerkers: {_sub_text(old.subprocessors)} → "
                   f"{_sub_text(new.subprocessors)}")
    if old.notes != new.notes:
        out.append(f"{field_label('notitie')}: {_show(old.notes)} → {_show(new.notes)}")
    return out
