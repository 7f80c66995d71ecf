"""A hostile form file (an alias bomb, a self-referencing alias, a huge file) is
refused by name before its data is built, and the other forms still load."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from dpa_desktop import paths
from dpa_desktop.cli import main
from dpa_desktop.forms import loader


def _bomb(levels: int = 9, width: int = 9) -> str:
    """The "billion laughs": each level repeats the previous one ``width`` times."""
    lines = ["id: bomb", "a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * width) + "]")
    lines.append(f"body: *a{levels - 1}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def forms_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "forms"
    folder.mkdir()
    shutil.copyfile(paths.forms_dir() / "vcare.yaml", folder / "vcare.yaml")
    return folder


def test_an_alias_bomb_is_refused_by_name_and_the_other_forms_load(forms_dir: Path) -> None:
    text = _bomb()
    assert len(text) < 2_000  # expands to 9**9 (387 million) strings
    (forms_dir / "bom.yaml").write_text(text, encoding="utf-8")
    started = time.monotonic()
    loaded = loader.load_forms(forms_dir)
    assert time.monotonic() - started < 10
    assert set(loaded.forms) == {"vcare"}
    [error] = loaded.errors
    assert error.file == "bom.yaml"
    assert "te groot als het wordt uitgewerkt" in str(error)


def test_many_aliases_and_a_self_referencing_alias_are_refused(forms_dir: Path) -> None:
    many = "id: veel\nx: &x 1\nlijst: [" + ", ".join(["*x"] * 500) + "]\n"
    (forms_dir / "veel.yaml").write_text(many, encoding="utf-8")
    (forms_dir / "kring.yaml").write_text("id: kring\na: &a [1, *a]\n", encoding="utf-8")
    loaded = loader.load_forms(forms_dir)
    assert set(loaded.forms) == {"vcare"}
    messages = {e.file: str(e) for e in loaded.errors}
    assert "verwijzingen (aliassen)" in messages["veel.yaml"]
    assert "bevat zichzelf" in messages["kring.yaml"]


def test_a_huge_form_file_is_refused_before_it_is_parsed(forms_dir: Path) -> None:
    (forms_dir / "groot.yaml").write_bytes(b"id: groot\nx: '" + b"a" * loader.MAX_FORM_BYTES
                                           + b"'\n")
    loaded = loader.load_forms(forms_dir)
    assert set(loaded.forms) == {"vcare"}
    assert "te groot" in str(loaded.errors[0])


def test_an_unexpected_error_in_one_form_file_is_reported_for_that_file_only(
        forms_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (forms_dir / "kapot.yaml").write_text("id: kapot\n", encoding="utf-8")
    real = loader.load_form

    def flaky(path: Path) -> object:
        if path.name == "kapot.yaml":
            raise RecursionError("maximum recursion depth exceeded")
        return real(path)

    monkeypatch.setattr(loader, "load_form", flaky)
    loaded = loader.load_forms(forms_dir)
    assert set(loaded.forms) == {"vcare"}
    assert loaded.errors[0].file == "kapot.yaml"
    assert "kan niet worden geladen" in str(loaded.errors[0])


def test_the_forms_command_lists_the_good_forms_and_names_the_bomb(
        forms_dir: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    (forms_dir / "bom.yaml").write_text(_bomb(), encoding="utf-8")
    monkeypatch.setenv(paths.FORMS_DIR_ENV, str(forms_dir))
    assert main(["forms"]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("vcare\t")
    assert "bom.yaml" in out.err and "Traceback" not in out.err


def test_every_shipped_form_is_well_within_the_limits() -> None:
    import yaml

    for path in sorted(paths.forms_dir().glob("*.yaml")):
        data = path.read_bytes()
        assert len(data) < loader.MAX_FORM_BYTES / 10, path.name
        root = yaml.SafeLoader(data.decode("utf-8")).get_single_node()
        assert loader._graph_problem(root) is None, path.name
