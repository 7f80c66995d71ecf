"""Answers print exactly as typed: no markup read from them, line breaks kept in both documents,
and the checks a practice manager meets (KvK, phone, the answers file) say what is wrong in Dutch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from doctext import docx_paragraphs, pdf_lines

from dpa_desktop import document as d
from dpa_desktop import validation
from dpa_desktop.answers import Answers, example_answers
from dpa_desktop.assemble import build_document
from dpa_desktop.errors import AnswersInvalid
from dpa_desktop.fill import fill
from dpa_desktop.forms.loader import load_forms
from dpa_desktop.render.docx import render_docx
from dpa_desktop.render.pdf import render_pdf

VCARE = load_forms().get("vcare")


def _with(**values: str) -> Answers:
    base = example_answers(VCARE)
    return Answers(form_id=base.form_id, values={**base.values, **values}, services=base.services,
                   retention=base.retention)


def test_asterisks_in_an_answer_print_literally_and_never_bold(tmp_path: Path) -> None:
    name = "KM1 **NIET** KM2"
    doc = build_document(VCARE, _with(organisatie_naam=name))
    spans = [s for b in doc.blocks if isinstance(b, d.Paragraph | d.NumberedParagraph) for s in b.spans]
    assert sum(name in text for text in doc.texts()) >= 3
    assert not any("NIET" in s.text and "KM1" not in s.text for s in spans)
    result = fill(VCARE, _with(organisatie_naam=name), tmp_path)
    assert any(name in p for p in docx_paragraphs(result.docx))
    assert any(name in line for line in pdf_lines(result.pdf))
    # The form's own bold markup still works: the definitions are bold.
    assert any(s.bold for s in spans)


def _doc(*blocks: d.Block) -> d.Document:
    return d.Document(title="T", subject="S", author="A", header="", blocks=blocks)


def test_a_line_break_in_a_paragraph_list_item_and_signature_intro_is_a_real_break_in_the_docx(
        tmp_path: Path) -> None:
    doc = _doc(
        d.Paragraph(d.plain("eerste regel\ntweede regel")),
        d.NumberedParagraph("a.", d.plain("punt een\npunt twee"), level=2),
        d.SignatureBlock((d.SignatureParty("Partij", (d.SignatureField("Naam:", "X"),)),),
                         intro="Aldus getekend\nte Utrecht"),
    )
    path = tmp_path / "a.docx"
    render_docx(doc, path)
    paragraphs = docx_paragraphs(path)
    assert "eerste regel\ntweede regel" in paragraphs
    assert "a.\tpunt een\npunt twee" in paragraphs
    assert "Aldus getekend\nte Utrecht" in paragraphs
    import zipfile

    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert "\n" not in "".join(part.split(">", 1)[-1] for part in xml.split("<w:t")[1:])
    pdf = tmp_path / "a.pdf"
    with pdf.open("wb") as out:
        render_pdf(doc, out)
    lines = [ln.strip() for ln in pdf_lines(pdf)]
    for expected in ("eerste regel", "tweede regel", "punt twee", "Aldus getekend", "te Utrecht"):
        assert any(ln.endswith(expected) for ln in lines), (expected, lines)


@pytest.mark.parametrize("raw", ["12.34.56.78", "1234-5678", "12,345,678"])
def test_a_kvk_number_with_dots_or_dashes_is_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="alleen cijfers en spaties"):
        validation.kvk(raw)


def test_a_kvk_number_with_spaces_is_accepted() -> None:
    assert validation.kvk("1234 5678") == "12345678"
    assert validation.kvk(" 12 34 56 78 ") == "12345678"


@pytest.mark.parametrize("raw, expected", [
    ("+32 2 123 45 67", "+32 2 123 45 67"),
    ("0032 2 123 45 67", "+32 2 123 45 67"),
    ("+49 30 1234567", "+49 30 1234567"),
    ("020-1234567", "020 123 4567"),
])
def test_international_phone_numbers_are_accepted(raw: str, expected: str) -> None:
    assert validation.phone(raw) == expected


def test_the_phone_message_says_the_international_form_is_allowed() -> None:
    with pytest.raises(ValueError) as info:
        validation.phone("12345")
    assert "+32 2 123 45 67" in str(info.value) and "internationaal" in str(info.value)
    with pytest.raises(ValueError):
        validation.phone("+32 2")  # too short for Belgium


@pytest.mark.parametrize("content, where, what", [
    ("{niet json", "regel 1, kolom 2", "hier verwachtte ik een naam tussen dubbele aanhalingstekens"),
    ('{\n  "values": {\n    "kvk": \n  }\n}', "regel 4, kolom 3", "hier verwachtte ik een waarde"),
    ('{"values": {"kvk": "1"} "x": 1}', "regel 1, kolom 25", "hier verwachtte ik een komma (,)"),
    ('{"values": {}} extra', "regel 1, kolom 16", "er staat nog iets na het einde van de JSON"),
    ('{"values": {"a": "open', "regel 1, kolom 18", "een tekst die niet wordt afgesloten"),
])
def test_json_errors_in_an_answers_file_are_dutch_with_line_and_column(content: str, where: str, what: str) -> None:
    with pytest.raises(AnswersInvalid) as info:
        Answers.loads(content)
    (problem,) = info.value.problems
    assert problem.message.startswith(f"geen geldige JSON op {where}: {what}")
    assert "Expecting" not in problem.message and "delimiter" not in problem.message


def test_a_300_character_cooperative_name_is_accepted_by_every_form() -> None:
    name = ("Coöperatieve Vereniging van Huisartsen, Praktijkondersteuners en Apothekers in de Regio "
            "Zuidoost-Brabant, De Kempen en het Land van Cuijk voor Samenwerking in de Eerstelijnszorg, "
            "Ketenzorg, Dienstverlening, Onderwijs, Onderzoek en Innovatie ten Behoeve van Patiënten en "
            "Zorgverleners in Nederland U.A.")
    assert len(name) >= 300
    for spec in load_forms().forms.values():
        question = next(q for q in spec.questions if q.id in ("organisatie_naam", "klant", "verwerker_naam"))
        assert question.max_length >= 300
        values = {**example_answers(spec).values, question.id: name[:question.max_length]}
        answers = Answers(form_id=spec.id, values=values, services=example_answers(spec).services,
                          retention=example_answers(spec).retention, lists=example_answers(spec).lists)
        build_document(spec, answers)
    json.dumps(name)
