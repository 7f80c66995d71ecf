"""Compare generated agreements with the seed texts, word by word.

The seeds are text extractions of the real agreements. They are not part of
this repository: they are read from ``DPA_SEEDS_DIR`` or else from
``../shared/seeds`` beside the clone. A test that compares a form with its seed
carries the ``seeds`` marker (``pytest -m seeds`` runs only those); without the
seeds it skips with ``MISSING_REASON``, and with ``DPA_REQUIRE_SEEDS=1`` (set by
``.ci/run``, which has them) it fails instead, so CI never skips a comparison.

Page headers and footers the extraction picked up are listed per form in
``tests/seed_ignore/<id>.txt`` (one regular expression per line, matched
against whole stripped lines).
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

import pytest

SEEDS_DIR_ENV = "DPA_SEEDS_DIR"
REQUIRE_SEEDS_ENV = "DPA_REQUIRE_SEEDS"
# ../shared/seeds, seen from the folder the repository is cloned into.
DEFAULT_SEEDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"
MISSING_REASON = "seed texts not found: set DPA_SEEDS_DIR or place them in ../shared/seeds"
SEED_FILES = {
    "infinitcare-almere": "000_efa0480bb0937431.txt",
    "infinitcare-sdf": "001_0fe808a748b1956c.txt",
    "beterdichtbij": "002_1d50b5baa2d1748b.txt",
    "infogroen": "003_474c947108998cc0.txt",
    "vcare": "004_c1b45f79e2338b00.txt",
}
IGNORE_DIR = Path(__file__).resolve().parent / "seed_ignore"
_WORD = re.compile(r"\w+")


def seeds_dir() -> Path:
    override = os.environ.get(SEEDS_DIR_ENV)
    return Path(override) if override else DEFAULT_SEEDS_DIR


def require_seeds() -> Path:
    """The seeds folder; else skip the running test, or fail it where seeds are a must.

    A ``DPA_SEEDS_DIR`` that names no folder is a mistake, not an absence, so it
    fails rather than skips.
    """
    folder = seeds_dir()
    if folder.is_dir():
        return folder
    if os.environ.get(SEEDS_DIR_ENV):
        pytest.fail(f"{SEEDS_DIR_ENV}={folder} is not a folder", pytrace=False)
    if os.environ.get(REQUIRE_SEEDS_ENV) == "1":
        pytest.fail(f"{MISSING_REASON} ({REQUIRE_SEEDS_ENV}=1: the comparison must run, not skip; "
                    f"looked in {folder})", pytrace=False)
    pytest.skip(MISSING_REASON)


def tokens(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def seed_text(form_id: str) -> str:
    lines = (require_seeds() / SEED_FILES[form_id]).read_text(encoding="utf-8").splitlines()
    ignore_file = IGNORE_DIR / f"{form_id}.txt"
    patterns = []
    if ignore_file.exists():
        patterns = [re.compile(p) for p in ignore_file.read_text(encoding="utf-8").splitlines() if p.strip()]
    kept = [ln for ln in lines if not any(p.fullmatch(ln.strip()) for p in patterns)]
    return "\n".join(kept)


def seed_words(form_id: str) -> list[str]:
    return tokens(seed_text(form_id))


def in_order_ratio(expected: list[str], actual: list[str]) -> float:
    """Share of expected words that appear in actual in the same order (LCS)."""
    if not expected:
        return 1.0
    matcher = difflib.SequenceMatcher(None, expected, actual, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matched / len(expected)


def missing_runs(expected: list[str], actual: list[str], limit: int = 40) -> list[str]:
    """The seed's word runs that are absent from actual, for a readable failure."""
    matcher = difflib.SequenceMatcher(None, expected, actual, autojunk=False)
    out = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            out.append(f"seed[{i1}:{i2}] {' '.join(expected[i1:i2])!r} -> {' '.join(actual[j1:j2])!r}")
    return out[:limit]


def docx_text(path: Path) -> str:
    """Body text of a DOCX in document order, tables included, headers/footers not."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(path))
    parts: list[str] = []
    for el in document.element.body.iter():
        if el.tag == qn("w:p"):
            pieces = []
            for node in el.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
                pieces.append(node.text or "" if node.tag == qn("w:t") else " ")
            parts.append("".join(pieces))
    return "\n".join(parts)


def pdf_text(path: Path, header: str = "") -> str:
    """Text of every PDF page without the running header and the page footer."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    out = []
    for page in reader.pages:
        lines = (page.extract_text() or "").splitlines()
        lines = [ln for ln in lines if not re.fullmatch(r"\s*Pagina \d+ van \d+\s*", ln)
                 and not (header and ln.strip() == header.strip())]
        out.append("\n".join(lines))
    # Undo the typesetter's hyphenation at line ends ("gezondheids-" + "informatie").
    return re.sub(r"(\w)-\n(?=[a-zà-ÿ])", r"\1", "\n".join(out))
