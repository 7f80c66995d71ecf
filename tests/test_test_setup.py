"""The test suite itself: a run leaves nothing in the temp folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    env.update(extra)
    return env


def _pytest(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=cwd,
                          env=env, capture_output=True, text=True, encoding="utf-8", timeout=600)


# --- the temp folder --------------------------------------------------------------------

@pytest.mark.slow
def test_a_run_leaves_nothing_in_the_temp_folder(tmp_path: Path) -> None:
    """Filled agreements, the import-time data directory and passing tests' tmp_path go.

    pytest keeps its own per-user folder (``pytest-of-<user>``), empty after a run
    that passed (``tmp_path_retention_policy = "failed"`` in pyproject.toml).
    """
    temp = tmp_path / "temp"
    temp.mkdir()
    env = _clean_env(TMPDIR=str(temp), TEMP=str(temp), TMP=str(temp))
    # test_docx_schema_order fills every shipped form (tests/shipped.py); test_platform uses tmp_path.
    run = _pytest(["-q", "tests/test_docx_schema_order.py", "tests/test_platform.py"], ROOT, env)
    assert run.returncode == 0, run.stdout + run.stderr
    left = sorted(str(p.relative_to(temp)) for p in temp.rglob("*"))
    assert [p for p in left if not p.startswith("pytest-of-")] == []
    assert [p for p in left if os.sep in p] == [], "pytest's own folder is not empty"
