"""The keyboard: focus on open, Tab and Enter go forward, Esc leaves nothing behind, Dutch buttons."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QPushButton, QWizard

from dpa_desktop.answers import example_answers
from dpa_desktop.gui import operations
from dpa_desktop.gui.dialogs import AboutDialog, ProfileDialog
from dpa_desktop.gui.start import StartWindow
from dpa_desktop.gui.wizard import QuestionPage
from tests.gui.driver import fill_current_page, open_start_window


@pytest.fixture
def window(qtbot: Any, run_op: Callable[[Callable[[], Any]], Any]) -> Iterator[StartWindow]:
    yield from open_start_window(qtbot, run_op)


def drafts(run_op: Callable[[Callable[[], Any]], Any], window: StartWindow) -> list[Any]:
    operations.wait_idle()
    return list(run_op(lambda: window.session.store.list_drafts()))


def test_each_step_opens_with_its_first_field_focused(qtbot: Any, window: StartWindow) -> None:
    wiz = window.start_new("vcare")
    assert wiz is not None
    page = wiz.currentPage()
    assert isinstance(page, QuestionPage)
    first = next(iter(page.fields.values()))
    qtbot.waitUntil(lambda: wiz.focusWidget() is first.focus_widget())
    fill_current_page(qtbot, wiz, example_answers(wiz.spec))
    wiz.next()
    services = wiz.pages["diensten"]
    qtbot.waitUntil(lambda: wiz.focusWidget() is services.list)  # type: ignore[attr-defined]
    wiz.close()


def test_tab_after_the_last_field_reaches_volgende_and_enter_goes_on(
        qtbot: Any, window: StartWindow) -> None:
    wiz = window.start_new("vcare")
    assert wiz is not None
    answers = example_answers(wiz.spec)
    while wiz.current_page_name() != "ondertekening":  # a step with "Vorige" shown
        fill_current_page(qtbot, wiz, answers)
        wiz.next()
    fill_current_page(qtbot, wiz, answers)
    page = wiz.currentPage()
    assert isinstance(page, QuestionPage)
    last = list(page.fields.values())[-1].focus_widget()
    last.setFocus()
    for _ in range(3):  # past the last field (and the "save to profile" box under it)
        qtbot.keyClick(wiz.focusWidget(), Qt.Key.Key_Tab)
        if isinstance(wiz.focusWidget(), QPushButton):
            break
    next_button = wiz.button(QWizard.WizardButton.NextButton)
    assert wiz.focusWidget() is next_button, wiz.focusWidget()
    qtbot.keyClick(next_button, Qt.Key.Key_Return)
    assert wiz.current_page_name() == "review"
    # and going on past "Volgende" reaches "Vorige" only after "Annuleren"
    seen = []
    widget = next_button
    for _ in range(6):
        widget = widget.nextInFocusChain()
        if widget in (wiz.button(QWizard.WizardButton.BackButton),
                      wiz.button(QWizard.WizardButton.CancelButton)):
            seen.append(widget)
    assert seen[:2] == [wiz.button(QWizard.WizardButton.CancelButton),
                        wiz.button(QWizard.WizardButton.BackButton)]
    wiz.close()


def test_esc_on_a_new_wizard_leaves_no_draft_but_keeps_one_she_typed_in(
        qtbot: Any, window: StartWindow, run_op: Callable[[Callable[[], Any]], Any]) -> None:
    wiz = window.start_new("vcare")
    assert wiz is not None
    qtbot.wait(SAVE_WAIT_MS)
    qtbot.keyClick(wiz, Qt.Key.Key_Escape)
    assert not wiz.isVisible()
    assert drafts(run_op, window) == []

    wiz = window.start_new("vcare")
    assert wiz is not None
    field = wiz.question_field("overeenkomst_kenmerk")
    field.editor.setFocus()
    qtbot.keyClicks(field.editor, "VC-2026-77")
    qtbot.keyClick(wiz, Qt.Key.Key_Escape)
    saved = drafts(run_op, window)
    assert [d.answers.values.get("overeenkomst_kenmerk") for d in saved] == ["VC-2026-77"]


SAVE_WAIT_MS = 600  # longer than the wizard's save delay


def test_buttons_read_dutch(qtbot: Any, window: StartWindow) -> None:
    wiz = window.start_new("vcare")
    assert wiz is not None
    texts = {which: wiz.buttonText(which) for which in (
        QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton,
        QWizard.WizardButton.FinishButton, QWizard.WizardButton.CancelButton)}
    assert texts == {QWizard.WizardButton.BackButton: "&Vorige",
                     QWizard.WizardButton.NextButton: "Volge&nde",
                     QWizard.WizardButton.FinishButton: "&Sluiten",
                     QWizard.WizardButton.CancelButton: "Annuleren"}
    wiz.close()
    profile = ProfileDialog({})
    qtbot.addWidget(profile)
    box = profile.findChild(QDialogButtonBox)
    assert box is not None
    assert box.button(QDialogButtonBox.StandardButton.Save).text().replace("&", "") == "Opslaan"
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == "Annuleren"
    about = AboutDialog()
    qtbot.addWidget(about)
    close = about.findChild(QDialogButtonBox)
    assert close is not None
    assert close.button(QDialogButtonBox.StandardButton.Close).text().replace("&", "") == "Sluiten"


def test_the_register_closes_with_sluiten_and_with_esc(qtbot: Any, window: StartWindow) -> None:
    reg = window.open_register()
    assert reg is not None
    assert reg.close_button.text() == "S&luiten"
    reg.search.setFocus()
    qtbot.keyClick(reg.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.register_window is None)
    reg = window.open_register()
    assert reg is not None and reg.isVisible()
    qtbot.mouseClick(reg.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.register_window is None)
