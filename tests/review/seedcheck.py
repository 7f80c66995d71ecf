"""Find a clause of a form in its seed text, so tests check the review against the source.

The seed extraction lost layout (line breaks, page headers in the middle of a
clause), so both sides are compared with whitespace folded.
"""

from __future__ import annotations

import re

from seedtools import SEED_FILES
from seedtools import SEEDS_DIR as SEEDS

__all__ = ["SEEDS", "SEED_FILES", "fold"]


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def seed_text(form_id: str) -> str | None:
    path = SEEDS / SEED_FILES[form_id]
    return fold(path.read_text(encoding="utf-8")) if path.exists() else None


def seed_near_clause(form_id: str, clause_text: str, span: int = 900) -> str:
    """The seed text from where the clause starts, ``span`` characters on."""
    seed = seed_text(form_id)
    assert seed is not None
    start = fold(clause_text)[:50]
    where = seed.find(start)
    assert where >= 0, f"clause not found in seed {form_id}: {start!r}"
    return seed[where:where + span]
