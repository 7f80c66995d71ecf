"""A folder that cannot take the documents is a Dutch message, exit 2, and no file left behind."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dpa_desktop import platform
from dpa_desktop.answers import Answers, example_answers
from dpa_desktop.cli import main
from dpa_desktop.errors import OutputError
from dpa_desktop.fill import fill
from dpa_desktop.forms.loader import load_forms

SPEC = load_forms().get("vcare")


def _answers_file(tmp_path: Path, **values: str) -> Path:
    data = example_answers(SPEC).to_json()
    data["values"].update(values)
    path = tmp_path / "antwoorden.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dpa_desktop", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=300)


def _no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "Error" not in result.stderr


def test_out_is_an_existing_file(tmp_path: Path) -> None:
    out = tmp_path / "uitvoer"
    out.write_text("al een bestand", encoding="utf-8")
    result = _run("fill", "vcare", "--answers", str(_answers_file(tmp_path)), "--out", str(out))
    _no_traceback(result)
    assert f"De uitvoermap '{out}' is geen map: er staat een bestand met die naam." in result.stderr
    assert out.read_text(encoding="utf-8") == "al een bestand"


def test_out_under_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "bestand.txt"
    blocker.write_text("x", encoding="utf-8")
    out = blocker / "uitvoer"
    result = _run("fill", "vcare", "--answers", str(_answers_file(tmp_path)), "--out", str(out))
    _no_traceback(result)
    assert f"een deel van het pad ('{blocker}') is een bestand, geen map" in result.stderr
    assert sorted(os.listdir(tmp_path)) == ["antwoorden.json", "bestand.txt"]


def test_a_folder_name_too_long_for_the_file_system(tmp_path: Path) -> None:
    out = tmp_path / ("m" * 300)
    result = _run("fill", "vcare", "--answers", str(_answers_file(tmp_path)), "--out", str(out))
    _no_traceback(result)
    assert "is te lang voor het bestandssysteem" in result.stderr


def test_a_document_name_taken_by_a_folder_leaves_nothing_half_written(tmp_path: Path) -> None:
    out = tmp_path / "uit"
    (out / "Verwerkersovereenkomst Vcare - Huisartsenpraktijk De Linde.pdf").mkdir(parents=True)
    result = _run("fill", "vcare", "--answers", str(_answers_file(tmp_path)), "--out", str(out))
    _no_traceback(result)
    assert "staat al een map met de naam van het document" in result.stderr
    # Neither the DOCX nor any temporary file: all or nothing.
    assert os.listdir(out) == ["Verwerkersovereenkomst Vcare - Huisartsenpraktijk De Linde.pdf"]


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS])
def test_a_read_only_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                            code: int) -> None:
    """Tests run as root here, where chmod does not stop a write: the refusal comes from the OS call."""
    real = platform.tempfile.mkstemp

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(code, os.strerror(code)) if code == errno.EACCES else OSError(code, os.strerror(code))

    monkeypatch.setattr(platform.tempfile, "mkstemp", refuse)
    out = tmp_path / "uit"
    assert main(["fill", "vcare", "--answers", str(_answers_file(tmp_path)), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"Geen toestemming om in '{out}' te schrijven" in err
    assert list(out.iterdir()) == []
    monkeypatch.setattr(platform.tempfile, "mkstemp", real)


def test_a_failing_second_rename_puts_the_first_document_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "uit"
    first = fill(SPEC, example_answers(SPEC), out)
    old_docx = first.docx.read_bytes()
    calls = []
    real = platform.replace_file

    def second_fails(src: Path, dst: Path, **kwargs: object) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise PermissionError(errno.EACCES, "in gebruik")
        real(src, dst)

    monkeypatch.setattr(platform, "replace_file", second_fails)
    changed = Answers.loads(json.dumps({**example_answers(SPEC).to_json()}))
    with pytest.raises(OutputError, match="Geen toestemming"):
        fill(SPEC, changed, out)
    assert first.docx.read_bytes() == old_docx
    assert sorted(p.name for p in out.iterdir()) == sorted([first.docx.name, first.pdf.name])


def test_long_names_are_cut_by_bytes_and_utf16_units_not_characters(tmp_path: Path) -> None:
    """An organisation name of Georgian letters (three bytes each in UTF-8): cut by characters
    alone, the name was 360 bytes and the file system refused it."""
    name = "ქართული კლინიკა " * 18
    result = _run("fill", "vcare", "--answers", str(_answers_file(tmp_path, organisatie_naam=name.strip())),
                  "--out", str(tmp_path / "uit"))
    assert result.returncode == 0, result.stderr
    for produced in (tmp_path / "uit").iterdir():
        assert len(produced.name.encode("utf-8")) <= 255
        assert len(produced.name.encode("utf-16-le")) // 2 <= 255


@pytest.mark.parametrize("name, limit", [("a" * 300, 120), ("ä" * 150, 100), ("ა" * 100, 66), ("𝔄" * 80, 50)])
def test_safe_filename_stays_within_the_limits(name: str, limit: int) -> None:
    cut = platform.safe_filename(name)
    assert len(cut.encode("utf-8")) <= platform.NAME_BYTES
    assert len(cut.encode("utf-16-le")) // 2 <= platform.NAME_UNITS
    assert len(cut) >= min(limit, 50)
    assert name.startswith(cut)


def test_safe_filename_never_parts_a_letter_from_its_accent() -> None:
    name = "q\u0307\u0323" * 100  # q with two accents: no precomposed letter exists
    cut = platform.safe_filename(name)
    assert len(cut) % 3 == 0 and cut.endswith("\u0323")


def test_safe_filename_on_windows_keeps_the_whole_path_within_max_path() -> None:
    directory = Path("C:/Users/praktijkmanager/Documents/" + "verwerkersovereenkomsten/" * 6)
    cut = platform.safe_filename("Verwerkersovereenkomst " + "x" * 200, directory=directory, windows=True)
    assert len(str(directory)) + 1 + len(cut) + platform.TEMP_OVERHEAD <= platform.WINDOWS_MAX_PATH
    unlimited = platform.safe_filename("Verwerkersovereenkomst " + "x" * 200, directory=directory, windows=False)
    assert len(unlimited) == 120
