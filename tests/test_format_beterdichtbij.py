"""List labels keep the punctuation the source prints around the counter."""

from __future__ import annotations

from pathlib import Path

import yaml

from dpa_desktop.answers import Answers
from dpa_desktop.assemble import build_document
from dpa_desktop.forms.loader import load_form

_FORM = {
    "id": "stijlen",
    "version": "1",
    "description": "Proef.",
    "user_role": "controller",
    "audience": ["huisartsenpraktijk"],
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
    "body": [
        {"list": ["eerste", "tweede"], "style": "(a)"},
        {"heading": "Artikel 3. Uitvoering"},
        {"clause": "Verwerker verwerkt alleen voor zover:", "items": ["noodzakelijk", "opgedragen"],
         "item_style": "a.)"},
    ],
}


def test_parenthesised_and_dotted_labels_print_as_in_the_source(tmp_path: Path) -> None:
    path = tmp_path / "stijlen.yaml"
    path.write_text(yaml.safe_dump(_FORM, allow_unicode=True), encoding="utf-8")
    spec = load_form(path)
    lines = build_document(spec, Answers(form_id="stijlen", values={})).texts()
    assert "(a) eerste" in lines
    assert "(b) tweede" in lines
    assert "a.) noodzakelijk" in lines
    assert "b.) opgedragen" in lines
