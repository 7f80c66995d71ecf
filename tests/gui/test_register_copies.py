"""Opening or printing a document from the register window decrypts it only into the
user's private folder, under a random name, and the copy goes again (issue 20, point 1)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dpa_desktop import paths, platform
from dpa_desktop.answers import example_answers
from dpa_desktop.forms.loader import load_forms
from dpa_desktop.gui import operations
from dpa_desktop.gui.start import StartWindow
from dpa_desktop.store import Store
from tests.gui.driver import open_start_window

DOCX = b"PK\x03\x04 register docx " + b"d" * 500
PDF = b"%PDF-1.4 register pdf " + b"p" * 500


@pytest.fixture
def window(qtbot: Any, tmp_path: Path,
           run_op: Callable[[Callable[[], Any]], Any]) -> Iterator[StartWindow]:
    spec = load_forms().get("vcare")
    docx, pdf = tmp_path / "a.docx", tmp_path / "a.pdf"
    docx.write_bytes(DOCX)
    pdf.write_bytes(PDF)

    def with_agreement(store: Store) -> None:
        store.record_agreement(spec, example_answers(spec), docx, pdf)

    yield from open_start_window(qtbot, run_op, with_agreement)


def test_opening_a_document_uses_a_private_random_copy_that_the_sweep_removes(
        qtbot: Any, window: StartWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(platform, "open_with_default_app", opened.append)
    reg = window.open_register()
    assert reg is not None
    qtbot.waitUntil(lambda: reg.proxy.rowCount() == 1)
    qtbot.waitUntil(lambda: reg.selected_id() == 1)
    reg.open_document("docx")
    reg.open_document("docx")
    qtbot.waitUntil(lambda: len(opened) == 2, timeout=10_000)
    first, second = opened
    assert first != second  # a new random name every time
    assert first.parent == paths.private_temp_dir()
    assert first.read_bytes() == DOCX and first.suffix == ".docx"
    operations.wait_idle()
    # What the app does at every start and when it closes (and, for copies a
    # viewer let go of, every minute):
    box: dict[str, int] = {}
    operations.Op(None, lambda: operations._sweep_copies(0)).success(
        lambda n: box.setdefault("n", n)).run_in_background()
    qtbot.waitUntil(lambda: "n" in box)
    assert box["n"] == 2 and not first.exists() and not second.exists()


def test_printing_from_the_register_makes_no_decrypted_copy(
        qtbot: Any, window: StartWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    """The printer gets the decrypted PDF from memory: nothing is written for it."""
    from dpa_desktop.gui import pdf as gui_pdf

    printed: list[tuple[object, int]] = []
    monkeypatch.setattr(gui_pdf, "print_pdf",
                        lambda parent, source, name, copies=1: printed.append((source, copies)))
    reg = window.open_register()
    assert reg is not None
    qtbot.waitUntil(lambda: reg.proxy.rowCount() == 1)
    qtbot.waitUntil(lambda: reg.selected_id() == 1)
    reg.print_pdf()
    qtbot.waitUntil(lambda: len(printed) == 1, timeout=10_000)
    source, _copies = printed[0]
    assert source == PDF
    folder = paths.private_temp_dir()
    assert not folder.exists() or list(folder.iterdir()) == []
