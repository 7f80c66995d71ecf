"""The review as plain text, for the terminal and for anything that quotes it.

Markers in brackets rather than colours: the text may end up in a mail or a
file, and the marker must still say at a glance what needs attention.
"""

from __future__ import annotations

import textwrap

from dpa_desktop.review.review import Review, article_ref

WIDTH = 92


def _wrap(text: str, indent: str = "", first: str | None = None) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=first if first is not None else indent,
                         subsequent_indent=indent) or [first or indent]


def marker(attention: bool) -> str:
    return "[LET OP]" if attention else "[OK]    "


def review_text(review: Review) -> str:
    """The whole review: role, points with verdicts, art. 28(3) check, disclaimer."""
    lines: list[str] = []
    title = f"Aandachtspunten - verwerkersovereenkomst {review.processor_name}"
    lines += [title, "=" * len(title)]
    if review.organisation:
        lines.append(f"Voor: {review.organisation}")
    lines += _wrap(review.role_note)
    count = len(review.attention_points)
    missing = len(review.art28_missing)
    lines.append("")
    summary = (f"{count} van de {len(review.points)} punten vragen uw aandacht"
               if count else "Geen van de punten wijkt in uw nadeel af van het sectormodel")
    if missing:
        summary += f"; {missing} punt(en) van artikel 28 lid 3 AVG niet gevonden"
    lines += _wrap(summary + ".")
    for point in review.points:
        lines.append("")
        where = f" ({article_ref(point.article)})" if point.article else ""
        lines.append(f"{marker(point.attention)} {point.title}{where}")
        lines += _wrap(point.statement, "          ")
        for detail in point.details:
            lines += _wrap(detail, "            ", "          - ")
        if point.says and point.says not in point.statement:
            lines += _wrap(f"Er staat: {point.says}", "          ")
        lines += _wrap(f"{point.verdict_label}. {point.reference}", "          ")
    lines += ["", "Artikel 28 lid 3 AVG: wat een verwerkersovereenkomst moet regelen"]
    for check in review.art28:
        if check.found:
            lines += _wrap(f"{check.requirement}: {article_ref(check.article or '')}",
                           "          ", f"[OK]     ({check.letter}) ")
        else:
            lines += _wrap(f"{check.requirement}: {check.problem}", "          ",
                           f"[LET OP] ({check.letter}) ")
    lines.append("")
    lines += _wrap(review.disclaimer)
    return "\n".join(lines) + "\n"
