"""Agreements the shipped forms do not cover: what the text leaves out is never read as OK.

The fixture forms in tests/fixtures/forms/ differ from a sector-model-like text in
one point each: a breach notice without a deadline ("zo snel mogelijk"),
subprocessors listed without a country, and no liability article. A fourth is
the sector model's terms themselves.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dpa_desktop.answers import example_answers
from dpa_desktop.forms.loader import load_form
from dpa_desktop.review.html import review_html
from dpa_desktop.review.review import Review, build_review
from dpa_desktop.review.text import review_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "forms"


def _review(form_id: str) -> Review:
    spec = load_form(FIXTURES / f"{form_id}.yaml")
    return build_review(spec, example_answers(spec))


def _only_point_off(review: Review) -> str:
    off = [p.key for p in review.points if p.verdict != "in_line"]
    assert len(off) == 1, off
    return off[0]


def test_a_breach_notice_without_a_deadline_is_missing_not_immediate() -> None:
    review = _review("geen-meldtermijn")
    point = review.point("breach_notification")
    assert _only_point_off(review) == "breach_notification"
    assert point.verdict == "missing" and point.verdict_label == "Ontbreekt"
    assert "onmiddellijk aan u" not in point.statement
    assert "geen termijn" in point.statement
    assert point.quotes[0].text == ("Verwerker meldt een datalek zo snel mogelijk aan "
                                    "Verwerkingsverantwoordelijke.")
    assert point.advice.startswith("Vraag Proefverwerker om datalekken onmiddellijk te melden")
    assert review.conclusion.kind == "fg_first"
    assert "melding van datalekken" in review.conclusion.reason
    assert "[ONTBREEKT] Melding van datalekken (artikel 6.1)" in review_text(review)


def test_subprocessors_without_a_country_are_unknown_not_inside_the_eea() -> None:
    review = _review("onbekende-landen")
    point = review.point("subprocessors")
    assert _only_point_off(review) == "subprocessors"
    assert point.verdict == "unknown" and point.verdict_label == "Onbekend"
    assert "in de EER" not in point.statement
    names = "Amazon Web Services, Google, Microsoft en Mailchimp"
    assert f"Van {names} staat niet in welk land" in point.statement
    assert point.advice == f"Vraag Proefverwerker in welk land {names} de gegevens verwerken."
    assert all("(land onbekend)" in d for d in point.details)
    assert review.conclusion.kind == "ask_first"
    assert review.conclusion.headline == ("U kunt tekenen, maar vraag Proefverwerker eerst om "
                                          "uitleg over het land van elke subverwerker")


def test_an_agreement_without_a_liability_article_is_missing_liability() -> None:
    review = _review("geen-aansprakelijkheid")
    point = review.point("liability")
    assert _only_point_off(review) == "liability"
    assert point.verdict == "missing"
    assert point.articles == () and point.quotes == ()
    assert "geen artikel over aansprakelijkheid" in point.statement
    assert point.advice.startswith("Vraag Proefverwerker om een artikel over aansprakelijkheid "
                                   "op te nemen")
    assert review.conclusion.headline == "Laat dit eerst beoordelen door uw FG"
    assert ">ONTBREEKT<" in review_html(review)


@pytest.mark.parametrize("form_id", ["geen-meldtermijn", "onbekende-landen",
                                     "geen-aansprakelijkheid"])
def test_none_of_them_may_be_signed_as_is(form_id: str) -> None:
    review = _review(form_id)
    assert review.conclusion.kind != "sign"
    assert review.conclusion.headline != "U kunt tekenen"
    assert review.asking_points


def test_the_sector_model_itself_is_recognised_and_may_be_signed() -> None:
    review = _review("model-zelf")
    assert all(p.verdict == "in_line" for p in review.points)
    assert review.sector_model_note == "Deze overeenkomst is het sectormodel zelf."
    assert review.conclusion.kind == "sign"
    assert review.conclusion.headline == "U kunt tekenen"
    assert review.conclusion.reason.startswith("Deze overeenkomst is het sectormodel zelf.")
    assert not review.asking_points
    assert all(p.advice == "Geen actie nodig." for p in review.points)
