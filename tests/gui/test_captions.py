"""Question labels as captions in the wizard and dialogs."""

from __future__ import annotations

import pytest

from dpa_desktop.gui.fields import caption_text

pytestmark = pytest.mark.gui


def test_a_question_label_gets_one_colon_and_none_after_a_question_mark() -> None:
    assert caption_text("KvK-nummer") == "KvK-nummer:"
    assert caption_text("Wat moet Vcare bij het einde doen?") == "Wat moet Vcare bij het einde doen?"
    assert caption_text("Adres:") == "Adres:"
