"""Drive the wizard the way a person does: type into fields, tick, click Volgende."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLineEdit, QPlainTextEdit, QWidget, QWizard

from dpa_desktop.answers import Answers
from dpa_desktop.gui import operations
from dpa_desktop.gui.fields import ListField, QuestionField
from dpa_desktop.gui.session import Session
from dpa_desktop.gui.start import StartWindow
from dpa_desktop.gui.wizard import AgreementWizard, QuestionPage, RetentionPage, ServicesPage
from dpa_desktop.store import Store

PROFILE = {
    "organisatie_soort": "huisartsenpraktijk",
    "organisatie_naam": "Huisartsenpraktijk Profiel",
    "plaats": "Zwolle",
    "kvk": "11223344",
}


def when_modal(handler: Callable[[QDialog], None]) -> None:
    """Handle the next modal dialog as soon as it is shown (exec() blocks the test)."""
    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QDialog) and widget.isVisible():
            handler(widget)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)


def type_into(qtbot: Any, field: QuestionField, value: str | bool) -> None:
    """Replace what the field holds with ``value``, typed key by key, then leave it."""
    editor = field.editor
    q = field.question
    if q.type == "boolean":
        qtbot.mouseClick(field._yes if value is True else field._no, Qt.MouseButton.LeftButton)
        return
    if isinstance(editor, QComboBox):
        editor.setFocus()
        editor.setCurrentIndex(editor.findData(value))
        return
    text = str(value)
    if isinstance(editor, QPlainTextEdit):
        editor.setFocus()
        editor.selectAll()
        qtbot.keyClick(editor, Qt.Key.Key_Delete)
        for i, line in enumerate(text.split("\n")):
            if i:
                qtbot.keyClick(editor, Qt.Key.Key_Return)
            qtbot.keyClicks(editor, line)
    else:
        assert isinstance(editor, QLineEdit)
        editor.setFocus()
        editor.selectAll()
        qtbot.keyClick(editor, Qt.Key.Key_Delete)
        type_text(qtbot, editor, text)
    field.check()  # what leaving the field does


def cell_editor(field: ListField, row: int, col: int) -> QWidget:
    """The open editor of a cell: the one "Toevoegen" opened, or one a double click opens."""
    table = field.table
    name = f"cell_{field.question.id}_{field.question.fields[col].id}"

    def open_editors() -> list[QWidget]:
        return [w for w in table.viewport().findChildren(QWidget, name) if w.isVisible()]

    if not (open_editors() and table.currentRow() == row and table.currentColumn() == col):
        table.setFocus()
        table.setCurrentCell(row, col)
        item = table.item(row, col)
        assert item is not None
        table.editItem(item)
    editors = open_editors()
    assert len(editors) == 1, editors
    return editors[0]


def type_text(qtbot: Any, editor: QLineEdit, text: str) -> None:
    """Type key by key; QTest has no keys for letters outside ASCII ("ë"), so those are inserted."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(editor, ch)
        else:
            editor.insert(ch)
            editor.textEdited.emit(editor.text())  # as typing it would


def type_cell(qtbot: Any, field: ListField, row: int, col: int, value: str | bool) -> None:
    """Type into one cell of a list (or pick from its drop-down) and press Enter."""
    editor = cell_editor(field, row, col)
    if isinstance(editor, QComboBox):
        editor.setCurrentIndex(editor.findData(value))
    else:
        assert isinstance(editor, QLineEdit)
        editor.selectAll()
        qtbot.keyClick(editor, Qt.Key.Key_Delete)
        type_text(qtbot, editor, str(value))
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def fill_list(qtbot: Any, field: ListField, rows: tuple[dict[str, str | bool], ...]) -> None:
    """Replace a list's rows: remove every row, then add and type each one."""
    while field.table.rowCount():
        field.table.setCurrentCell(0, 0)
        qtbot.mouseClick(field.remove_button, Qt.MouseButton.LeftButton)
    for r, row in enumerate(rows):
        qtbot.mouseClick(field.add_button, Qt.MouseButton.LeftButton)
        for col, sub in enumerate(field.question.fields):
            if sub.id in row:
                type_cell(qtbot, field, r, col, row[sub.id])


def fill_current_page(qtbot: Any, wiz: AgreementWizard, answers: Answers) -> None:
    page = wiz.currentPage()
    if isinstance(page, ServicesPage):
        page.set_checked(list(answers.services))
        if page.questions_page is not None:
            page = page.questions_page
    if isinstance(page, QuestionPage):
        for qid, field in page.fields.items():
            if isinstance(field, ListField):
                if qid in answers.lists:
                    fill_list(qtbot, field, answers.lists[qid])
            elif qid in answers.values:
                type_into(qtbot, field, answers.values[qid])
    if isinstance(page, RetentionPage):
        for sid, (amount, unit, _error) in page.rows.items():
            if sid in answers.retention:
                amount.setValue(answers.retention[sid][0])
                unit.setCurrentText(answers.retention[sid][1])


def click(qtbot: Any, wiz: AgreementWizard, which: QWizard.WizardButton) -> None:
    button = wiz.button(which)
    assert button.isVisible() and button.isEnabled(), f"{which} not clickable"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def next_page(qtbot: Any, wiz: AgreementWizard) -> None:
    click(qtbot, wiz, QWizard.WizardButton.NextButton)


def walk_to_review(qtbot: Any, wiz: AgreementWizard, answers: Answers) -> list[str]:
    """Fill every page from ``answers`` and go on until the review page; returns pages seen."""
    seen: list[str] = []
    while wiz.current_page_name() != "review":
        name = wiz.current_page_name()
        assert name not in seen, f"page {name} twice"
        seen.append(name)
        fill_current_page(qtbot, wiz, answers)
        next_page(qtbot, wiz)
        assert wiz.current_page_name() != name, f"stuck on {name}: {problems_shown(wiz)}"
    return seen


def generate(qtbot: Any, wiz: AgreementWizard, out_dir: Path) -> None:
    review = wiz.pages["review"]
    review.folder.setText(str(out_dir))  # type: ignore[attr-defined]
    click(qtbot, wiz, QWizard.WizardButton.CommitButton)
    result = wiz.pages["result"]
    qtbot.waitUntil(result.isComplete, timeout=120_000)


def problems_shown(wiz: AgreementWizard) -> dict[str, str]:
    page = wiz.currentPage()
    if isinstance(page, ServicesPage) and page.questions_page is not None:
        page = page.questions_page
    fields = page.fields if isinstance(page, QuestionPage) else {}
    return {qid: f.problem() for qid, f in fields.items() if f.problem()}


def open_start_window(qtbot: Any, run_op: Callable[[Callable[[], Any]], Any],
                      prepare: Callable[[Store], None] | None = None) -> Iterator[StartWindow]:
    """A fresh store with the test profile (plus what ``prepare`` adds), its start
    window shown and ready; closed and the store released afterwards."""
    store, _code = Store.create()
    store.save_profile(PROFILE)
    if prepare is not None:
        prepare(store)
    store.close()
    win = StartWindow(Session())
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.ready, timeout=30_000):
        win.begin()
    yield win
    win.close()
    operations.wait_idle()
    run_op(lambda: win.session.store.close())
