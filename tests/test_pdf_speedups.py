"""The PDF speed-ups change no byte: same document, same PDF as reportlab's own path."""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path

import pyphen
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

from dpa_desktop import paths
from dpa_desktop.answers import example_answers
from dpa_desktop.assemble import build_document
from dpa_desktop.document import Document
from dpa_desktop.forms.loader import load_form_by_id
from dpa_desktop.render import fonts, hyphenation, pdf

# Plain text as the sanitiser lets it through: letters, digits, punctuation and
# symbols of any script, single spaces.
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")), max_size=80)


def _vcare() -> Document:
    spec = load_form_by_id("vcare")
    return build_document(spec, example_answers(spec))


def _pdf_bytes(doc: Document, path: Path) -> bytes:
    pdf.render_pdf(doc, path)
    return path.read_bytes()


def test_the_fast_paragraphs_and_fonts_give_the_bytes_of_reportlabs_own_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = _vcare()
    fast = _pdf_bytes(doc, tmp_path / "fast.pdf")

    # reportlab's own path: its Paragraph (parser, no kept line breaks) and its
    # TTFont.splitString and stringWidth (no remembered word widths).
    monkeypatch.setattr(pdf, "para", lambda markup, style, bullet=None: Paragraph(markup, style, bulletText=bullet))
    monkeypatch.setattr(fonts._SubsetFont, "splitString", TTFont.splitString)
    monkeypatch.setattr(fonts._SubsetFont, "stringWidth", TTFont.stringWidth)
    plain = _pdf_bytes(doc, tmp_path / "plain.pdf")

    assert hashlib.sha256(fast).hexdigest() == hashlib.sha256(plain).hexdigest()


@settings(max_examples=200, deadline=None)
@given(text=TEXT)
def test_a_plain_paragraph_has_the_fragments_the_parser_makes(text: str) -> None:
    styles = pdf._styles()
    markup = fonts.markup(text)
    for style in (styles["body"], styles["cell"], styles["h1"]):
        fast = pdf.para(markup, style)
        parsed = Paragraph(markup, style)
        assert fast.text == parsed.text
        assert [vars(f) for f in fast.frags] == [vars(f) for f in parsed.frags]


class _Doc:
    """Stands in for a PDF document: reportlab keeps a font's subsets per document."""


_CARLITO = fonts._SubsetFont("Carlito", str(paths.fonts_dir() / "Carlito-Regular.ttf"))


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(TEXT, max_size=4))
def test_the_ascii_shortcut_maps_text_as_reportlab_does(texts: list[str]) -> None:
    doc_fast, doc_own = _Doc(), _Doc()
    for text in [*texts, "plain ASCII line", "caf\u00e9 \u20ac 12"]:
        fast = _CARLITO.splitString(text, doc_fast)
        reference = TTFont.splitString(_CARLITO, text, doc_own)
        assert fast == reference
    assert _CARLITO.state[doc_fast].assignments == _CARLITO.state[doc_own].assignments
    assert _CARLITO.state[doc_fast].subsets == _CARLITO.state[doc_own].subsets


WORDS = ["gezondheidsinformatie", "verwerkersovereenkomst", "subverwerkers", "beveiligingsmaatregelen",
         "persoonsgegevens", "huisartsenpraktijk", "telefonie", "a"]


def test_hyphenation_from_the_cache_equals_pyphens_own(monkeypatch: pytest.MonkeyPatch) -> None:
    own = pyphen.Pyphen(filename=pyphen.LANGUAGES[hyphenation.LANG], cache=False)
    monkeypatch.setattr(pyphen, "hdcache", {})
    first = hyphenation.load()  # parses and writes the cache
    cache_file = hyphenation._cache_file(Path(pyphen.LANGUAGES[hyphenation.LANG]))
    assert cache_file.is_file() and cache_file.is_relative_to(paths.cache_dir())
    monkeypatch.setattr(pyphen, "hdcache", {})
    cached = hyphenation.load()  # reads the cache
    assert isinstance(cached.hd, hyphenation._CachedHyphDict)
    assert cached.hd.maxlen == own.hd.maxlen
    for word in WORDS:
        assert list(first.iterate(word)) == list(own.iterate(word)) == list(cached.iterate(word))


def test_a_damaged_cache_is_rebuilt(monkeypatch: pytest.MonkeyPatch) -> None:
    dictionary = Path(pyphen.LANGUAGES[hyphenation.LANG])
    cache_file = hyphenation._cache_file(dictionary)
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    for damage in (b"\x00not marshal", marshal.dumps({"a": "b"}), marshal.dumps([1, 2]),
                   marshal.dumps((3, {"a": "b"})), marshal.dumps(("x", {"ab": (0, b"\x01")})),
                   marshal.dumps((8, {"ab": (0, (1,))}))):  # the previous format: values as a tuple
        cache_file.write_bytes(damage)
        monkeypatch.setattr(pyphen, "hdcache", {})
        hyph = hyphenation.load()
        assert not isinstance(hyph.hd, hyphenation._CachedHyphDict)
        assert list(hyph.iterate("persoonsgegevens"))
        assert marshal.loads(cache_file.read_bytes()) == (hyph.hd.maxlen, hyphenation._plain(hyph.hd.patterns))


def test_an_unwritable_cache_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setattr(paths, "cache_dir", lambda: blocker / "cache")
    monkeypatch.setattr(pyphen, "hdcache", {})
    assert list(hyphenation.load().iterate("persoonsgegevens"))


_FRESH_PROCESS = """
import sys
from pathlib import Path
from dpa_desktop import document as d
from dpa_desktop.render.pdf import render_pdf
blocks = {
    "plain": (d.Heading("Artikel 1"), d.Paragraph(d.plain("Gewone tekst, geen cursief."))),
    "rich": (d.Heading("Sub", level=3), d.Paragraph((d.Span("schuin", italic=True), d.Span(" en vet", bold=True))),
             d.Paragraph(d.plain("Ελληνικά, русский, שלום")), d.NumberedParagraph("\\u2713", d.plain("punt"), level=2)),
    "dashes": (d.NumberedParagraph("\\u2010", d.plain("Medewerkers:")),
               d.NumberedParagraph("\\u2011", d.plain("Netwerk:"), level=2)),
}[sys.argv[1]]
render_pdf(d.Document(title="T", subject="S", author="A", header="", blocks=blocks), Path(sys.argv[2]))
"""


@pytest.mark.parametrize(("kind", "expected"), [
    ("plain", {"Carlito", "Carlito-Bold"}),
    ("rich", {"Carlito", "Carlito-Bold", "Carlito-Italic", "Carlito-BoldItalic", "DejaVuSans"}),
    # Word's hyphen bullets print with Carlito's own hyphen: no fallback face for a dash.
    ("dashes", {"Carlito"}),
])
def test_a_pdf_embeds_the_fonts_it_uses_and_registers_them_itself(
    kind: str, expected: set[str], tmp_path: Path
) -> None:
    """In a fresh process, as the CLI runs: only the faces the document uses are loaded."""
    import subprocess
    import sys

    from pypdf import PdfReader

    out = tmp_path / f"{kind}.pdf"
    subprocess.run([sys.executable, "-c", _FRESH_PROCESS, kind, str(out)], check=True, timeout=120)
    embedded = set()
    for page in PdfReader(out).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor  # embedded TrueType
            embedded.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    assert embedded == expected


def test_a_list_label_keeps_the_body_font_when_it_has_a_twin_glyph() -> None:
    """Carlito lacks U+2010/U+2011; its hyphen-minus is the same glyph in Calibri."""
    assert not fonts.covers(fonts.BODY, "\u2010\u2011")
    assert fonts.label_text("\u2010") == "-"
    assert fonts.label_text("\u2011") == "-"
    assert fonts.label_text("•") == "•"  # Carlito has it: unchanged
    assert fonts.label_text("a)") == "a)"
    assert fonts.label_text("\u2713") == "\u2713"  # no twin: the fallback font prints it


@given(st.text(max_size=6))
@settings(max_examples=200, deadline=None)
def test_a_label_changes_only_where_the_body_font_lacks_a_character(label: str) -> None:
    out = fonts.label_text(label)
    assert len(out) == len(label)
    for before, after in zip(label, out, strict=True):
        assert after == before or (not fonts.covers(fonts.BODY, before) and fonts.covers(fonts.BODY, after))


LINE = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")), max_size=50)


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(LINE, min_size=2, max_size=5), width=st.floats(min_value=40.0, max_value=200.0))
def test_a_cell_of_several_lines_is_as_tall_as_one_paragraph_with_line_breaks(lines: list[str], width: float) -> None:
    """Each line of a cell is its own paragraph (plain text, kept by the line
    cache); stacked, they take the room of the lines of one paragraph with <br/>."""
    fonts.register(fonts.BODY, fonts.BOLD)
    style = pdf._styles()["cell"]
    text = "\n".join(lines)
    parts = pdf._cell(text, style)
    if not lines[-1].strip():  # a last empty line, which reportlab drops: one paragraph, its way
        assert not isinstance(parts, list)
        return
    assert isinstance(parts, list) and len(parts) == len(lines)
    stacked = sum(part.wrap(width, 10_000)[1] for part in parts)
    one = Paragraph(fonts.markup(text), style).wrap(width, 10_000)[1]
    assert stacked == pytest.approx(one)
