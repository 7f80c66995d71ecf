"""A broken list in a form file is reported with its file, line and field, in Dutch."""

from __future__ import annotations

from pathlib import Path

import pytest

from dpa_desktop import paths
from dpa_desktop.errors import Finding, FormFileError
from dpa_desktop.forms.loader import load_form

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "forms" / "labkoerier.yaml"


def _copy(tmp_path: Path, *changes: tuple[str, str], source: Path = FIXTURE) -> Path:
    text = source.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    target = tmp_path / source.name
    target.write_text(text, encoding="utf-8")
    return target


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in ln)


def _findings(path: Path) -> list[Finding]:
    with pytest.raises(FormFileError) as info:
        load_form(path)
    assert all(f.file == path.name for f in info.value.findings)
    return info.value.findings


def _one(findings: list[Finding], field: str) -> Finding:
    matching = [f for f in findings if f.field == field]
    assert len(matching) == 1, findings
    return matching[0]


def test_min_items_above_max_items_names_line_and_field(tmp_path: Path) -> None:
    path = _copy(tmp_path, ("    min_items: 1\n    max_items: 4", "    min_items: 5\n    max_items: 4"))
    found = _one(_findings(path), "questions[2].min_items")
    assert found.line == _line_of(path, "min_items: 5")
    assert found.message == "min_items (5) is groter dan max_items (4)"
    assert f"{path.name}, regel {found.line}, veld 'questions[2].min_items'" in str(found)


def test_a_table_column_that_names_no_sub_field_is_an_error(tmp_path: Path) -> None:
    path = _copy(tmp_path, ("{title: Ophalen, field: frequentie}", "{title: Ophalen, field: frekwentie}"))
    found = _one(_findings(path), "body[4].columns[3].field")
    assert found.line == _line_of(path, "field: frekwentie")
    assert found.message == "onbekende kolom 'frekwentie'; bedoelt u 'frequentie'?"


def test_a_column_without_a_close_name_lists_the_columns(tmp_path: Path) -> None:
    path = _copy(tmp_path, ("{title: Reden, field: reden}", "{title: Reden, field: toelichting}"))
    found = _one(_findings(path), "body[8].columns[2].field")
    assert found.message == "onbekende kolom 'toelichting'; de lijst 'uitzonderingen' heeft: datum, reden"


def test_a_sub_field_placeholder_outside_its_table_is_an_error(tmp_path: Path) -> None:
    path = _copy(tmp_path, ("spreken het volgende af.", "spreken het volgende af op {{postcode}}."))
    found = _one(_findings(path), "body[2].para")
    assert found.line == _line_of(path, "{{postcode}}")
    assert found.message.startswith("'postcode' is een kolom van de lijstvraag 'ophaaladressen'")


def test_a_sub_field_placeholder_in_a_table_title_is_an_error(tmp_path: Path) -> None:
    path = _copy(tmp_path, ("{title: Vanaf, field: sinds}", "{title: \"Vanaf {{sinds}}\", field: sinds}"))
    found = _one(_findings(path), "body[4].columns[4].title")
    assert found.message.startswith("'sinds' is een kolom van de lijstvraag")


def test_a_list_question_is_no_placeholder(tmp_path: Path) -> None:
    path = _copy(tmp_path, ("spreken het volgende af.", "halen op bij {{ophaaladressen}}."))
    found = _one(_findings(path), "body[2].para")
    assert "lijstvraag 'ophaaladressen' kan niet als {{ophaaladressen}}" in found.message


def test_a_cell_cannot_hold_several_lines_or_a_list(tmp_path: Path) -> None:
    path = _copy(tmp_path, ("{id: locatie, label: Locatie, max_length: 80}",
                            "{id: locatie, type: multiline, label: Locatie, max_length: 80}"))
    found = _one(_findings(path), "questions[2].fields[1].type")
    assert found.line == _line_of(path, "type: multiline")
    assert found.message.startswith("type 'multiline' past niet in een tabelcel; kies uit: text, kvk")


def test_keys_that_mean_nothing_for_a_list_or_only_for_a_list(tmp_path: Path) -> None:
    path = _copy(tmp_path,
                 ("    item_label: Ophaaladres\n", "    item_label: Ophaaladres\n    required: false\n"),
                 ("page: partij, profile: organisatie_naam}", "page: partij, min_items: 1}"))
    findings = _findings(path)
    required = _one(findings, "questions[2].required")
    assert required.line == _line_of(path, "required: false")
    assert required.message == "'required' hoort niet bij een lijstvraag; gebruik min_items"
    assert _one(findings, "questions[1].min_items").message == "alleen een lijstvraag (type: list) heeft 'min_items'"


def test_an_unknown_key_in_a_sub_question_is_an_error(tmp_path: Path) -> None:
    path = _copy(tmp_path, ("{id: reden, label: Reden}", "{id: reden, label: Reden, page: diensten}"))
    found = _one(_findings(path), "questions[3].fields[2].page")
    assert found.line == _line_of(path, "{id: reden, label: Reden, page: diensten}")
    assert found.message.startswith("onbekend veld")


def test_a_list_that_may_be_empty_needs_the_text_for_no_rows(tmp_path: Path) -> None:
    path = _copy(tmp_path, ("    empty: Er zijn geen dagen zonder ophaling afgesproken.\n", ""))
    found = _one(_findings(path), "body[8]")
    assert found.line == _line_of(path, "- list_table: uitzonderingen")
    assert "zet bij 'empty'" in found.message


def test_a_list_table_must_name_a_list_question(tmp_path: Path) -> None:
    path = _copy(tmp_path, ("- list_table: uitzonderingen", "- list_table: organisatie_naam"))
    found = _one(_findings(path), "body[8].list_table")
    assert found.line == _line_of(path, "list_table: organisatie_naam")
    assert found.message.startswith("onbekende lijstvraag 'organisatie_naam'")


def test_example_rows_must_satisfy_min_and_max_items(tmp_path: Path) -> None:
    path = _copy(tmp_path, ("    max_items: 4", "    max_items: 1"))
    found = _one(_findings(path), "example.lists.ophaaladressen")
    assert found.line == _line_of(path, "    ophaaladressen:") + 1
    assert found.message == ("voorbeeldantwoord ongeldig: Ophaaladressen: hoogstens 1 rij; "
                             "er staan er nu 2")


def test_a_bad_example_cell_points_at_its_row(tmp_path: Path) -> None:
    path = _copy(tmp_path, ("postcode: 3828 CD", "postcode: 38XX CD"))
    found = _one(_findings(path), "example.lists.ophaaladressen[2].postcode")
    assert found.line == _line_of(path, "postcode: 38XX CD")
    assert found.message == ("voorbeeldantwoord ongeldig: Ophaaladres 2 – postcode: een postcode heeft "
                             "de vorm 1234 AB")


def test_the_example_fills_every_list_and_every_column(tmp_path: Path) -> None:
    path = _copy(tmp_path, (", telefoon: 033 765 4321", ""),
                 ("    uitzonderingen:\n      - {datum: \"2025-12-25\", reden: Eerste kerstdag}\n",
                  "    uitzonderingen: []\n"))
    findings = _findings(path)
    assert _one(findings, "example.lists.ophaaladressen[2]").message == (
        "het voorbeeld vult elke kolom; 'telefoon' ontbreekt in rij 2")
    assert any(f.message == "het voorbeeld moet de lijst 'uitzonderingen' met minstens één rij vullen"
               for f in findings)


def test_a_typed_processor_needs_a_label_and_known_questions(tmp_path: Path) -> None:
    path = _copy(tmp_path, ("  label: Modelverwerkersovereenkomst zorgsector (verwerker naar keuze)\n", ""),
                 ('  kvk: "{{verwerker_kvk}}"', '  kvk: "{{verwerker_kvkk}}"'),
                 source=paths.forms_dir() / "sectormodel.yaml")
    findings = _findings(path)
    assert _one(findings, "processor").message.startswith("de verwerker wordt ingevuld: geef bij 'label'")
    kvk = _one(findings, "processor.kvk")
    assert kvk.line == _line_of(path, "{{verwerker_kvkk}}")
    assert kvk.message == "onbekende vraag 'verwerker_kvkk'; bedoelt u 'verwerker_kvk'?"


def test_subprocessors_from_names_existing_columns_and_a_yes_no_column(tmp_path: Path) -> None:
    path = _copy(tmp_path, ("outside_eea: buiten_eer", "outside_eea: land"),
                 ("country: land,", "country: landcode,"),
                 source=paths.forms_dir() / "sectormodel.yaml")
    findings = _findings(path)
    assert _one(findings, "subprocessors_from.outside_eea").message == (
        "kolom 'land' moet een verplichte ja/nee-vraag (type boolean) zijn")
    assert _one(findings, "subprocessors_from.country").message == (
        "onbekende kolom 'landcode'; bedoelt u 'land'?")
