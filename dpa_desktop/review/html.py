"""The review as an HTML section for the wizard's review page.

Qt's rich text understands a small HTML subset; this stays within it (tables,
bgcolor, inline colours) so the GUI only has to drop it in, and it is testable
without Qt. A point whose content comes from her answers carries a "Wijzigen"
link (``page:<wizard page>``) that the page turns into navigation.
"""

from __future__ import annotations

from collections.abc import Collection
from html import escape

from dpa_desktop.review.review import (
    CONCLUSION_RULE,
    VERDICT_LABELS,
    VERDICT_MEANINGS,
    ConclusionKind,
    Review,
    Verdict,
    article_ref,
)

# Badge colours per verdict (text on white), and the conclusion's box.
VERDICT_COLOURS: dict[Verdict, str] = {
    "in_line": "#2f8f4e",
    "deviates": "#b35c00",
    "missing": "#b3261e",
    "unknown": "#5b6673",
}
CONCLUSION_COLOURS: dict[ConclusionKind, tuple[str, str]] = {
    "sign": ("#e6f4ea", "#2f8f4e"),
    "ask_first": ("#fdf0e2", "#b35c00"),
    "fg_first": ("#fce8e6", "#b3261e"),
}
_MUTED = "#5f6368"


def conclusion_html(review: Review) -> str:
    fill, border = CONCLUSION_COLOURS[review.conclusion.kind]
    note = (f"<p>{escape(review.sector_model_note)}</p>"
            if review.sector_model_note and review.sector_model_note not in review.conclusion.reason
            else "")
    return (f"<table width='100%' cellpadding='8' style='background-color:{fill}; "
            f"border: 2px solid {border}'><tr><td>"
            f"<p style='font-size:large'><b>{escape(review.conclusion.headline)}</b></p>"
            f"<p>{escape(review.conclusion.reason)}</p>{note}</td></tr></table>")


def review_html(review: Review, *, pages: Collection[str] | None = None) -> str:
    """Conclusion, what the sector model is, every point (quote, sector model, verdict,
    what to do), the art. 28(3) checklist and the disclaimer.

    A point whose answers sit on a wizard page gets a "Wijzigen" link to it when
    ``pages`` (the wizard's pages) holds that page; None links every such point.
    """
    parts = ["<h2>Aandachtspunten</h2>", conclusion_html(review),
             f"<p>{escape(review.role_note)}</p>",
             f"<p><b>Wat is het sectormodel?</b> {escape(review.reference_about)}</p>"]
    legend = " ".join(f"<b>{VERDICT_LABELS[v]}</b>: {escape(meaning)}."
                      for v, meaning in VERDICT_MEANINGS.items())
    parts.append(f"<p style='color:{_MUTED}'>{legend}<br>Zo komt de conclusie tot stand: "
                 f"{escape(CONCLUSION_RULE)}</p>")
    rows = []
    for point in review.points:
        colour = VERDICT_COLOURS[point.verdict]
        where = f" ({escape(point.where)})" if point.where else ""
        linked = point.change_page and (pages is None or point.change_page in pages)
        change = f" <a href='page:{point.change_page}'>Wijzigen</a>" if linked else ""
        body = [f"<b>{escape(point.title)}</b>{where}{change}<br>{escape(point.statement)}"]
        if len(point.details) > 6:  # a long list reads better as one paragraph
            body.append(f"<br><span style='font-size:small'>"
                        f"{escape('; '.join(point.details))}</span>")
        elif point.details:
            items = "".join(f"<li>{escape(d)}</li>" for d in point.details)
            body.append(f"<ul style='margin-top:0; margin-bottom:0'>{items}</ul>")
        for quote in point.quotes:
            body.append(f"<br><span style='color:{_MUTED}'>Er staat in "
                        f"{escape(article_ref(quote.article))}:</span> "
                        f"<i>“{escape(quote.text)}”</i>")
        body.append(f"<br><span style='color:{_MUTED}'>{escape(point.reference)}</span>")
        body.append(f"<br><b>Wat te doen:</b> {escape(point.advice)}")
        rows.append(
            f"<tr><td width='96' valign='top' bgcolor='{colour}' align='center' "
            f"style='color:white; font-weight:bold'>{escape(point.verdict_label.upper())}</td>"
            f"<td valign='top'>{''.join(body)}</td></tr>")
    parts.append(f"<table width='100%' cellspacing='3' cellpadding='6' border='0'>"
                 f"{''.join(rows)}</table>")
    parts.append(art28_html(review))
    parts.append(f"<p style='color:{_MUTED}; font-size:small'>{escape(review.disclaimer)}</p>")
    return "".join(parts)


def art28_html(review: Review) -> str:
    missing = review.art28_missing
    summary = ("Alle eisen van artikel 28 lid 3 AVG zijn gevonden." if not missing else
               f"{len(missing)} van de {len(review.art28)} eisen van artikel 28 lid 3 AVG "
               "niet gevonden.")
    rows = []
    for check in review.art28:
        if check.found:
            mark, colour, where = "✓", VERDICT_COLOURS["in_line"], article_ref(check.article or "")
        else:
            mark, colour, where = "✗", VERDICT_COLOURS["missing"], check.problem
        rows.append(f"<tr><td width='24' style='color:{colour}; font-weight:bold'>{mark}</td>"
                    f"<td>({check.letter}) {escape(check.requirement)}</td>"
                    f"<td style='color:{_MUTED}'>{escape(where)}</td></tr>")
    return (f"<h3>Artikel 28 lid 3 AVG: wat elke verwerkersovereenkomst moet regelen</h3>"
            f"<p><b>{escape(summary)}</b></p><table cellpadding='2'>{''.join(rows)}</table>")
