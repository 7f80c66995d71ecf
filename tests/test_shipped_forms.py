"""Every shipped form, filled from its example, gives a faithful, complete agreement."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import msgspec
import pytest
from pypdf import PdfReader
from seedtools import (
    SEED_FILES,
    docx_text,
    in_order_ratio,
    missing_runs,
    pdf_text,
    seed_words,
    tokens,
)
from shipped import FORM_IDS, filled, spec

from dpa_desktop import paths
from dpa_desktop.answers import example_answers, normalised
from dpa_desktop.assemble import placeholder_values
from dpa_desktop.document import Document, Table
from dpa_desktop.forms.loader import load_forms

BLANKS = re.compile(r"\[@\]|«[^»]*»|…{2,}|\.{4,}|_{3,}|\b20\.\.|\{\{")


def test_every_form_file_loads_without_errors() -> None:
    loaded = load_forms()
    assert loaded.errors == [], "\n".join(str(e) for e in loaded.errors)
    shipped = {p.stem for p in paths.forms_dir().glob("*.yaml")}
    assert set(loaded.forms) == shipped


def test_the_issue_named_form_ids_are_shipped() -> None:
    assert "vcare" in FORM_IDS


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_no_blank_is_left_in_docx_or_pdf(form_id: str) -> None:
    result = filled(form_id)
    for text in (docx_text(result.docx), pdf_text(result.pdf)):
        assert not BLANKS.findall(text)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_answered_value_appears(form_id: str) -> None:
    result = filled(form_id)
    s = spec(form_id)
    values = placeholder_values(s, normalised(s, example_answers(s)))
    docx_words = " ".join(docx_text(result.docx).split())
    pdf_words = " ".join(pdf_text(result.pdf).split())
    body = str(msgspec.to_builtins(s.body))
    for qid, value in values.items():
        if not value or "{{" + qid not in body.replace(" ", ""):
            continue
        assert value in docx_words, f"{qid}={value!r} missing in DOCX"
        assert " ".join(value.split()) in pdf_words, f"{qid}={value!r} missing in PDF"


@pytest.mark.seeds
@pytest.mark.parametrize("form_id", [f for f in FORM_IDS if f in SEED_FILES])
def test_docx_and_pdf_hold_the_seed_text_word_for_word(form_id: str) -> None:
    result = filled(form_id)
    expected = seed_words(form_id)
    for label, text in (("DOCX", docx_text(result.docx)), ("PDF", pdf_text(result.pdf, result.document.header))):
        got = tokens(text)
        ratio = in_order_ratio(expected, got)
        assert ratio >= 0.98, f"{label} {ratio:.4f}\n" + "\n".join(missing_runs(expected, got))


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_docx_and_pdf_show_the_same_words_in_the_same_order(form_id: str) -> None:
    result = filled(form_id)
    model = tokens(" ".join(result.document.texts()))
    docx_words = tokens(docx_text(result.docx))
    pdf_words = _without_repeated_headers(tokens(pdf_text(result.pdf, result.document.header)),
                                          result.document)
    assert docx_words == model
    # PDF text comes back line by line across table cells, and a word too long for a
    # narrow cell is broken in two; so: the same letters exactly, and the same order
    # but for the interleaving of cells in one table row.
    assert Counter("".join(pdf_words)) == Counter("".join(model))
    assert in_order_ratio(model, pdf_words) >= 0.95


def _without_repeated_headers(words: list[str], document: Document) -> list[str]:
    """Drop the header rows a table repeats on each further page it spans."""
    out = list(words)
    for block in document.blocks:
        if isinstance(block, Table) and block.header:
            header = tokens(" ".join(block.header))
            first = _find(out, header, 0)
            if first < 0:
                continue
            start = first + len(header)
            while (at := _find(out, header, start)) >= 0:
                del out[at:at + len(header)]
                start = at
    return out


def _find(words: list[str], run: list[str], start: int) -> int:
    for i in range(start, len(words) - len(run) + 1):
        if words[i:i + len(run)] == run:
            return i
    return -1


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_pdf_embeds_its_fonts_and_numbers_every_page(form_id: str) -> None:
    result = filled(form_id)
    reader = PdfReader(str(result.pdf))
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert f"Pagina {number} van {total}" in (page.extract_text() or "")
        fonts = page["/Resources"]["/Font"]
        for font in fonts.values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_docx_metadata_and_page_footer(form_id: str) -> None:
    import docx

    result = filled(form_id)
    document = docx.Document(str(result.docx))
    props = document.core_properties
    assert props.title and props.subject and props.author
    # The properties are filled in like the text: no placeholder, the practice named.
    pdf_info = PdfReader(str(result.pdf)).metadata
    assert pdf_info is not None
    for value in (props.title, props.subject, props.author, pdf_info.title, pdf_info.subject, pdf_info.author):
        assert value and not BLANKS.findall(value), value
    party = next(v for k, v in example_answers(spec(form_id)).values.items() if k in ("organisatie_naam", "klant",
                                                                                       "verwerker_naam"))
    assert party in props.subject and party in (pdf_info.subject or "")
    footer_xml = document.sections[0].footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml and "Pagina" in footer_xml


def test_same_input_gives_the_same_pdf_bytes(tmp_path: Path) -> None:
    from dpa_desktop.fill import fill

    s = spec("vcare")
    one = fill(s, example_answers(s), tmp_path / "a")
    two = fill(s, example_answers(s), tmp_path / "b")
    assert one.pdf.read_bytes() == two.pdf.read_bytes()
