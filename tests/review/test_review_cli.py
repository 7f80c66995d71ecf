"""The review and the breach card from the command line: exit codes and what they write."""

from __future__ import annotations

import json
import shutil
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
    assert "CONCLUSIE: U kunt tekenen, maar vraag Vcare eerst om onmiddellijke melding van " \
           "datalekken" in " ".join(out.split())
    assert "[AFWIJKEND] Melding van datalekken (artikel 9.1)" in out
    assert "Er staat in artikel 9.1: “… zal Vcare Opdrachtgever" in out
    assert "Wat te doen: Vraag Vcare om datalekken onmiddellijk te melden" in " ".join(out.split())
    assert "Alle eisen zijn gevonden." in out
    assert "Zo komt de conclusie tot stand: 1. 'Laat dit eerst beoordelen door uw FG'" in \
        " ".join(out.split())
    assert "geen juridisch advies" in out


def _pdf_fonts(path: Path) -> list[tuple[str, bool]]:
    """Every font a page uses, and whether the PDF carries its glyphs (a FontFile)."""
    found = []
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font
                          else font)
            descriptor = descendant.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found.append((str(font["/BaseFont"]), embedded))
    return found


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_review_pdf_has_conclusion_points_checklist_and_embedded_fonts(
        tmp_path: Path, form_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "uit" / "aandachtspunten.pdf"
    code = main(["review", form_id, "--answers", str(_answers_file(tmp_path, form_id)),
                 "--pdf", str(pdf)])
    assert code == 0
    assert pdf.read_bytes().startswith(b"%PDF-")
    pages, text = _pdf_text(pdf)
    text = " ".join(text.split())
    assert 1 <= pages <= 4
    assert "Aandachtspunten" in text and "geen juridisch advies" in text
    assert "U kunt tekenen" in text or "Laat dit eerst beoordelen" in text
    assert "Wat is het sectormodel?" in text and "Wat te doen:" in text
    assert "Er staat in" in text and "Het sectormodel (artikel" in text
    assert "Artikel 28 lid 3 AVG" in text and "Alle eisen zijn gevonden." in text
    assert "Zo komt de conclusie tot stand:" in text
    fonts = _pdf_fonts(pdf)
    assert fonts and all(embedded for _name, embedded in fonts), fonts
    assert not any("Helvetica" in name for name, _ in fonts)


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler's pdffonts is not installed")
def test_pdffonts_shows_every_font_of_the_review_embedded(tmp_path: Path) -> None:
    pdf = tmp_path / "review.pdf"
    assert main(["review", "vcare", "--answers", str(_answers_file(tmp_path, "vcare")),
                 "--pdf", str(pdf)]) == 0
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    rows = out[2:]  # after the header and its rule
    assert rows
    for row in rows:
        # name, type (two words for "Type 1"/"TrueType (CID)"), encoding, emb sub uni, object id
        emb = row.split()[-5]
        assert emb == "yes", row


def test_review_brief_writes_the_letter_with_every_request(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import docx

    brief = tmp_path / "uit" / "Vragen aan Vcare.docx"
    pdf = tmp_path / "uit" / "aandachtspunten.pdf"
    code = main(["review", "vcare", "--answers", str(_answers_file(tmp_path, "vcare")),
                 "--pdf", str(pdf), "--brief", str(brief)])
    assert code == 0
    err = capsys.readouterr().err
    assert str(brief) in err and str(pdf) in err
    text = "\n".join(p.text for p in docx.Document(str(brief)).paragraphs)
    assert text.startswith("Huisartsenpraktijk De Linde")
    assert "Vcareconnect B.V." in text and "Geachte heer, mevrouw," in text
    assert "Melding van datalekken (artikel 9.1). Wij vragen u om datalekken onmiddellijk te " \
           "melden" in text
    assert "Betrokken subverwerkers (Bijlage B). Wilt u ons laten weten in welk land E-Zorg " \
           "de gegevens verwerkt?" in text
    assert "Met vriendelijke groet," in text


def test_review_brief_to_a_folder_that_cannot_be_written_exits_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "bestand"
    blocker.write_text("x", encoding="utf-8")
    code = main(["review", "vcare", "--answers", str(_answers_file(tmp_path, "vcare")),
                 "--brief", str(blocker / "brief.docx")])
    assert code == 2
    assert "Kan " in capsys.readouterr().err


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
