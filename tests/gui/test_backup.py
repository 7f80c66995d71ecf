"""Register > Reservekopie maken / terugzetten, and the reminder after 30 days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QPushButton

from dpa_desktop import paths, settings
from dpa_desktop.answers import example_answers
from dpa_desktop.fill import fill
from dpa_desktop.forms.loader import load_forms
from dpa_desktop.gui import operations
from dpa_desktop.gui.dialogs import ProfileDialog, RestoreDialog
from dpa_desktop.gui.session import Session
from dpa_desktop.gui.start import StartWindow
from dpa_desktop.store import Store
from tests.gui.driver import PROFILE, open_start_window, when_modal

WRONG_CODE = "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF-GGGGG-HHHHH"


def record_one(store: Store, out: Path, name: str) -> None:
    spec = load_forms().get("vcare")
    answers = example_answers(spec)
    answers = type(answers)(form_id=answers.form_id,
                            values={**answers.values, "organisatie_naam": name},
                            services=answers.services, retention=answers.retention)
    result = fill(spec, answers, out / name)
    store.record_agreement(spec, answers, result.docx, result.pdf)


def test_a_backup_from_the_menu_and_the_reminder_after_30_days(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error_boxes: list[str],
        run_op: Callable[[Callable[[], Any]], Any]) -> None:
    today = dt.date.today()
    settings.save(settings.Settings(last_backup=today - dt.timedelta(days=40)))
    chosen = tmp_path / "kopie"  # she leaves out the extension
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(chosen), "")))
    for win in open_start_window(qtbot, run_op):
        assert win.reminder.isVisible()
        assert "40 dagen geleden" in win.reminder_text.text()
        reg = win.open_register()
        assert reg is not None
        action = reg.findChild(QAction, "action_backup")
        assert action is not None and action.text() == "Reservekopie &maken…"
        action.trigger()
        qtbot.waitUntil(lambda: len(error_boxes) == 1, timeout=30_000)
        assert "De reservekopie is opgeslagen" in error_boxes.pop()
        made = tmp_path / "kopie.dpabackup"
        assert made.read_bytes().startswith(b"DPA-DESKTOP-BACKUP")
        assert settings.load().last_backup == today
        assert not win.reminder.isVisible()
        assert win.actions_by_name["restore"].text() == "Reservekopie &terugzetten…"


def test_never_backed_up_reminds_after_30_days_of_use() -> None:
    today = dt.date(2026, 11, 23)
    assert not settings.backup_due(settings.Settings(), today)
    fresh = settings.Settings(first_use=today - dt.timedelta(days=10))
    assert not settings.backup_due(fresh, today)
    assert settings.backup_due(settings.Settings(first_use=today - dt.timedelta(days=31)), today)
    assert not settings.backup_due(settings.Settings(last_backup=today - dt.timedelta(days=30),
                                                     first_use=dt.date(2020, 1, 1)), today)


@pytest.fixture
def backed_up(tmp_path: Path) -> tuple[Path, str]:
    """A register with one agreement, its backup, and then a second agreement."""
    store, code = Store.create()
    store.save_profile({**PROFILE, "organisatie_naam": "Praktijk Uit De Kopie"})
    record_one(store, tmp_path, "Eerste Praktijk")
    archive = tmp_path / "register.dpabackup"
    store.backup(archive)
    record_one(store, tmp_path, "Tweede Praktijk")
    store.save_profile({**PROFILE, "organisatie_naam": "Praktijk Na De Kopie"})
    store.close()
    return archive, code


def test_restore_asks_the_code_again_when_wrong_and_keeps_the_register_it_replaces(
        qtbot: Any, backed_up: tuple[Path, str], error_boxes: list[str],
        run_op: Callable[[Callable[[], Any]], Any]) -> None:
    archive, code = backed_up
    win = StartWindow(Session())
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.ready, timeout=30_000):
        win.begin()
    assert "Praktijk Na De Kopie" in win.practice.text()
    problems: list[str] = []

    def right_code(dialog: QDialog) -> None:
        assert isinstance(dialog, RestoreDialog)
        problems.append(dialog.problem.text())
        assert dialog.archive.text() == str(archive), "the file she chose is kept"
        dialog.code.setText(code.lower())
        dialog.accept()

    def wrong_code(dialog: QDialog) -> None:
        assert isinstance(dialog, RestoreDialog)
        assert dialog.ok_button.isDefault(), "Enter restores"
        dialog.accept()
        assert dialog.isVisible() and "Kies een bestaande reservekopie" in dialog.problem.text()
        dialog.archive.setText(str(archive))
        dialog.accept()
        assert "Vul de herstelcode in" in dialog.problem.text()
        dialog.code.setText(WRONG_CODE)
        when_modal(right_code)
        dialog.accept()

    when_modal(wrong_code)
    win.actions_by_name["restore"].trigger()
    qtbot.waitUntil(lambda: len(error_boxes) == 1, timeout=60_000)
    message = error_boxes.pop()
    assert message.startswith("Het register uit register.dpabackup is teruggezet.")
    assert "bewaard in" in message
    assert problems and "herstelcode klopt niet" in problems[0]
    assert "Praktijk Uit De Kopie" in win.practice.text()
    agreements = run_op(lambda: win.session.store.list_agreements())
    assert [a.organisation for a in agreements] == ["Eerste Praktijk"]
    data = paths.data_dir()
    kept = sorted(data.parent.glob(f"{data.name} (vervangen *)"))
    assert len(kept) == 1 and (kept[0] / "register.sqlite").is_file()
    assert str(kept[0]) in message
    with Store.open(kept[0]) as old:  # the register she had is intact
        assert len(old.list_agreements()) == 2
    beside = {p.name for p in data.parent.iterdir() if p.name.startswith(data.name)}
    assert beside <= {data.name, kept[0].name, f"{data.name}-logboek", f"{data.name}-geopend",
                      f"{data.name}-instellingen.json"}, "no half-restored folder is left"
    win.close()
    operations.wait_idle()
    run_op(lambda: win.session.store.close())


def test_on_a_new_computer_the_first_start_offers_to_restore(
        qtbot: Any, backed_up: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        error_boxes: list[str], run_op: Callable[[Callable[[], Any]], Any]) -> None:
    archive, code = backed_up
    monkeypatch.setenv("DPA_DESKTOP_DATA_DIR", str(tmp_path / "nieuwe-laptop"))
    monkeypatch.setenv("DPA_DESKTOP_KEYRING_FILE", str(tmp_path / "nieuwe-sleutels.json"))

    def restore(dialog: QDialog) -> None:
        assert isinstance(dialog, RestoreDialog)
        dialog.archive.setText(str(archive))
        dialog.code.setText(code)
        dialog.accept()

    def profile(dialog: QDialog) -> None:
        assert isinstance(dialog, ProfileDialog)
        button = dialog.findChild(QPushButton, "restore_instead")
        assert button is not None
        when_modal(restore)
        button.click()

    win = StartWindow(Session())
    qtbot.addWidget(win)
    win.show()
    when_modal(profile)
    win.begin()
    qtbot.waitUntil(lambda: win.register_button.isEnabled(), timeout=60_000)
    qtbot.waitUntil(lambda: len(error_boxes) == 1)
    assert "is teruggezet" in error_boxes.pop()
    assert "Praktijk Uit De Kopie" in win.practice.text()
    assert len(run_op(lambda: win.session.store.list_agreements())) == 1
    win.close()
    operations.wait_idle()
    run_op(lambda: win.session.store.close())
