"""Shared fixtures: every test gets its own data directory and a file keyring,
so no test ever touches the user's data or the system keyring."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    base = tmp_path_factory.mktemp("dpa")
    data = base / "data"
    monkeypatch.setenv("DPA_DESKTOP_DATA_DIR", str(data))
    monkeypatch.setenv("DPA_DESKTOP_KEYRING", "file")
    monkeypatch.setenv("DPA_DESKTOP_KEYRING_FILE", str(base / "keyring.json"))
    yield data
