"""Find a clause of a form in a text (the form's own, or its seed), so tests check the review
against the agreement.

The seed extraction lost layout (line breaks, page headers in the middle of a
clause), so both sides are compared with whitespace folded.
"""

from __future__ import annotations

import re

from seedtools import SEED_FILES, require_seeds

__all__ = ["fold", "seed_near_clause", "seed_text", "text_near_clause"]


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def seed_text(form_id: str) -> str:
    """The form's seed, whitespace folded; skips (or fails) the test without the seeds."""
    return fold((require_seeds() / SEED_FILES[form_id]).read_text(encoding="utf-8"))


def text_near_clause(text: str, clause_text: str, span: int = 900) -> str:
    """``text`` from where the clause starts, ``span`` characters on."""
    folded = fold(text)
    start = fold(clause_text)[:50]
    where = folded.find(start)
    assert where >= 0, f"clause not found: {start!r}"
    return folded[where:where + span]


def seed_near_clause(form_id: str, clause_text: str, span: int = 900) -> str:
    """The seed text from where the clause starts, ``span`` characters on."""
    return text_near_clause(seed_text(form_id), clause_text, span)
