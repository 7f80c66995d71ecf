"""The review before signing ("Aandachtspunten"), the letter to the processor and the breach card.

Core, no Qt: the CLI prints and renders it; the GUI's review page calls
``build_review`` and shows the same points, and ``review.letter`` writes the
"Vragen aan de verwerker".
"""

from __future__ import annotations

from dpa_desktop.review.review import (
    CONCLUSION_RULE,
    DISCLAIMER,
    VERDICT_LABELS,
    VERDICT_MEANINGS,
    Art28Check,
    Ask,
    Conclusion,
    Point,
    Quote,
    Review,
    Verdict,
    build_review,
    conclude,
)
from dpa_desktop.review.text import review_text

__all__ = ["CONCLUSION_RULE", "DISCLAIMER", "VERDICT_LABELS", "VERDICT_MEANINGS", "Art28Check",
           "Ask", "Conclusion", "Point", "Quote", "Review", "Verdict", "build_review", "conclude",
           "review_text"]
