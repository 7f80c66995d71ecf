"""Given each shipped form, the review names the right terms, each with its article,
and the text at that article says so: in the form's agreement, and (where the seeds
are present) in the processor's own agreement (the seed)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dpa_desktop.answers import Answers, example_answers
from dpa_desktop.assemble import build_document
from dpa_desktop.errors import AnswersInvalid
from dpa_desktop.forms.loader import load_forms
from dpa_desktop.forms.model import FormSpec
from dpa_desktop.review import build_review, review_text
from dpa_desktop.review.clauses import clause_index
from dpa_desktop.review.reference import ReferenceInvalid, load_reference, reference_path
from dpa_desktop.review.review import ART28_REQUIREMENTS, Review
from tests.review.seedcheck import fold, seed_near_clause, seed_text, text_near_clause

FORM_IDS = ["vcare", "infinitcare-almere", "infinitcare-sdf", "beterdichtbij", "infogroen"]


@dataclass(frozen=True)
class Expected:
    breach_article: str
    breach_words: str  # in the review's statement
    breach_says: str  # in the agreement at that article (the form's text and the seed)
    consent_article: str
    consent_model: str
    consent_says: str
    location_article: str
    location_words: str
    location_says: str
    liability_article: str
    liability_words: str
    liability_says: str


EXPECTED = {
    "vcare": Expected("9.1", "binnen 48 uur", "48 uur",
                      "4.1", "general_consent_with_objection", "algemene schriftelijke toestemming",
                      "5.1", "Europese Economische Ruimte", "Europese Economische Ruimte",
                      "7.2", "hoofdovereenkomst", "Enige beperking van aansprakelijkheid in de "
                                                  "Overeenkomst"),
    "infinitcare-almere": Expected("6.1", "binnen 24 uur", "uiterlijk binnen 24 uur",
                                   "8.1", "inform_only", "op de hoogte van de beoogde inschakeling",
                                   "8.4", "alleen in Nederland", "uitsluitend verwerken in Nederland",
                                   "10.5", "EUR 1.000.000", "EUR 1.000.000 per gebeurtenis"),
    "infinitcare-sdf": Expected("6.1", "binnen 24 uur", "uiterlijk binnen 24 uur",
                                "8.1", "prior_consent", "na voorafgaande, duidelijk gespecificeerde",
                                "8.4", "alleen in Nederland", "uitsluitend verwerken in Nederland",
                                "10.5", "EUR 1.000.000", "EUR 1.000.000 per gebeurtenis"),
    "beterdichtbij": Expected("5.2", "onmiddellijk", "onmiddellijk in kennis",
                              "7.1", "prior_consent", "zonder voorafgaande schriftelijke toestemming",
                              "3.7", "Europese Economische Ruimte", "Europese Economische Ruimte",
                              "8.2", "hoofdovereenkomst", "Enige beperking van de aansprakelijkheid"),
    "infogroen": Expected("18", "binnen 24 uur", "uiterlijk binnen 24 uur",
                          "5", "prior_consent", "uitdrukkelijke schriftelijke toestemming",
                          "6", "alleen in de Europese Unie", "buiten de Europese Unie",
                          "26", "niet beperkt", "direct opeisbare boete"),
}
TERMS = ("breach", "consent", "location", "liability")


@pytest.fixture(scope="module")
def forms() -> dict[str, FormSpec]:
    return load_forms().forms


def _review(forms: dict[str, FormSpec], form_id: str) -> tuple[FormSpec, Review]:
    spec = forms[form_id]
    return spec, build_review(spec, example_answers(spec))


def _clause(spec: FormSpec, article: str) -> str:
    index = clause_index(build_document(spec, example_answers(spec)))
    assert article in index, f"{spec.id}: artikel {article} niet in de tekst"
    return index[article]


def _form_text(spec: FormSpec) -> str:
    return "\n".join(build_document(spec, example_answers(spec)).texts())


def _form_says(spec: FormSpec, article: str, words: str) -> None:
    near = text_near_clause(_form_text(spec), _clause(spec, article))
    assert words in near, f"{spec.id} artikel {article}: de tekst zegt niet {words!r}"


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_breach_deadline_with_article_as_in_the_text(forms: dict[str, FormSpec],
                                                     form_id: str) -> None:
    spec, review = _review(forms, form_id)
    exp = EXPECTED[form_id]
    point = review.point("breach_notification")
    assert point.article == exp.breach_article
    assert exp.breach_words in point.statement
    _form_says(spec, point.article, exp.breach_says)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_consent_model_with_article_as_in_the_text(forms: dict[str, FormSpec],
                                                   form_id: str) -> None:
    spec, review = _review(forms, form_id)
    exp = EXPECTED[form_id]
    point = review.point("subprocessor_consent")
    assert point.article == exp.consent_article
    assert spec.key_terms.subprocessor_consent.model == exp.consent_model
    _form_says(spec, point.article, exp.consent_says)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_location_with_article_as_in_the_text(forms: dict[str, FormSpec], form_id: str) -> None:
    spec, review = _review(forms, form_id)
    exp = EXPECTED[form_id]
    point = review.point("data_location")
    assert point.article == exp.location_article
    assert exp.location_words in point.statement
    _form_says(spec, point.article, exp.location_says)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_liability_with_article_as_in_the_text(forms: dict[str, FormSpec], form_id: str) -> None:
    spec, review = _review(forms, form_id)
    exp = EXPECTED[form_id]
    point = review.point("liability")
    assert point.article == exp.liability_article
    assert exp.liability_words in point.statement
    _form_says(spec, point.article, exp.liability_says)


@pytest.mark.seeds
@pytest.mark.parametrize("term", TERMS)
@pytest.mark.parametrize("form_id", FORM_IDS)
def test_the_seed_says_the_same_at_the_cited_article(forms: dict[str, FormSpec],
                                                     form_id: str, term: str) -> None:
    spec = forms[form_id]
    exp = EXPECTED[form_id]
    article, words = getattr(exp, f"{term}_article"), getattr(exp, f"{term}_says")
    near = seed_near_clause(form_id, _clause(spec, article))
    assert words in near, f"{form_id} artikel {article}: seed zegt niet {words!r}"


def test_beterdichtbij_annex_4_caps_liability_at_the_insured_amount(
        forms: dict[str, FormSpec]) -> None:
    spec, review = _review(forms, "beterdichtbij")
    assert review.point("liability").verdict == "weaker"
    assert "aansprakelijkheidsverzekering" in fold(_form_text(spec)).split("Bijlage 4 -")[1]


@pytest.mark.seeds
def test_beterdichtbij_annex_4_in_the_seed_names_the_insurance() -> None:
    assert "aansprakelijkheidsverzekering" in seed_text("beterdichtbij").split("Bijlage 4 -")[1]


def test_vcare_breach_notification_is_weaker_than_the_sector_model(
        forms: dict[str, FormSpec]) -> None:
    _, review = _review(forms, "vcare")
    point = review.point("breach_notification")
    assert point.verdict == "weaker"
    assert point.verdict_label == "Zwakker dan het sectormodel"
    assert point.attention
    assert "artikel 5.2" in point.reference
    assert "[LET OP] Melding van datalekken (artikel 9.1)" in review_text(review)


def test_infinitcare_almere_subprocessor_consent_is_weaker(forms: dict[str, FormSpec]) -> None:
    _, review = _review(forms, "infinitcare-almere")
    point = review.point("subprocessor_consent")
    assert point.verdict == "weaker"
    assert point.attention
    assert "alleen op de hoogte" in point.statement


def test_infinitcare_sdf_asks_prior_consent_like_the_sector_model(
        forms: dict[str, FormSpec]) -> None:
    _, review = _review(forms, "infinitcare-sdf")
    assert review.point("subprocessor_consent").verdict == "in_line"


def test_infogroen_shows_the_practice_as_processor_and_turns_the_review_around(
        forms: dict[str, FormSpec]) -> None:
    _, review = _review(forms, "infogroen")
    assert review.user_role == "processor"
    assert "bent u de VERWERKER" in review.role_note
    assert review_text(review).splitlines()[3].startswith("Let op: in deze overeenkomst bent u")
    assert review.point("breach_notification").statement.startswith(
        "U moet als verwerker een datalek binnen 24 uur")
    assert "melden aan Infogroen" in review.point("breach_notification").statement
    assert "toestemming van Infogroen" in review.point("subprocessor_consent").statement
    location = review.point("data_location")
    assert location.statement.startswith("U mag de persoonsgegevens als verwerker")
    # Stricter than the sector model asks more of her: that needs her attention.
    assert location.verdict == "stronger" and location.attention
    liability = review.point("liability")
    assert liability.statement.startswith("Uw aansprakelijkheid als verwerker")
    assert liability.attention


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_art28_point_is_found_in_the_text(forms: dict[str, FormSpec],
                                                form_id: str) -> None:
    spec, review = _review(forms, form_id)
    index = clause_index(build_document(spec, example_answers(spec)))
    assert [c.letter for c in review.art28] == list(ART28_REQUIREMENTS)
    for check in review.art28:
        assert check.found, f"{form_id} ({check.letter}): {check.problem}"
        assert check.article in index
        assert check.excerpt


def test_art28_points_without_a_clause_are_reported_with_a_reason(
        forms: dict[str, FormSpec]) -> None:
    spec = forms["vcare"]
    art28 = dict(spec.key_terms.art28)
    del art28["g"]
    art28["b"] = "99.9"
    art28["c"] = "16.1"  # exists, but is about applicable law, not security
    broken = msgspec.structs.replace(spec, key_terms=msgspec.structs.replace(spec.key_terms, art28=art28))
    review = build_review(broken, example_answers(broken))
    missing = {c.letter: c.problem for c in review.art28_missing}
    assert set(missing) == {"b", "c", "g"}
    assert "artikel 99.9 staat niet in de tekst" in missing["b"]
    assert "gaat niet over dit punt" in missing["c"]
    assert "geen artikel" in missing["g"]
    text = review_text(review)
    assert "[LET OP] (g)" in text and "3 punt(en) van artikel 28 lid 3 AVG niet gevonden" in text


def test_subprocessors_outside_the_eea_are_flagged(forms: dict[str, FormSpec]) -> None:
    _, review = _review(forms, "beterdichtbij")
    point = review.point("subprocessors")
    assert point.attention and point.verdict == "weaker"
    assert any("Sendgrid" in d and "BUITEN DE EER" in d for d in point.details)


def test_vcare_lists_only_the_subprocessors_of_the_services_taken(
        forms: dict[str, FormSpec]) -> None:
    spec = forms["vcare"]
    answers = example_answers(spec)
    only_sms = Answers(form_id=spec.id, values=answers.values, services=("sms_service",))
    point = build_review(spec, only_sms).point("subprocessors")
    assert [d.split(" (")[0] for d in point.details] == ["Informaxion", "CM"]


def test_special_categories_and_retention_follow_the_answers(forms: dict[str, FormSpec]) -> None:
    spec = forms["vcare"]
    answers = example_answers(spec)
    review = build_review(spec, answers)
    special = review.point("special_categories")
    assert "gezondheidsgegevens bij" in special.statement and "het BSN bij" in special.statement
    retention = review.point("retention")
    assert retention.article == "14.3"
    amount, _unit = answers.retention["medialogging"]
    assert any(d.startswith(f"Medialogging: {amount} ") and "door u gekozen" in d
               for d in retention.details)
    assert any("Verwijderen, vernietigen of anonimiseren" in d for d in retention.details)
    no_health = Answers(form_id=spec.id, values=answers.values, services=("systeem_logging",))
    assert "geen gezondheidsgegevens of BSN" in build_review(spec, no_health).point(
        "special_categories").statement


def test_the_review_says_it_is_no_legal_advice(forms: dict[str, FormSpec]) -> None:
    _, review = _review(forms, "vcare")
    assert "geen juridisch advies" in review_text(review)


def test_reference_is_loaded_strictly_with_dutch_errors(tmp_path: Path) -> None:
    text = reference_path().read_text(encoding="utf-8")
    bad = tmp_path / "sector-model.yaml"
    bad.write_text(text.replace("  region: EEA", "  region: EER\n  regio: EEA"),
                   encoding="utf-8")
    with pytest.raises(ReferenceInvalid) as info:
        load_reference(bad)
    message = str(info.value)
    assert "referentiebestand sector-model.yaml" in message
    assert "data_location.region" in message and "ongeldige waarde" in message
    assert "data_location.regio" in message and "onbekend veld" in message
    assert "regel" in message


def test_the_shipped_reference_is_the_sector_model_of_beterdichtbij(
        forms: dict[str, FormSpec]) -> None:
    ref = load_reference()
    bd = forms["beterdichtbij"].key_terms
    assert ref.breach_notification.article == bd.breach_notification.article
    assert ref.subprocessor_consent.model == bd.subprocessor_consent.model
    assert ref.data_location.region == bd.data_location.region


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(min_size=1, max_size=200))
def test_any_organisation_name_gives_a_review(name: str) -> None:
    spec = load_forms().get("vcare")
    answers = example_answers(spec)
    values = dict(answers.values)
    values["organisatie_naam"] = name
    typed = Answers(form_id=spec.id, values=values, services=answers.services,
                    retention=answers.retention)
    try:
        review = build_review(spec, typed)
    except AnswersInvalid as exc:
        assert [p.field for p in exc.problems] == ["organisatie_naam"]
        return
    assert review_text(review).startswith("Aandachtspunten")
    assert review.organisation == name.strip()


def test_the_wizard_section_marks_what_needs_attention(forms: dict[str, FormSpec]) -> None:
    from dpa_desktop.review.html import review_html

    _, review = _review(forms, "vcare")
    html = review_html(review)
    assert "<h3>Aandachtspunten</h3>" in html
    assert html.count(">LET OP<") == len(review.attention_points) == 4
    assert "Melding van datalekken</b> (artikel 9.1)" in html
    assert "geen juridisch advies" in html
