"""Store fixtures: a file keyring outside the data directory, cheap scrypt, small documents.

Tests never touch the system keyring: ``key_backend`` is a FileKeyring in the
test's temporary directory, beside (not inside) the data directory.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dpa_desktop import paths
from dpa_desktop.forms.loader import load_forms
from dpa_desktop.forms.model import FormSpec
from dpa_desktop.store import FileKeyring, Store, crypto


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    # The real cost (2**15) is exercised by the fixture databases; new wraps
    # in tests use a small one so a hundred set-ups stay fast.
    monkeypatch.setattr(crypto, "SCRYPT_N", 2**10)


@pytest.fixture
def data_dir() -> Path:
    return paths.data_dir()


@pytest.fixture
def key_backend(tmp_path: Path) -> FileKeyring:
    return FileKeyring(tmp_path / "keyring-outside-data.json")


@pytest.fixture
def new_store(data_dir: Path, key_backend: FileKeyring) -> Iterator[tuple[Store, str]]:
    store, code = Store.create(data_dir, key_backend)
    yield store, code
    store.close()


@pytest.fixture
def store(new_store: tuple[Store, str]) -> Store:
    return new_store[0]


@pytest.fixture(scope="session")
def vcare() -> FormSpec:
    return load_forms().get("vcare")


@pytest.fixture
def documents(tmp_path: Path) -> tuple[Path, Path]:
    """Stand-ins for a rendered DOCX and PDF (rendering is tested elsewhere)."""
    docx = tmp_path / "out" / "overeenkomst.docx"
    pdf = tmp_path / "out" / "overeenkomst.pdf"
    docx.parent.mkdir(parents=True, exist_ok=True)
    docx.write_bytes(b"PK\x03\x04 fake docx " + b"x" * 1000)
    pdf.write_bytes(b"%PDF-1.7 fake pdf " + b"y" * 1000)
    return docx, pdf
