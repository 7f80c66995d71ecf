"""Support: a log that says what happened but holds no personal data; 'Over DPA Desktop'."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from dpa_desktop import logs, paths
from dpa_desktop.answers import Answers, example_answers
from dpa_desktop.errors import DpaError
from dpa_desktop.gui import operations
from dpa_desktop.gui.dialogs import AboutDialog
from dpa_desktop.gui.operations import Op
from dpa_desktop.gui.register import SignedDialog
from dpa_desktop.gui.start import StartWindow
from tests.gui.driver import generate, open_start_window, type_into, walk_to_review, when_modal

# What a practice manager might type, each unlikely to appear anywhere by chance.
DISTINCTIVE = {
    "organisatie_naam": "Huisartsenpraktijk Zwanenbloem-Qx7",
    "adres": "Kwakkelsteeg 917",
    "plaats": "Ypsilonhoeve",
    "vertegenwoordiger": "Jozefien Vrankrijker",
    "overeenkomst_kenmerk": "KENMERK-ZQ-4471",
    "vertegenwoordiger_functie": "Praktijkhoudster-Uniek",
    "ondertekening_plaats": "Ypsilonhoeve",
}


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    target = logs.setup(tmp_path / "logboek")
    yield target
    logs.stop()


@pytest.fixture
def window(qtbot: Any, run_op: Callable[[Callable[[], Any]], Any],
           log_file: Path) -> Iterator[StartWindow]:
    yield from open_start_window(qtbot, run_op)


def test_the_log_records_what_happened_and_none_of_her_answers(
        qtbot: Any, window: StartWindow, log_file: Path, tmp_path: Path,
        error_boxes: list[str], run_op: Callable[[Callable[[], Any]], Any]) -> None:
    wiz = window.start_new("vcare")
    assert wiz is not None
    example = example_answers(wiz.spec)
    answers = Answers(form_id="vcare", values={**example.values, **DISTINCTIVE},
                      services=example.services, retention=example.retention)
    walk_to_review(qtbot, wiz, answers)
    out = tmp_path / "uitvoer"
    generate(qtbot, wiz, out)
    assert any(DISTINCTIVE["organisatie_naam"] in p.name for p in out.iterdir())
    wiz.close()

    reg = window.open_register()
    assert reg is not None
    qtbot.waitUntil(lambda: reg.current is not None)

    def sign(dialog: Any) -> None:
        assert isinstance(dialog, SignedDialog)
        dialog.note.setText(f"Getekend door {DISTINCTIVE['vertegenwoordiger']}")
        dialog.accept()

    when_modal(sign)
    qtbot.mouseClick(reg.signed_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: reg.proxy.index(0, 3).data() == "Ondertekend")
    reg.close()
    # An error whose message quotes what she typed: the log gets its type only.
    failed = Op(None, lambda: _raise(f"De naam {DISTINCTIVE['organisatie_naam']} is te lang"))
    failed.run_in_background()
    qtbot.waitUntil(lambda: len(error_boxes) == 1)
    error_boxes.clear()
    operations.wait_idle()
    run_op(lambda: None)

    text = log_file.read_text(encoding="utf-8")
    assert "wizard opened: form vcare, new" in text
    assert "generated form vcare: agreement 1" in text
    assert "agreement 1 marked ondertekend" in text
    assert "job failed: dpa_desktop.errors.DpaError in" in text
    for value in DISTINCTIVE.values():
        assert value not in text
        assert value.split()[-1] not in text  # not even part of it
    assert str(out) not in text, "no file names of agreements (they carry the practice's name)"


def _raise(message: str) -> None:
    raise DpaError(message)


def test_the_log_rotates_at_its_size(tmp_path: Path) -> None:
    import logging

    target = logs.setup(tmp_path / "logboek")
    try:
        logger = logging.getLogger("dpa_desktop.test")
        for i in range(logs.MAX_BYTES // 80 + 50):
            logger.info("event %06d %s", i, "x" * 60)
    finally:
        logs.stop()
    assert target.with_name(logs.LOG_NAME + ".1").is_file()
    assert target.stat().st_size <= logs.MAX_BYTES


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fakes xdg-mime and xdg-open")
def test_over_names_version_keyring_and_folders_and_opens_the_log_folder(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dpa_desktop import __version__

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    opened = tmp_path / "geopend.txt"
    for tool, script in (("xdg-mime", "echo inode/directory\n"),
                         ("xdg-open", f'echo "$@" >> {opened}\n')):
        (bin_dir / tool).write_text(f"#!/bin/sh\n{script}", encoding="utf-8")
        (bin_dir / tool).chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    about = AboutDialog()
    qtbot.addWidget(about)
    assert about.facts["version"].text() == __version__
    assert about.facts["data"].text() == str(paths.data_dir())
    assert about.facts["log"].text() == str(paths.log_dir())
    assert "DPA_DESKTOP_KEYRING=file" in about.facts["keyring"].text()  # the tests' file keyring
    qtbot.mouseClick(about.open_log, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(opened.exists, timeout=10_000)
    assert opened.read_text(encoding="utf-8").strip() == str(paths.log_dir())


def test_a_field_typed_with_a_distinctive_value_is_not_logged_when_refused(
        qtbot: Any, window: StartWindow, log_file: Path) -> None:
    wiz = window.start_new("vcare")
    assert wiz is not None
    type_into(qtbot, wiz.question_field("kvk"), "KVK-Zwanenbloem")
    wiz.next()
    assert wiz.current_page_name() == "partij"
    wiz.close()
    operations.wait_idle()
    assert "Zwanenbloem" not in log_file.read_text(encoding="utf-8")
