"""The InfinitCare SDF agreement: filled from answers it reads as the processor's text."""

from __future__ import annotations

import functools
import re

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seedtools import in_order_ratio, missing_runs, seed_text, seed_words, tokens

from dpa_desktop import paths
from dpa_desktop.answers import Answers, example_answers, normalised, validate_answers
from dpa_desktop.assemble import build_document, placeholder_values
from dpa_desktop.document import Document, Heading, NumberedParagraph, SignatureBlock, Table
from dpa_desktop.errors import AnswersInvalid
from dpa_desktop.forms.loader import load_form
from dpa_desktop.forms.model import FormSpec

FORM_ID = "infinitcare-sdf"

# The seed lost Word's numbering, so its clauses are found by the words they start with.
SEED_CLAUSE_START = {
    "3.1": "De verwerker verwerkt de door of via",
    "4.5": "De verwerker stelt de verwerkingsverantwoordelijke te allen tijde in staat",
    "5.1": "Personen in dienst van",
    "6.1": "De verwerker zal de verwerkingsverantwoordelijke zo spoedig mogelijk",
    "7.1": "De verwerker neemt alle passende",
    "7.2": "De verwerkingsverantwoordelijke is te allen tijde gerechtigd",
    "7.3": "De verwerkingsverantwoordelijke zal de controle slechts",
    "8.1": "De verwerker is slechts gerechtigd",
    "8.4": "De verwerker mag de persoonsgegevens uitsluitend verwerken in Nederland",
    "9.2": "Zodra de samenwerking is beëindigd",
    "10.5": "De aansprakelijkheid van Verwerker jegens",
}


@functools.cache
def _spec() -> FormSpec:
    return load_form(paths.forms_dir() / f"{FORM_ID}.yaml")


@pytest.fixture(scope="module")
def spec() -> FormSpec:
    return _spec()


@pytest.fixture(scope="module")
def example_doc(spec: FormSpec) -> Document:
    return build_document(spec, example_answers(spec))


def _with(spec: FormSpec, **values: str | bool) -> Answers:
    base = example_answers(spec)
    return msgspec.structs.replace(base, values={**base.values, **values})


def _flat(doc: Document) -> str:
    return " ".join(" ".join(doc.texts()).split())


def _clause(doc: Document, label: str) -> str:
    for block in doc.blocks:
        if isinstance(block, NumberedParagraph) and block.label == label:
            return "".join(s.text for s in block.spans)
    raise AssertionError(f"clause {label} missing")


def _seed_line(start: str) -> str:
    """The one seed line (a whole clause there) that begins with ``start``."""
    found = [ln.strip() for ln in seed_text(FORM_ID).splitlines()
             if re.sub(r"^\d\.\s*", "", ln.strip()).startswith(start)]
    assert len(found) == 1, f"{start!r} found {len(found)} times in the seed"
    return found[0]


def test_the_example_fills_and_every_answer_appears(spec: FormSpec, example_doc: Document) -> None:
    flat = _flat(example_doc)
    values = placeholder_values(spec, normalised(spec, example_answers(spec)))
    for qid, value in values.items():
        assert value, f"the example leaves {qid} empty"
        assert " ".join(value.split()) in flat, f"{qid}={value!r} missing"
    assert ("Verwerkersovereenkomst tussen Jeugdhulp De Linde B.V., gevestigd te Leeuwarden "
            "verder te noemen de verwerkingsverantwoordelijke, ten deze rechtsgeldig "
            "vertegenwoordigd door mevrouw drs. A.B. de Vries, Bestuurder") in flat


@pytest.mark.seeds
def test_the_document_holds_the_seed_text_in_order(example_doc: Document) -> None:
    expected, got = seed_words(FORM_ID), tokens(" ".join(example_doc.texts()))
    ratio = in_order_ratio(expected, got)
    assert ratio >= 0.98, f"{ratio:.4f}\n" + "\n".join(missing_runs(expected, got))


def test_no_merge_field_or_dotted_blank_is_left(example_doc: Document) -> None:
    assert not re.search(r"«|»|…{2,}|\.{4,}|_{3,}|\b20\.\.|\{\{|\[@\]", _flat(example_doc))


def test_the_lost_numbering_is_rebuilt_per_article(example_doc: Document) -> None:
    headings = [b.text for b in example_doc.blocks
                if isinstance(b, Heading) and b.text.startswith("Artikel")]
    assert headings[0] == "Artikel 1. Definities"
    assert headings[-1] == "Artikel 12. Overige bepalingen"
    assert len(headings) == 12
    assert _clause(example_doc, "1.5.").startswith("Verwerker: een natuurlijke persoon")
    assert _clause(example_doc, "4.7.").startswith("Verwerkingsverantwoordelijke waarborgt")
    assert _clause(example_doc, "7.7.").startswith("De redelijke kosten van de controle")
    assert _clause(example_doc, "9.9.").startswith("Indien de verwerkersovereenkomst voortijdig")
    assert _clause(example_doc, "12.1.").startswith("Deze verwerkersovereenkomst kan worden")
    assert _clause(example_doc, "g.)").startswith("de andere partij aantoonbaar tekortschiet")
    # The cross references in the text point where the rebuilt numbers put them.
    assert "bedoeld in artikel 9.5" in _clause(example_doc, "g.)")
    assert _clause(example_doc, "9.5.").startswith("Indien een partij tekortschiet")
    assert "conform artikel 10.4" in _clause(example_doc, "6.1.")
    assert "contractuele boete" in _clause(example_doc, "10.4.")


def test_the_end_of_contract_choice_prints_what_was_chosen(spec: FormSpec) -> None:
    destroy = _flat(build_document(spec, _with(spec, einde_keuze="vernietigen")))
    give_back = _flat(build_document(spec, _with(spec, einde_keuze="teruggeven")))
    assert "(ii) de verwerker vernietigt de persoonsgegevens" in destroy
    assert "(ii) de verwerker vernietigt de persoonsgegevens" not in give_back
    assert "(i) de verwerker stelt de in het kader van deze verwerkersovereenkomst" in give_back
    assert "(i) de verwerker stelt de in het kader" not in destroy
    # The clause itself keeps offering both, word for word.
    for flat in (destroy, give_back):
        assert "naar keuze van de verwerkingsverantwoordelijke (i) alle of een" in flat


def test_signature_block_names_both_parties_with_a_line_to_sign(example_doc: Document) -> None:
    block = next(b for b in example_doc.blocks if isinstance(b, SignatureBlock))
    ours, theirs = block.parties
    assert ours.party == "Jeugdhulp De Linde B.V."
    assert theirs.party == "InfinitCare B.V."
    for party in block.parties:
        labels = {f.label.rstrip(":") for f in party.fields}
        assert {"Naam", "Functie", "Plaats", "Datum"} <= labels
        assert any(f.write_line for f in party.fields)
    mine = {f.label.rstrip(":"): f.value for f in ours.fields}
    assert (mine["Naam"], mine["Functie"], mine["Plaats"], mine["Datum"]) == (
        "mevrouw drs. A.B. de Vries", "Bestuurder", "Leeuwarden", "23 november 2026")


def test_the_big_measures_are_one_table_with_a_header_row(example_doc: Document) -> None:
    table = next(b for b in example_doc.blocks if isinstance(b, Table) and b.header
                 and b.header[0] == "BIG nummer")
    assert table.header == ("BIG nummer", "Titel", "Maatregel verwerker", "SAAS",
                            "Verwijzing naar het ISMS van InfinitCare B.V.")
    numbers = [row[0] for row in table.rows]
    assert numbers[0] == "6.1.5.1" and numbers[-1] == "15.2.2.1"
    assert len(numbers) == len(set(numbers)) == 59
    assert all(len(row) == 5 for row in table.rows)
    by_number = {row[0]: row for row in table.rows}
    assert by_number["11.5.1.3"][3] == "Aktie"
    assert by_number["11.5.6.1"][3:] == ("Nvt", "Deze functionaliteit wordt niet aangeboden")


def test_the_contacts_annex_puts_the_controller_next_to_infinitcare(example_doc: Document) -> None:
    tables = [b for b in example_doc.blocks if isinstance(b, Table) and b.header
              and b.header[1:] == ("Verwerkingsverantwoordelijke", "Verwerker")]
    assert [t.header[0] for t in tables if t.header] == ["Primair aanspreekpunt", "Bij afwezigheid"]
    primary = {row[0]: row[1:] for row in tables[0].rows}
    assert primary["Emailadres"] == ("fg@jeugdhulpdelinde.nl", "Han.Laarhuis@InfinitCare.nl")
    absent = {row[0]: row[1:] for row in tables[1].rows}
    assert absent["Naam"] == ("J. Visser", "J. Kerssies")


@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("klant", "", "Naam zorgaanbieder"),
        ("klantplaats", "   ", "Vestigingsplaats"),
        ("contact_email", "fg-at-praktijk", "E-mailadres primair aanspreekpunt"),
        ("afwezig_telefoon", "12345", "Telefoonnummer aanspreekpunt bij afwezigheid"),
        ("ondertekening_datum", "31-02-2026", "Datum van ondertekening"),
        ("einde_keuze", "bewaren",
         "Wat moet InfinitCare bij het einde met de persoonsgegevens doen?"),
    ],
)
def test_a_bad_answer_names_the_field_by_its_dutch_label(
        spec: FormSpec, field: str, value: str, label: str) -> None:
    problems = validate_answers(spec, _with(spec, **{field: value}))
    assert [(p.field, p.label) for p in problems] == [(field, label)]
    with pytest.raises(AnswersInvalid) as raised:
        build_document(spec, _with(spec, **{field: value}))
    assert label in str(raised.value)


def test_the_mobile_numbers_may_stay_empty(spec: FormSpec) -> None:
    answers = _with(spec, contact_mobiel="", afwezig_mobiel="")
    assert validate_answers(spec, answers) == []
    build_document(spec, answers)


@settings(max_examples=25, deadline=None)
@given(name=st.text(st.characters(categories=["L", "N", "Zs", "Pd", "Po"]),
                    min_size=1, max_size=80))
def test_any_organisation_name_is_printed_as_given(name: str) -> None:
    # The spec is loaded here, not taken as a fixture: hypothesis would print its huge repr.
    spec = _spec()
    answers = _with(spec, klant=name)
    if validate_answers(spec, answers):
        return  # e.g. only spaces: refused with a message, tested above
    clean = str(normalised(spec, answers).values["klant"])
    doc = build_document(spec, answers)
    assert f"Verwerkersovereenkomst tussen {clean}, gevestigd te Leeuwarden" in _flat(doc)
    block = next(b for b in doc.blocks if isinstance(b, SignatureBlock))
    assert block.parties[0].party == clean


KEY_TERMS_SAY = [
    ("breach_notification", "uiterlijk binnen 24 uur na de eerste ontdekking"),
    ("subprocessor_consent",
     "na voorafgaande, duidelijk gespecificeerde, schriftelijke toestemming"),
    ("data_location", "mag de persoonsgegevens uitsluitend verwerken in Nederland"),
    ("audit", "ISO-certificeringen heeft opgevraagd, beoordeeld"),
    ("liability", "maximaal EUR 1.000.000 per gebeurtenis"),
]
ART28_SAYS = [
    ("a", "uitsluitend in opdracht van de verwerkingsverantwoordelijke"),
    ("b", "verplicht tot geheimhouding"),
    ("c", "passende technische en organisatorische maatregelen"),
    ("d", "schriftelijke toestemming van de verwerkingsverantwoordelijke"),
    ("e", "rechten van betrokkenen"),
    ("f", "uiterlijk binnen 24 uur"),
    ("g", "vernietigen"),
    ("h", "gerechtigd de verwerking van persoonsgegevens te (doen) controleren"),
]


@pytest.mark.parametrize(("term", "says"), KEY_TERMS_SAY)
def test_key_terms_cite_the_article_that_says_so(
        spec: FormSpec, example_doc: Document, term: str, says: str) -> None:
    article = getattr(spec.key_terms, term).article
    assert says in _clause(example_doc, f"{article}.")


@pytest.mark.seeds
@pytest.mark.parametrize(("term", "says"), KEY_TERMS_SAY)
def test_the_seed_says_the_same_at_the_key_terms_article(spec: FormSpec, term: str, says: str) -> None:
    article = getattr(spec.key_terms, term).article
    assert says in _seed_line(SEED_CLAUSE_START[article])


def test_key_term_figures_match_the_text(spec: FormSpec) -> None:
    terms = spec.key_terms
    assert terms.breach_notification.hours == 24
    assert terms.subprocessor_consent.model == "prior_consent"
    assert terms.data_location.region == "NL"
    assert getattr(terms.liability, "cap_eur", None) == 1_000_000


@pytest.mark.parametrize(("point", "says"), ART28_SAYS)
def test_art28_points_map_to_clauses_that_cover_them(
        spec: FormSpec, example_doc: Document, point: str, says: str) -> None:
    article = spec.key_terms.art28[point]  # type: ignore[index]
    assert says in _clause(example_doc, f"{article}.")


@pytest.mark.seeds
@pytest.mark.parametrize(("point", "says"), ART28_SAYS)
def test_the_seed_says_the_same_at_the_art28_clauses(spec: FormSpec, point: str, says: str) -> None:
    article = spec.key_terms.art28[point]  # type: ignore[index]
    assert says in _seed_line(SEED_CLAUSE_START[article])
