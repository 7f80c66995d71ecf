"""Shared fixtures: every test gets its own data directory and a file keyring,
so no test ever touches the user's data or the system keyring.

Everything a session writes outside pytest's own ``tmp_path`` folders goes into
one session folder (``DPA_TESTS_SESSION_DIR``), removed when the session ends,
so a run leaves nothing in the temp folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from seedtools import require_seeds

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SESSION_DIR_ENV = "DPA_TESTS_SESSION_DIR"
_SESSION_DIR = Path(tempfile.mkdtemp(prefix="dpa-tests-"))
os.environ[SESSION_DIR_ENV] = str(_SESSION_DIR)
# Test modules load and fill forms when they are imported, before any fixture
# runs: give that a data directory of its own too, never the user's.
os.environ["DPA_DESKTOP_DATA_DIR"] = str(_SESSION_DIR / "import-time-data")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "seeds: compares a form with its seed text (DPA_SEEDS_DIR or ../shared/seeds); "
        "skips without the seeds, fails without them when DPA_REQUIRE_SEEDS=1",
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("seeds") is not None:
        require_seeds()


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SESSION_DIR, ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    base = tmp_path_factory.mktemp("dpa")
    data = base / "data"
    monkeypatch.setenv("DPA_DESKTOP_DATA_DIR", str(data))
    monkeypatch.setenv("DPA_DESKTOP_KEYRING", "file")
    monkeypatch.setenv("DPA_DESKTOP_KEYRING_FILE", str(base / "keyring.json"))
    yield data
