"""The CLI is a contract: its commands, exit codes and Dutch messages."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dpa_desktop.cli import main


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dpa_desktop", *args], capture_output=True,
                          text=True, encoding="utf-8")


def vcare_example() -> dict[str, object]:
    return json.loads(run_cli("example", "vcare").stdout)


def test_forms_lists_id_processor_and_version() -> None:
    result = run_cli("forms")
    assert result.returncode == 0
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("vcare\t"))
    assert line.split("\t")[1:] == ["Vcareconnect B.V.", "2024"]


def test_example_prints_answers_that_take_every_service() -> None:
    data = vcare_example()
    assert data["form"] == "vcare"
    assert len(data["services"]) == 17  # type: ignore[arg-type]


def test_fill_writes_docx_and_pdf(tmp_path: Path) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(vcare_example()), encoding="utf-8")
    result = run_cli("fill", "vcare", "--answers", str(answers), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["Verwerkersovereenkomst Vcare - Huisartsenpraktijk De Linde.docx",
                     "Verwerkersovereenkomst Vcare - Huisartsenpraktijk De Linde.pdf"]


def test_main_leaves_the_cyclic_collector_as_it_found_it(tmp_path: Path) -> None:
    """The GUI and tests call main() in a process that goes on: a fill there, good or
    refused, keeps the collector running."""
    good = tmp_path / "good.json"
    good.write_text(json.dumps(vcare_example()), encoding="utf-8")
    assert gc.isenabled()
    assert main(["fill", "vcare", "--answers", str(good), "--out", str(tmp_path / "out")]) == 0
    assert gc.isenabled()
    data = vcare_example()
    data["values"]["kvk"] = "1234"  # type: ignore[index]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    assert main(["fill", "vcare", "--answers", str(bad), "--out", str(tmp_path / "out2")]) == 2
    assert gc.isenabled()


@pytest.mark.parametrize(("command", "seen"), [("fill", "rendered collecting=False, frozen"),
                                               ("forms", "collecting=True, not frozen")])
def test_only_a_fill_process_pauses_the_collector_and_leaves_its_objects_to_the_end(
        tmp_path: Path, command: str, seen: str) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(vcare_example()), encoding="utf-8")
    args = (["fill", "vcare", "--answers", str(answers), "--out", str(tmp_path / "out")]
            if command == "fill" else [command])
    script = ("import gc, sys\n"
              "from dpa_desktop import fill\n"
              "render = fill.render_bytes\n"
              "def watching(doc):\n"
              "    print(f'rendered collecting={gc.isenabled()}, ', end='', file=sys.stderr)\n"
              "    return render(doc)\n"
              "fill.render_bytes = watching\n"
              f"sys.argv = ['dpa-desktop', *{args!r}]\n"
              "from dpa_desktop.cli import run\n"
              "code = run()\n"
              "if sys.argv[1] != 'fill':\n"
              "    print(f'collecting={gc.isenabled()}, ', end='', file=sys.stderr)\n"
              "print('frozen' if gc.get_freeze_count() else 'not frozen', file=sys.stderr)\n"
              "raise SystemExit(code)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            encoding="utf-8", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1] == seen


def test_a_wrong_kvk_and_a_missing_field_exit_2_naming_both(tmp_path: Path) -> None:
    data = vcare_example()
    values = data["values"]
    assert isinstance(values, dict)
    values["kvk"] = "1234"
    del values["organisatie_naam"]
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("fill", "vcare", "--answers", str(answers), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "KvK-nummer: een KvK-nummer bestaat uit precies 8 cijfers" in result.stderr
    assert "Organisatienaam (zoals bij de KvK): dit veld is verplicht" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("content, expected", [
    ("{niet json", "geen geldige JSON"),
    ("[1, 2]", "verwacht een JSON-object"),
    ('{"values": {"kvk": [1]}}', "moet tekst zijn"),
])
def test_broken_answer_files_exit_2_in_dutch(tmp_path: Path, content: str, expected: str) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(content, encoding="utf-8")
    result = run_cli("fill", "vcare", "--answers", str(answers), "--out", str(tmp_path))
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_form_and_missing_file_exit_2(tmp_path: Path) -> None:
    result = run_cli("fill", "bestaat-niet", "--answers", str(tmp_path / "x"), "--out", str(tmp_path))
    assert result.returncode == 2 and "Onbekend formulier 'bestaat-niet'" in result.stderr
    result = run_cli("fill", "vcare", "--answers", str(tmp_path / "x.json"), "--out", str(tmp_path))
    assert result.returncode == 2 and "is niet te lezen" in result.stderr


def test_bad_usage_exits_2_in_dutch() -> None:
    result = run_cli("fill", "vcare")
    assert result.returncode == 2
    assert "fout: deze argumenten zijn verplicht: --answers, --out" in result.stderr
    assert run_cli("bestaat-niet").returncode == 2
    assert "toon deze hulptekst en stop" in run_cli("fill", "--help").stdout


# Text a person could type: any Unicode, control characters, RTL, emoji, huge strings.
person_text = st.one_of(
    st.text(min_size=0, max_size=200),
    st.sampled_from(["\x00", "\x1b[31m", "שלום עולם", "مرحبا", "👩‍⚕️🏥", "a\u202eb", "\ud800x",
                     "x" * 100_000, "Zoë & Zoï <b>", "'; DROP TABLE", "\r\n\t"]),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=person_text, place=person_text)
def test_any_text_gives_exit_2_or_a_valid_document(tmp_path: Path, name: str, place: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    import docx
    from pypdf import PdfReader

    data = vcare_example()
    values = data["values"]
    assert isinstance(values, dict)
    values["organisatie_naam"] = name
    values["ondertekening_plaats"] = place
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(data), encoding="utf-8", errors="surrogatepass")
    out = tmp_path / "out"
    code = main(["fill", "vcare", "--answers", str(answers), "--out", str(out)])
    captured = capsys.readouterr()
    assert code in (0, 2)
    assert "Traceback" not in captured.err
    if code == 2:
        assert "De antwoorden zijn niet in orde" in captured.err or "UTF-8" in captured.err
        return
    docx_file = next(out.glob("*.docx"))
    pdf_file = next(out.glob("*.pdf"))
    docx.Document(str(docx_file))
    assert len(PdfReader(str(pdf_file)).pages) > 5
    for f in out.iterdir():
        f.unlink()
