"""The review as plain text, for the terminal and for anything that quotes it.

Markers in brackets rather than colours: the text may end up in a mail or a
file, and the marker must still say at a glance what needs attention.
"""

from __future__ import annotations

import textwrap

from dpa_desktop.review.review import (
    CONCLUSION_RULE,
    VERDICT_LABELS,
    VERDICT_MEANINGS,
    Review,
    Verdict,
    article_ref,
)

WIDTH = 92
INDENT = " " * 12


def _wrap(text: str, indent: str = "", first: str | None = None) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=first if first is not None else indent,
                         subsequent_indent=indent) or [first or indent]


def marker(verdict: Verdict) -> str:
    """"[OK]" for in lijn, else the verdict in capitals, padded to one width."""
    label = "OK" if verdict == "in_line" else VERDICT_LABELS[verdict].upper()
    return f"[{label}]".ljust(len(INDENT) - 1)


def review_text(review: Review) -> str:
    """The whole review: conclusion, points with quote, sector model, verdict and what to do,
    the art. 28(3) checklist, the disclaimer."""
    lines: list[str] = []
    title = f"Aandachtspunten - verwerkersovereenkomst {review.processor_name}"
    lines += [title, "=" * len(title)]
    if review.organisation:
        lines.append(f"Voor: {review.organisation}")
    lines += _wrap(review.role_note)
    lines.append("")
    lines += _wrap(f"CONCLUSIE: {review.conclusion.headline}.")
    lines += _wrap(review.conclusion.reason)
    if review.sector_model_note and review.sector_model_note not in review.conclusion.reason:
        lines += _wrap(review.sector_model_note)
    lines.append("")
    lines += _wrap(f"Vergeleken met het sectormodel. {review.reference_about}")
    lines += _wrap(f"Zo komt de conclusie tot stand: {CONCLUSION_RULE}")
    lines.append("Oordeel per punt:")
    for verdict, meaning in VERDICT_MEANINGS.items():
        lines += _wrap(meaning, INDENT, f"  {VERDICT_LABELS[verdict]}: ".ljust(len(INDENT)))
    for point in review.points:
        lines.append("")
        where = f" ({point.where})" if point.where else ""
        lines.append(f"{marker(point.verdict)} {point.title}{where}")
        lines += _wrap(point.statement, INDENT)
        for detail in point.details:
            lines += _wrap(detail, INDENT + "  ", INDENT + "- ")
        for quote in point.quotes:
            lines += _wrap(f"Er staat in {article_ref(quote.article)}: “{quote.text}”", INDENT)
        lines += _wrap(point.reference, INDENT)
        lines += _wrap(f"Oordeel: {point.verdict_label}. Wat te doen: {point.advice}", INDENT)
    lines += ["", "Artikel 28 lid 3 AVG: wat een verwerkersovereenkomst moet regelen"]
    if not review.art28_missing:
        lines.append("Alle eisen zijn gevonden.")
    for check in review.art28:
        if check.found:
            lines += _wrap(f"{check.requirement}: {article_ref(check.article or '')}",
                           INDENT, f"{marker('in_line')} ({check.letter}) ")
        else:
            lines += _wrap(f"{check.requirement}: {check.problem}", INDENT,
                           f"{marker('missing')} ({check.letter}) ")
    lines.append("")
    lines += _wrap(review.disclaimer)
    return "\n".join(lines) + "\n"
