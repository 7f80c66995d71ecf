"""Given signed agreements, the datalek-kaart shows whom to reach, how and how fast, on one page."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from msgspec.structs import replace
from pypdf import PdfReader

from dpa_desktop.answers import Answers, example_answers
from dpa_desktop.forms.loader import load_forms
from dpa_desktop.forms.model import FormSpec
from dpa_desktop.review.breach_card import (
    ROOMY_ROWS,
    BreachCardRow,
    BreachEntry,
    breach_card_rows,
    render_breach_card,
)


def _entries() -> list[tuple[FormSpec, Answers]]:
    forms = load_forms()
    return [(forms.get(f), example_answers(forms.get(f)))
            for f in ("vcare", "infinitcare-almere", "beterdichtbij", "infogroen")]


def _text(path: Path) -> tuple[int, str]:
    reader = PdfReader(path)
    return len(reader.pages), " ".join(" ".join((p.extract_text() or "").split())
                                       for p in reader.pages)


def test_rows_carry_contact_deadline_and_article() -> None:
    rows = {r.party: r for r in breach_card_rows(_entries())}
    vcare = rows["Vcareconnect B.V."]
    assert (vcare.email, vcare.phone) == ("privacy@vcareconnect.nl", "088-4800918")
    # "voor zover mogelijk uiterlijk binnen 48 uur": the card keeps the "zo mogelijk".
    assert (vcare.deadline, vcare.article) == ("zo mogelijk binnen 48 uur", "9.1")
    assert rows["BeterDichtbij B.V."].deadline == "onmiddellijk"
    infinit = rows["InfinitCare B.V."]
    assert infinit.deadline == "binnen 24 uur" and infinit.article == "6.1"
    assert infinit.own_contact.startswith("J. (Jan) Bakker")
    assert rows["Infogroen Software B.V."].practice_reports
    assert not vcare.practice_reports


def test_the_practice_as_processor_comes_last() -> None:
    rows = breach_card_rows(_entries())
    assert rows[-1].party == "Infogroen Software B.V."


def test_card_is_one_page_with_the_deadlines(tmp_path: Path) -> None:
    path = tmp_path / "kaart.pdf"
    render_breach_card(_entries(), path, organisation="Huisartsenpraktijk De Linde",
                       today=date(2026, 11, 23))
    pages, text = _text(path)
    assert pages == 1
    assert "Datalek-kaart" in text and "Huisartsenpraktijk De Linde" in text
    assert "Meldt aan u zo mogelijk binnen 48 uur" in text and "artikel 9.1" in text
    assert "72 uur" in text and "23 november 2026" in text


def test_many_agreements_still_fit_on_one_page(tmp_path: Path) -> None:
    forms = load_forms()
    spec = forms.get("infinitcare-almere")
    base = example_answers(spec)
    entries = [(spec, replace(base, values={**base.values, "contact_naam": f"Persoon {i}"}))
               for i in range(40)]
    path = tmp_path / "vol.pdf"
    render_breach_card(entries, path)
    pages, text = _text(path)
    assert pages == 1
    assert "Persoon 0" in text and "Persoon 39" in text


def test_an_empty_register_says_so(tmp_path: Path) -> None:
    path = tmp_path / "leeg.pdf"
    render_breach_card([], path)
    assert "nog geen ondertekende" in _text(path)[1]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(min_size=1, max_size=120))
def test_any_contact_name_prints(name: str) -> None:
    forms = load_forms()
    spec = forms.get("beterdichtbij")
    base = example_answers(spec)
    answers = replace(base, values={**base.values, "fg_naam": name})
    rows = breach_card_rows([(spec, answers)])
    assert rows[0].own_contact.startswith(name.strip()) or not name.strip()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "k.pdf"
        render_breach_card([(spec, answers)], path)
        assert len(PdfReader(path).pages) == 1


def _external(name: str, deadline: str = "binnen 24 uur") -> BreachCardRow:
    return BreachCardRow(party=name, practice_reports=False, email=f"privacy@{name[:4]}.nl",
                         phone="030 123 4567", deadline=deadline, article="",
                         own_contact="A. de Vries, 053 480 1234", external=True)


def test_an_external_agreement_is_on_the_card_marked_extern(tmp_path: Path) -> None:
    entries = [*_entries(), _external("Labcentrum Oost B.V.")]
    rows = breach_card_rows(entries)
    assert [r.party for r in rows if r.external] == ["Labcentrum Oost B.V."]
    path = tmp_path / "kaart.pdf"
    render_breach_card(entries, path)
    pages, text = _text(path)
    assert pages == 1
    assert "Labcentrum Oost B.V." in text and "Meldt aan u binnen 24 uur" in text
    assert "extern vastgelegd; zie de getekende overeenkomst" in text


def test_a_long_register_gets_the_compact_card_one_line_a_row(tmp_path: Path) -> None:
    entries: list[BreachEntry] = [*_entries()]
    entries += [_external(f"Verwerker {i:02d} B.V.") for i in range(ROOMY_ROWS + 10)]
    path = tmp_path / "lang.pdf"
    render_breach_card(entries, path, organisation="Huisartsenpraktijk De Linde")
    pages, text = _text(path)
    assert pages == 1
    assert "Verwerker 00 B.V. (extern)" in text and "Verwerker 21 B.V. (extern)" in text
    # The practice's own contact, the same for most rows, is said once above the table.
    assert text.count("A. de Vries, 053 480 1234") == 1
    assert "Uw aanspreekpunt bij een datalek: A. de Vries" in text
    assert "zo mogelijk binnen 48 uur (artikel 9.1)" in text
    assert "U meldt zelf" in text
