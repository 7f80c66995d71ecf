"""A list may use the square bullet Word prints in InfinitCare's annexes."""

from __future__ import annotations

from pathlib import Path

import yaml

from dpa_desktop.answers import Answers
from dpa_desktop.assemble import build_document
from dpa_desktop.forms.loader import load_form

_FORM = {
    "id": "blokjes",
    "version": "1",
    "description": "Proef.",
    "user_role": "controller",
    "audience": ["zorgaanbieder"],
    "processor": {"name": "Proef B.V.", "short_name": "Proef"},
    "document": {"title": "Proef", "filename": "Proef"},
    "questions": [],
    # Key terms are not what these tests are about: none regulated.
    "key_terms": {
        "breach_notification": {"deadline": "not_regulated"},
        "subprocessor_consent": {"model": "not_regulated"},
        "data_location": {"region": "not_regulated"},
        "audit": {"model": "not_regulated"},
        "liability": {"model": "not_regulated"},
    },
    "example": {"values": {}},
    "body": [{"list": ["wat de oorzaak is;", "wat het gevolg is;"], "style": "▪"}],
}


def test_square_bullets_label_every_item_alike(tmp_path: Path) -> None:
    path = tmp_path / "blokjes.yaml"
    path.write_text(yaml.safe_dump(_FORM, allow_unicode=True), encoding="utf-8")
    lines = build_document(load_form(path), Answers(form_id="blokjes", values={})).texts()
    assert "▪ wat de oorzaak is;" in lines
    assert "▪ wat het gevolg is;" in lines
