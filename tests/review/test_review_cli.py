"""The review and the breach card from the command line: exit codes and what they write."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from dpa_desktop.answers import example_answers
from dpa_desktop.cli import main
from dpa_desktop.forms.loader import load_forms
from dpa_desktop.store import SIGNED, Store, default_backend

FORM_IDS = ["vcare", "infinitcare-almere", "infinitcare-sdf", "beterdichtbij", "infogroen"]


def _answers_file(tmp_path: Path, form_id: str, **changes: str) -> Path:
    answers = example_answers(load_forms().get(form_id)).to_json()
    answers["values"].update(changes)
    path = tmp_path / f"{form_id}.json"
    path.write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    return path


def _pdf_text(path: Path) -> tuple[int, str]:
    reader = PdfReader(path)
    return len(reader.pages), " ".join(page.extract_text() or "" for page in reader.pages)


def test_review_prints_the_points_and_exits_0(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["review", "vcare", "--answers", str(_answers_file(tmp_path, "vcare"))])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("Aandachtspunten - verwerkersovereenkomst Vcareconnect B.V.")
    assert "[LET OP] Melding van datalekken (artikel 9.1)" in out
    assert "Zwakker dan het sectormodel" in out
    assert "geen juridisch advies" in out


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_review_pdf_is_one_or_two_pages(tmp_path: Path, form_id: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "uit" / "aandachtspunten.pdf"
    code = main(["review", form_id, "--answers", str(_answers_file(tmp_path, form_id)),
                 "--pdf", str(pdf)])
    assert code == 0
    assert pdf.read_bytes().startswith(b"%PDF-")
    pages, text = _pdf_text(pdf)
    assert 1 <= pages <= 2
    assert "Aandachtspunten" in text and "geen juridisch advies" in " ".join(text.split())
    assert "LET OP" in text or "OK" in text


def test_infogroen_pdf_says_the_practice_is_the_processor(tmp_path: Path) -> None:
    pdf = tmp_path / "infogroen.pdf"
    assert main(["review", "infogroen", "--answers",
                 str(_answers_file(tmp_path, "infogroen")), "--pdf", str(pdf)]) == 0
    assert "bent u de VERWERKER" in " ".join(_pdf_text(pdf)[1].split())


def test_bad_kvk_exits_2_naming_the_field(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = _answers_file(tmp_path, "vcare", kvk="1234")
    assert main(["review", "vcare", "--answers", str(path)]) == 2
    err = capsys.readouterr().err
    assert "De antwoorden zijn niet in orde" in err and "KvK-nummer" in err


@pytest.mark.parametrize("argv", [
    ["review", "bestaat-niet", "--answers", "x.json"],
    ["review", "vcare", "--answers", "ontbreekt.json"],
    ["review", "vcare"],
])
def test_bad_input_exits_2_in_dutch(tmp_path: Path, argv: list[str],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    argv = [str(tmp_path / a) if a.endswith(".json") else a for a in argv]
    with pytest.raises(SystemExit) as info:
        raise SystemExit(main(argv))
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert any(w in err for w in ("Onbekend formulier", "niet te lezen", "fout:"))


def test_answers_of_another_form_exit_2(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = _answers_file(tmp_path, "beterdichtbij")
    assert main(["review", "vcare", "--answers", str(path)]) == 2
    assert "hoort bij formulier 'beterdichtbij'" in capsys.readouterr().err


def _register_with_two_signed(tmp_path: Path) -> None:
    """vcare and infogroen signed, infinitcare-almere still a concept."""
    docx, pdf = tmp_path / "o.docx", tmp_path / "o.pdf"
    docx.write_bytes(b"PK\x03\x04 docx" + b"x" * 100)
    pdf.write_bytes(b"%PDF-1.7 pdf" + b"y" * 100)
    store, _code = Store.create(None, default_backend())
    with store:
        forms = load_forms()
        for form_id in ("vcare", "infogroen", "infinitcare-almere"):
            spec = forms.get(form_id)
            aid = store.record_agreement(spec, example_answers(spec), docx, pdf)
            if form_id != "infinitcare-almere":
                store.set_status(aid, SIGNED, date(2026, 1, 5))


def test_register_datalek_kaart_lists_signed_agreements_only(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _register_with_two_signed(tmp_path)
    card = tmp_path / "kaart.pdf"
    assert main(["register", "datalek-kaart", str(card)]) == 0
    pages, text = _pdf_text(card)
    text = " ".join(text.split())
    assert pages == 1
    assert "Vcareconnect B.V." in text and "privacy@vcareconnect.nl" in text
    assert "binnen 48 uur" in text and "artikel 9.1" in text
    assert "Infogroen Software B.V." in text and "U meldt binnen 24 uur" in text
    assert "InfinitCare" not in text  # still a concept


def test_review_pdf_and_card_in_a_fresh_process(tmp_path: Path) -> None:
    """As a user runs them: no other PDF has registered the fonts before these build their pages."""
    _register_with_two_signed(tmp_path)
    review, card = tmp_path / "review.pdf", tmp_path / "kaart.pdf"
    for argv in (["review", "vcare", "--answers", str(_answers_file(tmp_path, "vcare")), "--pdf", str(review)],
                 ["register", "datalek-kaart", str(card)]):
        done = subprocess.run([sys.executable, "-m", "dpa_desktop", *argv], capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr
    assert "Melding van datalekken" in " ".join(_pdf_text(review)[1].split())
    assert "Vcareconnect B.V." in _pdf_text(card)[1]
