"""The practice profile: who the practice is, prefilled into every form.

Checked with the same validators as the form answers, so a bad KvK number is
caught once, here, and not again in every agreement.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from dpa_desktop import validation
from dpa_desktop.errors import AnswersInvalid, FieldProblem
from dpa_desktop.store import db
from dpa_desktop.store.crypto import Cipher
from dpa_desktop.store.errors import RecordDamaged, StoreCorrupt
from dpa_desktop.text import clean

KINDS = {"huisartsenpraktijk": "Huisartsenpraktijk", "zorgaanbieder": "Zorgaanbieder"}

# key -> (Dutch label, validator type); the keys are those in forms/README.md.
PROFILE_FIELDS: dict[str, tuple[str, str]] = {
    "organisatie_soort": ("Soort organisatie", "kind"),
    "organisatie_naam": ("Organisatienaam", "text"),
    "adres": ("Adres", "text"),
    "postcode": ("Postcode", "postcode"),
    "plaats": ("Plaats", "text"),
    "kvk": ("KvK-nummer", "kvk"),
    "agb": ("AGB-code", "agb"),
    "vertegenwoordiger": ("Vertegenwoordiger", "text"),
    "vertegenwoordiger_functie": ("Functie vertegenwoordiger", "text"),
    "fg_naam": ("Naam functionaris gegevensbescherming", "text"),
    "fg_email": ("E-mail functionaris gegevensbescherming", "email"),
    "fg_telefoon": ("Telefoon functionaris gegevensbescherming", "phone"),
    "security_naam": ("Naam security officer", "text"),
    "security_functie": ("Functie security officer", "text"),
    "security_email": ("E-mail security officer", "email"),
    "security_telefoon": ("Telefoon security officer", "phone"),
    "security_mobiel": ("Mobiel security officer", "phone"),
    "contact_naam": ("Naam contactpersoon", "text"),
    "contact_functie": ("Functie contactpersoon", "text"),
    "contact_email": ("E-mail contactpersoon", "email"),
    "contact_telefoon": ("Telefoon contactpersoon", "phone"),
    "contact_mobiel": ("Mobiel contactpersoon", "phone"),
}

_CHECKS: dict[str, Callable[[str], str]] = {
    "postcode": validation.postcode,
    "kvk": validation.kvk,
    "agb": validation.agb,
    "email": validation.email,
    "phone": validation.phone,
}


def _kind(value: str) -> str:
    if value not in KINDS:
        raise ValueError(f"kies een van: {', '.join(KINDS.values())}")
    return value


def validate_profile(profile: dict[str, str]) -> dict[str, str]:
    """Normalised profile without empty fields; AnswersInvalid lists every bad field."""
    problems: list[FieldProblem] = []
    out: dict[str, str] = {}
    for key, raw in profile.items():
        if key not in PROFILE_FIELDS:
            problems.append(FieldProblem(key, key, "onbekend veld in het praktijkprofiel"))
            continue
        label, kind = PROFILE_FIELDS[key]
        if not isinstance(raw, str):
            problems.append(FieldProblem(key, label, "moet tekst zijn"))
            continue
        value = clean(raw) if raw else ""
        if not value:
            continue
        try:
            if kind == "kind":
                out[key] = _kind(value)
            elif kind in _CHECKS:
                out[key] = _CHECKS[kind](value)
            else:
                out[key] = validation.text(raw, min_length=None, max_length=300)
        except ValueError as exc:
            problems.append(FieldProblem(key, label, str(exc)))
    if problems:
        raise AnswersInvalid(problems)
    return out


PURPOSE = "profile.data_blob:1"
LABEL = "Het praktijkprofiel"


def load(conn: sqlite3.Connection, cipher: Cipher) -> dict[str, str]:
    """The saved profile; RecordDamaged when it cannot be read (saving a new one repairs it)."""
    row = conn.execute("SELECT data_blob FROM profile WHERE id = 1").fetchone()
    if row is None:
        return {}
    try:
        data = json.loads(cipher.decrypt(row[0], PURPOSE, "het gegevensblok"))
    except StoreCorrupt as exc:
        raise RecordDamaged(LABEL, exc.detail) from exc
    except ValueError as exc:
        raise RecordDamaged(LABEL, "het gegevensblok is onleesbaar") from exc
    if not isinstance(data, dict):
        raise RecordDamaged(LABEL, "het gegevensblok is onleesbaar")
    return {str(k): str(v) for k, v in data.items()}


def save(conn: sqlite3.Connection, cipher: Cipher, profile: dict[str, str]) -> dict[str, str]:
    clean_profile = validate_profile(profile)
    blob = cipher.encrypt(json.dumps(clean_profile, ensure_ascii=False).encode("utf-8"), PURPOSE)
    with db.transaction(conn):
        conn.execute("INSERT INTO profile (id, data_blob) VALUES (1, ?) "
                     "ON CONFLICT(id) DO UPDATE SET data_blob = excluded.data_blob", (blob,))
    return clean_profile
