"""Find an article, clause or annex of the assembled agreement by its number.

The review cites articles and quotes them; citing one that is not in the text
would mislead the reader more than citing none, so every citation is looked up
here in the document as it will be printed (numbers are resolved by the
assembler). The form loader uses the same index to check that every key term
points at a clause that exists and quotes words that stand there.
"""

from __future__ import annotations

import re

from dpa_desktop import document as d

_ARTICLE_HEADING = re.compile(r"^\s*(?:Artikel|Art\.)\s*(\d+)", re.IGNORECASE)
_ANNEX_HEADING = re.compile(r"^\s*Bijlage\s+([0-9]+|[A-Z])\b", re.IGNORECASE)
_NUMBER = re.compile(r"^\d+(?:\.\d+)*$")
# Parts of a quote that the form leaves out are written with this character.
ELLIPSIS = "…"


def _text(spans: d.Inline) -> str:
    return "".join(s.text for s in spans)


def _block_texts(block: d.Block) -> list[str]:
    return d.Document(title="", subject="", author="", header="", blocks=(block,)).texts()


def clause_index(doc: d.Document) -> dict[str, str]:
    """Article, clause and annex references ("9", "9.1", "25", "Bijlage 4") mapped to their text.

    Clauses numbered per article ("1." under "Artikel 9") get "9.1"; clauses
    numbered through ("25.") keep their own number. An annex is one entry with
    all its text ("Bijlage B"); its lists restart at 1 and are not indexed by
    number, or they would shadow the articles. Later clauses win, so numbered
    recitals before the articles do not hide the articles' own.
    """
    index: dict[str, str] = {}
    article = ""
    current: str | None = None
    annex: str | None = None
    for block in doc.blocks:
        if isinstance(block, d.Heading) and block.level == 1:
            current = None
            found = _ARTICLE_HEADING.match(block.text)
            annex_found = _ANNEX_HEADING.match(block.text)
            if found:
                article = found.group(1)
                annex = None
                index[article] = block.text
            elif annex_found:
                annex = f"Bijlage {annex_found.group(1).upper()}"
                article = ""
                index[annex] = block.text
            else:
                article = ""
                if annex is not None:  # a heading inside an annex stays part of it
                    index[annex] = f"{index[annex]} {block.text}"
            continue
        if annex is not None:
            extra = " ".join(t for t in _block_texts(block) if t.strip())
            if extra:
                index[annex] = f"{index[annex]} {extra}"
            continue
        if isinstance(block, d.NumberedParagraph) and block.level == 1:
            label = block.label.strip().rstrip(".)")
            if _NUMBER.match(label):
                key = label if "." in label or not article else f"{article}.{label}"
                index[key] = _text(block.spans)
                current = key
                continue
        if current is not None and isinstance(block, d.NumberedParagraph | d.Paragraph):
            extra = _text(block.spans)
            if isinstance(block, d.NumberedParagraph):
                extra = f"{block.label} {extra}"
            index[current] = f"{index[current]} {extra}"
    return index


def fold(text: str) -> str:
    """Whitespace folded to single spaces: how quotes are compared with the text."""
    return re.sub(r"\s+", " ", text).strip()


def quote_parts(quote: str) -> list[str]:
    """The pieces of a quote between its "…" (words left out)."""
    return [part for part in (fold(p) for p in quote.split(ELLIPSIS)) if part]


def quote_stands_in(quote: str, text: str) -> bool:
    """True when every piece of the quote stands in the text, in order, word for word."""
    folded = fold(text)
    at = 0
    parts = quote_parts(quote)
    for part in parts:
        found = folded.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return bool(parts)
