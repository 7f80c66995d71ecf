"""Given each shipped form, the review gives every point the verdict its agreement's text
earns, quotes the processor's own words, and says what to do.

The table below is written from the agreements (the seeds in ../shared/seeds/):
for each form and point the verdict, the articles it rests on, and words that
stand in the seed at the first of them, on which the verdict rests.
"""

from __future__ import annotations

import re
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
from dpa_desktop.review.clauses import ELLIPSIS, clause_index
from dpa_desktop.review.reference import ReferenceInvalid, load_reference, reference_path
from dpa_desktop.review.review import ART28_REQUIREMENTS, Review, Verdict, build_review
from dpa_desktop.review.text import review_text
from tests.review.seedcheck import fold, seed_near_clause, seed_text

FORM_IDS = ["vcare", "infinitcare-almere", "infinitcare-sdf", "beterdichtbij", "infogroen"]
POINTS = ["breach_notification", "subprocessor_consent", "subprocessors", "data_location",
          "audit", "liability", "retention", "special_categories"]


@dataclass(frozen=True)
class Row:
    verdict: Verdict
    articles: tuple[str, ...]
    # Words in the seed at the first article, on which the verdict rests.
    seed: str


TABLE: dict[str, dict[str, Row]] = {
    "vcare": {
        # "onmiddellijk ..., doch voor zover mogelijk uiterlijk binnen 48 uur": soft, and 48 > 24.
        "breach_notification": Row("deviates", ("9.1",),
                                   "doch voor zover mogelijk uiterlijk binnen 48 uur"),
        # General consent for current and future subprocessors, with a right to object.
        "subprocessor_consent": Row("deviates", ("4.1",), "algemene schriftelijke toestemming"),
        # E-Zorg is in Bijlage A but not in Bijlage B, the list with countries.
        "subprocessors": Row("unknown", ("Bijlage B",), "Naam subverwerker (inc. land)"),
        # EEA only; outside only with prior written consent (5.3): as the sector model.
        "data_location": Row("in_line", ("5.1", "5.3"),
                             "uitsluitend op locaties binnen de Europese Economische Ruimte"),
        # First an audit report, at most once per calendar year; each its own costs (11.6).
        "audit": Row("deviates", ("11.1", "11.6"), "maar hoogstens eenmaal per kalenderjaar"),
        # The main agreement's limits apply, with no exception for data loss or fines.
        "liability": Row("deviates", ("7.2", "7.3"),
                         "Enige beperking van aansprakelijkheid in de Overeenkomst"),
        # "naar keuze van Opdrachtgever ... ter beschikking stellen dan wel verwijderen".
        "retention": Row("in_line", ("14.3",), "naar keuze van Opdrachtgever"),
        "special_categories": Row("in_line", ("Bijlage C",), "Vcare is NEN 7510 en ISO 27001"),
    },
    "infinitcare-almere": {
        "breach_notification": Row("in_line", ("6.1",), "doch uiterlijk binnen 24 uur"),
        # May outsource; only keeps the controller informed.
        "subprocessor_consent": Row("deviates", ("8.1",), "gerechtigd de uitvoering van de "
                                                          "werkzaamheden geheel of ten dele uit "
                                                          "te besteden aan derden"),
        "subprocessors": Row("in_line", ("Bijlage 4",), "True B.V."),
        # Netherlands only: stricter than the EEA.
        "data_location": Row("in_line", ("8.4",), "uitsluitend verwerken in Nederland"),
        # Only after the ISO certificates were reviewed and with reasonable arguments.
        "audit": Row("deviates", ("7.3", "7.2", "7.7"), "ISO-certificeringen heeft opgevraagd"),
        # EUR 1,000,000 per event for everything; fines only for a late breach notice (10.4).
        "liability": Row("deviates", ("10.5", "10.4"), "EUR 1.000.000 per gebeurtenis"),
        "retention": Row("in_line", ("9.2",), "naar keuze van Verwerkingsverantwoordelijke"),
        "special_categories": Row("in_line", ("Bijlage 1",), "NEN7510"),
    },
    "infinitcare-sdf": {
        "breach_notification": Row("in_line", ("6.1",), "doch uiterlijk binnen 24 uur"),
        "subprocessor_consent": Row("in_line", ("8.1",), "na voorafgaande, duidelijk "
                                                         "gespecificeerde, schriftelijke "
                                                         "toestemming"),
        "subprocessors": Row("in_line", ("Bijlage 5",), "True B.V."),
        "data_location": Row("in_line", ("8.4",), "uitsluitend verwerken in Nederland"),
        "audit": Row("deviates", ("7.3", "7.2", "7.7"), "ISO-certificeringen heeft opgevraagd"),
        "liability": Row("deviates", ("10.5", "10.4"), "EUR 1.000.000 per gebeurtenis"),
        "retention": Row("in_line", ("9.2",), "naar keuze van de verwerkingsverantwoordelijke"),
        "special_categories": Row("in_line", ("Bijlage 1",), "NEN7510"),
    },
    "beterdichtbij": {
        "breach_notification": Row("in_line", ("5.2",), "onmiddellijk in kennis te stellen"),
        "subprocessor_consent": Row("in_line", ("7.1",), "zonder voorafgaande schriftelijke "
                                                         "toestemming"),
        # Bijlage 1 names a place only for AWS ("hosting in Frankfurt, binnen de EU").
        "subprocessors": Row("unknown", ("Bijlage 1",), "hosting in Frankfurt"),
        "data_location": Row("in_line", ("3.7",), "in landen buiten de Europese Economische "
                                                  "Ruimte"),
        # Once a year on request and on incidents; help at tariffs, free on a shortcoming.
        "audit": Row("in_line", ("4.7", "9.2", "9.3"), "in elk geval eenmaal per jaar"),
        # Bijlage 4 limits everything, fines included, to the insured amount.
        "liability": Row("deviates", ("8.2", "Bijlage 4"),
                         "Enige beperking van de aansprakelijkheid in de Overeenkomst"),
        "retention": Row("in_line", ("11.2",), "naar keuze van Verwerkingsverantwoordelijke"),
        "special_categories": Row("in_line", ("4.2",), "ISO27001 en/of NEN 7510"),
    },
    # The practice is the processor: "deviates" is what asks more of her than the sector model.
    "infogroen": {
        "breach_notification": Row("in_line", ("18",), "onverwijld, maar uiterlijk binnen 24 uur"),
        "subprocessor_consent": Row("in_line", ("5",), "zonder de uitdrukkelijke schriftelijke "
                                                       "toestemming van Infogroen"),
        "subprocessors": Row("in_line", ("5",), "gebruik te maken van sub-verwerkers"),
        # EU only and no US jurisdiction: more than the sector model's EEA.
        "data_location": Row("deviates", ("6",), "buiten de Europese Unie"),
        # The audit right is there; who pays is not said.
        "audit": Row("unknown", ("12", "13"), "onderzoek in te (laten) stellen"),
        # No cap; she forfeits a fine as high as Infogroen's, and full damages.
        "liability": Row("deviates", ("26",), "direct opeisbare boete"),
        "retention": Row("in_line", ("25",), "Verwerker verwijdert alle Persoonsgegevens"),
        # No NEN 7510; the sector model's demand on a processor is no protection she lacks.
        "special_categories": Row("in_line", (), ""),
    },
}

CONCLUSIONS = {
    "vcare": "ask_first",
    "infinitcare-almere": "ask_first",
    "infinitcare-sdf": "ask_first",
    "beterdichtbij": "ask_first",
    "infogroen": "ask_first",
}


@pytest.fixture(scope="module")
def forms() -> dict[str, FormSpec]:
    return load_forms().forms


def _review(forms: dict[str, FormSpec], form_id: str) -> tuple[FormSpec, Review]:
    spec = forms[form_id]
    return spec, build_review(spec, example_answers(spec))


def _index(spec: FormSpec) -> dict[str, str]:
    return clause_index(build_document(spec, example_answers(spec)))


def test_the_table_covers_every_point_of_every_form() -> None:
    assert sorted(TABLE) == sorted(FORM_IDS)
    for rows in TABLE.values():
        assert list(rows) == POINTS


@pytest.mark.parametrize(("form_id", "key"), [(f, k) for f in FORM_IDS for k in POINTS])
def test_every_point_has_the_verdict_its_text_earns(forms: dict[str, FormSpec], form_id: str,
                                                    key: str) -> None:
    spec, review = _review(forms, form_id)
    row = TABLE[form_id][key]
    point = review.point(key)
    assert point.verdict == row.verdict, f"{form_id} {key}: {point.statement}"
    assert point.articles == row.articles
    index = _index(spec)
    for article in point.articles:
        assert article in index, f"{form_id}: {article} staat niet in de tekst"
    if row.seed:
        first = point.articles[0]
        assert fold(row.seed) in fold(index[first]) or first[0].isalpha(), \
            f"{form_id} {first}: de tekst zegt niet {row.seed!r}"


@pytest.mark.seeds
@pytest.mark.parametrize(("form_id", "key"), [(f, k) for f in FORM_IDS for k in POINTS if TABLE[f][k].seed])
def test_the_seed_says_what_each_verdict_rests_on(forms: dict[str, FormSpec], form_id: str, key: str) -> None:
    spec, review = _review(forms, form_id)
    row = TABLE[form_id][key]
    first = review.point(key).articles[0]
    seed = seed_text(form_id)
    where = seed if not first[0].isdigit() else seed_near_clause(form_id, _index(spec)[first])
    assert row.seed in where, f"{form_id} {first}: seed zegt niet {row.seed!r}"


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_quote_is_the_processors_own_words(forms: dict[str, FormSpec],
                                                 form_id: str) -> None:
    """Each quoted piece stands in the agreement as filled, word for word."""
    spec, review = _review(forms, form_id)
    index = _index(spec)
    quoted = [q for p in review.points for q in p.quotes]
    assert len(quoted) >= 5
    for quote in quoted:
        for part in (x.strip() for x in quote.text.split(ELLIPSIS)):
            if part:
                assert part in fold(index[quote.article]), f"{form_id} {quote.article}: {part!r}"


@pytest.mark.seeds
@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_quote_stands_in_the_seed(forms: dict[str, FormSpec], form_id: str) -> None:
    _, review = _review(forms, form_id)
    seed = seed_text(form_id)
    for quote in (q for p in review.points for q in p.quotes):
        for part in (x.strip() for x in quote.text.split(ELLIPSIS)):
            if part:
                assert _loose(part) in _loose(seed), f"{form_id} {quote.article}: {part!r}"


def _loose(text: str) -> str:
    """Seed extraction splits words at line ends ("Sub- verwerkers") and drops page headers."""
    return re.sub(r"[\s\-‐]+", "", text)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_point_that_is_not_in_line_says_what_to_ask(forms: dict[str, FormSpec],
                                                          form_id: str) -> None:
    spec, review = _review(forms, form_id)
    for point in review.points:
        if point.verdict == "in_line":
            assert point.advice == "Geen actie nodig." or point.asks == ()
            continue
        assert point.asks, point.key
        assert f"Vraag {spec.processor.short_name} " in point.advice
        assert point.topic


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_the_conclusion_follows_the_rule(forms: dict[str, FormSpec], form_id: str) -> None:
    spec, review = _review(forms, form_id)
    conclusion = review.conclusion
    assert conclusion.kind == CONCLUSIONS[form_id]
    assert conclusion.headline.startswith(
        f"U kunt tekenen, maar vraag {spec.processor.short_name} eerst om ")
    for point in review.points:
        if point.verdict in ("deviates", "unknown"):
            assert point.topic in conclusion.headline


def test_vcare_is_asked_for_24_hours_as_the_issue_says(forms: dict[str, FormSpec]) -> None:
    _, review = _review(forms, "vcare")
    point = review.point("breach_notification")
    assert point.advice.startswith("Vraag Vcare om datalekken onmiddellijk te melden, zoals het "
                                   "sectormodel vraagt (artikel 5.2), en in elk geval binnen 24 "
                                   "uur")
    assert "geen harde termijn" in point.statement
    assert point.quotes[0].text.startswith(f"{ELLIPSIS} zal Vcare Opdrachtgever hierover "
                                           "onmiddellijk")
    assert point.reference.startswith("Het sectormodel (artikel 5.2): de verwerker meldt")
    assert "[AFWIJKEND] Melding van datalekken (artikel 9.1)" in review_text(review)


def test_beterdichtbij_is_the_sector_model_with_one_deviation(forms: dict[str, FormSpec]) -> None:
    _, review = _review(forms, "beterdichtbij")
    assert review.sector_model_note == ("Deze overeenkomst volgt de tekst van het sectormodel, "
                                        "maar wijkt af bij: aansprakelijkheid.")
    liability = review.point("liability")
    assert any(q.article == "Bijlage 4" and "aansprakelijkheidsverzekering" in q.text
               for q in liability.quotes)
    # No country is given for four of its five subprocessors: asked, never assumed.
    subs = review.point("subprocessors")
    assert subs.advice == "Vraag BeterDichtbij in welk land VANAD ENOVATION, Messagebird, Sendgrid en " \
           "KPN/Kandy de gegevens verwerken."
    assert "Amazon Web Services (AWS) (DE): Hosting in Frankfurt" in subs.details[0]


def test_infogroen_reads_the_points_from_the_processors_side(forms: dict[str, FormSpec]) -> None:
    _, review = _review(forms, "infogroen")
    assert review.user_role == "processor"
    assert "bent u de VERWERKER" in review.role_note
    assert review.point("breach_notification").statement.startswith(
        "U moet als verwerker een datalek binnen 24 uur")
    assert "toestemming van Infogroen" in review.point("subprocessor_consent").statement
    assert review.point("data_location").statement.startswith(
        "U mag de persoonsgegevens als verwerker alleen in de Europese Unie verwerken")
    liability = review.point("liability")
    assert liability.statement.startswith("Uw aansprakelijkheid als verwerker is niet beperkt")
    assert liability.advice.startswith("Ga na of uw aansprakelijkheidsverzekering dit dekt.")
    assert review.point("audit").advice == \
        "Vraag Infogroen wie de kosten van een controle (audit) draagt."


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_art28_point_is_found_in_the_text(forms: dict[str, FormSpec],
                                                form_id: str) -> None:
    spec, review = _review(forms, form_id)
    index = _index(spec)
    assert [c.letter for c in review.art28] == list(ART28_REQUIREMENTS)
    for check in review.art28:
        assert check.found, f"{form_id} ({check.letter}): {check.problem}"
        assert check.article in index
        assert check.excerpt


def test_art28_points_without_a_clause_are_reported_and_ask_for_the_fg(
        forms: dict[str, FormSpec]) -> None:
    spec = forms["vcare"]
    art28 = dict(spec.key_terms.art28)
    del art28["g"]
    art28["b"] = "99.9"
    art28["c"] = "16.1"  # exists, but is about applicable law, not security
    broken = msgspec.structs.replace(spec, key_terms=msgspec.structs.replace(spec.key_terms,
                                                                             art28=art28))
    review = build_review(broken, example_answers(broken))
    missing = {c.letter: c.problem for c in review.art28_missing}
    assert set(missing) == {"b", "c", "g"}
    assert "artikel 99.9 staat niet in de tekst" in missing["b"]
    assert "gaat niet over dit punt" in missing["c"]
    assert "geen artikel" in missing["g"]
    assert review.conclusion.kind == "fg_first"
    assert review.conclusion.headline == "Laat dit eerst beoordelen door uw FG"
    text = review_text(review)
    assert "[ONTBREEKT] (g)" in text
    assert "CONCLUSIE: Laat dit eerst beoordelen door uw FG." in text


def test_a_subprocessor_outside_the_eea_deviates(forms: dict[str, FormSpec]) -> None:
    spec = forms["vcare"]
    subs = tuple(msgspec.structs.replace(p, country="US") if p.id == "equinix" else p
                 for p in spec.subprocessors)
    review = build_review(msgspec.structs.replace(spec, subprocessors=subs),
                          example_answers(spec))
    point = review.point("subprocessors")
    assert point.verdict == "deviates"
    assert any(d.startswith("Equinix (US) – buiten de EER") for d in point.details)
    assert "Equinix verwerkt de gegevens buiten de EER" in point.statement


def test_vcare_lists_only_the_subprocessors_of_the_services_taken(
        forms: dict[str, FormSpec]) -> None:
    spec = forms["vcare"]
    answers = example_answers(spec)
    only_sms = Answers(form_id=spec.id, values=answers.values, services=("sms_service",))
    point = build_review(spec, only_sms).point("subprocessors")
    assert [d.split(" (")[0] for d in point.details] == ["Informaxion", "CM"]
    # Without the network service E-Zorg (no country) is not involved: all in the EEA.
    assert point.verdict == "in_line"
    assert point.change_page == "diensten"


def test_special_categories_and_retention_follow_the_answers(forms: dict[str, FormSpec]) -> None:
    spec = forms["vcare"]
    answers = example_answers(spec)
    review = build_review(spec, answers)
    special = review.point("special_categories")
    assert "gezondheidsgegevens bij" in special.statement and "het BSN bij" in special.statement
    retention = review.point("retention")
    assert retention.article == "14.3"
    assert retention.change_page == "bewaartermijnen"
    amount, _unit = answers.retention["medialogging"]
    assert any(d.startswith(f"Medialogging: {amount} ") and "door u gekozen" in d
               for d in retention.details)
    assert any("Verwijderen, vernietigen of anonimiseren" in d for d in retention.details)
    no_health = Answers(form_id=spec.id, values=answers.values, services=("systeem_logging",))
    assert "geen gezondheidsgegevens of BSN" in build_review(spec, no_health).point(
        "special_categories").statement


def test_the_review_explains_the_sector_model_once_and_says_it_is_no_legal_advice(
        forms: dict[str, FormSpec]) -> None:
    _, review = _review(forms, "vcare")
    text = review_text(review)
    assert "geen juridisch advies" in text
    assert text.count("brancheorganisaties in de zorg") == 1
    assert "Verwerkersovereenkomst Brancheorganisaties Zorg" in review.reference_about


@pytest.mark.seeds
def test_the_sector_model_is_named_as_its_source_names_it() -> None:
    """Who made it is what BeterDichtbij's own text calls it, nothing more."""
    ref = load_reference()
    seed = seed_text("beterdichtbij")
    assert "Verwerkersovereenkomst Brancheorganisaties Zorg" in seed
    assert "Verwerkersovereenkomst Brancheorganisaties Zorg" in ref.about


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


def test_the_shipped_reference_has_the_key_terms_of_beterdichtbij(
        forms: dict[str, FormSpec]) -> None:
    """BeterDichtbij's text is the sector model; only its liability (Bijlage 4) differs."""
    ref = load_reference()
    bd = forms["beterdichtbij"].key_terms
    assert bd.sector_model
    assert ref.breach_notification.article == bd.breach_notification.article
    assert ref.breach_notification.deadline == bd.breach_notification.deadline
    assert ref.subprocessor_consent.model == bd.subprocessor_consent.model
    assert (ref.data_location.region, ref.data_location.outside_eea) == (
        bd.data_location.region, bd.data_location.outside_eea)
    assert (ref.audit.model, ref.audit.frequency, ref.audit.cost) == (
        bd.audit.model, bd.audit.frequency, bd.audit.cost)
    assert ref.liability.article == bd.liability.article
    assert (ref.liability.model, bd.liability.model) == ("cap_with_exceptions", "capped")


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


def test_the_wizard_section_shows_conclusion_advice_and_checklist(
        forms: dict[str, FormSpec]) -> None:
    from dpa_desktop.review.html import review_html

    _, review = _review(forms, "vcare")
    html = review_html(review)
    assert "<h2>Aandachtspunten</h2>" in html
    assert "U kunt tekenen, maar vraag Vcare eerst om" in html
    assert html.count(">AFWIJKEND<") == 4 and html.count(">ONBEKEND<") == 1
    assert "Melding van datalekken</b> (artikel 9.1)" in html
    assert "Wat is het sectormodel?" in html
    assert "Vraag Vcare om datalekken onmiddellijk te melden" in html
    assert "Alle eisen van artikel 28 lid 3 AVG zijn gevonden." in html
    assert "Zo komt de conclusie tot stand: 1. " in html
    assert "<a href='page:diensten'>Wijzigen</a>" in html
    assert "geen juridisch advies" in html
