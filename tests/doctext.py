"""Read generated documents back as a reader sees them: paragraphs and lines.

DOCX: every paragraph of the body in order (table cells included), a ``w:br``
as a newline. PDF: the lines of every page as pypdf extracts them, or as they
are drawn (pdfminer), which ``assert_same_text`` compares with the DOCX.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path


def docx_paragraphs(path: Path) -> list[str]:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(path))
    out: list[str] = []
    for el in document.element.body.iter(qn("w:p")):
        pieces = []
        for node in el.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
            if node.tag == qn("w:t"):
                pieces.append(node.text or "")
            elif node.tag == qn("w:tab"):
                pieces.append("\t")
            else:
                pieces.append("\n")
        out.append("".join(pieces))
    return out


def pdf_lines(path: Path) -> list[str]:
    from pypdf import PdfReader

    lines: list[str] = []
    for page in PdfReader(str(path)).pages:
        lines += (page.extract_text() or "").splitlines()
    return lines


# --------------------------------------------------------------------------- the PDF as drawn


def pdf_chars(path: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Every character of every page as drawn: (text, x0, x1, baseline, size)."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    pages = []
    with path.open("rb") as fh:
        for page in PDFPage.get_pages(fh):
            interpreter.process_page(page)
            pages.append([(obj.get_text(), obj.x0, obj.x1, obj.matrix[5], obj.size)
                          for obj in device.get_result() if isinstance(obj, LTChar)])
    return pages


def pdf_drawn_lines(path: Path) -> list[str]:
    """The body text of every page in the order it is drawn, one entry per printed line.

    pdfminer reads each character with its position and no reordering of its own
    (pypdf reverses what it takes for right-to-left text, so it cannot show how
    a line was drawn). The running header and the page footer (8.5 pt) are left
    out. A new line starts where the baseline changes or the pen jumps (a table's
    next cell, a list item's text after its label).
    """
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    lines: list[str] = []
    with path.open("rb") as fh:
        for page in PDFPage.get_pages(fh):
            interpreter.process_page(page)
            current: list[str] = []
            last: tuple[float, float, bool] | None = None
            for obj in device.get_result():
                if not isinstance(obj, LTChar) or abs(obj.size - 8.5) < 0.01:
                    continue
                baseline = obj.matrix[5]
                if last is not None:
                    gap = obj.x0 - last[1]
                    # Justified lines widen the spaces (a loose one by a lot); a gap after anything
                    # else means another table cell or a list item's text after its label.
                    if abs(baseline - last[0]) > 0.5 or gap < -1 or (gap > 1.5 and not last[2]):
                        lines.append("".join(current))
                        current = []
                text = obj.get_text()
                current.append(text)
                last = (baseline, obj.x1, text.isspace())
            if current:
                lines.append("".join(current))
    return lines


@functools.cache
def _presentation_letters() -> dict[str, str]:
    """Each presentation form the PDF draws -> the letter(s) it stands for, in drawn (visual) order."""
    from dpa_desktop.render import scripts

    beh = "\u0628"
    out: dict[str, str] = {}
    for ch in scripts.printed_characters():
        if scripts.is_arabic(ch) and unicodedata.bidirectional(ch) == "AL" and unicodedata.category(ch)[0] == "L":
            for context in (ch, beh + ch, ch + beh, beh + ch + beh):
                shaped = scripts.reshape(context)
                if len(shaped) == len(context):
                    out.setdefault(shaped[context.index(ch)], ch)
    for alef in "\u0622\u0623\u0625\u0627":
        for before in ("", beh):
            ligature = scripts.reshape(before + "\u0644" + alef)[-1]
            out[ligature] = alef + "\u0644"
    return out


def undo_shaping(drawn: str) -> str:
    """A drawn line with Arabic presentation forms as the letters they stand for (a ligature's
    letters in drawn order, right to left) and no-break spaces as spaces."""
    letters = _presentation_letters()
    return "".join(letters.get(ch, ch) for ch in drawn).replace("\u00a0", " ")


def repeated_lines(document: object) -> frozenset[str]:
    """Every table's header row (the PDF repeats it on each page), its cells joined without spaces."""
    from dpa_desktop import document as d

    assert isinstance(document, d.Document)
    return frozenset("".join("".join(cell.split()) for cell in block.header) for block in document.blocks
                     if isinstance(block, d.Table) and block.header)


def _skip_repeated(queue: list[str], k: int, repeated: frozenset[str]) -> int:
    """How many lines from ``k`` on make up a repeated header row (0 if they do not)."""
    joined = ""
    for m in range(k, len(queue)):
        joined += "".join(queue[m].split())
        if joined in repeated:
            return m - k + 1
        if not any(row.startswith(joined) for row in repeated):
            return 0
    return 0


def expected_drawn(paragraph: str, start: int, end: int, levels: list[int]) -> str:
    """How the PDF draws ``paragraph[start:end]`` as one line: the paragraph's bidi levels,
    then the display rules (scripts.visual: reversed runs, mirrored brackets, accents after letters)."""
    from dpa_desktop.render import scripts

    return scripts.visual(list(paragraph[start:end]), levels[start:end])


class Mismatch(AssertionError):
    pass


def assert_same_text(paragraphs: list[str], drawn: list[str], repeated: frozenset[str] = frozenset()) -> None:
    """The PDF's lines hold the DOCX's paragraphs in order, every paragraph and every line
    break of the DOCX ending where a PDF line ends.

    Spaces are left out of the comparison (the PDF draws a list label apart from its
    text; a line end stands for a space); a hyphen the PDF adds at a line end
    (hyphenation) is not text. ``repeated`` are lines the PDF repeats that the DOCX
    holds once (a table's header row on every page).
    """
    from dpa_desktop.render import scripts

    # A Word hyphen bullet (U+2010/U+2011) prints as Carlito's hyphen, the same glyph (fonts.label_text).
    same = str.maketrans("\u2010\u2011", "--")
    paragraphs = [p.translate(same) for p in paragraphs]
    queue = [undo_shaping(line).translate(same) for line in drawn]
    queue = [line for line in queue if "".join(line.split())]
    k = 0
    for paragraph in paragraphs:
        levels = scripts.levels(paragraph) if scripts.needs_bidi(paragraph) else [0] * len(paragraph)
        offset = -1
        for line in paragraph.split("\n"):
            offset += 1
            start, offset = offset, offset + len(line)
            bare = [(i, ch) for i, ch in enumerate(line) if not ch.isspace()]
            pos = 0
            while pos < len(bare):
                if k >= len(queue):
                    raise Mismatch(f"the PDF ends before {line!r}")
                got = "".join(queue[k].split())
                want_end = min(pos + len(got), len(bare))
                a, b = start + bare[pos][0], start + bare[want_end - 1][0] + 1
                expected = "".join(expected_drawn(paragraph, a, b, levels).split())
                if got == expected:
                    pos = want_end
                elif got.endswith("-") and want_end - pos == len(got) and got[:-1] == "".join(
                        expected_drawn(paragraph, a, start + bare[want_end - 2][0] + 1, levels).split()):
                    pos = want_end - 1
                elif skip := _skip_repeated(queue, k, repeated):
                    k += skip
                    continue
                else:
                    raise Mismatch(f"PDF line {k} {queue[k]!r} is not the next part of {line!r} "
                                   f"(expected {expected!r} from {line[bare[pos][0]:]!r})")
                k += 1
    while k < len(queue) and (skip := _skip_repeated(queue, k, repeated)):
        k += skip
    rest = queue[k:]
    if rest:
        raise Mismatch(f"the PDF has more lines than the DOCX: {rest[:3]!r}")
