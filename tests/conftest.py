"""Shared fixtures: every test gets its own data directory and a file keyring,
so no test ever touches the user's data or the system keyring."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Test modules load forms (and so write the form, font and hyphenation caches)
# when they are imported, before any fixture runs: give that a data directory
# of its own too, never the user's.
_IMPORT_TIME_DATA = tempfile.mkdtemp(prefix="dpa-tests-")
os.environ["DPA_DESKTOP_DATA_DIR"] = _IMPORT_TIME_DATA
atexit.register(shutil.rmtree, _IMPORT_TIME_DATA, True)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    base = tmp_path_factory.mktemp("dpa")
    data = base / "data"
    monkeypatch.setenv("DPA_DESKTOP_DATA_DIR", str(data))
    monkeypatch.setenv("DPA_DESKTOP_KEYRING", "file")
    monkeypatch.setenv("DPA_DESKTOP_KEYRING_FILE", str(base / "keyring.json"))
    yield data
