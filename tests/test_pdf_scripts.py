"""The PDF prints what the DOCX holds: Hebrew and Arabic shaped and right to left, a running
header that wraps within the margins and prints every script, names of 300 characters."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from doctext import assert_same_text, docx_paragraphs, pdf_chars, pdf_drawn_lines, repeated_lines, undo_shaping
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dpa_desktop import document as d
from dpa_desktop.answers import Answers, example_answers
from dpa_desktop.fill import fill
from dpa_desktop.forms.loader import load_forms
from dpa_desktop.render import scripts
from dpa_desktop.render.pdf import MARGIN_L, MARGIN_R, PAGE_W, render_pdf

VCARE = load_forms().get("vcare")
AL_AMAL = "Huisartsenpraktijk Al-Amal / عيادة الأمل"
COOPERATIVE = ("Coöperatieve Vereniging van Huisartsen, Praktijkondersteuners en Apothekers in de Regio "
               "Zuidoost-Brabant, De Kempen en het Land van Cuijk voor Samenwerking in de Eerstelijnszorg, "
               "Ketenzorg, Dienstverlening, Onderwijs, Onderzoek en Innovatie ten Behoeve van Patiënten en "
               "Zorgverleners in Nederland U.A.")[:300]


def _vcare(tmp_path: Path, name: str) -> object:
    base = example_answers(VCARE)
    answers = Answers(form_id="vcare", values={**base.values, "organisatie_naam": name}, services=base.services,
                      retention=base.retention)
    return fill(VCARE, answers, tmp_path)


def _header_chars(pdf: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """The running header's characters per page: 8.5 pt, above the body."""
    return [[c for c in page if abs(c[4] - 8.5) < 0.01 and c[3] > 700] for page in pdf_chars(pdf)]


def test_the_header_of_a_300_character_name_wraps_within_the_margins(tmp_path: Path) -> None:
    assert len(COOPERATIVE) == 300
    result = _vcare(tmp_path, COOPERATIVE)
    pages = _header_chars(result.pdf)
    assert len(pages) > 5
    for chars in pages:
        assert min(c[1] for c in chars) >= MARGIN_L - 0.5
        assert max(c[2] for c in chars) <= PAGE_W - MARGIN_R + 0.5
        baselines = sorted({round(c[3], 1) for c in chars})
        assert len(baselines) >= 3  # three lines of header
        text = "".join(c[0] for c in sorted(chars, key=lambda c: (-c[3], c[1])))
        assert "".join(text.split()) == "".join(result.document.header.split())
    # ... and the body starts below the header's rule, on every page.
    for page in pdf_chars(result.pdf):
        header_bottom = min(c[3] for c in page if abs(c[4] - 8.5) < 0.01 and c[3] > 700)
        body_top = max(c[3] for c in page if abs(c[4] - 8.5) >= 0.01)
        assert body_top < header_bottom - 12


def test_the_header_prints_arabic_joined_and_right_to_left(tmp_path: Path) -> None:
    result = _vcare(tmp_path, AL_AMAL)
    header = result.document.header
    for chars in _header_chars(result.pdf):
        drawn = undo_shaping("".join(c[0] for c in chars))
        assert drawn == scripts.visual(list(header), scripts.levels(header)).replace("\u00a0", " ")
        assert any("\ufe70" <= c[0] <= "\ufefc" for c in chars)  # joined (contextual) forms


def test_arabic_in_the_body_is_joined_and_in_display_order(tmp_path: Path) -> None:
    result = _vcare(tmp_path, AL_AMAL)
    drawn = pdf_drawn_lines(result.pdf)
    shaped = [line for line in drawn if any("\ufe70" <= ch <= "\ufefc" for ch in line)]
    assert shaped, "no joined Arabic forms in the PDF"
    assert_same_text([p for p in docx_paragraphs(result.docx) if p.strip()], drawn,
                     repeated_lines(result.document))


@pytest.mark.parametrize("text, drawn", [
    ("Praktijk שלום עולם 24 (Amsterdam).", "Praktijk 24 םלוע םולש (Amsterdam)."),
    ("Praktijk שלום (עולם) abc", "Praktijk (םלוע) םולש abc"),
    ("a (שלום) b", "a (םולש) b"),
])
def test_hebrew_runs_are_reversed_with_numbers_and_brackets_as_the_bidi_algorithm_says(text: str,
                                                                                       drawn: str) -> None:
    assert scripts.visual(list(text), scripts.levels(text)) == drawn


@given(st.text(st.sampled_from(list("abc שלום עולם 12 ٣٤ عيادة ().,-"))))
@settings(max_examples=300, deadline=None)
def test_display_order_agrees_with_python_bidi(text: str) -> None:
    """scripts.visual with python-bidi's levels gives the order python-bidi's get_display gives
    (which leaves brackets unmirrored and marks before their letters: compare without those)."""
    from bidi import get_display

    mine = scripts.visual(list(text), scripts.levels(text))
    theirs = str(get_display(text, base_dir="L"))
    assert mine.translate(str.maketrans("()", "..")) == theirs.translate(str.maketrans("()", ".."))


def _width(piece: str) -> float:
    from dpa_desktop.render import fonts

    return fonts.width(piece, 10)


GLUED_WORDS = ["Praktijk", "00000", "(24)", "B.V.", "x" * 40, "עיאדה", "שָׁלוֹם", "عيادة", "الأمل", "ع" * 45, "٣٤",
               "◠↉", "ש"]


@given(words=st.lists(st.sampled_from(GLUED_WORDS), min_size=1, max_size=12),
       joins=st.lists(st.sampled_from(["", " "]), min_size=12, max_size=12),
       limit=st.floats(min_value=60, max_value=400), lead=st.sampled_from([0.0, 20.0, 200.0]),
       tail=st.sampled_from([0.0, 20.0, 200.0]))
@settings(max_examples=300, deadline=None)
def test_no_stretch_a_line_cannot_break_in_holds_right_to_left_text_wider_than_the_line(
        words: list[str], joins: list[str], limit: float, lead: float, tail: float) -> None:
    """A right-to-left piece and the text glued to it (no space between, also from the spans
    around it) fit one line, so the paragraph never cuts a piece between letters: a line
    that did would print the run's first letters on the later line."""
    text = "".join(w + j for w, j in zip(words, joins, strict=False)).strip()
    shown = scripts.display(text, _width, limit, lead=lead, tail=tail)
    stretches = "".join(ch if not scripts.breaks(ch) else "\n" for ch in shown).split("\n")
    for index, stretch in enumerate(stretches):
        if not scripts.needs_bidi(stretch):
            continue
        width = _width(stretch) + (lead if index == 0 else 0.0) + (tail if index == len(stretches) - 1 else 0.0)
        assert width <= limit + 1e-6, (stretch, width, limit)


def test_a_run_glued_to_text_wider_than_the_line_is_set_apart_by_a_space() -> None:
    assert scripts.display("x" * 40 + "שלום", _width, 120) == "x" * 40 + " םולש"
    assert scripts.display("שלום" + "x" * 40, _width, 120) == "םולש " + "x" * 40
    assert scripts.display("Praktijk-שלום", _width, 120) == "Praktijk-םולש"


def test_a_name_glued_to_bold_text_keeps_its_first_letter_on_its_line(tmp_path: Path) -> None:
    """Bold digits glued to a Hebrew name, together wider than the line: the name's first
    word is not left behind on a line of its own."""
    name = "שלום " + "ע" * 40
    document = d.Document(title="T", subject="S", author="A", header="", blocks=(
        d.Paragraph((d.Span("0" * 60, bold=True), d.Span(name))),))
    pdf = tmp_path / "a.pdf"
    with pdf.open("wb") as out:
        render_pdf(document, out)
    # Each line is drawn in display order: its Hebrew read right to left, line after line,
    # gives the name back.
    read = "".join("".join(ch for ch in reversed(line) if scripts.is_hebrew(ch)) for line in pdf_drawn_lines(pdf))
    assert read == name.replace(" ", "")


def test_a_long_arabic_name_wraps_in_reading_order_on_every_line(tmp_path: Path) -> None:
    words = ["عيادة", "الأمل", "للرعاية", "الصحية", "الأولية", "في", "أمستردام", "الجنوبية", "والشرقية"] * 4
    name = " ".join(words)
    document = d.Document(title="T", subject="S", author="A", header="", blocks=(
        d.Paragraph(d.plain(f"Praktijk {name} te Amsterdam")),
        d.Table(("Naam", "Waarde"), (("Organisatie", name),), (1, 1))))
    pdf = tmp_path / "a.pdf"
    with pdf.open("wb") as out:
        render_pdf(document, out)
    drawn = [undo_shaping(line) for line in pdf_drawn_lines(pdf)]
    arabic_lines = [line for line in drawn if any(scripts.is_arabic(ch) for ch in line)]
    assert len(arabic_lines) >= 4
    # Read right to left, line by line, top to bottom, the words come back in their order.
    read = []
    for line in arabic_lines:
        read += [w[::-1] for w in reversed(line.split()) if any(scripts.is_arabic(ch) for ch in w)]
    assert read == words + words


def test_fill_with_every_script_the_rule_accepts_prints_them_all(tmp_path: Path) -> None:
    name = "Praktijk Ελληνική Клиника Կլինիկա კლინიკა מרפאה عيادة Ærø İstanbul ßŒ ₫ → ≤"
    result = _vcare(tmp_path, name)
    assert any(name in p for p in docx_paragraphs(result.docx))
    assert_same_text([p for p in docx_paragraphs(result.docx) if p.strip()], pdf_drawn_lines(result.pdf),
                     repeated_lines(result.document))


# ----------------------------------------------------------------------------- the CLI over all of Unicode


def _fill_cli(tmp_path: Path, name: str) -> tuple[int, str, Path]:
    from dpa_desktop.cli import main

    data = example_answers(VCARE).to_json()
    data["values"]["organisatie_naam"] = name
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(data, ensure_ascii=True), encoding="utf-8")
    out = tmp_path / "uit"
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["fill", "vcare", "--answers", str(answers), "--out", str(out)])
    return code, err.getvalue(), out


@pytest.mark.slow
@given(st.text(min_size=1, max_size=80))
@settings(max_examples=25, deadline=None)
def test_fill_never_ends_in_a_traceback_and_prints_what_it_accepts_exactly(name: str) -> None:
    import tempfile

    from dpa_desktop.answers import validate_value

    with tempfile.TemporaryDirectory() as tmp:
        code, err, out = _fill_cli(Path(tmp), name)
        try:
            accepted = validate_value(VCARE.question("organisatie_naam"), name)
        except ValueError as exc:
            assert code == 2
            assert f"Organisatienaam (zoals bij de KvK): {exc}" in err
            return
        assert code == 0, err
        (docx,) = out.glob("*.docx")
        (pdf,) = out.glob("*.pdf")
        paragraphs = [p for p in docx_paragraphs(docx) if p.strip()]
        assert isinstance(accepted, str)
        assert any(accepted in p for p in paragraphs)
        document = fill(VCARE, Answers.loads(json.dumps({**example_answers(VCARE).to_json(),
                                                         "values": {**example_answers(VCARE).values,
                                                                    "organisatie_naam": name}})),
                        Path(tmp) / "again").document
        assert_same_text(paragraphs, pdf_drawn_lines(pdf), repeated_lines(document))


def test_fill_with_a_bidi_override_exits_2_naming_the_field(tmp_path: Path) -> None:
    data = example_answers(VCARE).to_json()
    data["values"]["organisatie_naam"] = "Praktijk \u202eDe Linde"
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(data), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "dpa_desktop", "fill", "vcare", "--answers", str(answers),
                             "--out", str(tmp_path / "uit")], capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 2
    assert ("Organisatienaam (zoals bij de KvK): bevat een onzichtbaar teken dat de schrijfrichting omdraait "
            "(U+202E RIGHT-TO-LEFT OVERRIDE)") in result.stderr
    assert not (tmp_path / "uit").exists()


def test_no_character_below_hebrew_is_laid_out_right_to_left() -> None:
    # needs_bidi looks only at characters from U+0590 up; this holds for the Unicode data
    # of the Python that runs it.
    import unicodedata

    assert not [hex(c) for c in range(0x590) if unicodedata.bidirectional(chr(c)) in scripts.RTL_CLASSES]


@given(st.text(max_size=40))
@example(AL_AMAL)
@example("שלום 2026")
@example("Coöperatie ‘De Linde’ – 5 × per jaar")
def test_needs_bidi_is_true_exactly_when_a_character_is_right_to_left_or_an_arabic_number(text: str) -> None:
    import unicodedata

    expected = any(unicodedata.bidirectional(ch) in ("R", "AL", "AN") for ch in text)
    assert scripts.needs_bidi(text) is expected
