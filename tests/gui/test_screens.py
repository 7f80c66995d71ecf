"""What she sees: the signing date, errors in view, the contacts step, words and cut-off text."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from dpa_desktop.answers import Answers, example_answers
from dpa_desktop.fill import fill
from dpa_desktop.forms.loader import load_forms
from dpa_desktop.gui import operations
from dpa_desktop.gui.dialogs import ProfileDialog
from dpa_desktop.gui.register import RegisterWindow, SignedDialog, status_label
from dpa_desktop.gui.start import StartWindow
from dpa_desktop.gui.wizard import ContactsPage, contacts_summary
from dpa_desktop.store import Draft, Store
from tests.gui.driver import PROFILE, open_start_window, type_into, when_modal

FORMS = load_forms()


def with_values(answers: Answers, **values: str) -> Answers:
    return Answers(form_id=answers.form_id, values={**answers.values, **values},
                   services=answers.services, retention=answers.retention)

SIGNED_ON = dt.date.today() - dt.timedelta(days=12)
ORGANISATION = "Huisartsenpraktijk De Lindenhof en Partners te Enschede-Noord"


@pytest.fixture
def window(qtbot: Any, tmp_path: Path,
           run_op: Callable[[Callable[[], Any]], Any]) -> Iterator[StartWindow]:
    spec = FORMS.get("vcare")
    example = example_answers(spec)
    answers = with_values(example, ondertekening_datum=SIGNED_ON.isoformat())
    result = fill(spec, answers, tmp_path / "out")

    def prepare(store: Store) -> None:
        store.record_agreement(spec, answers, result.docx, result.pdf)
        store.save_draft(Draft(id=None, form_id="vcare", page="bewaartermijnen",
                               answers=with_values(example, organisatie_naam=ORGANISATION)))

    yield from open_start_window(qtbot, run_op, prepare)


def register(qtbot: Any, window: StartWindow) -> RegisterWindow:
    reg = window.open_register()
    assert reg is not None
    qtbot.waitUntil(lambda: reg.proxy.rowCount() == 1)
    qtbot.waitUntil(lambda: reg.current is not None)
    return reg


def test_signed_starts_at_the_wizard_s_signing_date_and_takes_a_typed_day(
        qtbot: Any, window: StartWindow, run_op: Callable[[Callable[[], Any]], Any]) -> None:
    reg = register(qtbot, window)
    shown: dict[str, object] = {}

    def sign(dialog: QDialog) -> None:
        assert isinstance(dialog, SignedDialog)
        editor = dialog.date.editor
        shown["date"] = editor.text()  # type: ignore[attr-defined]
        editor.setFocus()
        editor.setSelection(0, 2)  # type: ignore[attr-defined]  # the day part
        qtbot.keyClicks(editor, "05")
        dialog.accept()

    when_modal(sign)
    qtbot.mouseClick(reg.signed_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: reg.proxy.index(0, 3).data() == "Ondertekend")
    assert shown["date"] == SIGNED_ON.strftime("%d-%m-%Y")
    agreement = run_op(lambda: window.session.store.get_agreement(1))
    assert agreement.signed_on == SIGNED_ON.replace(day=5)
    reg.close()


def test_a_signing_date_that_is_not_a_date_or_in_the_future_keeps_the_dialog_open(
        qtbot: Any) -> None:
    dialog = SignedDialog(signed_on=SIGNED_ON)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.date, "15-13-2026")
    dialog.accept()
    assert dialog.isVisible() and "geen geldige datum" in dialog.date.problem().lower()
    future = dt.date.today() + dt.timedelta(days=3)
    type_into(qtbot, dialog.date, future.strftime("%d-%m-%Y"))
    dialog.accept()
    assert dialog.isVisible() and "toekomst" in dialog.date.problem()
    # The scan field's explanation fits: no text cut off in the field.
    assert dialog.scan.fontMetrics().horizontalAdvance(dialog.scan.placeholderText()) \
        < dialog.scan.width() - 8


def test_saving_the_profile_with_a_bad_kvk_out_of_view_scrolls_to_it_and_says_so(
        qtbot: Any) -> None:
    dialog = ProfileDialog(dict(PROFILE))
    qtbot.addWidget(dialog)
    dialog.resize(QSize(560, 420))
    dialog.show()
    qtbot.waitExposed(dialog)
    kvk = dialog.fields["kvk"]
    type_into(qtbot, kvk, "1234")
    bar = dialog.scroller.verticalScrollBar()
    bar.setValue(bar.maximum())  # she scrolled down to the contact person
    qtbot.waitUntil(lambda: kvk.visibleRegion().isEmpty())
    save = dialog.findChild(QDialogButtonBox).button(  # type: ignore[union-attr]
        QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: not kvk.error_label.visibleRegion().isEmpty())
    assert "8 cijfers" in kvk.problem()
    assert dialog.summary.isVisible() and "KvK-nummer" in dialog.summary.text()
    assert dialog.focusWidget() is kvk.focus_widget()


@pytest.mark.parametrize("form_id, used, unused", [
    ("vcare", [], ["Functionaris gegevensbescherming", "Beveiliging", "Contactpersoon"]),
    ("infinitcare-almere", ["Beveiliging (security officer)", "Contactpersoon"],
     ["functionaris gegevensbescherming (FG)"]),
    ("beterdichtbij", ["Functionaris gegevensbescherming (FG)", "Beveiliging (security officer)"],
     ["contactpersoon"]),
])
def test_the_contacts_step_says_which_profile_contacts_the_agreement_uses(
        qtbot: Any, window: StartWindow, form_id: str, used: list[str], unused: list[str]) -> None:
    wiz = window.start_new(form_id)
    assert wiz is not None
    page = wiz.pages["contacten"]
    assert isinstance(page, ContactsPage) and not page.is_empty()
    text = page.summary.text()
    processor = wiz.spec.processor.short_name or wiz.spec.processor.name
    if not used:
        assert "geen plaats voor een functionaris gegevensbescherming, een security officer " \
               "of een contactpersoon" in text and processor in text
        assert not page.fields
    else:
        listed = text.split("Niet in deze overeenkomst")[0]
        assert all(title in listed for title in used)
        assert all(title in text.split("Niet in deze overeenkomst")[1] for title in unused)
        assert f"De tekst van {processor} heeft daar geen plaats voor" in text
    wiz.close()


def test_the_summary_notes_a_used_contact_missing_from_the_profile() -> None:
    spec = FORMS.get("infinitcare-almere")
    text = contacts_summary(spec, {"contact_naam": "A. de Vries"})
    assert "Contactpersoon: hieronder</li>" in text
    assert "Beveiliging (security officer): hieronder (nog niet ingevuld" in text


def test_drafts_show_the_step_in_her_words_and_the_whole_name(
        qtbot: Any, window: StartWindow) -> None:
    qtbot.waitUntil(lambda: window.drafts_list.count() == 1)
    item = window.drafts_list.item(0)
    assert "verder bij 'Bewaartermijnen en einde'" in item.text()
    assert "'bewaartermijnen'" not in item.text()
    assert ORGANISATION in item.text()
    assert window.drafts_list.wordWrap()
    rect = window.drafts_list.visualItemRect(item)
    line = window.drafts_list.fontMetrics().lineSpacing()
    assert rect.height() >= 3 * line, "three lines, wrapped rather than cut off"


def test_register_headers_fit_and_an_unsent_agreement_is_nog_niet_verzonden(
        qtbot: Any, window: StartWindow) -> None:
    reg = register(qtbot, window)
    assert reg.proxy.index(0, 3).data() == status_label("concept") == "Nog niet verzonden"
    header = reg.table.horizontalHeader()
    for column, title in enumerate(RegisterWindow.COLUMNS):
        assert header.sectionSize(column) >= header.fontMetrics().horizontalAdvance(title), title
    # A name is shown whole up to about 24 characters, not squeezed by the other columns.
    assert reg.table.columnWidth(2) >= reg.table.fontMetrics().horizontalAdvance("Huisartsenpraktijk")
    reg.close()


def test_every_form_asks_the_street_before_postcode_and_place() -> None:
    for spec in FORMS.forms.values():
        for page in ("partij", "ondertekening"):
            order = [q.profile for q in spec.questions if q.page == page and q.profile]
            if "adres" in order:
                assert all(order.index("adres") < order.index(k)
                           for k in ("postcode", "plaats") if k in order), (spec.id, order)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fakes xdg-mime and xdg-open")
def test_opening_a_document_with_no_program_for_it_says_so(
        qtbot: Any, window: StartWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        error_boxes: list[str]) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool, script in (("xdg-mime", 'if [ "$2" = filetype ]; then echo application/pdf; fi\n'),
                         ("xdg-open", f'echo "$@" >> {tmp_path / "opened"}\n')):
        (bin_dir / tool).write_text(f"#!/bin/sh\n{script}", encoding="utf-8")
        (bin_dir / tool).chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    reg = register(qtbot, window)
    qtbot.mouseClick(reg.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(error_boxes) == 1, timeout=10_000)
    message = error_boxes.pop()
    assert message.startswith("Er is op deze computer geen programma ingesteld om een PDF te "
                              "openen") and ".pdf" in message
    assert not (tmp_path / "opened").exists()
    operations.wait_idle()
    reg.close()
