"""The Infogroen agreement: the user is the processor, Infogroen the controller.

Given the processor's answers, the document reproduces Infogroen's text with
those answers in the blanks, numbers clauses 1-26 straight through the
sections, and its key terms point at the clauses that really say them.
"""

from __future__ import annotations

import functools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec.structs import replace
from seedtools import in_order_ratio, missing_runs, seed_words, tokens

from dpa_desktop import paths
from dpa_desktop.answers import Answers, example_answers, validate_answers, validate_value
from dpa_desktop.assemble import build_document
from dpa_desktop.document import Document, Heading, NumberedParagraph, SignatureBlock
from dpa_desktop.errors import AnswersInvalid
from dpa_desktop.forms.loader import load_form
from dpa_desktop.forms.model import FormSpec

BLANKS = re.compile(r"\[@\]|«[^»]*»|…{2,}|\.{4,}|_{3,}|\b20\.\.|\{\{")


@functools.cache
def spec() -> FormSpec:
    return load_form(paths.forms_dir() / "infogroen.yaml")


def answers(**changes: str) -> Answers:
    base = example_answers(spec())
    return replace(base, values={**base.values, **changes})


def body_text(doc: Document) -> str:
    return " ".join(" ".join(doc.texts()).split())


def clause_text(doc: Document, number: str) -> str:
    """Clause `number` of the agreement proper, with its list and closing paragraphs."""
    blocks = list(doc.blocks)
    start = next(i for i, b in enumerate(blocks)
                 if isinstance(b, Heading) and b.text.startswith("VERKLAREN TE ZIJN"))
    parts: list[str] = []
    inside = False
    for block in blocks[start:]:
        if isinstance(block, NumberedParagraph) and block.level == 1 and block.label:
            if inside:
                break
            inside = block.label == f"{number}."
        if inside and isinstance(block, NumberedParagraph):
            parts.append("".join(s.text for s in block.spans))
    assert parts, f"no clause {number}"
    return " ".join(parts)


def test_the_user_fills_in_as_processor_and_no_services_are_offered() -> None:
    s = spec()
    assert s.user_role == "processor"
    assert s.processor.name == "Infogroen Software B.V."
    assert s.services == ()


def test_the_example_prints_every_answer_in_the_party_clause_and_signatures() -> None:
    doc = build_document(spec(), example_answers(spec()))
    text = body_text(doc)
    assert ("De besloten vennootschap Huisartsenpraktijk De Linde B.V. statutair gevestigd en "
            "kantoorhoudende te 1234 AB Lindendorp aan het Lindeplein 12, te dezen rechtsgeldig "
            "vertegenwoordigd door haar bestuurder mevrouw M.J. Jansen, "
            "hierna te noemen: “Verwerker”;") in text
    assert ("Aldus overeengekomen en in tweevoud opgemaakt en getekend te Hazerswoude "
            "op 23 november 2026.") in text
    signature = next(b for b in doc.blocks if isinstance(b, SignatureBlock))
    infogroen, verwerker = signature.parties
    assert infogroen.party == "Infogroen Software B.V."
    assert verwerker.party == "Huisartsenpraktijk De Linde B.V."
    assert {f.value for f in verwerker.fields} >= {
        "mevrouw M.J. Jansen", "Bestuurder", "Hazerswoude", "23 november 2026"}
    for party in signature.parties:
        assert any(f.write_line for f in party.fields), f"{party.party} has no line to sign on"
    assert not BLANKS.findall(text)


@pytest.mark.seeds
def test_the_document_holds_the_seed_text_word_for_word() -> None:
    doc = build_document(spec(), example_answers(spec()))
    expected, got = seed_words("infogroen"), tokens("\n".join(doc.texts()))
    ratio = in_order_ratio(expected, got)
    assert ratio >= 0.99, f"{ratio:.4f}\n" + "\n".join(missing_runs(expected, got))


def test_clauses_run_1_to_26_through_the_section_headings() -> None:
    doc = build_document(spec(), example_answers(spec()))
    blocks = list(doc.blocks)
    start = next(i for i, b in enumerate(blocks)
                 if isinstance(b, Heading) and b.text.startswith("VERKLAREN"))
    labels = [b.label for b in blocks[start:]
              if isinstance(b, NumberedParagraph) and b.level == 1 and b.label]
    assert labels == [f"{n}." for n in range(1, 27)]
    sections = [b.text for b in blocks if isinstance(b, Heading) and b.level == 1]
    assert sections == [
        "TECHNISCHE EN ORGANISATORISCHE MAATREGELEN",
        "INFORMATIEVERPLICHTINGEN",
        "INBREUK IN VERBAND MET PERSOONSGEGEVENS",
        "VERLENEN MEDEWERKING AAN TOEZICHTHOUDERS",
        "WIJZIGEN/EINDIGEN OVEREENKOMST",
        "BOETEBEDING EN AANSPRAKELIJKHEID",
    ]
    # Clause 7 lists its fourteen measures and then continues below the list.
    seven = clause_text(doc, "7")
    assert "Vernietiging van gegevens bij vervanging of afvoeren van mediadragers." in seven
    assert seven.endswith("ten behoeve van het beschermen van de Persoonsgegevens.")


@pytest.mark.parametrize(("choice", "printed"), [
    ("stichting", "De stichting Huisartsenpraktijk De Linde B.V. statutair gevestigd"),
    ("naamloze_vennootschap",
     "De naamloze vennootschap Huisartsenpraktijk De Linde B.V. statutair gevestigd"),
    ("cooperatie", "De coöperatie Huisartsenpraktijk De Linde B.V. statutair gevestigd"),
])
def test_the_chosen_legal_form_is_what_the_party_clause_says(choice: str, printed: str) -> None:
    text = body_text(build_document(spec(), answers(verwerker_rechtsvorm=choice)))
    assert printed in text
    assert "De besloten vennootschap Huisartsenpraktijk" not in text
    # Infogroen's own legal form is fixed text and does not follow the choice.
    assert "De besloten vennootschap Infogroen Software B.V." in text


@pytest.mark.parametrize(("field", "value", "label"), [
    ("verwerker_postcode", "12345", "Postcode van de statutaire vestiging"),
    ("verwerker_postcode", "0123 AB", "Postcode van de statutaire vestiging"),
    ("ondertekening_datum", "31-02-2026", "Datum van ondertekening"),
    ("verwerker_naam", "", "Naam van uw organisatie (zoals bij de KvK)"),
    ("vertegenwoordiger", "   ", "Vertegenwoordigd door (bestuurder)"),
    ("verwerker_rechtsvorm", "bv", "Rechtsvorm van uw organisatie"),
])
def test_a_bad_answer_is_reported_under_its_dutch_label(field: str, value: str, label: str) -> None:
    bad = answers(**{field: value})
    problems = validate_answers(spec(), bad)
    assert [p.field for p in problems] == [field]
    assert problems[0].label == label
    with pytest.raises(AnswersInvalid) as caught:
        build_document(spec(), bad)
    assert label in str(caught.value)


@pytest.mark.parametrize(("term", "phrase"), [
    ("breach_notification", "uiterlijk binnen 24 uur"),
    ("subprocessor_consent", "zonder de uitdrukkelijke schriftelijke toestemming van Infogroen"),
    ("data_location", "buiten de Europese Unie"),
    ("audit", "onderzoek in te (laten) stellen"),
    ("liability", "direct opeisbare boete"),
])
def test_key_terms_point_at_the_clause_that_says_them(term: str, phrase: str) -> None:
    doc = build_document(spec(), example_answers(spec()))
    article = getattr(spec().key_terms, term).article
    assert phrase in clause_text(doc, article)


def test_key_term_details_match_the_text() -> None:
    terms = spec().key_terms
    assert terms.breach_notification.hours == 24
    assert terms.subprocessor_consent.model == "prior_consent"
    assert terms.data_location.region == "EU"


@pytest.mark.parametrize(("point", "phrase"), [
    ("a", "op basis van schriftelijke instructies van Infogroen"),
    ("b", "verplicht is tot geheimhouding"),
    ("c", "overeenkomstig artikel 32"),
    ("d", "zonder de uitdrukkelijke schriftelijke toestemming van Infogroen"),
    ("e", "de rechten van betrokkenen"),
    ("f", "gegevensbeschermingseffectbeoordeling"),
    ("g", "verwijdert alle Persoonsgegevens of bezorgt deze terug"),
    ("h", "audits door Infogroen mogelijk te maken"),
])
def test_each_art28_point_maps_to_a_clause_that_covers_it(point: str, phrase: str) -> None:
    doc = build_document(spec(), example_answers(spec()))
    assert phrase in clause_text(doc, spec().key_terms.art28[point])  # type: ignore[index]


_NAMES = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs", "Pd", "Po")),
    min_size=1, max_size=60,
)


@settings(max_examples=40, deadline=None)
@given(name=_NAMES)
def test_any_name_the_person_types_prints_as_entered_in_both_places(name: str) -> None:
    question = spec().question("verwerker_naam")
    try:
        cleaned = validate_value(question, name)
    except ValueError:
        return
    if not cleaned:
        return
    doc = build_document(spec(), answers(verwerker_naam=name))
    assert f"De besloten vennootschap {cleaned} statutair gevestigd" in "\n".join(doc.texts())
    signature = next(b for b in doc.blocks if isinstance(b, SignatureBlock))
    assert signature.parties[1].party == cleaned
