"""Answer validation: what a practice manager types, and the Dutch reason when it is wrong."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from shipped import spec

from dpa_desktop import validation
from dpa_desktop.answers import Answers, validate_answers, validate_value
from dpa_desktop.forms.loader import load_forms
from dpa_desktop.text import answer, has_forbidden


@pytest.mark.parametrize("raw, expected", [("12345678", "12345678"), ("1234 5678", "12345678")])
def test_kvk_accepts_eight_digits(raw: str, expected: str) -> None:
    assert validation.kvk(raw) == expected


@pytest.mark.parametrize("raw", ["1234567", "123456789", "1234567a", "１２３４５６７８", ""])
def test_kvk_refuses_anything_else_with_the_reason(raw: str) -> None:
    with pytest.raises(ValueError, match="precies 8 cijfers"):
        validation.kvk(raw)


@pytest.mark.parametrize("raw, expected", [("1234ab", "1234 AB"), ("1234 AB", "1234 AB")])
def test_postcode_is_normalised(raw: str, expected: str) -> None:
    assert validation.postcode(raw) == expected


@pytest.mark.parametrize("raw", ["0123 AB", "1234 SS", "12345", "ABCD 12"])
def test_postcode_refuses_impossible_codes(raw: str) -> None:
    with pytest.raises(ValueError):
        validation.postcode(raw)


def test_phone_numbers_dutch_and_international() -> None:
    assert validation.phone("0201234567") == "020 123 4567"
    assert validation.phone("06-12345678") == "06 12345678"
    assert validation.phone("+32 470 12 34 56").startswith("+32")
    with pytest.raises(ValueError, match="telefoonnummer"):
        validation.phone("12345")


def test_email_and_dates() -> None:
    assert validation.email("Naam@Praktijk.nl") == "Naam@praktijk.nl"
    with pytest.raises(ValueError, match="e-mailadres"):
        validation.email("naam@")
    assert validation.date("23-11-2026") == "2026-11-23"
    assert validation.date("2026-11-23") == "2026-11-23"
    assert validation.format_date_nl("2026-03-01") == "1 maart 2026"
    with pytest.raises(ValueError, match="geen geldige datum"):
        validation.date("31-02-2026")


def test_a_form_problem_names_the_field_by_its_dutch_label() -> None:
    spec = load_forms().get("vcare")
    problems = validate_answers(spec, Answers("vcare", {"kvk": "12"}, services=()))
    by_field = {p.field: p for p in problems}
    assert by_field["kvk"].label == "KvK-nummer"
    assert by_field["organisatie_naam"].message == "dit veld is verplicht"
    assert by_field["services"].message == "kies minstens één dienst"


def test_a_retention_the_controller_decides_is_required_when_the_service_is_taken() -> None:
    spec = load_forms().get("vcare")
    base = Answers("vcare", dict(spec.example.values), services=("medialogging",))
    problems = validate_answers(spec, base)
    assert [p.label for p in problems] == ["Bewaartermijn Medialogging"]


@given(st.text())
def test_accepted_text_never_holds_characters_word_refuses(text: str) -> None:
    try:
        value = answer(text)
    except ValueError:
        return
    assert not has_forbidden(value)


ADRES = spec("vcare").question("adres")


@given(st.text(max_size=400))
def test_a_text_field_either_validates_or_says_why(text: str) -> None:
    question = ADRES
    try:
        value = validate_value(question, text)
    except ValueError as exc:
        assert str(exc) in ("dit veld is verplicht", "bevat geen zichtbare tekens") or str(exc).startswith(
            ("te lang", "bevat een ", "emoji kunnen niet", "deze tekens kunnen niet"))
    else:
        assert isinstance(value, str) and not has_forbidden(value) and len(value) <= question.max_length
