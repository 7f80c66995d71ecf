"""'Bestaande overeenkomst toevoegen…' and 'Wijzigen…' in the register window, driven like a
person would, and a register of 35 in the window and its exports."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QDialog, QFileDialog, QLineEdit

from dpa_desktop.answers import example_answers
from dpa_desktop.forms.loader import load_forms
from dpa_desktop.gui.external import AgreementDialog
from dpa_desktop.gui.register import RegisterWindow
from dpa_desktop.gui.start import StartWindow
from dpa_desktop.statuses import SIGNED
from dpa_desktop.store import Store
from dpa_desktop.store.external import parse_entry
from tests.external_examples import EXAMPLE, external_agreements
from tests.gui.driver import open_start_window
from tests.gui.test_register import rows
from tests.gui.test_register import when_modal as _when_modal

_failures: list[BaseException] = []


def when_modal(*steps: Callable[[QDialog], None]) -> None:
    """Handle the next modal dialog with ``steps``, one after the other, each from the
    dialog's own event loop (as between two actions of a person: closed cell editors are
    deleted in between). A failing step closes the dialog, so exec() returns, and its
    error is raised by ``handled`` instead of hanging the test."""
    def run(dialog: QDialog, rest: tuple[Callable[[QDialog], None], ...]) -> None:
        try:
            rest[0](dialog)
        except BaseException as exc:
            _failures.append(exc)
            dialog.reject()
            return
        if rest[1:]:
            QTimer.singleShot(30, lambda: run(dialog, rest[1:]))

    _when_modal(lambda dialog: run(dialog, steps))


@pytest.fixture(autouse=True)
def check_handlers() -> Iterator[None]:
    _failures.clear()
    yield
    handled()


def handled() -> None:
    """Raise what a dialog handler raised."""
    if _failures:
        raise _failures.pop(0)


@pytest.fixture
def window(qtbot: Any, run_op: Callable[[Callable[[], Any]], Any]) -> Iterator[StartWindow]:
    yield from open_start_window(qtbot, run_op)


def _type(qtbot: Any, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def _open(qtbot: Any, window: StartWindow) -> RegisterWindow:
    reg = window.open_register()
    assert reg is not None
    qtbot.waitUntil(lambda: reg.detail.toPlainText() != "" or reg.summaries == [],
                    timeout=10_000)
    return reg


def test_adding_an_existing_agreement_refuses_a_bad_kvk_and_keeps_what_was_typed(
        qtbot: Any, window: StartWindow, tmp_path: Path,
        run_op: Callable[[Callable[[], Any]], Any]) -> None:
    reg = _open(qtbot, window)
    scan = tmp_path / "getekend.pdf"
    scan.write_bytes(b"%PDF-1.4 getekende overeenkomst")
    seen: dict[str, Any] = {}

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, AgreementDialog)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        assert dialog.windowTitle() == "Bestaande overeenkomst toevoegen"
        _type(qtbot, dialog.name, "Labcentrum Oost B.V.")
        _type(qtbot, dialog.kvk, "1234")
        _type(qtbot, dialog.place, "Enschede")
        _type(qtbot, dialog.service, "Laboratoriumonderzoek en uitslagen")
        dialog.categories.setFocus()
        qtbot.keyClicks(dialog.categories, "NAW-gegevens")
        qtbot.keyClick(dialog.categories, Qt.Key.Key_Return)
        qtbot.keyClicks(dialog.categories, "Labuitslagen")
        qtbot.mouseClick(dialog.health, Qt.MouseButton.LeftButton)
        _type(qtbot, dialog.signed_on, "01-03-2025")  # type: ignore[arg-type]
        _type(qtbot, dialog.breach_email, "privacy@labcentrum.nl")
        _type(qtbot, dialog.breach_phone, "053-4801234")
        dialog.hours.setValue(48)
        add = dialog.findChild(type(dialog.save_button), "add_subprocessor")
        qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
        [editor] = dialog.subs.viewport().findChildren(QLineEdit)
        assert dialog.focusWidget() is editor, "a new row opens its name for typing"
        qtbot.keyClicks(editor, "Twilio")
        qtbot.keyClick(editor, Qt.Key.Key_Return)

    def country(dialog: QDialog) -> None:
        assert isinstance(dialog, AgreementDialog)
        assert dialog.subs.item(0, 0).text() == "Twilio"
        dialog.subs.setCurrentCell(0, 1)
        qtbot.keyClick(dialog.subs, Qt.Key.Key_F2)
        [editor] = [e for e in dialog.subs.viewport().findChildren(QLineEdit) if e.isVisible()]
        qtbot.keyClicks(editor, "US")
        qtbot.keyClick(editor, Qt.Key.Key_Return)

    def rest(dialog: QDialog) -> None:
        assert isinstance(dialog, AgreementDialog)
        combo = dialog.subs.cellWidget(0, 2)
        assert isinstance(combo, QComboBox)
        combo.setCurrentText("ja")
        _type(qtbot, dialog.scan, str(scan))

    def refused(dialog: QDialog) -> None:
        assert isinstance(dialog, AgreementDialog)
        assert not dialog.subs.viewport().findChildren(QLineEdit), "cell editors closed"
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible(), "a bad KvK keeps the dialog open"
        error = dialog.errors["verwerker.kvk"]
        assert error.isVisible() and "precies 8 cijfers" in error.text()
        assert dialog.summary.isVisible()
        assert dialog.focusWidget() is dialog.kvk, "the bad field has the focus"
        assert dialog.name.text() == "Labcentrum Oost B.V.", "nothing she typed is lost"
        assert dialog.subs.item(0, 0).text() == "Twilio"
        assert dialog.data()["subverwerkers"] == [
            {"naam": "Twilio", "land": "US", "buiten_eer": "ja"}]
        seen["refused"] = True
        _type(qtbot, dialog.kvk, "12345678")

    def saved(dialog: QDialog) -> None:
        assert isinstance(dialog, AgreementDialog)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
        seen["id"] = dialog.saved_id

    when_modal(fill, country, rest, refused, saved)
    qtbot.mouseClick(reg.add_external_button, Qt.MouseButton.LeftButton)
    handled()
    assert seen.get("refused")
    qtbot.waitUntil(lambda: any(r[1] == "Labcentrum Oost B.V." for r in rows(reg)),
                    timeout=10_000)
    [row] = [r for r in rows(reg) if r[1] == "Labcentrum Oost B.V."]
    assert (row[3], row[6], row[8], row[9]) == ("Ondertekend", "01-03-2025", "01-03-2026",
                                               "extern")
    qtbot.waitUntil(lambda: "Laboratoriumonderzoek" in reg.detail.toPlainText(), timeout=10_000)
    detail = reg.detail.toPlainText()
    assert "extern: niet met DPA Desktop gemaakt" in detail and "binnen 48 uur" in detail
    assert "Twilio (US) – buiten de EER: ja" in detail
    assert reg.scan_button.isEnabled() and not reg.pdf_button.isEnabled()
    names = {reg.sub_model.item(r, 0).text(): r for r in range(reg.sub_model.rowCount())}
    assert reg.sub_model.item(names["Twilio"], 2).text() == "ja"
    assert "extern" in reg.sub_model.item(names["Twilio"], 3).text()
    agreement = run_op(lambda: window.session.store.get_agreement(seen["id"]))
    assert agreement.details.kvk == "12345678" and agreement.details.health_data
    assert run_op(lambda: window.session.store.document_bytes(seen["id"], "scan")) == \
        scan.read_bytes()


def test_editing_an_agreement_keeps_the_change_in_its_history(
        qtbot: Any, window: StartWindow, run_op: Callable[[Callable[[], Any]], Any]) -> None:
    aid = run_op(lambda: window.session.store.record_external(parse_entry(EXAMPLE)))
    reg = _open(qtbot, window)
    reg.select(aid)
    qtbot.waitUntil(lambda: reg.current is not None and reg.current.id == aid and
                    reg.edit_button.isEnabled(), timeout=10_000)

    def edit(dialog: QDialog) -> None:
        assert isinstance(dialog, AgreementDialog)
        assert dialog.name.text() == "Zorgdomein B.V." and dialog.subs.rowCount() == 3
        assert dialog.open_end.isChecked() and not dialog.ends.isEnabled()
        _type(qtbot, dialog.review, "31-12-2023")  # before the signing: refused
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()
        assert "vóór de datum van ondertekening" in dialog.errors["herbeoordeling"].text()
        _type(qtbot, dialog.review, "01-06-2025")
        dialog.subs.setCurrentCell(1, 1)
        qtbot.keyClick(dialog.subs, Qt.Key.Key_F2)
        [editor] = [e for e in dialog.subs.viewport().findChildren(QLineEdit) if e.isVisible()]
        editor.selectAll()
        qtbot.keyClicks(editor, "CA")
        # Still typing in the cell (no Enter): what is in it counts when she saves.
        assert dialog.data()["subverwerkers"][1]["land"] == "CA"

    def remove_one(dialog: QDialog) -> None:
        assert isinstance(dialog, AgreementDialog)
        dialog.subs.setCurrentCell(2, 0)
        remove = dialog.findChild(type(dialog.save_button), "remove_subprocessor")
        qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)

    when_modal(edit, remove_one)
    qtbot.mouseClick(reg.edit_button, Qt.MouseButton.LeftButton)
    handled()
    qtbot.waitUntil(lambda: "Gewijzigd" in reg.detail.toPlainText(), timeout=10_000)
    assert "Twilio (CA)" in reg.detail.toPlainText()
    text = reg.detail.toPlainText()
    assert "Datum herbeoordeling: 01-03-2025 → 01-06-2025" in text
    assert "Backupbedrijf" not in text.split("Geschiedenis")[0]


def test_an_agreement_made_here_edits_only_its_dates_and_note(
        qtbot: Any, window: StartWindow, run_op: Callable[[Callable[[], Any]], Any],
        tmp_path: Path) -> None:
    spec = load_forms().get("vcare")
    docx, pdf = tmp_path / "a.docx", tmp_path / "a.pdf"
    docx.write_bytes(b"PK docx")
    pdf.write_bytes(b"%PDF-1.4")

    def made() -> int:
        aid = window.session.store.record_agreement(spec, example_answers(spec), docx, pdf)
        window.session.store.set_status(aid, SIGNED, date(2026, 2, 1))
        return aid

    aid = run_op(made)
    reg = _open(qtbot, window)
    reg.select(aid)
    qtbot.waitUntil(lambda: reg.current is not None and reg.current.id == aid, timeout=10_000)

    def edit(dialog: QDialog) -> None:
        assert isinstance(dialog, AgreementDialog)
        assert not dialog.external and not hasattr(dialog, "name")
        assert dialog.open_end.text() == "volgens de overeenkomst"
        qtbot.mouseClick(dialog.open_end, Qt.MouseButton.LeftButton)
        _type(qtbot, dialog.ends, "31-12-2029")
        dialog.notes.setFocus()
        qtbot.keyClicks(dialog.notes, "Verlengd")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)

    when_modal(edit)
    qtbot.mouseClick(reg.edit_button, Qt.MouseButton.LeftButton)
    handled()
    qtbot.waitUntil(lambda: "Einddatum: volgens de overeenkomst → 31-12-2029"
                    in reg.detail.toPlainText(), timeout=10_000)
    assert run_op(lambda: window.session.store.get_agreement(aid)).notes == "Verlengd"


def _practice(store: Store) -> None:
    forms = load_forms()
    docx = Path(store.data_dir).parent / "a.docx"
    pdf = Path(store.data_dir).parent / "a.pdf"
    docx.write_bytes(b"PK docx")
    pdf.write_bytes(b"%PDF-1.4")
    for form_id in ("vcare", "infinitcare-almere", "infinitcare-sdf", "beterdichtbij",
                    "vcare"):
        spec = forms.get(form_id)
        aid = store.record_agreement(spec, example_answers(spec), docx, pdf)
        store.set_status(aid, SIGNED, date(2026, 1, 10))
    for data in external_agreements(30):
        store.record_external(parse_entry(data))


@pytest.fixture
def practice_window(qtbot: Any,
                    run_op: Callable[[Callable[[], Any]], Any]) -> Iterator[StartWindow]:
    yield from open_start_window(qtbot, run_op, _practice)


def test_a_register_of_35_shows_35_in_the_window_its_subprocessor_tab_and_export(
        qtbot: Any, practice_window: StartWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, error_boxes: list[str]) -> None:
    reg = _open(qtbot, practice_window)
    qtbot.waitUntil(lambda: reg.proxy.rowCount() == 35, timeout=10_000)
    assert sum(1 for r in rows(reg) if r[9] == "extern") == 30
    listed = " ".join(reg.sub_model.item(r, 3).text() for r in range(reg.sub_model.rowCount()))
    for aid in range(1, 36):
        assert f"(nr. {aid})" in listed or f"(nr. {aid}, extern)" in listed, aid
    target = tmp_path / "overzicht.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    when_modal(lambda box: box.accept())
    qtbot.mouseClick(reg.export_pdf_button, Qt.MouseButton.LeftButton)
    handled()
    qtbot.waitUntil(target.exists, timeout=20_000)
    qtbot.waitUntil(lambda: len(error_boxes) == 1, timeout=20_000)
    assert error_boxes.pop() == f"Het overzicht is opgeslagen in {target}."
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(target).pages).split())
    assert "35 overeenkomst(en): 5 gemaakt met DPA Desktop, 30 extern vastgelegd" in text
