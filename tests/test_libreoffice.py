"""LibreOffice opens every generated DOCX without repair and lays it out like our PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from seedtools import in_order_ratio, pdf_text, tokens
from shipped import FORM_IDS, filled

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [pytest.mark.soffice,
              pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")]


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("lo")
    profile = tmp_path_factory.mktemp("lo-profile")
    sources = {form_id: filled(form_id).docx for form_id in FORM_IDS}
    assert SOFFICE is not None
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), *map(str, sources.values())],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stdout + result.stderr
    return {form_id: out / (src.stem + ".pdf") for form_id, src in sources.items()}


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_libreoffice_converts_the_docx_with_the_same_text(converted: dict[str, Path], form_id: str) -> None:
    lo_pdf = converted[form_id]
    assert lo_pdf.exists()
    ours = filled(form_id)
    lo_words = tokens(pdf_text(lo_pdf, ours.document.header))
    model = tokens(" ".join(ours.document.texts()))
    assert in_order_ratio(model, lo_words) >= 0.97


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_libreoffice_pages_match_ours_within_a_few(converted: dict[str, Path], form_id: str) -> None:
    ours = len(PdfReader(str(filled(form_id).pdf)).pages)
    theirs = len(PdfReader(str(converted[form_id])).pages)
    assert abs(ours - theirs) <= max(2, ours // 5)


def test_libreoffice_prints_the_rows_typed_in_the_sector_model(converted: dict[str, Path]) -> None:
    from collections import Counter

    from dpa_desktop.answers import example_answers, normalised
    from dpa_desktop.forms.loader import load_forms

    spec = load_forms().get("sectormodel")
    clean = normalised(spec, example_answers(spec))
    cells = [str(v) for rows in clean.lists.values() for row in rows for v in row.values()
             if not isinstance(v, bool)]
    assert len(clean.lists["diensten"]) == 5 and len(clean.lists["subverwerkers"]) == 3
    lo_text = pdf_text(converted["sectormodel"])
    assert "{{" not in lo_text
    # Every word typed is in LibreOffice's PDF; one it hyphenated at a line end
    # ("menu-optie" broken after "menu-") is there with its parts joined.
    missing = Counter(tokens(" ".join(cells))) - Counter(tokens(lo_text))
    squashed = re.sub(r"\W", "", lo_text.lower())
    assert sum(missing.values()) <= 5 and all(word in squashed for word in missing), missing
