"""Form files are data: a broken one is reported precisely and stops nothing else."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dpa_desktop import paths
from dpa_desktop.errors import FormFileError, UnknownForm
from dpa_desktop.forms.loader import load_form, load_forms


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
