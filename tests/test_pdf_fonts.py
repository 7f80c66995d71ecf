"""The PDF embeds the fonts it uses, and list labels keep the body font where it can."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dpa_desktop.render import fonts

_FRESH_PROCESS = """
import sys
from dpa_desktop import document as d
from dpa_desktop.render.pdf import render_pdf
blocks = {
    "plain": (d.Heading("Artikel 1"), d.Paragraph(d.plain("Gewone tekst, geen cursief."))),
    "rich": (d.Heading("Sub", level=3), d.Paragraph((d.Span("schuin", italic=True), d.Span(" en vet", bold=True))),
             d.Paragraph(d.plain("Ελληνικά, русский, שלום")), d.NumberedParagraph("\\u2713", d.plain("punt"), level=2)),
    "dashes": (d.NumberedParagraph("\\u2010", d.plain("Medewerkers:")),
               d.NumberedParagraph("\\u2011", d.plain("Netwerk:"), level=2)),
    "italic": (d.NumberedParagraph("a.", (d.Span("alleen schuin", italic=True),)),),
    "sub": (d.Heading("Alleen een kopje van niveau 3", level=3),),
}[sys.argv[1]]
with open(sys.argv[2], "wb") as out:
    render_pdf(d.Document(title="T", subject="S", author="A", header="", blocks=blocks), out)
from reportlab.pdfbase import pdfmetrics
print(" ".join(sorted(pdfmetrics.getRegisteredFontNames())))
"""


@pytest.mark.parametrize(("kind", "expected"), [
    ("plain", {"Carlito", "Carlito-Bold"}),
    # Hebrew prints in Noto Sans Hebrew; the check mark (no Carlito glyph) in DejaVu Sans.
    ("rich", {"Carlito", "Carlito-Bold", "Carlito-Italic", "Carlito-BoldItalic", "DejaVuSans",
              "NotoSansHebrew-Regular"}),
    # Word's hyphen bullets print with Carlito's own hyphen: no fallback face for a dash.
    ("dashes", {"Carlito"}),
    ("italic", {"Carlito", "Carlito-Italic"}),
    ("sub", {"Carlito", "Carlito-BoldItalic"}),
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


def test_a_document_without_italic_or_other_scripts_loads_only_carlito_regular_and_bold(tmp_path: Path) -> None:
    """What every shipped agreement is: the faces it does not print are not read at all."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _FRESH_PROCESS, "plain", str(tmp_path / "p.pdf")],
                          check=True, timeout=120, capture_output=True, text=True)
    registered = set(done.stdout.split())
    assert {"Carlito", "Carlito-Bold"} <= registered
    assert not registered & {"Carlito-Italic", "Carlito-BoldItalic", "DejaVuSans", "NotoSansHebrew"}


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
