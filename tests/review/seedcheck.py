"""Find a clause of a form in its seed text, so tests check the review against the source.

The seed extraction lost layout (line breaks, page headers in the middle of a
clause), so both sides are compared with whitespace folded.
"""

from __future__ import annotations

import re
from pathlib import Path

SEEDS = Path("/work/shared/seeds")
SEED_FILES = {
    "infinitcare-almere": "000_efa0480bb0937431.txt",
    "infinitcare-sdf": "001_0fe808a748b1956c.txt",
    "beterdichtbij": "002_1d50b5baa2d1748b.txt",
    "infogroen": "003_474c947108998cc0.txt",
    "vcare": "004_c1b45f79e2338b00.txt",
}


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
