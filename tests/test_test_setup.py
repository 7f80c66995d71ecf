"""The test suite itself: a clone anywhere passes it, CI cannot skip the seed comparisons,
and a run leaves nothing in the temp folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import seedtools

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"


def _clean_env(temp: Path, **extra: str) -> dict[str, str]:
    """This environment without the seed settings, with ``temp`` as the temp folder
    (so what a nested run leaves goes with this test's tmp_path)."""
    env = {k: v for k, v in os.environ.items()
           if k not in (seedtools.SEEDS_DIR_ENV, seedtools.REQUIRE_SEEDS_ENV, "PYTEST_ADDOPTS")}
    temp.mkdir(exist_ok=True)
    env.update(TMPDIR=str(temp), TEMP=str(temp), TMP=str(temp), **extra)
    return env


def _pytest(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=cwd,
                          env=env, capture_output=True, text=True, encoding="utf-8", timeout=600)


# --- require_seeds: the one decision every seed comparison goes through -----------------

@pytest.fixture
def no_seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clone with nothing at ../shared/seeds and no DPA_SEEDS_DIR."""
    absent = tmp_path / "shared" / "seeds"
    monkeypatch.setattr(seedtools, "DEFAULT_SEEDS_DIR", absent)
    monkeypatch.delenv(seedtools.SEEDS_DIR_ENV, raising=False)
    monkeypatch.delenv(seedtools.REQUIRE_SEEDS_ENV, raising=False)
    return absent


def test_without_seeds_a_comparison_skips_with_the_one_reason(no_seeds: Path) -> None:
    with pytest.raises(pytest.skip.Exception) as skipped:
        seedtools.require_seeds()
    assert str(skipped.value) == seedtools.MISSING_REASON
    assert "DPA_SEEDS_DIR" in seedtools.MISSING_REASON and "../shared/seeds" in seedtools.MISSING_REASON
    with pytest.raises(pytest.skip.Exception):
        seedtools.seed_text("vcare")


def test_without_seeds_a_comparison_fails_where_seeds_are_required(
        no_seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(seedtools.REQUIRE_SEEDS_ENV, "1")
    with pytest.raises(pytest.fail.Exception) as failed:
        seedtools.require_seeds()
    assert seedtools.MISSING_REASON in str(failed.value)
    assert "DPA_REQUIRE_SEEDS=1" in str(failed.value) and str(no_seeds) in str(failed.value)


def test_a_seeds_dir_that_names_no_folder_fails_rather_than_skips(
        no_seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(seedtools.SEEDS_DIR_ENV, str(no_seeds.parent / "elders"))
    with pytest.raises(pytest.fail.Exception) as failed:
        seedtools.require_seeds()
    assert "elders is not a folder" in str(failed.value)


def test_the_seeds_are_read_from_dpa_seeds_dir(no_seeds: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "elders"
    folder.mkdir()
    (folder / seedtools.SEED_FILES["vcare"]).write_text("Artikel 1\nDe tekst.\n", encoding="utf-8")
    monkeypatch.setenv(seedtools.SEEDS_DIR_ENV, str(folder))
    monkeypatch.setenv(seedtools.REQUIRE_SEEDS_ENV, "1")
    assert seedtools.require_seeds() == folder
    assert seedtools.seed_words("vcare") == ["artikel", "1", "de", "tekst"]


def test_the_seeds_are_found_beside_the_clone(no_seeds: Path) -> None:
    no_seeds.mkdir(parents=True)
    assert seedtools.require_seeds() == no_seeds


# --- the marker, end to end: the real conftest.py and seedtools.py in a clone of their own --

_MARKED = '''
import pytest
from seedtools import seed_words


@pytest.mark.seeds
def test_compares_with_the_seed():
    assert seed_words("vcare") == ["de", "tekst"]


def test_needs_no_seed():
    assert True
'''


@pytest.fixture
def mini_clone(tmp_path: Path) -> Path:
    """<tmp>/clone/tests with this suite's conftest.py and seedtools.py; <tmp>/shared is absent."""
    clone = tmp_path / "clone"
    (clone / "tests").mkdir(parents=True)
    for name in ("conftest.py", "seedtools.py"):
        shutil.copy(TESTS / name, clone / "tests" / name)
    (clone / "tests" / "test_marked.py").write_text(_MARKED, encoding="utf-8")
    (clone / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\naddopts = "-ra --strict-markers"\n', encoding="utf-8")
    return clone


@pytest.mark.slow
def test_a_clone_without_seeds_skips_only_the_comparison_and_ci_fails_on_it(mini_clone: Path) -> None:
    temp = mini_clone.parent / "temp"
    plain = _pytest(["tests"], mini_clone, _clean_env(temp))
    assert plain.returncode == 0, plain.stdout + plain.stderr
    assert "1 passed, 1 skipped" in plain.stdout
    # One line in the summary, for every comparison that skipped: the one reason.
    assert re.search(r"SKIPPED \[1\] tests.seedtools\.py:\d+: " + re.escape(seedtools.MISSING_REASON),
                     plain.stdout), plain.stdout

    required = _pytest(["tests"], mini_clone, _clean_env(temp, DPA_REQUIRE_SEEDS="1"))
    assert required.returncode == 1, required.stdout + required.stderr
    assert "1 passed, 1 error" in required.stdout
    assert "DPA_REQUIRE_SEEDS=1: the comparison must run, not skip" in required.stdout

    seeds = mini_clone.parent / "shared" / "seeds"
    seeds.mkdir(parents=True)
    (seeds / seedtools.SEED_FILES["vcare"]).write_text("De tekst.\n", encoding="utf-8")
    present = _pytest(["tests"], mini_clone, _clean_env(temp, DPA_REQUIRE_SEEDS="1"))
    assert present.returncode == 0, present.stdout + present.stderr
    assert "2 passed" in present.stdout


@pytest.mark.slow
def test_dpa_seeds_dir_points_a_clone_at_the_seeds(mini_clone: Path, tmp_path: Path) -> None:
    seeds = tmp_path / "elders"
    seeds.mkdir()
    (seeds / seedtools.SEED_FILES["vcare"]).write_text("De tekst.\n", encoding="utf-8")
    run = _pytest(["tests"], mini_clone, _clean_env(tmp_path / "temp", DPA_SEEDS_DIR=str(seeds),
                                                       DPA_REQUIRE_SEEDS="1"))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout


# --- the temp folder --------------------------------------------------------------------

@pytest.mark.slow
def test_a_run_leaves_nothing_in_the_temp_folder(tmp_path: Path) -> None:
    """Filled agreements, the import-time data directory and passing tests' tmp_path go.

    pytest keeps its own per-user folder (``pytest-of-<user>``), empty after a run
    that passed (``tmp_path_retention_policy = "failed"`` in pyproject.toml).
    """
    temp = tmp_path / "temp"
    env = _clean_env(temp)
    # test_docx_schema_order fills every shipped form (tests/shipped.py); test_platform uses tmp_path.
    run = _pytest(["-q", "tests/test_docx_schema_order.py", "tests/test_platform.py"], ROOT, env)
    assert run.returncode == 0, run.stdout + run.stderr
    left = sorted(str(p.relative_to(temp)) for p in temp.rglob("*"))
    assert [p for p in left if not p.startswith("pytest-of-")] == []
    assert [p for p in left if os.sep in p] == [], "pytest's own folder is not empty"
