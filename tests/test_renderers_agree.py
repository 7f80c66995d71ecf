"""DOCX and PDF say the same: paragraph by paragraph, line break by line break, in every script
the text rule accepts (the PDF read as drawn, right-to-left runs in display order)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from doctext import assert_same_text, docx_paragraphs, pdf_drawn_lines, repeated_lines
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dpa_desktop import document as d
from dpa_desktop.answers import Answers, example_answers
from dpa_desktop.fill import fill
from dpa_desktop.forms.loader import load_forms
from dpa_desktop.render import scripts
from dpa_desktop.render.docx import render_docx
from dpa_desktop.render.pdf import render_pdf
from dpa_desktop.text import answer

FORMS = load_forms().forms


def _agree(document: d.Document, docx: Path, pdf: Path) -> None:
    assert_same_text([p for p in docx_paragraphs(docx) if "".join(p.split())], pdf_drawn_lines(pdf),
                     repeated_lines(document))


@pytest.mark.parametrize("form_id", sorted(FORMS))
def test_the_example_reads_the_same_in_docx_and_pdf(form_id: str, tmp_path: Path) -> None:
    spec = FORMS[form_id]
    result = fill(spec, example_answers(spec), tmp_path)
    _agree(result.document, result.docx, result.pdf)


# Words of the scripts the PDF prints, long words, brackets and digits next to right-to-left text.
WORDS = ["Huisartsenpraktijk", "Gezondheidscentrumcoöperatie", "Ελληνική", "Клиника", "Կլինիկա", "კლინიკა",
         "עיאדה", "שָׁלוֹם", "מרפאה", "عيادة", "الأمل", "مُحَمَّد", "لا", "(24)", "٣٤", "12", "B.V.", "&", "<b>", "**",
         "Zorggroep-Oost", "x" * 70, "ع" * 45, "ق" * 90, "Œuvre", "Ærø", "İstanbul", "ß"]
printable_chars = st.sampled_from([ch for ch in scripts.printed_characters()
                                   if ch not in "\n\u200c\u200d" and not ch.isspace()])


def _word() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(WORDS), st.text(printable_chars, min_size=1, max_size=12))


texts = st.lists(_word(), min_size=1, max_size=25).map(" ".join)


def _accepted(text: str) -> str | None:
    try:
        return answer(text) or None
    except ValueError:
        return None


@pytest.mark.slow
@given(data=st.data())
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_form_filled_with_generated_text_reads_the_same_in_docx_and_pdf(data: st.DataObject) -> None:
    form_id = data.draw(st.sampled_from(sorted(FORMS)))
    spec = FORMS[form_id]
    base = example_answers(spec)
    values = dict(base.values)
    for q in spec.questions:
        if q.type in ("text", "multiline"):
            text = _accepted(data.draw(texts, label=q.id))
            if text is not None:
                values[q.id] = text[: q.max_length].strip() or values[q.id]
    answers = Answers(form_id=spec.id, values=values, services=base.services, retention=base.retention,
                      lists=base.lists)
    with tempfile.TemporaryDirectory() as tmp:
        result = fill(spec, answers, Path(tmp))
        _agree(result.document, result.docx, result.pdf)


@pytest.mark.slow
@given(paragraphs=st.lists(st.lists(texts, min_size=1, max_size=3).map("\n".join), min_size=1, max_size=4))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Digits glued to a right-to-left run that fits a table cell only without them.
@example(paragraphs=["00000ש↉◠ עיאדה " + "ع" * 45])
def test_line_breaks_long_words_and_every_script_read_the_same(paragraphs: list[str]) -> None:
    """Paragraphs, list items, table cells and a signature intro with line breaks in them."""
    cleaned = [p for p in ("\n".join(filter(None, (_accepted(ln) for ln in para.split("\n"))))
                           for para in paragraphs) if p]
    if not cleaned:
        return
    blocks: list[d.Block] = [d.Heading(cleaned[0].split("\n")[0])]
    for i, text in enumerate(cleaned):
        blocks.append(d.Paragraph(d.plain(text)))
        blocks.append(d.NumberedParagraph(f"{i + 1}.", (d.Span("Vet: ", bold=True), d.Span(text)), level=1 + i % 3))
    blocks.append(d.Table(("Kolom", "Tekst"), tuple(("Rij", text) for text in cleaned), (1, 3)))
    blocks.append(d.SignatureBlock((d.SignatureParty(cleaned[-1].split("\n")[0], (
        d.SignatureField("Naam:", cleaned[0].split("\n")[-1]),)),), intro=cleaned[-1]))
    document = d.Document(title="T", subject="S", author="A", header=cleaned[0].split("\n")[0], blocks=tuple(blocks))
    with tempfile.TemporaryDirectory() as tmp:
        docx, pdf = Path(tmp) / "a.docx", Path(tmp) / "a.pdf"
        render_docx(document, docx)
        with pdf.open("wb") as out:
            render_pdf(document, out)
        _agree(document, docx, pdf)
