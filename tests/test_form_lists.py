"""Lists (repeating groups): rows she types, validated per cell, printed as a table.

The fixture form ``tests/fixtures/forms/labkoerier.yaml`` was written from
``forms/README.md`` alone; the README's own complete example is loaded too, so
the documentation cannot drift from the loader.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seedtools import docx_text, pdf_text

from dpa_desktop import paths
from dpa_desktop.answers import Answers, example_answers, normalised, validate_answers
from dpa_desktop.assemble import build_document
from dpa_desktop.document import Paragraph, Table
from dpa_desktop.errors import AnswersInvalid
from dpa_desktop.fill import fill
from dpa_desktop.forms.loader import load_form

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "forms" / "labkoerier.yaml"
SPEC = load_form(FIXTURE)
ROWS = example_answers(SPEC).lists["ophaaladressen"]


def _with_rows(rows: list[dict[str, Any]] | tuple[dict[str, Any], ...], name: str = "ophaaladressen") -> Answers:
    base = example_answers(SPEC)
    return msgspec.structs.replace(base, lists={**base.lists, name: tuple(rows)})


def _row(index: int, **changes: Any) -> dict[str, Any]:
    row = dict(ROWS[index])
    for key, value in changes.items():
        if value is None:
            row.pop(key, None)
        else:
            row[key] = value
    return row


def _tables(answers: Answers) -> list[Table]:
    return [b for b in build_document(SPEC, answers).blocks if isinstance(b, Table)]


def _flat(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- loading and filling


def test_a_form_written_from_the_readme_loads_and_fills_docx_and_pdf(tmp_path: Path) -> None:
    result = fill(SPEC, example_answers(SPEC), tmp_path)
    typed = ["Hoofdpost Lindelaan, 3811 AB", "balie@praktijkdelinde.nl", "033 123 4567", "elke werkdag",
             "6 januari 2025", "Dependance Hoogland, 3828 CD", "eens per week", "3 maart 2025",
             "25 december 2025", "Eerste kerstdag"]
    for label, text in (("DOCX", docx_text(result.docx)), ("PDF", pdf_text(result.pdf, result.document.header))):
        flat = _flat(text)
        positions = [flat.find(value) for value in typed]
        assert -1 not in positions, (label, [v for v, p in zip(typed, positions, strict=True) if p < 0])
        assert positions == sorted(positions), label  # the rows in the order typed
        assert "{{" not in flat


def test_the_complete_example_in_the_readme_loads_and_fills(tmp_path: Path) -> None:
    readme = (paths.forms_dir() / "README.md").read_text(encoding="utf-8")
    section = readme.split("### A complete small form with a list", 1)[1]
    found = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert found is not None
    form = tmp_path / "schoonmaak.yaml"
    form.write_text(found.group(1), encoding="utf-8")
    spec = load_form(form)
    doc = build_document(spec, example_answers(spec))
    (table,) = [b for b in doc.blocks if isinstance(b, Table)]
    assert table.header == ("Naam", "In dienst sinds", "VOG")
    assert table.rows == (("A. de Wit", "1 april 2021", "ja"), ("B. Smit", "15 september 2023", "nee"))


def test_it_prints_the_rows_in_order_under_a_header_row() -> None:
    reordered = _with_rows([ROWS[1], ROWS[0]])
    table = _tables(reordered)[0]
    assert table.header == ("Locatie", "Contact", "Ophalen", "Vanaf", "Gekoeld")
    assert [row[0] for row in table.rows] == ["Dependance Hoogland, 3828 CD", "Hoofdpost Lindelaan, 3811 AB"]
    assert table.rows[0][1:] == ("hoogland@praktijkdelinde.nl\n033 765 4321", "eens per week",
                                 "3 maart 2025", "nee")
    assert table.widths == (30, 30, 15, 15, 10) and table.small


def test_an_empty_optional_cell_leaves_no_empty_line_in_a_text_column() -> None:
    table = _tables(_with_rows([_row(0, telefoon="")]))[0]
    assert table.rows[0][1] == "balie@praktijkdelinde.nl"


def test_an_empty_list_prints_its_empty_text_and_its_condition_is_false() -> None:
    doc = build_document(SPEC, _with_rows([], "uitzonderingen"))
    texts = doc.texts()
    assert "Er zijn geen dagen zonder ophaling afgesproken." in texts
    assert "Op de volgende dagen haalt de koerier niets op:" not in texts
    assert len([b for b in doc.blocks if isinstance(b, Table)]) == 1
    assert any(isinstance(b, Paragraph) and b.spans[0].text.startswith("Er zijn geen") for b in doc.blocks)


# --------------------------------------------------------------------------- validation per cell


def test_a_bad_cell_is_named_by_its_row_and_column_in_dutch() -> None:
    answers = _with_rows([ROWS[0], _row(1, postcode="12345")])
    (problem,) = validate_answers(SPEC, answers)
    assert problem.field == "ophaaladressen.2.postcode"
    assert str(problem) == "Ophaaladres 2 – postcode: een postcode heeft de vorm 1234 AB"
    with pytest.raises(AnswersInvalid, match="Ophaaladres 2 – postcode: een postcode"):
        build_document(SPEC, answers)


def test_every_bad_cell_is_reported_at_once() -> None:
    answers = _with_rows([_row(0, locatie="", email="geen-adres"), _row(1, frequentie="soms", extra="x")])
    got = {p.field: str(p) for p in validate_answers(SPEC, answers)}
    assert got == {
        "ophaaladressen.1.locatie": "Ophaaladres 1 – locatie: dit veld is verplicht",
        "ophaaladressen.1.email": "Ophaaladres 1 – e-mailadres: geen geldig e-mailadres, bijvoorbeeld naam@praktijk.nl",
        "ophaaladressen.2.frequentie": "Ophaaladres 2 – frequentie: kies een van: Elke werkdag, Eens per week",
        "ophaaladressen.2.extra": "Ophaaladres 2: onbekende kolom 'extra'",
    }


def test_too_few_and_too_many_rows_are_refused_with_the_numbers() -> None:
    (few,) = validate_answers(SPEC, _with_rows([]))
    assert str(few) == "Ophaaladressen: voeg minstens 1 rij toe; er staan er nu 0"
    (many,) = validate_answers(SPEC, _with_rows([ROWS[0]] * 5))
    assert str(many) == "Ophaaladressen: hoogstens 4 rijen; er staan er nu 5"


def test_cells_are_normalised_and_an_empty_optional_cell_is_left_out() -> None:
    answers = _with_rows([_row(0, postcode="3811ab", sinds="6-1-2025", telefoon="", koeling="ja")])
    row = normalised(SPEC, answers).lists["ophaaladressen"][0]
    assert row["postcode"] == "3811 AB" and row["sinds"] == "2025-01-06" and row["koeling"] is True
    assert "telefoon" not in row


def test_a_list_given_as_a_value_or_an_unknown_list_is_refused() -> None:
    base = example_answers(SPEC)
    wrong = msgspec.structs.replace(base, values={**base.values, "ophaaladressen": "Lindelaan"},
                                    lists={**base.lists, "onbekend": ()})
    messages = {p.field: p.message for p in validate_answers(SPEC, wrong)}
    assert messages == {"ophaaladressen": "een lijst hoort onder 'lists', niet onder 'values'",
                        "onbekend": "onbekende lijstvraag voor dit formulier"}


# --------------------------------------------------------------------------- the JSON shape


def test_rows_survive_the_json_round_trip() -> None:
    answers = example_answers(SPEC)
    again = Answers.loads(answers.dumps())
    assert again == answers
    assert json.loads(answers.dumps())["lists"]["ophaaladressen"][0]["koeling"] is True


@pytest.mark.parametrize(("lists", "field", "message"), [
    ([], "lists", "moet een JSON-object zijn"),
    ({"ophaaladressen": "Lindelaan"}, "ophaaladressen", "moet een lijst van rijen zijn"),
    ({"ophaaladressen": ["Lindelaan"]}, "ophaaladressen.1", "een rij moet een JSON-object zijn"),
    ({"ophaaladressen": [{"locatie": ["a"]}]}, "ophaaladressen.1.locatie", "moet tekst zijn"),
])
def test_a_wrong_json_shape_is_refused_in_dutch(lists: Any, field: str, message: str) -> None:
    with pytest.raises(AnswersInvalid) as info:
        Answers.from_json({"form": "labkoerier", "values": {}, "lists": lists})
    assert [(p.field, p.message) for p in info.value.problems] == [(field, message)]


_SUB_IDS = [f.id for f in SPEC.question("ophaaladressen").fields]
_CELL = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40),
    st.sampled_from(["3811 AB", "3811ab", "dagelijks", "wekelijks", "2025-01-06", "6-1-2025", "a@b.nl",
                     "033 123 4567", "ja", "nee", "\x00", " ", "x" * 400]),
    st.lists(st.integers(), max_size=2),
)
_ROW = st.one_of(
    st.dictionaries(st.one_of(st.sampled_from([*_SUB_IDS, "extra"]), st.text(max_size=8)), _CELL, max_size=9),
    st.fixed_dictionaries({k: st.just(v) for k, v in ROWS[0].items()}),
    st.integers(), st.text(max_size=5), st.none(),
)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(_ROW, max_size=6))
def test_any_rows_either_validate_or_are_refused_per_cell_in_dutch(rows: list[Any]) -> None:
    data = {"form": "labkoerier", "values": dict(example_answers(SPEC).values),
            "lists": {"ophaaladressen": rows}}
    try:
        answers = Answers.from_json(json.loads(json.dumps(data)))
    except AnswersInvalid as exc:
        assert exc.problems and all(p.field.startswith("ophaaladressen.") and p.message for p in exc.problems)
        return
    problems = validate_answers(SPEC, answers)
    if problems:
        for p in problems:
            assert p.message and "Error" not in p.message and "Traceback" not in p.message
            assert re.fullmatch(r"Ophaaladres \d+( – [\w -]+)?|Ophaaladressen", p.label), p.label
        with pytest.raises(AnswersInvalid):
            build_document(SPEC, answers)
        return
    table = _tables(answers)[0]
    assert len(table.rows) == len(rows) and all(len(r) == 5 for r in table.rows)
