"""The InfinitCare Almere agreement: filled from answers it reads as the processor's text."""

from __future__ import annotations

import re

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seedtools import in_order_ratio, missing_runs, seed_text, seed_words, tokens

from dpa_desktop import paths
from dpa_desktop.answers import Answers, example_answers, normalised, validate_answers
from dpa_desktop.assemble import build_document, placeholder_values
from dpa_desktop.document import Document, NumberedParagraph, SignatureBlock, Table
from dpa_desktop.errors import AnswersInvalid
from dpa_desktop.forms.loader import load_form, load_form_by_id
from dpa_desktop.forms.model import FormSpec

FORM_ID = "infinitcare-almere"


@pytest.fixture(scope="module")
def spec() -> FormSpec:
    return load_form(paths.forms_dir() / f"{FORM_ID}.yaml")


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


def _clause_in(text: str, number: str) -> str:
    """Clause ``number`` (e.g. '6.1') of an agreement's text with its lettered points, up to
    the next clause or article; the same for the form's text and its seed."""
    flat = " ".join(text.split())
    end = r"(?= \d+\.\d+\. | Artikel \d+\. |$)"
    found = re.search(rf"(?<![\d.]){re.escape(number)}\. (.*?){end}", flat)
    assert found, f"clause {number} not in the text"
    return found.group(1)


def _seed_clause(number: str) -> str:
    return _clause_in(seed_text(FORM_ID), number)


def _form_clause(spec: FormSpec, number: str) -> str:
    return _clause_in("\n".join(build_document(spec, example_answers(spec)).texts()), number)


def test_the_example_fills_and_every_answer_appears(spec: FormSpec) -> None:
    answers = example_answers(spec)
    doc = build_document(spec, answers)
    flat = _flat(doc)
    values = placeholder_values(spec, normalised(spec, answers))
    for qid, value in values.items():
        assert value, f"the example leaves {qid} empty"
        assert " ".join(value.split()) in flat, f"{qid}={value!r} missing"
    assert "Jeugdhulppraktijk De Linde, gevestigd te Almere" in flat
    assert "23 november 2026" in flat


@pytest.mark.seeds
def test_the_document_holds_the_seed_text_in_order(spec: FormSpec) -> None:
    doc = build_document(spec, example_answers(spec))
    expected, got = seed_words(FORM_ID), tokens(" ".join(doc.texts()))
    ratio = in_order_ratio(expected, got)
    assert ratio >= 0.98, f"{ratio:.4f}\n" + "\n".join(missing_runs(expected, got))


def test_no_merge_field_or_dotted_blank_is_left(spec: FormSpec) -> None:
    flat = _flat(build_document(spec, example_answers(spec)))
    assert not re.search(r"«|»|…{2,}|\.{4,}|_{3,}|\b20\.\.|\{\{", flat)


def test_clauses_are_numbered_per_article_as_in_the_source(spec: FormSpec) -> None:
    doc = build_document(spec, example_answers(spec))
    assert _clause(doc, "7.7.").startswith("De redelijke kosten van de controle")
    assert _clause(doc, "12.1.").startswith("Deze Verwerkersovereenkomst kan worden aangehaald")
    assert _clause(doc, "g.)").startswith("de andere partij aantoonbaar tekortschiet")


def test_the_end_of_contract_choice_prints_what_was_chosen(spec: FormSpec) -> None:
    destroy = _flat(build_document(spec, _with(spec, einde_keuze="vernietigen")))
    give_back = _flat(build_document(spec, _with(spec, einde_keuze="teruggeven")))
    assert "(ii) Verwerker vernietigt de persoonsgegevens" in destroy
    assert "(ii) Verwerker vernietigt de persoonsgegevens" not in give_back
    assert "(i) Verwerker stelt de in het kader van deze Verwerkersovereenkomst" in give_back
    # The clause itself keeps offering both, word for word.
    for flat in (destroy, give_back):
        assert "naar keuze van Verwerkingsverantwoordelijke (i) alle of een" in flat


def test_signature_block_names_both_parties_with_a_line_to_sign(spec: FormSpec) -> None:
    doc = build_document(spec, example_answers(spec))
    block = next(b for b in doc.blocks if isinstance(b, SignatureBlock))
    ours, theirs = block.parties
    assert ours.party == "Jeugdhulppraktijk De Linde"
    assert theirs.party == "InfinitCare B.V."
    for party in block.parties:
        labels = {f.label.rstrip(":") for f in party.fields}
        assert {"Naam", "Functie", "Plaats", "Datum"} <= labels
        assert any(f.write_line for f in party.fields)
    assert {f.label.rstrip(":"): f.value for f in ours.fields}["Datum"] == "23 november 2026"
    assert {f.label.rstrip(":"): f.value for f in theirs.fields}["Datum"] == "20 november 2026"


def test_the_contacts_annex_puts_the_practice_next_to_infinitcare(spec: FormSpec) -> None:
    doc = build_document(spec, example_answers(spec))
    tables = [b for b in doc.blocks if isinstance(b, Table) and b.header
              and b.header[1:] == ("Verwerkingsverantwoordelijke", "Verwerker")]
    assert [t.header[0] for t in tables if t.header] == ["Primair aanspreekpunt", "Bij afwezigheid"]
    primary = {row[0]: row[1:] for row in tables[0].rows}
    assert primary["Emailadres"] == ("fg@jeugdhulpdelinde.nl", "Han.Laarhuis@InfinitCare.nl")
    absent = {row[0]: row[1:] for row in tables[1].rows}
    assert absent["Naam"] == ("S. (Sanne) Visser", "J. Kerssies")


@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("klant", "", "Naam van de zorgaanbieder"),
        ("contact_email", "fg-at-praktijk", "Primair aanspreekpunt - e-mailadres"),
        ("afwezig_telefoon", "12345", "Bij afwezigheid - telefoonnummer"),
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


_NAMES = st.text(st.characters(categories=["L", "N", "Zs", "Pd", "Po"]), min_size=1, max_size=80)


@settings(max_examples=25, deadline=None)
@given(name=_NAMES)
def test_any_organisation_name_is_printed_as_given(name: str) -> None:
    # Loaded here, not as a fixture: hypothesis would print the form's huge repr.
    spec = load_form_by_id("infinitcare-almere")
    answers = _with(spec, klant=name)
    if validate_answers(spec, answers):
        return  # e.g. only spaces: refused with a message, tested above
    clean = str(normalised(spec, answers).values["klant"])
    doc = build_document(spec, answers)
    assert f"Verwerkersovereenkomst tussen {clean}, gevestigd te Almere" in _flat(doc)
    block = next(b for b in doc.blocks if isinstance(b, SignatureBlock))
    assert block.parties[0].party == clean


KEY_TERMS_SAY = [
    ("breach_notification", "uiterlijk binnen 24 uur na de eerste ontdekking"),
    ("subprocessor_consent",
     "houdt na de start van de werkzaamheden Verwerkingsverantwoordelijke op de hoogte"),
    ("data_location", "mag de persoonsgegevens uitsluitend verwerken in Nederland"),
    ("audit", "ISO-certificeringen heeft opgevraagd, beoordeeld"),
    ("liability", "maximaal EUR 1.000.000 per gebeurtenis"),
]
ART28_SAYS = [
    ("a", "uitsluitend in opdracht van Verwerkingsverantwoordelijke"),
    ("b", "verplicht tot geheimhouding"),
    ("c", "passende technische en organisatorische maatregelen"),
    ("d", "schriftelijk minimaal dezelfde plichten op zich nemen"),
    ("e", "rechten van betrokkenen"),
    ("f", "gegevensbeschermingseffectbeoordeling"),
    ("g", "vernietigen"),
    ("h", "gerechtigd de verwerking van persoonsgegevens te (doen) controleren"),
]


@pytest.mark.parametrize(("term", "says"), KEY_TERMS_SAY)
def test_key_terms_cite_the_article_that_says_so(spec: FormSpec, term: str, says: str) -> None:
    article = getattr(spec.key_terms, term).article
    doc = build_document(spec, example_answers(spec))
    assert says in _clause(doc, f"{article}.")


@pytest.mark.seeds
@pytest.mark.parametrize(("term", "says"), KEY_TERMS_SAY)
def test_the_seed_says_the_same_at_the_key_terms_article(spec: FormSpec, term: str, says: str) -> None:
    assert says in _seed_clause(getattr(spec.key_terms, term).article)


def test_key_term_figures_match_the_text(spec: FormSpec) -> None:
    terms = spec.key_terms
    assert terms.breach_notification.hours == 24
    assert terms.subprocessor_consent.model == "inform_only"
    assert "toestemming" not in _form_clause(spec, terms.subprocessor_consent.article)
    assert terms.data_location.region == "NL"
    assert getattr(terms.liability, "cap_eur", None) == 1_000_000


@pytest.mark.seeds
def test_the_seed_asks_no_consent_for_subprocessors_either(spec: FormSpec) -> None:
    assert "toestemming" not in _seed_clause(spec.key_terms.subprocessor_consent.article)


@pytest.mark.parametrize(("point", "says"), ART28_SAYS)
def test_art28_points_map_to_clauses_that_cover_them(spec: FormSpec, point: str, says: str) -> None:
    assert says in _form_clause(spec, spec.key_terms.art28[point])  # type: ignore[index]


@pytest.mark.seeds
@pytest.mark.parametrize(("point", "says"), ART28_SAYS)
def test_the_seed_says_the_same_at_the_art28_clauses(spec: FormSpec, point: str, says: str) -> None:
    assert says in _seed_clause(spec.key_terms.art28[point])  # type: ignore[index]
