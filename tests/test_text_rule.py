"""The one rule for every text answer (text.py, forms/README.md "Text answers"), over all of Unicode."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dpa_desktop.answers import validate_value
from dpa_desktop.forms import model as m
from dpa_desktop.render import scripts
from dpa_desktop.text import BIDI_CONTROLS, answer, clean, has_forbidden

NAME = m.Question(id="organisatie_naam", label="Organisatienaam", page="partij", max_length=300)
NOTES = m.Question(id="toelichting", type="multiline", label="Toelichting", page="partij", required=False,
                   max_length=2000)

REASONS = ("bevat een onzichtbaar teken dat de schrijfrichting omdraait (", "bevat een onzichtbaar opmaakteken (",
           "bevat een teken dat geen letter, cijfer of leesteken is (", "bevat geen zichtbare tekens",
           "emoji kunnen niet in de overeenkomst worden afgedrukt: ",
           "deze tekens kunnen niet in de overeenkomst worden afgedrukt: ")

any_text = st.text(st.characters(codec=None, categories=None), max_size=60)


@given(any_text)
@settings(max_examples=400, deadline=None)
@example("Huisartsenpraktijk Al-Amal / عيادة الأمل")
@example("a\u202eb")
@example("\u200b")
@example("Praktijk\x00Nul")
def test_every_text_is_either_accepted_normalised_or_refused_with_a_dutch_reason(raw: str) -> None:
    for question in (NAME, NOTES):
        try:
            value = validate_value(question, raw)
        except ValueError as exc:
            message = str(exc)
            assert message.startswith(REASONS) or message in ("dit veld is verplicht",) \
                or message.startswith("te lang"), message
            continue
        if value is None:
            assert not clean(raw, multiline=question.type == "multiline")
            continue
        assert isinstance(value, str)
        # Normalised: NFC, trimmed, no runs of white space, no control characters.
        assert unicodedata.is_normalized("NFC", value)
        assert value == value.strip()
        for line in value.split("\n"):
            assert line == " ".join(line.split())
        assert not has_forbidden(value)
        assert question.type == "multiline" or "\n" not in value
        # Refused: bidi controls, invisible format characters, unassigned and private code points, emoji,
        # what the PDF cannot print; and a value must show something.
        for ch in value:
            category = unicodedata.category(ch)
            assert ch not in BIDI_CONTROLS
            assert category not in ("Cc", "Cn", "Co", "Cs") or ch == "\n"
            assert category != "Cf" or ch in "\u200c\u200d"
            assert not scripts.is_emoji(ch)
            assert ch == "\n" or scripts.printable(ch), ch
        assert any(unicodedata.category(ch)[0] in "LNPS" for ch in value)
        # The rule is idempotent: what it gives back, it accepts unchanged.
        assert validate_value(question, value) == value


@pytest.mark.parametrize("raw, reason", [
    ("Praktijk \u202eDe Linde", "bevat een onzichtbaar teken dat de schrijfrichting omdraait "
                                "(U+202E RIGHT-TO-LEFT OVERRIDE)"),
    ("\u2067Praktijk\u2069", "bevat een onzichtbaar teken dat de schrijfrichting omdraait "
                             "(U+2067 RIGHT-TO-LEFT ISOLATE, U+2069 POP DIRECTIONAL ISOLATE)"),
    ("\u200b", "bevat een onzichtbaar opmaakteken (U+200B ZERO WIDTH SPACE)"),
    ("De\u00adLinde", "bevat een onzichtbaar opmaakteken (U+00AD SOFT HYPHEN)"),
    ("Praktijk \u0378", "bevat een teken dat geen letter, cijfer of leesteken is (U+0378)"),
    ("Praktijk \ue000", "bevat een teken dat geen letter, cijfer of leesteken is (U+E000)"),
    ("\u200d\u200c", "bevat geen zichtbare tekens"),
    ("Praktijk 😀", "emoji kunnen niet in de overeenkomst worden afgedrukt: 😀 (U+1F600)"),
    ("Praktijk ☕", "emoji kunnen niet in de overeenkomst worden afgedrukt: ☕ (U+2615)"),
    ("Praktijk ❤\ufe0f", "emoji kunnen niet in de overeenkomst worden afgedrukt: \ufe0f (U+FE0F)"),
    ("诊所 De Linde", "deze tekens kunnen niet in de overeenkomst worden afgedrukt: 诊 (U+8BCA), 所 (U+6240)"),
    ("병원", "deze tekens kunnen niet in de overeenkomst worden afgedrukt: 병 (U+BCD1), 원 (U+C6D0)"),
    ("क्लिनिक", "deze tekens kunnen niet in de overeenkomst worden afgedrukt: क (U+0915)"),
    ("ߒߞߏ", "deze tekens kunnen niet in de overeenkomst worden afgedrukt: ߒ (U+07D2)"),
])
def test_what_is_refused_is_named_by_the_characters(raw: str, reason: str) -> None:
    with pytest.raises(ValueError) as info:
        validate_value(NAME, raw)
    assert str(info.value).startswith(reason)


@pytest.mark.parametrize("raw, kept", [
    ("Huisartsenpraktijk\x00Nul", "Huisartsenpraktijk Nul"),  # a control character keeps words apart
    ("Praktijk\tDe  Linde\u00a0B.V. ", "Praktijk De Linde B.V."),
    ("Cafe\u0301", "Café"),  # NFC
    ("ﻋﻴﺎﺩﺓ ﺍﻷﻣﻞ", "عيادة الأمل"),  # presentation forms from an old PDF: the letters they stand for
    ("Huisartsenpraktijk Al-Amal / عيادة الأمل", "Huisartsenpraktijk Al-Amal / عيادة الأمل"),
    ("מרפאת שלום בע\"מ", "מרפאת שלום בע\"מ"),
    ("Ελληνική Κλινική, Клиника «Здоровье», Կլինիկա, კლინიკა",) * 2,
    ("می\u200cخواهم", "می\u200cخواهم"),  # Persian: the non-joiner is part of the word
    ("KM1 **NIET** KM2 & <b>", "KM1 **NIET** KM2 & <b>"),
    ("q\u0307\u0323", "q\u0323\u0307"),  # NFC puts the accents in canonical order
])
def test_what_is_kept_and_how_it_is_normalised(raw: str, kept: str) -> None:
    assert validate_value(NAME, raw) == kept


def test_line_breaks_in_a_multiline_answer_are_kept_and_joined_in_a_single_line_one() -> None:
    assert answer("eerste\r\n  tweede \rderde", multiline=True) == "eerste\ntweede\nderde"
    assert answer("eerste\r\n  tweede", multiline=False) == "eerste tweede"


def test_every_character_the_rule_accepts_is_in_a_shipped_font() -> None:
    from dpa_desktop.render import fonts

    for code in range(0x20, 0x3000):
        ch = chr(code)
        if scripts.printable(ch) and ch not in "\n\u200c\u200d":
            assert fonts.font_for(ch) is not None, hex(code)
