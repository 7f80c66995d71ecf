"""Kept line breaks give what reportlab computes: the same lines, the same PDF bytes."""

from __future__ import annotations

import marshal
import re
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText

from dpa_desktop import cache_files, paths
from dpa_desktop.answers import example_answers
from dpa_desktop.assemble import build_document
from dpa_desktop.document import Document
from dpa_desktop.forms.loader import load_forms
from dpa_desktop.render import fonts, line_cache, pdf
from tests.shipped import FORM_IDS

_STYLES = pdf._styles()
_NUMBERED = {
    level: ParagraphStyle(f"num{level}", parent=_STYLES["body"], leftIndent=pdf.INDENT[level],
                              bulletIndent=0.0 if level == 1 else pdf.INDENT[level - 1],
                              bulletFontName=fonts.BODY, bulletFontSize=pdf.BODY_SIZE)
    for level in (1, 2, 3)
}
fonts.register(fonts.BODY, fonts.BOLD)

# Words as contracts have them: long Dutch compounds (hyphenated in cells),
# short ones, numbers, and now and then a word longer than any line.
WORD = st.one_of(
    st.sampled_from(["gezondheidsinformatie", "verwerkersovereenkomst", "de", "en", "Verwerker", "artikel",
                     "beveiligingsmaatregelen", "14.5", "Opdrachtgever", "subverwerkers", "huisartsenpraktijk"]),
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E, blacklist_characters="<&>"), min_size=1,
            max_size=60),
    st.text(st.sampled_from("aeëioubcdfghklmnprstvwz"), min_size=1, max_size=30),
)
TEXT = st.lists(WORD, min_size=1, max_size=40).map(" ".join)
STYLE = st.sampled_from(["body", "body_left", "cell", "h1", "num1", "num2", "num3"])


def _style(name: str) -> Any:
    return _NUMBERED[int(name[3])] if name.startswith("num") else _STYLES[name]


def _paragraph(text: str, style_name: str) -> Any:
    bullet = {"num1": "1.2", "num2": "a)", "num3": "-"}.get(style_name)
    return pdf.para(fonts.markup(text), _style(style_name), bullet)


def _state(para: Any, result: Any, widths: list[float]) -> dict[str, Any]:
    """All a line break leaves behind, word types included."""
    lines = [(extra, [(type(w), str(w)) for w in words]) for extra, words in result.lines]
    attributes = {key: value for key, value in vars(result).items() if key != "lines"}
    return {"lines": lines, "attributes": attributes, "widths": widths, "width_max": para._width_max,
            "hyphenations": para._hyphenations, "split": para._splitLongWordCount, "height": para.height}


@settings(max_examples=300, deadline=None)
@given(text=TEXT, style=STYLE, width=st.floats(min_value=25.0, max_value=460.0))
@example(text="de gezondheidsinformatie van beveiligingsmaatregelen", style="cell", width=82.0)  # hyphenated
@example(text="x" * 80 + " kort", style="body", width=60.0)  # a word longer than the line
@example(text="Vcare verwerkt de gegevens", style="num2", width=120.0)  # a bullet
def test_a_kept_line_break_is_what_reportlab_computes(text: str, style: str, width: float) -> None:
    computed = _paragraph(text, style)
    widths = [width - 12.0, width]
    result = Paragraph.breakLines(computed, widths)
    entry = line_cache._entry(computed, result)
    if entry is None:  # a kind not kept (soft hyphens, markup): nothing to restore
        return
    entry = marshal.loads(marshal.dumps(entry))  # as a later process reads it
    restored = _paragraph(text, style)
    restored_widths = [width - 12.0, width]
    again = line_cache._restore(restored, restored_widths, entry)
    assert _state(restored, again, restored_widths) == _state(computed, result, widths)


@settings(max_examples=150, deadline=None)
@given(text=TEXT, first=st.tuples(STYLE, st.floats(min_value=25.0, max_value=460.0)),
       second=st.tuples(STYLE, st.floats(min_value=25.0, max_value=460.0)))
def test_the_same_text_in_another_style_or_width_is_never_served_from_the_first(
    text: str, first: tuple[str, float], second: tuple[str, float]
) -> None:
    with line_cache.keeping(()):
        _break_twice(text, first, second)


def _break_twice(text: str, first: tuple[str, float], second: tuple[str, float]) -> None:
    for style, width in (first, second):
        through_cache = _paragraph(text, style)
        widths = [width - 12.0, width]
        cached = line_cache.break_lines(through_cache, widths,
                                        lambda w, p=through_cache: Paragraph.breakLines(p, w))
        direct = _paragraph(text, style)
        direct_widths = [width - 12.0, width]
        expected = Paragraph.breakLines(direct, direct_widths)
        assert _state(through_cache, cached, widths) == _state(direct, expected, direct_widths)


def _example(form_id: str) -> Document:
    spec = load_forms().get(form_id)
    return build_document(spec, example_answers(spec))


def _forget_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a new process starts: nothing read yet."""
    monkeypatch.setattr(line_cache, "_path", None)
    monkeypatch.setattr(line_cache, "_entries", {})


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_a_pdf_from_kept_lines_has_the_bytes_of_one_broken_afresh(
    form_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = _example(form_id)
    _forget_in_memory(monkeypatch)
    pdf.render_pdf(doc, tmp_path / "cold.pdf")  # breaks every line, writes the file
    assert line_cache._file().is_file()
    _forget_in_memory(monkeypatch)
    hits: list[int] = []
    restore = line_cache._restore
    monkeypatch.setattr(line_cache, "_restore", lambda *a: hits.append(1) or restore(*a))
    pdf.render_pdf(doc, tmp_path / "warm.pdf")  # reads the file: lines restored, not broken
    assert len(hits) > 50
    monkeypatch.setattr(pdf._Para, "breakLines", Paragraph.breakLines)  # reportlab's own
    pdf.render_pdf(doc, tmp_path / "own.pdf")
    cold, warm, own = ((tmp_path / f"{n}.pdf").read_bytes() for n in ("cold", "warm", "own"))
    assert cold == warm == own


def test_a_second_fill_breaks_again_only_markup_split_halves_and_typed_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = _example("vcare")
    _forget_in_memory(monkeypatch)
    pdf.render_pdf(doc, tmp_path / "a.pdf")
    _forget_in_memory(monkeypatch)
    broken: list[Any] = []
    own = Paragraph.breakLines
    monkeypatch.setattr(Paragraph, "breakLines", lambda self, w: broken.append(self) or own(self, w))
    pdf.render_pdf(doc, tmp_path / "b.pdf")
    refusal = line_cache._refusal(doc.private)
    assert refusal is not None
    typed = [p for p in broken if len(p.frags) == 1 and hasattr(p.frags[0], "text")]
    assert 0 < len(typed) < len(broken) < 40  # of 335
    for para in typed:
        assert refusal(para.frags[0].text), para.frags[0].text


def test_a_damaged_file_is_a_miss_and_is_written_anew(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _example("vcare")
    _forget_in_memory(monkeypatch)
    pdf.render_pdf(doc, tmp_path / "good.pdf")
    path = line_cache._file()
    for damage in (b"\x00not zlib", zlib.compress(b"\x00not marshal"), zlib.compress(marshal.dumps([1, 2])),
                   zlib.compress(marshal.dumps({("k",): (1, 2)})), marshal.dumps({("k",): (1.0, 0, 0, ())}),
                   zlib.compress(marshal.dumps({("k",): (1.0, 0, 0, (("x", ()),))}))):
        path.write_bytes(damage)
        _forget_in_memory(monkeypatch)
        pdf.render_pdf(doc, tmp_path / "again.pdf")
        assert (tmp_path / "again.pdf").read_bytes() == (tmp_path / "good.pdf").read_bytes()
        assert line_cache._valid(cache_files.read_marshal(path, compressed=True))


def test_an_entry_that_cannot_be_restored_is_broken_afresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _example("vcare")
    _forget_in_memory(monkeypatch)
    pdf.render_pdf(doc, tmp_path / "good.pdf")
    path = line_cache._file()
    odd = {key: (entry[0], entry[1], entry[2], ((1.0, ((99, "x"),)),))  # a word type that does not exist
           for key, entry in cache_files.read_marshal(path, compressed=True).items()}
    path.write_bytes(zlib.compress(marshal.dumps(odd)))
    _forget_in_memory(monkeypatch)
    pdf.render_pdf(doc, tmp_path / "odd.pdf")
    assert (tmp_path / "odd.pdf").read_bytes() == (tmp_path / "good.pdf").read_bytes()


def test_an_unwritable_cache_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setattr(paths, "cache_dir", lambda: blocker / "cache")
    _forget_in_memory(monkeypatch)
    pdf.render_pdf(_example("vcare"), tmp_path / "a.pdf")
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")


def test_the_file_keeps_the_most_recently_used_lines_within_its_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(line_cache, "MAX_ENTRIES", 40)
    _forget_in_memory(monkeypatch)
    pdf.render_pdf(_example("infogroen"), tmp_path / "first.pdf")
    used: list[Any] = []
    key = line_cache._key
    monkeypatch.setattr(line_cache, "_key", lambda *a: used.append(key(*a)) or used[-1])
    pdf.render_pdf(_example("vcare"), tmp_path / "second.pdf")
    kept = cache_files.read_marshal(line_cache._file(), compressed=True)
    assert len(kept) == 40
    assert set(kept) <= set(used)
    assert list(kept)[-1] == [k for k in used if k in kept][-1]


def _kept_text() -> str:
    """Every string in the cache file: the paragraphs' texts and their words."""
    out: list[str] = []
    for key, entry in cache_files.read_marshal(line_cache._file(), compressed=True).items():
        out.append(key[0])
        out.extend(w if isinstance(w, str) else w[1] for _, words in entry[3] for w in words)
    return "\n".join(out)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_no_word_a_person_typed_is_kept(form_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _example(form_id)
    assert len(doc.private) >= 5  # the example's name, address, contacts, dates
    _forget_in_memory(monkeypatch)
    pdf.render_pdf(doc, tmp_path / "a.pdf")
    kept = _kept_text()
    assert len(kept) > 1000  # the form's own text is kept
    for value in doc.private:
        for word in re.findall(r"\w{3,}", value):
            assert not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", kept, re.IGNORECASE), (word, value)


def test_pdfs_other_than_the_agreement_keep_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _forget_in_memory(monkeypatch)
    para = _paragraph("Meld een datalek bij Jansen via 06 12345678", "body")
    computed: list[int] = []
    line_cache.break_lines(para, [200.0, 200.0], lambda w: computed.append(1) or Paragraph.breakLines(para, w))
    assert computed == [1] and line_cache._entries == {}


VALUE = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")), min_size=1, max_size=40).filter(
    lambda v: v.strip() != "")


@settings(max_examples=300, deadline=None)
@given(value=VALUE, before=st.sampled_from(["", "Opdrachtgever: ", "De heer ", "("]),
       after=st.sampled_from(["", ", gevestigd te Utrecht.", ")", " en Vcare"]))
def test_a_paragraph_with_typed_text_is_refused_however_its_spaces_were_folded(
    value: str, before: str, after: str
) -> None:
    refusal = line_cache._refusal([value])
    assert refusal is not None
    for line in value.splitlines() or [value]:
        if not line.split():
            continue
        for shown in (line, " ".join(line.split()), cleanBlockQuotedText(line)):
            if shown.strip():
                assert refusal(f"{before}{shown}{after}"), (shown, value)
                if len(" ".join(line.split())) >= 4:  # a template may put it against a letter
                    assert refusal(f"x{shown}s"), (shown, value)


def test_short_words_alone_do_not_refuse_the_contract() -> None:
    refusal = line_cache._refusal(["De Linde", "12"])
    assert refusal is not None
    assert not refusal("De Verwerker verwerkt de gegevens binnen 120 dagen.")
    assert refusal("Huisartsenpraktijk De Linde te Utrecht")
    assert refusal("de LINDE")
    assert refusal("binnen 12 dagen")  # the value itself, whole
    assert refusal("De Lindes dokters")  # a long value, against a letter
    mail = line_cache._refusal(["info@praktijk.nl"])
    assert mail is not None
    assert not mail("Gezondheidsinformatie")
    assert mail("mail info, of bel")


def _reference(private: list[str]) -> re.Pattern[str] | None:
    """The refusal's rule as one regular expression: slower, plainly right.
    Case-sensitive: the document shows typed text as it was typed (the
    refusal also ignores case, which Unicode makes hard to state as a regex)."""
    whole, words = set(), set()
    for value in private:
        for line in value.splitlines():
            if line.split():
                pattern = r"\s+".join(map(re.escape, line.split()))
                (whole if len(" ".join(line.split())) >= 4 else words).add(pattern)
        words.update(re.escape(word) for word in re.findall(r"\w{3,}", value))
    parts = [f"(?:{'|'.join(whole)})"] if whole else []
    if words:
        parts.append(rf"(?<!\w)(?:{'|'.join(words)})(?!\w)")
    return re.compile("|".join(parts)) if parts else None


@settings(max_examples=300, deadline=None)
@given(private=st.lists(VALUE, min_size=1, max_size=4), data=st.data())
def test_the_refusal_finds_at_least_what_its_rule_as_a_regular_expression_finds(
    private: list[str], data: st.DataObject
) -> None:
    piece = st.one_of(st.sampled_from(private), VALUE,
                      st.sampled_from(["Opdrachtgever", " ", "  ", "\n", "de", "Linde", "info", "12", "s", "."]))
    text = "".join(data.draw(st.lists(piece, max_size=6)))
    reference = _reference(private)
    refusal = line_cache._refusal(private)
    assert (reference is None) == (refusal is None)
    if reference is not None and refusal is not None and reference.search(text):
        assert refusal(text), (private, text)
