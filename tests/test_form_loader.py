"""Form files are data: a broken one is reported precisely and stops nothing else."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from dpa_desktop import paths
from dpa_desktop.errors import Finding, FormFileError, UnknownForm
from dpa_desktop.forms import model as m
from dpa_desktop.forms import strict
from dpa_desktop.forms.loader import load_form, load_forms

HEADING = "Artikel 3. Verplichtingen Vcare"


def _copy_vcare(tmp_path: Path, old: str, new: str) -> Path:
    text = (paths.forms_dir() / "vcare.yaml").read_text(encoding="utf-8")
    assert old in text
    target = tmp_path / "vcare.yaml"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in ln)


def test_an_unknown_key_names_file_line_field_and_the_nearest_name(tmp_path: Path) -> None:
    path = _copy_vcare(tmp_path, "  short_name: Vcare", "  short_nam: Vcare")
    with pytest.raises(FormFileError) as info:
        load_form(path)
    unknown, missing = sorted(info.value.findings, key=lambda f: f.message != "onbekend veld; bedoelt u 'short_name'?")
    assert missing.field == "processor.short_name" and missing.message == "verplicht veld ontbreekt"
    finding = unknown
    assert finding.file == "vcare.yaml"
    assert finding.line == _line_of(path, "short_nam:")
    assert finding.field == "processor.short_nam"
    assert finding.message == "onbekend veld; bedoelt u 'short_name'?"


def test_a_placeholder_that_names_no_question_is_an_error(tmp_path: Path) -> None:
    path = _copy_vcare(tmp_path, "{{overeenkomst_kenmerk}}", "{{overeenkomst_kenmerkk}}")
    with pytest.raises(FormFileError) as info:
        load_form(path)
    messages = [f.message for f in info.value.findings]
    assert "onbekende vraag 'overeenkomst_kenmerkk'; bedoelt u 'overeenkomst_kenmerk'?" in messages


def test_a_wrong_block_kind_and_a_bad_value_are_both_reported(tmp_path: Path) -> None:
    path = _copy_vcare(tmp_path, "  - heading: Artikel 3.", "  - headin: Artikel 3.")
    text = path.read_text(encoding="utf-8").replace("user_role: controller", "user_role: klant")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormFileError) as info:
        load_form(path)
    fields = {f.field: f for f in info.value.findings}
    assert fields["user_role"].line == _line_of(path, "user_role: klant")
    assert "toegestaan" in fields["user_role"].message
    block = next(f for f in info.value.findings if f.message.startswith("onbekend bloktype"))
    assert block.line == _line_of(path, "- headin: Artikel 3.")
    assert "regel" in str(info.value) and "vcare.yaml" in str(info.value)


def test_the_example_must_take_every_service(tmp_path: Path) -> None:
    path = _copy_vcare(tmp_path, "services: [telefonie, ", "services: [")
    with pytest.raises(FormFileError, match="het voorbeeld moet elke dienst afnemen"):
        load_form(path)


def test_one_broken_form_never_stops_the_others(tmp_path: Path) -> None:
    shutil.copy(paths.forms_dir() / "vcare.yaml", tmp_path / "vcare.yaml")
    (tmp_path / "kapot.yaml").write_text("id: kapot\n  - [niet: geldig", encoding="utf-8")
    loaded = load_forms(tmp_path)
    assert list(loaded.forms) == ["vcare"]
    (error,) = loaded.errors
    assert error.findings[0].message.startswith("geen geldige YAML")
    assert error.findings[0].line == 2
    with pytest.raises(FormFileError):
        loaded.get("kapot")
    with pytest.raises(UnknownForm, match="Beschikbaar: vcare"):
        loaded.get("bestaat-niet")


def _findings(path: Path) -> list[Finding]:
    with pytest.raises(FormFileError) as info:
        load_form(path)
    return info.value.findings


def _block_index(path: Path, heading: str) -> int:
    body = yaml.safe_load(path.read_text(encoding="utf-8"))["body"]
    return next(i for i, block in enumerate(body) if block.get("heading") == heading)


def test_a_wrong_type_names_line_field_and_the_expected_type(tmp_path: Path) -> None:
    path = _copy_vcare(tmp_path, "  copies: 2", "  copies: twee")
    (finding,) = _findings(path)
    assert (finding.line, finding.field) == (_line_of(path, "copies: twee"), "document.copies")
    assert finding.message == "moet een geheel getal zijn"


def test_a_value_out_of_range_is_too_small(tmp_path: Path) -> None:
    path = _copy_vcare(tmp_path, "  copies: 2", "  copies: 0")
    (finding,) = _findings(path)
    assert (finding.line, finding.field) == (_line_of(path, "copies: 0"), "document.copies")
    assert finding.message.startswith("is te klein")


def test_an_id_that_breaks_the_pattern_is_a_bad_format(tmp_path: Path) -> None:
    path = _copy_vcare(tmp_path, "  - id: organisatie_naam", "  - id: Organisatie-Naam")
    findings = _findings(path)
    finding = next(f for f in findings if f.field == "questions[1].id")
    assert finding.line == _line_of(path, "id: Organisatie-Naam")
    assert finding.message.startswith("ongeldige opmaak")


def test_a_kind_written_in_a_block_is_an_unknown_key(tmp_path: Path) -> None:
    # msgspec reads a block's kind from a "kind" tag the loader adds; the file never may.
    path = _copy_vcare(tmp_path, f"  - heading: {HEADING}\n", f"  - heading: {HEADING}\n    kind: para\n")
    index = _block_index(path, HEADING)
    (finding,) = _findings(path)
    assert (finding.line, finding.field) == (_line_of(path, "kind: para"), f"body[{index + 1}].kind")
    assert finding.message.startswith("onbekend veld")


def test_several_problems_in_one_block_and_elsewhere_are_all_reported(tmp_path: Path) -> None:
    path = _copy_vcare(tmp_path, f"  - heading: {HEADING}\n", f"  - heading: {HEADING}\n    level: 7\n    levl: 2\n")
    path.write_text(path.read_text(encoding="utf-8").replace("  copies: 2", "  copies: true"), encoding="utf-8")
    block = f"body[{_block_index(path, HEADING) + 1}]"
    found = {f.field: (f.line, f.message) for f in _findings(path)}
    assert found == {
        "document.copies": (_line_of(path, "copies: true"), "moet een geheel getal zijn"),
        f"{block}.level": (_line_of(path, "level: 7"), "is te groot; maximaal 3"),
        f"{block}.levl": (_line_of(path, "levl: 2"), "onbekend veld; bedoelt u 'level'?"),
    }


def test_the_hint_uses_the_names_of_the_file() -> None:
    (problem,) = strict.problems({"nott": {"answer": "x"}}, m.Condition, ("body", 2, "when"))
    assert problem == strict.Problem(("body", 2, "when", "nott"), "onbekend veld; bedoelt u 'not'?", at_key=True)


def test_msgspec_error_paths_are_read_into_locations() -> None:
    nested = strict.translate("Object contains unknown field `itmes` - at `$.items[1]`", m.Item, ("body", 3))
    assert nested == strict.Problem(("body", 3, "items", 1, "itmes"), "onbekend veld; bedoelt u 'items'?", at_key=True)
    assert strict.field_path(nested.loc) == "body[4].items[2].itmes"
    missing = strict.translate("Object missing required field `text` - at `$.items[0]`", m.Item, ())
    assert missing == strict.Problem(("items", 0, "text"), "verplicht veld ontbreekt")
    choice = strict.translate("Invalid enum value 'klant' - at `$.user_role`", m.FormSpec, ())
    assert choice == strict.Problem(("user_role",), "ongeldige waarde; toegestaan: 'controller', 'processor'")
    key = strict.translate("Invalid enum value 'z' - at `key` in `$.art28`", m.KeyTerms, ())
    assert key.loc == ("art28",) and key.message.startswith("ongeldige sleutel; toegestaan: 'a'")
    other = strict.translate("Something new - at `$.document`", m.FormSpec, ())
    assert other == strict.Problem(("document",), "ongeldige waarde (Something new)")


def test_every_block_kind_is_its_msgspec_tag() -> None:
    for kind, cls in m.BLOCK_KINDS.items():
        assert cls.__struct_config__.tag == kind


# --------------------------------------------------------------------------- key terms


def _found(path: Path) -> dict[str, tuple[int | None, str]]:
    return {f.field: (f.line, f.message) for f in _findings(path)}


def test_a_key_term_value_left_out_is_an_error_never_a_default(tmp_path: Path) -> None:
    path = _copy_vcare(tmp_path, "    cost: own_costs\n", "")
    found = _found(path)
    assert found["key_terms.audit.cost"][1] == "verplicht veld ontbreekt"
    # The line where the audit term's mapping starts.
    assert found["key_terms.audit.cost"][0] == _line_of(path, "  audit:") + 1


def test_a_deadline_in_hours_needs_the_hours_and_whether_they_are_firm(tmp_path: Path) -> None:
    path = _copy_vcare(tmp_path, "    hours: 48\n    firm: false\n", "")
    found = _found(path)
    assert found["key_terms.breach_notification.hours"][1].startswith("verplicht veld ontbreekt")
    assert "voor zover mogelijk" in found["key_terms.breach_notification.firm"][1]


def test_hours_without_a_deadline_in_hours_is_an_error(tmp_path: Path) -> None:
    path = _copy_vcare(tmp_path, "    deadline: hours\n", "    deadline: no_deadline\n")
    found = _found(path)
    assert found["key_terms.breach_notification.hours"] == (
        _line_of(path, "hours: 48"), "hoort alleen bij deadline: hours")


def test_a_term_that_is_not_regulated_names_no_article(tmp_path: Path) -> None:
    path = _copy_vcare(tmp_path, "    model: capped\n", "    model: not_regulated\n")
    found = _found(path)
    assert found["key_terms.liability.article"][1] == (
        "een term die 'not_regulated' is, heeft geen artikel")
    assert found["key_terms.liability.cap"][1].startswith("hoort niet bij model: not_regulated")


def test_a_key_term_must_point_at_a_clause_that_exists(tmp_path: Path) -> None:
    path = _copy_vcare(tmp_path, '    article: "11.1"\n', '    article: "11.9"\n')
    found = _found(path)
    assert found["key_terms.audit.article"] == (
        _line_of(path, 'article: "11.9"'), "artikel '11.9' staat niet in de tekst van de overeenkomst")


def test_a_quote_must_be_the_processors_words_in_that_clause(tmp_path: Path) -> None:
    path = _copy_vcare(tmp_path, "quote: Iedere Partij draagt haar eigen kosten",
                       "quote: Iedere Partij draagt de eigen kosten")
    found = _found(path)
    line, message = found["key_terms.audit.also[1].quote"]
    assert line == _line_of(path, "quote: Iedere Partij draagt de eigen kosten")
    assert message.startswith("deze woorden staan niet in artikel 11.6; citeer letterlijk")


def test_a_subprocessors_country_is_a_code_or_unknown(tmp_path: Path) -> None:
    path = _copy_vcare(tmp_path, "name: Talksome, country: NL", "name: Talksome, country: Nederland")
    found = _found(path)
    assert found["subprocessors[1].country"][1].startswith("ongeldige opmaak")


def test_outside_the_eea_must_agree_with_the_country(tmp_path: Path) -> None:
    path = _copy_vcare(tmp_path, "name: Talksome, country: NL,", "name: Talksome, country: NL, outside_eea: true,")
    found = _found(path)
    assert found["subprocessors[1].outside_eea"][1] == (
        "NL ligt in de EER; laat outside_eea weg of corrigeer het land")


def test_an_unknown_country_is_unknown_not_inside_the_eea() -> None:
    sub = m.Subprocessor(id="aws", name="AWS", country="unknown")
    assert sub.eea_status() == "unknown" and sub.country_label == "land onbekend"
    assert m.Subprocessor(id="x", name="X", country="US").eea_status() == "outside"
    assert m.Subprocessor(id="y", name="Y", country="NO").eea_status() == "inside"
    assert m.Subprocessor(id="z", name="Z", country="unknown", outside_eea=False).eea_status() == "inside"
