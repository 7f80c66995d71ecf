"""The store commands as a script or a person uses them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dpa_desktop.answers import example_answers
from dpa_desktop.cli import main
from dpa_desktop.forms.model import FormSpec
from dpa_desktop.store import Store


def _fill(tmp_path: Path, vcare: FormSpec, *extra: str) -> int:
    answers = tmp_path / "antwoorden.json"
    answers.write_text(example_answers(vcare).dumps(), encoding="utf-8")
    return main(["fill", "vcare", "--answers", str(answers), "--out", str(tmp_path / "uit"),
                 *extra])


def test_the_first_register_command_sets_up_the_store_and_shows_the_code_once(
        capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    assert main(["register", "list"]) == 0
    first = capsys.readouterr()
    assert "HERSTELCODE" in first.err and "één keer" in first.err
    assert "geen overeenkomsten" in first.out
    assert Store.exists(data_dir)
    assert main(["register", "list"]) == 0
    assert "HERSTELCODE" not in capsys.readouterr().err


def test_fill_with_register_records_a_concept_listed_as_json(
        tmp_path: Path, vcare: FormSpec, capsys: pytest.CaptureFixture[str]) -> None:
    assert _fill(tmp_path, vcare, "--register") == 0
    out = capsys.readouterr()
    assert out.out.strip().endswith(".pdf")  # stdout keeps only the paths
    assert "Vastgelegd in het register als overeenkomst 1" in out.err
    assert _fill(tmp_path, vcare) == 0  # without --register nothing is recorded
    capsys.readouterr()
    assert main(["register", "list", "--json"]) == 0
    [item] = json.loads(capsys.readouterr().out)
    assert item["form"] == "vcare" and item["status"] == "concept"
    assert item["status_label"] == "Nog niet verzonden"
    assert item["organisation"] == "Huisartsenpraktijk De Linde"
    assert main(["register", "list", "--zoek", "niet aanwezig", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_export_writes_csv_and_pdf(tmp_path: Path, vcare: FormSpec,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert _fill(tmp_path, vcare, "--register") == 0
    csv_file, pdf_file = tmp_path / "register.csv", tmp_path / "register.pdf"
    assert main(["register", "export", "--csv", str(csv_file), "--pdf", str(pdf_file)]) == 0
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbfNr.;Verwerker;Soort")
    assert pdf_file.read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    assert main(["register", "export"]) == 2
    assert "--csv" in capsys.readouterr().err


def test_backup_and_restore_on_a_new_computer(
        tmp_path: Path, vcare: FormSpec, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert _fill(tmp_path, vcare, "--register") == 0
    err = capsys.readouterr().err
    code = err.split("HERSTELCODE:")[1].split()[0]
    archive = tmp_path / "reservekopie.dpabackup"
    assert main(["backup", str(archive)]) == 0
    monkeypatch.setenv("DPA_DESKTOP_DATA_DIR", str(tmp_path / "laptop" / "data"))
    monkeypatch.setenv("DPA_DESKTOP_KEYRING_FILE", str(tmp_path / "laptop" / "keys.json"))
    assert main(["restore", str(archive), "--herstelcode", "fout"]) == 2
    assert "herstelcode klopt niet" in capsys.readouterr().err
    assert main(["restore", str(archive), "--herstelcode", code]) == 0
    assert "1 overeenkomst" in capsys.readouterr().err
    assert main(["register", "list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    assert main(["restore", str(archive), "--herstelcode", code]) == 2
    assert "niets overschreven" in capsys.readouterr().err


def test_a_locked_register_exits_2_with_advice(
        tmp_path: Path, vcare: FormSpec, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["register", "list"]) == 0
    code = capsys.readouterr().err.split("HERSTELCODE:")[1].split()[0]
    Path(os.environ["DPA_DESKTOP_KEYRING_FILE"]).write_text("{}", encoding="utf-8")  # key lost
    assert main(["register", "list"]) == 2
    assert "herstelcode" in capsys.readouterr().err
    assert main(["recover", "--herstelcode", code]) == 0
    assert "weer open" in capsys.readouterr().err
    assert main(["register", "list"]) == 0
