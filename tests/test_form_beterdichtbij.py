"""The BeterDichtbij form: the sector model agreement with the practice's blanks filled in."""

from __future__ import annotations

import re
from pathlib import Path

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seedtools import in_order_ratio, missing_runs, seed_text, seed_words, tokens

from dpa_desktop import paths
from dpa_desktop.answers import Answers, example_answers, normalised, validate_answers
from dpa_desktop.assemble import build_document, placeholder_values
from dpa_desktop.document import Document, NumberedParagraph, SignatureBlock, Table
from dpa_desktop.forms.loader import load_form
from dpa_desktop.forms.model import FormSpec

SPEC: FormSpec = load_form(paths.forms_dir() / "beterdichtbij.yaml")
BLANKS = re.compile(r"\[@\]|«[^»]*»|…{2,}|\.{4,}|_{3,}|\b20\.\.|\{\{")


def _answers(**changes: str | bool) -> Answers:
    base = example_answers(SPEC)
    return msgspec.structs.replace(base, values={**base.values, **changes})


def _text(doc: Document) -> str:
    return "\n".join(doc.texts())


def _clause(doc: Document, label: str) -> str:
    for block in doc.blocks:
        if isinstance(block, NumberedParagraph) and block.label == label:
            return "".join(s.text for s in block.spans)
    raise AssertionError(f"clause {label} not in the document")


def _clause_in(text: str, number: str) -> str:
    """One numbered clause of an agreement's text, e.g. '5.2', with its lettered points,
    up to the next clause number; the same for the form's text and its seed."""
    flat = " ".join(text.split())
    found = re.search(rf"(?<![\d.]){re.escape(number)}\. (.*?)(?= \d+\.\d+\. |$)", flat)
    assert found, number
    return found.group(1)


EXAMPLE_DOC = build_document(SPEC, example_answers(SPEC))


def test_the_example_fills_every_blank_with_its_answer() -> None:
    text = _text(EXAMPLE_DOC)
    values = placeholder_values(SPEC, normalised(SPEC, example_answers(SPEC)))
    for q in SPEC.questions:
        assert values[q.id], q.id
        assert values[q.id] in text, q.id
    assert not BLANKS.findall(text)


def test_the_practice_is_party_one_with_its_registration() -> None:
    party = next(
        b for b in EXAMPLE_DOC.blocks if isinstance(b, NumberedParagraph) and b.label == "1."
    )
    line = "".join(s.text for s in party.spans)
    assert line.startswith(
        "Huisartsenpraktijk De Linde gevestigd aan de Lindelaan 12 te Amersfoort"
    )
    assert "onder nummer 12345678, in deze rechtsgeldig" in line
    assert "vertegenwoordigd door de J.P. de Vries, bestuurder (hierna:" in line


@pytest.mark.seeds
def test_the_document_reproduces_the_seed_word_for_word() -> None:
    expected = seed_words("beterdichtbij")
    got = tokens(_text(EXAMPLE_DOC))
    ratio = in_order_ratio(expected, got)
    assert ratio >= 0.98, "\n".join(missing_runs(expected, got))


def test_articles_are_numbered_like_the_seed() -> None:
    labels = [b.label for b in EXAMPLE_DOC.blocks if isinstance(b, NumberedParagraph)]
    clauses = ("1.1.", "1.4.", "3.8.", "4.8.", "5.8.", "8.7.", "10.9.", "11.2.", "13.6.")
    for label in (*clauses, "a.)", "g.)", "(a)", "(f)", "1)", "15)"):
        assert label in labels, label


def test_annex_one_names_the_start_date_title_and_fifteen_years() -> None:
    doc = build_document(SPEC, _answers(ingangsdatum="2021-01-01", serviceconcept="Regio Eemland"))
    table = next(
        b
        for b in doc.blocks
        if isinstance(b, Table) and b.rows and b.rows[0][0] == "Ingangs-datum contract"
    )
    cells = {row[0]: row[1] for row in table.rows}
    assert cells["Ingangs-datum contract"] == "1 januari 2021"
    assert cells["Kenmerk / nummer / titel contract"].endswith("Serviceconcept – Regio Eemland")
    assert cells["Afspraken bewaar-termijnen"] == "15 jaar"


def test_the_end_of_contract_choice_changes_the_text() -> None:
    destroy = _clause(build_document(SPEC, _answers(einde_keuze="vernietigen")), "")
    returned = _clause(build_document(SPEC, _answers(einde_keuze="teruggeven")), "")
    assert "onherroepelijk (doet) vernietigen" in destroy
    assert "teruggeeft aan Verwerkingsverantwoordelijke" not in destroy
    assert "teruggeeft aan Verwerkingsverantwoordelijke" in returned
    assert "vernietigen" not in returned
    # The model text of 11.2 itself stays as the processor wrote it.
    assert _clause(build_document(SPEC, _answers(einde_keuze="teruggeven")), "11.2.") == _clause(
        EXAMPLE_DOC, "11.2."
    )


def test_annex_five_lists_the_fg_first_and_the_security_coordinator_when_absent() -> None:
    tables = [b for b in EXAMPLE_DOC.blocks if isinstance(b, Table)]
    primary = next(
        t for t in tables if t.header and t.header[0].startswith("Primair aanspreekpunt")
    )
    absent = next(
        t for t in tables if t.header and t.header[0] == "Coordinator Informatiebeveiliging"
    )
    assert [r[0] for r in primary.rows] == [
        "Functionaris voor de Gegevensbescherming",
        "M. Jansen",
        "fg@praktijkdelinde.nl",
        "033 123 4567",
    ]
    assert [r[0] for r in absent.rows] == [
        "K. Bakker",
        "informatiebeveiliging@praktijkdelinde.nl",
        "06 12345678",
    ]
    assert absent.rows[0][1] == "Godfried Bogaerts"


def test_both_parties_sign_with_name_function_place_date_and_a_line() -> None:
    block = next(b for b in EXAMPLE_DOC.blocks if isinstance(b, SignatureBlock))
    practice, processor = block.parties
    assert practice.party == "Huisartsenpraktijk De Linde"
    values = {f.label.rstrip(":"): f.value for f in practice.fields}
    assert values["Naam"] == "J.P. de Vries"
    assert values["Functie"] == "bestuurder"
    assert values["Plaats"] == "Amersfoort"
    assert values["Datum"] == "23 november 2026"
    assert processor.party == "BeterDichtbij B.V."
    assert any(f.write_line for f in practice.fields)
    assert [f.label for f in processor.fields if f.write_line] == ["Handtekening:", "Datum:"]


@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("kvk", "1234567", "KvK-nummer"),
        ("kvk", "12345678X", "KvK-nummer"),
        ("fg_email", "fg-at-praktijk.nl", "E-mailadres FG"),
        ("security_telefoon", "12", "Telefoonnummer Coördinator Informatiebeveiliging"),
        ("ondertekening_datum", "31-02-2026", "Datum van ondertekening"),
        ("organisatie_naam", "", "Naam van de praktijk"),
        ("fg_naam", "  ", "Naam Functionaris voor de Gegevensbescherming (FG)"),
        (
            "einde_keuze",
            "bewaren",
            "Wat moet BeterDichtbij bij het einde met de persoonsgegevens doen?",
        ),
    ],
)
def test_a_bad_answer_names_the_field(field: str, value: str, label: str) -> None:
    problems = validate_answers(SPEC, _answers(**{field: value}))
    assert [(p.field, p.label) for p in problems] == [(field, label)]
    assert problems[0].message


ART28_SAYS = {
    "a": "nadere schriftelijke instructies",
    "b": "geheimhoudingsovereenkomst",
    "c": "beveiligingsmaatregelen",
    "d": "Subverwerker",
    "e": "rechten",
    "f": "bijstand",
    "g": "vernietigen",
    "h": "controleren",
}


def _citations() -> list[tuple[str, str]]:
    """(article, words it holds) for every article the key terms and art. 28 points cite."""
    terms = SPEC.key_terms
    return [
        (terms.breach_notification.article, "onmiddellijk in kennis te stellen"),
        (terms.subprocessor_consent.article, "voorafgaande schriftelijke toestemming"),
        (terms.data_location.article, "buiten de Europese Economische Ruimte"),
        (terms.audit.article, "eenmaal per jaar"),
        (terms.liability.article, "beperking van de aansprakelijkheid"),
        *((article, ART28_SAYS[point]) for point, article in terms.art28.items()),
    ]


def test_key_terms_cite_articles_that_say_so() -> None:
    terms = SPEC.key_terms
    assert terms.breach_notification.deadline == "immediate" and terms.breach_notification.hours is None
    assert terms.subprocessor_consent.model == "prior_consent"
    assert terms.data_location.region == "EEA"
    assert sorted(terms.art28) == list("abcdefgh")
    for article, says in _citations():
        assert says in _clause_in(_text(EXAMPLE_DOC), article), article
    assert "aansprakelijkheidsverzekering" in _text(EXAMPLE_DOC).split("Bijlage 4 -")[1]


@pytest.mark.seeds
def test_the_seed_says_the_same_at_every_cited_article() -> None:
    for article, says in _citations():
        assert says in _clause_in(seed_text("beterdichtbij"), article), article
    assert "aansprakelijkheidsverzekering" in seed_text("beterdichtbij").split("Bijlage 4 -")[1]


@settings(max_examples=25, deadline=None)
@given(
    name=st.text(
        st.characters(codec="utf-8", categories=("L", "N", "Zs", "P")), min_size=1, max_size=160
    )
)
def test_any_practice_name_appears_verbatim_in_the_agreement(name: str) -> None:
    answers = _answers(organisatie_naam=name)
    problems = validate_answers(SPEC, answers)
    if problems:
        # Only blank-looking names, or names in a script the PDF does not print (the text
        # rule, forms/README.md), may be refused, and then with the field's label.
        assert not name.strip() or problems[0].message.startswith(("deze tekens kunnen niet", "bevat "))
        assert problems[0].label == "Naam van de praktijk"
        return
    cleaned = normalised(SPEC, answers).values["organisatie_naam"]
    doc = build_document(SPEC, answers)
    assert _text(doc).count(str(cleaned)) >= 2
    assert next(b for b in doc.blocks if isinstance(b, SignatureBlock)).parties[0].party == cleaned


def test_the_seed_ignore_list_only_drops_the_annex_footer_date() -> None:
    patterns = (
        (Path(__file__).parent / "seed_ignore" / "beterdichtbij.txt")
        .read_text(encoding="utf-8")
        .split("\n")
    )
    assert [p for p in patterns if p.strip()] == ["14 maart 2020"]
