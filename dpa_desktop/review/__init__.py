"""The review before signing ("Aandachtspunten") and the breach card.

Core, no Qt: the CLI prints and renders it; the GUI's review page calls
``build_review`` and shows the same points.
"""

from __future__ import annotations

from dpa_desktop.review.review import (
    DISCLAIMER,
    VERDICT_LABELS,
    Art28Check,
    Point,
    Review,
    Verdict,
    build_review,
)
from dpa_desktop.review.text import review_text

__all__ = ["DISCLAIMER", "VERDICT_LABELS", "Art28Check", "Point", "Review", "Verdict",
           "build_review", "review_text"]
