"""The review as a compact HTML section for the wizard's review page.

Qt's rich text understands a small HTML subset; this stays within it (tables,
inline colours) so the GUI only has to drop it in, and it is testable without Qt.
"""

from __future__ import annotations

from html import escape

from dpa_desktop.review.review import Review, article_ref

_ATTENTION = "#b35c00"
_OK = "#2f8f4e"


def review_html(review: Review) -> str:
    """One line per point: marker, title, article, and the plain statement."""
    count = len(review.attention_points)
    missing = review.art28_missing
    summary = (f"{count} van de {len(review.points)} punten vragen uw aandacht."
               if count else "Geen van de punten vraagt extra aandacht.")
    if missing:
        summary += (" Niet gevonden uit artikel 28 lid 3 AVG: "
                    + ", ".join(f"({c.letter})" for c in missing) + ".")
    rows = []
    for point in review.points:
        colour = _ATTENTION if point.attention else _OK
        mark = "LET OP" if point.attention else "OK"
        where = f" ({article_ref(point.article)})" if point.article else ""
        rows.append(
            f"<tr><td style='color:{colour}; font-weight:bold; padding-right:10px' "
            f"valign='top'>{mark}</td><td><b>{escape(point.title)}</b>{escape(where)}: "
            f"{escape(point.statement)} <i>{escape(point.verdict_label)}.</i></td></tr>")
    return (f"<h3>Aandachtspunten</h3><p>{escape(review.role_note)}</p>"
            f"<p><b>{escape(summary)}</b></p><table width='100%'>{''.join(rows)}</table>"
            f"<p style='color:#5f6368; font-size:small'>{escape(review.disclaimer)}</p>")
