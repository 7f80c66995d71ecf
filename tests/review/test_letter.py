"""'Vragen aan de verwerker': one letter that asks for every point the review raises."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from dpa_desktop.answers import Answers, example_answers
from dpa_desktop.forms.loader import load_form, load_forms
from dpa_desktop.forms.model import FormSpec
from dpa_desktop.review.letter import (
    Letter,
    build_letter,
    letter_document,
    letter_text,
    sender_from,
    write_letter_docx,
)
from dpa_desktop.review.review import build_review

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "forms"
DAY = dt.date(2026, 11, 23)
PROFILE = {"organisatie_naam": "Huisartsenpraktijk Profiel", "contact_naam": "A. de Wit",
           "contact_functie": "Praktijkmanager", "contact_email": "privacy@profiel.nl",
           "contact_telefoon": "030 123 4567"}


def _letter(form_id: str, profile: dict[str, str] | None = None) -> tuple[FormSpec, Letter]:
    spec = load_forms().get(form_id)
    answers = example_answers(spec)
    review = build_review(spec, answers)
    return spec, build_letter(review, spec, sender_from(spec, answers, profile), today=DAY)


def test_the_letter_asks_for_every_point_that_deviates_is_missing_or_unknown() -> None:
    spec = load_forms().get("vcare")
    review = build_review(spec, example_answers(spec))
    _, letter = _letter("vcare")
    asking = [p for p in review.points if p.verdict != "in_line"]
    assert [h for h, _ in letter.items] == [f"{p.title} ({p.where})" for p in asking]
    text = letter_text(letter)
    for point in asking:
        for ask in point.asks:
            assert ask.letter_sentence() in " ".join(text.split())
    assert "1. Melding van datalekken (artikel 9.1).\n" in text
    assert "Wij vragen u om datalekken onmiddellijk te melden, zoals het sectormodel vraagt " \
           "(artikel 5.2), en in elk geval binnen 24 uur na ontdekking." in text
    assert "Wilt u ons laten weten in welk land E-Zorg de gegevens verwerkt?" in text


def test_the_letter_carries_the_practices_name_and_contact() -> None:
    _, letter = _letter("vcare", PROFILE)
    text = letter_text(letter)
    lines = text.splitlines()
    # The answers win over the profile; the profile fills what the form does not ask.
    assert lines[0] == "Huisartsenpraktijk De Linde"
    assert "privacy@profiel.nl · 030 123 4567" in lines[:5]
    assert "Vcareconnect B.V." in text and "Pantheon 2, 7521 PR Enschede" in text
    assert "Enschede, 23 november 2026" in text
    assert "Onderwerp: Verwerkersovereenkomst Vcareconnect B.V.: vragen vóór ondertekening" in text
    assert text.rstrip().endswith("A. de Wit\nPraktijkmanager\nHuisartsenpraktijk De Linde")
    assert "U kunt ons bereiken per e-mail (privacy@profiel.nl) of telefonisch (030 123 4567)." \
           in text


def test_without_a_contact_person_the_signatory_signs() -> None:
    _, letter = _letter("vcare")
    assert letter.sender.person == "dr. M.J. (Marieke) Jansen"
    assert letter.sender.function == "Praktijkhouder"


def test_the_fg_of_beterdichtbijs_contacts_signs_with_her_details() -> None:
    _, letter = _letter("beterdichtbij")
    assert letter.sender.person == "M. Jansen"
    assert letter.sender.function == "Functionaris voor de gegevensbescherming"
    assert letter.sender.email == "fg@praktijkdelinde.nl"


def test_a_review_with_nothing_to_ask_gives_a_short_cover_letter() -> None:
    spec = load_form(FIXTURES / "model-zelf.yaml")
    answers = example_answers(spec)
    letter = build_letter(build_review(spec, answers), spec, sender_from(spec, answers),
                          today=DAY)
    assert letter.items == ()
    text = letter_text(letter)
    assert "Wij hebben geen vragen en geen wensen tot aanpassing." in text


def test_the_processor_writes_to_infogroen_as_processor() -> None:
    _, letter = _letter("infogroen")
    text = " ".join(letter_text(letter).split())
    assert "die u ons als verwerker hebt voorgelegd" in text
    assert "Wij vragen u om de aansprakelijkheid van de verwerker te beperken" in text
    assert "Wilt u ons laten weten wie de kosten van een controle (audit) draagt?" in text


def test_the_docx_holds_the_same_words_as_the_text(tmp_path: Path) -> None:
    _, letter = _letter("vcare", PROFILE)
    path = tmp_path / "brief.docx"
    write_letter_docx(letter, path)
    document = docx.Document(str(path))
    words = " ".join(p.text for p in document.paragraphs).split()
    assert words == " ".join(letter_document(letter).texts()).split()
    expected = letter_text(letter).replace("\n", " ").split()
    assert [w for w in words if w != "Onderwerp:"] == [w for w in expected if w != "Onderwerp:"]
    assert document.core_properties.title == letter.subject


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(min_size=1, max_size=120))
def test_any_contact_name_she_types_lands_in_the_letter(name: str) -> None:
    spec = load_forms().get("vcare")
    answers = example_answers(spec)
    review = build_review(spec, answers)
    sender = sender_from(spec, answers, {"contact_naam": name})
    text = letter_text(build_letter(review, spec, sender, today=DAY))
    if name.strip():
        assert name.strip() in text
    letter_document(build_letter(review, spec, sender, today=DAY))


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.soffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_letter(tmp_path: Path) -> None:
    _, letter = _letter("vcare", PROFILE)
    path = tmp_path / "Vragen aan Vcare.docx"
    write_letter_docx(letter, path)
    out = tmp_path / "lo"
    assert SOFFICE is not None
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), str(path)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    pdf = out / "Vragen aan Vcare.pdf"
    text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(pdf).pages).split())
    assert "Geachte heer, mevrouw," in text
    assert "Wij vragen u om datalekken onmiddellijk te melden" in text
    assert "Met vriendelijke groet," in text and "A. de Wit" in text


def test_answers_without_a_name_still_give_a_letter() -> None:
    spec = load_forms().get("vcare")
    answers = example_answers(spec)
    review = build_review(spec, answers)
    empty = Answers(form_id=spec.id, values={})
    letter = build_letter(review, spec, sender_from(spec, empty), today=DAY)
    assert letter_text(letter).rstrip().endswith("(naam)")
