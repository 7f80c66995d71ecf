"""A list question in the wizard: a table she adds rows to, types in, and removes rows from."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QComboBox, QLineEdit

from dpa_desktop.answers import example_answers, normalised
from dpa_desktop.forms.loader import load_form
from dpa_desktop.gui import operations
from dpa_desktop.gui.fields import BAD_CELL, ListField
from dpa_desktop.gui.start import StartWindow
from dpa_desktop.gui.wizard import AgreementWizard, ReviewPage
from tests.gui.driver import (
    cell_editor,
    fill_current_page,
    fill_list,
    next_page,
    open_start_window,
    problems_shown,
    type_cell,
    walk_to_review,
)

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "forms" / "labkoerier.yaml"
KOERIER = load_form(FIXTURE)


@pytest.fixture
def window(qtbot: Any, run_op: Callable[[Callable[[], Any]], Any]) -> Iterator[StartWindow]:
    yield from open_start_window(qtbot, run_op)


@pytest.fixture
def field(qtbot: Any) -> ListField:
    widget = ListField(KOERIER.question("ophaaladressen"))
    qtbot.addWidget(widget)
    widget.resize(900, 400)
    widget.show()
    return widget


def _click(qtbot: Any, button: Any) -> None:
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _type_row(qtbot: Any, field: ListField, row: int, **cells: str | bool) -> None:
    for col, sub in enumerate(field.question.fields):
        if sub.id in cells:
            type_cell(qtbot, field, row, col, cells[sub.id])


def _walk_to(qtbot: Any, wiz: AgreementWizard, page: str) -> None:
    answers = example_answers(wiz.spec)
    while wiz.current_page_name() != page:
        fill_current_page(qtbot, wiz, answers)
        next_page(qtbot, wiz)


def test_she_adds_rows_types_them_and_removes_one(qtbot: Any, field: ListField) -> None:
    assert field.table.rowCount() == 0 and field.empty_label.isVisible()
    assert not field.remove_button.isEnabled()
    _click(qtbot, field.add_button)
    # "Toevoegen" opens the first cell of the new row for typing.
    first = cell_editor(field, 0, 0)
    assert isinstance(first, QLineEdit) and first.hasFocus()
    _type_row(qtbot, field, 0, locatie="Hoofdpost", postcode="3811ab", email="balie@praktijk.nl",
              frequentie="dagelijks", sinds="6-1-2025", koeling=True)
    _click(qtbot, field.add_button)
    _type_row(qtbot, field, 1, locatie="Dependance", postcode="3828 CD", email="d@praktijk.nl",
              telefoon="033 765 4321", frequentie="wekelijks", sinds="2025-03-03", koeling=False)
    # What she typed is normalised where she sees it.
    assert field.table.item(0, 1).text() == "3811 AB"  # type: ignore[union-attr]
    assert field.table.item(0, 5).text() == "06-01-2025"  # type: ignore[union-attr]
    assert [field.table.item(r, 6).text() for r in (0, 1)] == ["Ja", "Nee"]  # type: ignore[union-attr]
    assert field.check(when_empty=True) == ""
    assert field.stored_value() == [
        {"locatie": "Hoofdpost", "postcode": "3811 AB", "email": "balie@praktijk.nl", "frequentie": "dagelijks",
         "sinds": "2025-01-06", "koeling": True},
        {"locatie": "Dependance", "postcode": "3828 CD", "email": "d@praktijk.nl", "telefoon": "033 765 4321",
         "frequentie": "wekelijks", "sinds": "2025-03-03", "koeling": False},
    ]
    field.table.setCurrentCell(0, 0)
    _click(qtbot, field.remove_button)
    assert field.table.rowCount() == 1
    assert field.stored_value()[0]["locatie"] == "Dependance"


def test_a_bad_cell_is_refused_with_its_row_and_column_named(qtbot: Any, field: ListField) -> None:
    fill_list(qtbot, field, example_answers(KOERIER).lists["ophaaladressen"])
    type_cell(qtbot, field, 1, 1, "12345")
    assert field.error_label.isVisible()
    assert field.problem() == "Ophaaladres 2 – postcode: een postcode heeft de vorm 1234 AB."
    assert field.table.item(1, 1).background() == QBrush(BAD_CELL)  # type: ignore[union-attr]
    assert field.table.item(0, 1).background() != QBrush(BAD_CELL)  # type: ignore[union-attr]
    assert field.check(when_empty=True).startswith("Ophaaladres 2 – postcode")
    assert (field.table.currentRow(), field.table.currentColumn()) == (1, 1)
    # Removing the first row renumbers the reason: the bad row is now row 1.
    field.table.setCurrentCell(0, 0)
    _click(qtbot, field.remove_button)
    assert field.problem() == "Ophaaladres 1 – postcode: een postcode heeft de vorm 1234 AB."
    type_cell(qtbot, field, 0, 1, "3828 CD")
    assert not field.error_label.isVisible() and field.problem() == ""


def test_an_empty_required_cell_is_named_only_when_she_goes_on(qtbot: Any, field: ListField) -> None:
    _click(qtbot, field.add_button)
    type_cell(qtbot, field, 0, 0, "Hoofdpost")
    assert field.problem() == ""
    reason = field.check(when_empty=True)
    assert reason == "Ophaaladres 1 – postcode: dit veld is verplicht"
    lines = field.problem().split("\n")
    assert lines[0] == "Ophaaladres 1 – postcode: dit veld is verplicht."
    assert "Ophaaladres 1 – gekoeld vervoer: maak een keuze." in lines
    assert not any("telefoon" in line for line in lines)  # optional


def test_no_rows_and_too_many_rows(qtbot: Any, field: ListField) -> None:
    assert field.check(when_empty=True) == "Ophaaladressen: voeg minstens 1 rij toe; er staan er nu 0"
    for _ in range(4):
        _click(qtbot, field.add_button)
    assert field.table.rowCount() == 4 and not field.add_button.isEnabled()


def test_a_choice_cell_offers_its_options_and_enter_only_ends_the_cell(qtbot: Any, field: ListField) -> None:
    _click(qtbot, field.add_button)
    editor = cell_editor(field, 0, 4)
    assert isinstance(editor, QComboBox)
    assert [editor.itemText(i) for i in range(editor.count())] == ["(maak een keuze)", "Elke werkdag",
                                                                  "Eens per week"]
    editor.setCurrentIndex(2)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert field.rows() == [{"frequentie": "wekelijks"}]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200))
def test_any_text_in_a_cell_is_kept_or_refused_with_a_reason(qtbot: Any, text: str) -> None:
    widget = ListField(KOERIER.question("ophaaladressen"))
    widget.set_value([dict.fromkeys(("locatie", "postcode", "email", "telefoon", "sinds"), text)])
    reason = widget.check(when_empty=True)
    assert reason.startswith("Ophaaladres 1 – ")
    assert widget.problem().startswith(reason[:1].upper() + reason[1:30])
    assert len(widget.stored_value()) == 1
    widget.deleteLater()


# --------------------------------------------------------------------------- in the wizard


def test_the_page_will_not_advance_while_a_cell_is_invalid(qtbot: Any, window: StartWindow) -> None:
    wiz = window.start_new("sectormodel")
    assert wiz is not None
    assert wiz.page_names()[:3] == ["partij", "verwerker", "diensten"]
    _walk_to(qtbot, wiz, "diensten")
    fill_current_page(qtbot, wiz, example_answers(wiz.spec))
    subs = wiz.question_field("subverwerkers")
    assert isinstance(subs, ListField)
    _click(qtbot, subs.add_button)
    type_cell(qtbot, subs, 3, 0, "Opslag Noord B.V.")
    type_cell(qtbot, subs, 3, 2, True)
    next_page(qtbot, wiz)
    assert wiz.current_page_name() == "diensten"
    assert problems_shown(wiz)["subverwerkers"].startswith("Subverwerker 4 – land: dit veld is verplicht.")
    type_cell(qtbot, subs, 3, 1, "IJsland")
    type_cell(qtbot, subs, 3, 3, "Archief")
    next_page(qtbot, wiz)
    assert wiz.current_page_name() == "bewaartermijnen"
    rows = wiz.model.answers().lists["subverwerkers"]
    assert rows[3] == {"naam": "Opslag Noord B.V.", "land": "IJsland", "buiten_eer": True, "taak": "Archief"}


def test_rows_are_saved_in_the_draft_and_come_back(
        qtbot: Any, window: StartWindow, run_op: Callable[[Callable[[], Any]], Any]) -> None:
    wiz = window.start_new("sectormodel")
    assert wiz is not None
    _walk_to(qtbot, wiz, "diensten")
    services = wiz.question_field("diensten")
    assert isinstance(services, ListField)
    with qtbot.waitSignal(wiz.draft_saved, timeout=5_000):
        fill_list(qtbot, services, example_answers(wiz.spec).lists["diensten"][:2])
    qtbot.waitUntil(lambda: not wiz._save_timer.isActive())
    wiz.close()
    operations.wait_idle()
    drafts = run_op(lambda: window.session.store.list_drafts())
    assert [r["naam"] for r in drafts[0].answers.lists["diensten"]] == [
        "Hosting huisartseninformatiesysteem", "Back-up en herstel"]
    qtbot.waitUntil(lambda: window.drafts_list.count() == 1, timeout=5_000)
    window.drafts_list.setCurrentRow(0)
    again = window.resume_selected()
    assert isinstance(again, AgreementWizard)
    assert again.current_page_name() == "diensten"
    shown = again.question_field("diensten")
    assert isinstance(shown, ListField)
    assert shown.table.rowCount() == 2
    assert shown.table.item(1, 0).text() == "Back-up en herstel"  # type: ignore[union-attr]


def test_the_review_page_lists_the_rows(qtbot: Any, window: StartWindow) -> None:
    wiz = window.start_new("sectormodel")
    assert wiz is not None
    answers = example_answers(wiz.spec)
    walk_to_review(qtbot, wiz, answers)
    review = wiz.pages["review"]
    assert isinstance(review, ReviewPage) and review.problems == []
    text = review.browser.toPlainText()
    assert "3. Mailfilter Inc.; Verenigde Staten; Ja; Filtert inkomende e-mail op spam en virussen" in text
    assert "het sectormodel zelf" in " ".join(text.split())
    assert normalised(wiz.spec, wiz.model.answers()) == normalised(wiz.spec, answers)


def test_tab_leaves_the_table_and_moves_between_cells_while_typing(qtbot: Any, field: ListField) -> None:
    fill_list(qtbot, field, example_answers(KOERIER).lists["ophaaladressen"][:1])
    field.activateWindow()
    field.table.setFocus()
    field.table.setCurrentCell(0, 0)
    qtbot.keyClick(field.table, Qt.Key.Key_Tab)
    assert field.add_button.hasFocus()  # no keyboard trap
    editor = cell_editor(field, 0, 0)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert cell_editor(field, 0, 1).hasFocus()  # while typing, Tab goes to the next cell
