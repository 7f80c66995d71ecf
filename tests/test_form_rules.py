"""The loader refuses what fill cannot print, and the form grammar is written down whole."""

from __future__ import annotations

import re
from pathlib import Path

import msgspec
import pytest

from dpa_desktop import paths
from dpa_desktop.answers import Answers, example_answers, validate_value
from dpa_desktop.errors import FormFileError
from dpa_desktop.fill import fill
from dpa_desktop.forms import model as m
from dpa_desktop.forms.loader import load_form


def _vcare_with(tmp_path: Path, old: str, new: str) -> Path:
    text = (paths.forms_dir() / "vcare.yaml").read_text(encoding="utf-8")
    assert old in text, old
    target = tmp_path / "vcare.yaml"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def _findings(path: Path) -> dict[str, str]:
    with pytest.raises(FormFileError) as info:
        load_form(path)
    return {f.field: f.message for f in info.value.findings}


def test_an_unknown_list_style_is_a_load_error_not_a_fill_crash(tmp_path: Path) -> None:
    text = (paths.forms_dir() / "vcare.yaml").read_text(encoding="utf-8")
    body = text.index("\nbody:\n")
    target = tmp_path / "vcare.yaml"
    target.write_text(text[:body] + text[body:].replace("\n  - clause:", '\n  - list: [een, twee]\n    style: "◦"\n'
                                                          "  - clause:", 1), encoding="utf-8")
    findings = _findings(target)
    (field, message), = ((f, msg) for f, msg in findings.items() if f.endswith(".style"))
    assert field.startswith("body[")
    assert message.startswith("onbekende lijststijl '◦'; kies 'a.'")


def test_an_unknown_item_style_in_the_document_settings_is_a_load_error(tmp_path: Path) -> None:
    path = _vcare_with(tmp_path, "  item_style: a.", '  item_style: "§"')
    assert _findings(path)["document.item_style"].startswith("onbekende lijststijl '§'")


def test_equals_ja_on_a_boolean_question_is_an_error_naming_true_and_false(tmp_path: Path) -> None:
    text = (paths.forms_dir() / "vcare.yaml").read_text(encoding="utf-8")
    text = text.replace("questions:\n", "questions:\n  - {id: akkoord, type: boolean, label: Akkoord, "
                                        "page: ondertekening, required: false}\n", 1)
    body = text.index("\nbody:\n")
    target = tmp_path / "vcare.yaml"
    target.write_text(text[:body] + text[body:].replace(
        "\n  - clause:", "\n  - para: Alleen bij ja.\n    when: {answer: akkoord, equals: ja}\n  - clause:", 1),
        encoding="utf-8")
    messages = [msg for field, msg in _findings(target).items() if field.endswith("when.equals")]
    assert messages == ["vraag 'akkoord' is een ja/nee-vraag: 'equals' moet true of false zijn "
                        "(zonder aanhalingstekens), niet 'ja'"]
    # Written as a boolean, the same condition loads.
    target.write_text(target.read_text(encoding="utf-8").replace("equals: ja}", "equals: true}"), encoding="utf-8")
    assert load_form(target).question("akkoord").type == "boolean"


def test_equals_with_an_option_a_choice_does_not_have_names_the_options(tmp_path: Path) -> None:
    spec = load_form(paths.forms_dir() / "beterdichtbij.yaml")
    choice = next(q for q in spec.questions if q.type == "choice")
    text = (paths.forms_dir() / "beterdichtbij.yaml").read_text(encoding="utf-8")
    body = text.index("\nbody:\n")
    target = tmp_path / "beterdichtbij.yaml"
    target.write_text(text[:body] + text[body:].replace(
        "\n  - clause:", f"\n  - para: Nooit.\n    when: {{answer: {choice.id}, equals: verbranden}}\n  - clause:", 1),
        encoding="utf-8")
    allowed = ", ".join(o.value for o in choice.options)
    messages = [msg for field, msg in _findings(target).items() if field.endswith("when.equals")]
    assert messages == [f"vraag '{choice.id}' heeft geen optie 'verbranden'; kies uit: {allowed}"]


def test_must_be_true_refuses_nee_with_a_dutch_reason_and_accepts_ja() -> None:
    question = m.Question(id="akkoord", type="boolean", label="Akkoord", page="ondertekening", must_be_true=True)
    assert validate_value(question, True) is True
    assert validate_value(question, "ja") is True
    for refused in (False, "nee", None):
        with pytest.raises(ValueError, match=r"^kies ja: zonder uw akkoord kan de overeenkomst niet worden opgesteld$"):
            validate_value(question, refused)


def test_must_be_true_on_a_text_question_is_a_load_error(tmp_path: Path) -> None:
    path = _vcare_with(tmp_path, "  - id: organisatie_naam\n", "  - id: organisatie_naam\n    must_be_true: true\n")
    findings = _findings(path)
    assert findings["questions[1].must_be_true"] == ("alleen een ja/nee-vraag (type: boolean) kan 'must_be_true' "
                                                     "hebben")


def _documented_keys() -> set[str]:
    """Every key the README shows: in backticks, in YAML examples, in ``{a, b: c}`` lists."""
    text = (Path(paths.forms_dir()) / "README.md").read_text(encoding="utf-8")
    return (set(re.findall(r"`([a-z_][a-z_0-9]*)", text))
            | set(re.findall(r"^\s*-?\s*([a-z_][a-z_0-9]*):", text, re.M))
            | set(re.findall(r"[{,\[]\s*([a-z_][a-z_0-9]*)\b", text)))


def _structs(cls: type[msgspec.Struct], seen: set[type]) -> None:
    if cls in seen:
        return
    seen.add(cls)
    for field in msgspec.structs.fields(cls):
        for arg in _types(field.type):
            if isinstance(arg, type) and issubclass(arg, msgspec.Struct):
                _structs(arg, seen)


def _types(tp: object) -> list[object]:
    from typing import get_args

    out = [tp]
    for arg in get_args(tp):
        out += _types(arg)
    return out


def test_every_key_a_form_file_may_use_is_written_down_in_the_forms_readme() -> None:
    """A key the model accepts but the README does not name is a key no form author
    knows about (``placeholder`` once was one): the grammar and its documentation agree."""
    seen: set[type] = set()
    _structs(m.FormSpec, seen)
    for cls in m.BLOCK_KINDS.values():
        _structs(cls, seen)
    keys = {(cls.__name__, f.encode_name) for cls in seen for f in msgspec.structs.fields(cls)}
    documented = _documented_keys()
    missing = sorted(f"{owner}.{key}" for owner, key in keys if key not in documented)
    assert missing == []


def test_the_shipped_signature_labels_print_as_written(tmp_path: Path) -> None:
    from doctext import docx_paragraphs

    spec = load_form(paths.forms_dir() / "infogroen.yaml")
    result = fill(spec, example_answers(spec), tmp_path)
    paragraphs = docx_paragraphs(result.docx)
    assert "Namens deze de heer J. Willemsen" in paragraphs  # as the original: no colon
    assert "Datum: 23 november 2026" in paragraphs
    assert not any("::" in p for p in paragraphs)


def test_a_signature_label_is_printed_as_written_without_a_forced_colon(tmp_path: Path) -> None:
    from doctext import docx_paragraphs, pdf_lines

    old = '          - {label: "Handtekening:", write_line: true}\n      - party: Vcare'
    path = _vcare_with(tmp_path, old, '          - {label: "(handtekening)", write_line: true}\n      - party: Vcare')
    spec = load_form(path)
    result = fill(spec, Answers.loads(example_answers(spec).dumps()), tmp_path / "uit")
    paragraphs = docx_paragraphs(result.docx)
    assert "(handtekening)" in paragraphs and "(handtekening):" not in paragraphs
    assert "Datum: 23 november 2026" in paragraphs or any(p.startswith("Datum: ") for p in paragraphs)
    assert not any("::" in p for p in paragraphs)
    lines = pdf_lines(result.pdf)
    assert any(line.strip() == "(handtekening)" for line in lines)
    assert not any("::" in line or "(handtekening):" in line for line in lines)


def test_a_key_written_twice_is_an_error_not_a_silent_override(tmp_path: Path) -> None:
    path = _vcare_with(tmp_path, "  filename:", '  item_style: "1."\n  filename:')
    with pytest.raises(FormFileError) as info:
        load_form(path)
    (finding,) = info.value.findings
    assert finding.field == "document.item_style"
    assert finding.message == "sleutel 'item_style' staat twee keer in dezelfde mapping"
    text = path.read_text(encoding="utf-8").splitlines()
    assert text[finding.line - 1].strip() == "item_style: a."
