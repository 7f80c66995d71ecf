"""Validators for the answer types a form can ask for, with Dutch reasons.

Each returns the normalised value, or raises ``ValueError`` whose text is the
Dutch reason shown next to the field (wizard) or after its label (CLI).
"""

from __future__ import annotations

import datetime as dt
import re

from dpa_desktop.text import answer

MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)

_POSTCODE = re.compile(r"^([1-9][0-9]{3})\s?([A-Za-z]{2})$")
_DATE_NL = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


def kvk(value: str) -> str:
    """Eight digits, with at most spaces between them: a dot or dash means something else was typed."""
    digits = value.replace(" ", "")
    if not digits.isascii() or not digits.isdigit() or len(digits) != 8:
        raise ValueError("een KvK-nummer bestaat uit precies 8 cijfers (alleen cijfers en spaties), "
                         "bijvoorbeeld 12345678")
    return digits


def agb(value: str) -> str:
    digits = value.replace(" ", "").replace(".", "")
    if not digits.isascii() or not digits.isdigit() or len(digits) != 8:
        raise ValueError("een AGB-code bestaat uit precies 8 cijfers, bijvoorbeeld 01234567")
    return digits


def postcode(value: str) -> str:
    match = _POSTCODE.match(value.strip())
    if not match:
        raise ValueError("een postcode heeft de vorm 1234 AB")
    letters = match.group(2).upper()
    if letters in ("SA", "SD", "SS"):
        raise ValueError(f"de lettercombinatie {letters} wordt in postcodes niet gebruikt")
    return f"{match.group(1)} {letters}"


def email(value: str) -> str:
    # Imported on use: these libraries compile large tables at import (~0.1 s),
    # which every CLI start would otherwise pay.
    from email_validator import EmailNotValidError, validate_email

    try:
        result = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise ValueError("geen geldig e-mailadres, bijvoorbeeld naam@praktijk.nl") from None
    return str(result.normalized)


PHONE_HINT = "bijvoorbeeld 020-1234567, 06-12345678 of internationaal +32 2 123 45 67"


def phone(value: str) -> str:
    """A Dutch phone number, or an international one written with + (or 00).

    A Dutch number must be in use (libphonenumber's number plan); a foreign one
    needs only the right length for its country: the tables do not know every
    range in use abroad, and refusing a correctly written Belgian number helps no one.
    """
    import phonenumbers

    raw = value.strip()
    problem = f"geen geldig telefoonnummer; {PHONE_HINT}"
    try:
        number = phonenumbers.parse(raw, "NL")
    except phonenumbers.NumberParseException:
        raise ValueError(problem) from None
    valid = (phonenumbers.is_valid_number(number) if number.country_code == 31
             else phonenumbers.is_possible_number(number))
    if not valid:
        raise ValueError(problem)
    if number.country_code == 31:
        return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def date(value: str) -> str:
    """ISO (2026-11-23) or Dutch (23-11-2026); returns ISO."""
    raw = value.strip()
    try:
        match = _DATE_NL.match(raw)
        if match:
            day, month, year = (int(g) for g in match.groups())
            parsed = dt.date(year, month, day)
        else:
            parsed = dt.date.fromisoformat(raw)
    except ValueError:
        raise ValueError("geen geldige datum; schrijf bijvoorbeeld 23-11-2026") from None
    if not 1990 <= parsed.year <= 2100:
        raise ValueError("de datum moet tussen 1990 en 2100 liggen")
    return parsed.isoformat()


def format_date_nl(iso: str) -> str:
    """'2026-11-23' -> '23 november 2026', as a Dutch contract writes dates."""
    parsed = dt.date.fromisoformat(iso)
    return f"{parsed.day} {MONTHS_NL[parsed.month - 1]} {parsed.year}"


def text(value: str, *, min_length: int | None, max_length: int, multiline: bool = False) -> str:
    """Free text under the rule of text.py, within the question's lengths."""
    cleaned = answer(value, multiline=multiline)
    if min_length and len(cleaned) < min_length:
        raise ValueError(f"te kort: minstens {min_length} tekens")
    if len(cleaned) > max_length:
        raise ValueError(f"te lang: hoogstens {max_length} tekens (nu {len(cleaned)})")
    return cleaned
