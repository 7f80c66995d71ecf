"""Find an article or clause of the assembled agreement by its number.

The review cites articles; citing one that is not in the text would mislead
the reader more than citing none, so every citation is looked up here in the
document as it will be printed (numbers are resolved by the assembler).
"""

from __future__ import annotations

import re

from dpa_desktop import document as d

_ARTICLE_HEADING = re.compile(r"^\s*(?:Artikel|Art\.)\s*(\d+)", re.IGNORECASE)
_NUMBER = re.compile(r"^\d+(?:\.\d+)*$")


def _text(spans: d.Inline) -> str:
    return "".join(s.text for s in spans)


def clause_index(doc: d.Document) -> dict[str, str]:
    """Article and clause numbers ("9", "9.1", "25") mapped to their text.

    Clauses numbered per article ("1." under "Artikel 9") get "9.1"; clauses
    numbered through ("25.") keep their own number. Annexes are left out: their
    lists restart at 1 and would shadow the articles. Later clauses win, so
    numbered recitals before the articles do not hide the articles' own.
    """
    index: dict[str, str] = {}
    article = ""
    current: str | None = None
    in_annex = False
    for block in doc.blocks:
        if isinstance(block, d.Heading) and block.level == 1:
            current = None
            found = _ARTICLE_HEADING.match(block.text)
            if found:
                article = found.group(1)
                in_annex = False
                index[article] = block.text
            elif block.text.strip().lower().startswith("bijlage"):
                in_annex = True
                article = ""
            else:
                article = ""
            continue
        if in_annex:
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
