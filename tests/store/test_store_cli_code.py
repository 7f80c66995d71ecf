"""The recovery code reaches restore and recover without showing in ``ps`` or shell
history, and a run without a terminal says how to give it (issue 20, point 10)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dpa_desktop.answers import example_answers
from dpa_desktop.cli import main
from dpa_desktop.forms.model import FormSpec

ROOT = Path(__file__).resolve().parents[2]


class Piped(io.StringIO):
    """Standard input from a pipe or file: not a terminal."""

    def isatty(self) -> bool:
        return False


@pytest.fixture
def archive(tmp_path: Path, vcare: FormSpec, capsys: pytest.CaptureFixture[str],
            monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    answers = tmp_path / "antwoorden.json"
    answers.write_text(example_answers(vcare).dumps(), encoding="utf-8")
    assert main(["fill", "vcare", "--answers", str(answers), "--out", str(tmp_path / "uit"),
                 "--register"]) == 0
    code = capsys.readouterr().err.split("HERSTELCODE:")[1].split()[0]
    path = tmp_path / "reservekopie.dpabackup"
    assert main(["backup", str(path)]) == 0
    capsys.readouterr()
    monkeypatch.setenv("DPA_DESKTOP_DATA_DIR", str(tmp_path / "laptop" / "data"))
    monkeypatch.setenv("DPA_DESKTOP_KEYRING_FILE", str(tmp_path / "laptop" / "keys.json"))
    monkeypatch.delenv("DPA_DESKTOP_RECOVERY_CODE", raising=False)
    return path, code


def test_the_code_from_a_file(archive: tuple[Path, str], tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    path, code = archive
    code_file = tmp_path / "code.txt"
    code_file.write_text(f"\n  {code.lower()}  \r\n", encoding="utf-8")
    assert main(["restore", str(path), "--herstelcode-bestand", str(code_file)]) == 0
    assert "1 overeenkomst" in capsys.readouterr().err


def test_the_code_from_standard_input_with_a_dash(archive: tuple[Path, str],
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path, code = archive
    monkeypatch.setattr(sys, "stdin", Piped(code + "\n"))
    assert main(["restore", str(path), "--herstelcode", "-"]) == 0
    assert "1 overeenkomst" in capsys.readouterr().err


def test_the_code_from_piped_input_without_an_option(archive: tuple[Path, str],
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path, code = archive
    monkeypatch.setattr(sys, "stdin", Piped(code))
    assert main(["restore", str(path)]) == 0
    assert "1 overeenkomst" in capsys.readouterr().err


def test_the_argument_still_works_for_scripts_that_use_it(
        archive: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    path, code = archive
    assert main(["restore", str(path), "--herstelcode", code]) == 0


@pytest.mark.parametrize("stdin", [Piped(""), Piped("\n\n"), None])
def test_no_code_and_no_terminal_is_a_dutch_message_and_exit_2(
        archive: tuple[Path, str], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], stdin: io.StringIO | None) -> None:
    path, _code = archive
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["restore", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Er is geen herstelcode gegeven" in err and "--herstelcode-bestand" in err
    assert main(["recover"]) == 2


def test_an_unreadable_code_file_is_named(archive: tuple[Path, str], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path, _code = archive
    missing = tmp_path / "bestaat-niet.txt"
    assert main(["restore", str(path), "--herstelcode-bestand", str(missing)]) == 2
    assert f"Het herstelcodebestand '{missing}' is niet te lezen" in capsys.readouterr().err
    empty = tmp_path / "leeg.txt"
    empty.write_text("  \n", encoding="utf-8")
    assert main(["restore", str(path), "--herstelcode-bestand", str(empty)]) == 2
    assert "is leeg" in capsys.readouterr().err


def test_a_real_process_without_a_terminal_ends_without_a_traceback(
        archive: tuple[Path, str]) -> None:
    path, code = archive
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT),
                                                        os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", "dpa_desktop", "restore", str(path)],
                          stdin=subprocess.DEVNULL, capture_output=True, env=env, timeout=120)
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2, err
    assert "Traceback" not in err and "EOFError" not in err
    assert "Er is geen herstelcode gegeven" in err
    piped = subprocess.run([sys.executable, "-m", "dpa_desktop", "restore", str(path),
                            "--herstelcode", "-"], input=f"{code}\n".encode(),
                           capture_output=True, env=env, timeout=120)
    assert piped.returncode == 0, piped.stderr.decode("utf-8")
