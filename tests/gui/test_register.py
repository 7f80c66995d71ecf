"""The register window and the first start, driven like a person would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QFileDialog

from dpa_desktop.answers import example_answers
from dpa_desktop.fill import fill
from dpa_desktop.forms.loader import load_forms
from dpa_desktop.gui import operations
from dpa_desktop.gui.dialogs import AboutDialog, ProfileDialog, RecoveryCodeDialog
from dpa_desktop.gui.register import RegisterWindow, SignedDialog
from dpa_desktop.gui.session import Session
from dpa_desktop.gui.start import StartWindow
from dpa_desktop.store import SIGNED, STATUS_LABELS, Store
from tests.gui.driver import open_start_window, type_into, when_modal


@pytest.fixture
def window(qtbot: Any, tmp_path: Path,
           run_op: Callable[[Callable[[], Any]], Any]) -> Iterator[StartWindow]:
    spec = load_forms().get("vcare")
    answers = example_answers(spec)
    result = fill(spec, answers, tmp_path / "out")

    def with_agreement(store: Store) -> None:
        store.record_agreement(spec, answers, result.docx, result.pdf)

    yield from open_start_window(qtbot, run_op, with_agreement)


def rows(reg: RegisterWindow) -> list[list[str]]:
    return [[str(reg.proxy.index(r, c).data()) for c in range(reg.proxy.columnCount())]
            for r in range(reg.proxy.rowCount())]


def test_register_lists_filters_and_marks_an_agreement(
        qtbot: Any, window: StartWindow, tmp_path: Path,
        run_op: Callable[[Callable[[], Any]], Any]) -> None:
    reg = window.open_register()
    assert reg is not None
    qtbot.waitUntil(lambda: reg.proxy.rowCount() == 1)
    assert rows(reg)[0][1] == "Vcareconnect B.V." or "Vcare" in rows(reg)[0][1]
    assert rows(reg)[0][3] == STATUS_LABELS["concept"]
    qtbot.waitUntil(lambda: "Overeenkomst 1" in reg.detail.toPlainText())

    qtbot.keyClicks(reg.search, "bestaat-niet")
    qtbot.waitUntil(lambda: reg.proxy.rowCount() == 0, timeout=3_000)
    reg.search.clear()
    qtbot.waitUntil(lambda: reg.proxy.rowCount() == 1, timeout=3_000)

    qtbot.mouseClick(reg.sent_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: rows(reg) and rows(reg)[0][3] == STATUS_LABELS["verzonden"])

    scan = tmp_path / "getekend.pdf"
    scan.write_bytes((tmp_path / "out").glob("*.pdf").__next__().read_bytes())

    def sign(dialog: QDialog) -> None:
        assert isinstance(dialog, SignedDialog)
        type_into(qtbot, dialog.date, QDate.currentDate().toString("dd-MM-yyyy"))
        dialog.scan.setText(str(scan))
        dialog.accept()

    when_modal(sign)
    qtbot.mouseClick(reg.signed_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: rows(reg) and rows(reg)[0][3] == STATUS_LABELS["ondertekend"])
    assert rows(reg)[0][6] == QDate.currentDate().toString("dd-MM-yyyy")
    agreement = run_op(lambda: window.session.store.get_agreement(1))
    assert agreement.scan_sha256
    qtbot.waitUntil(reg.scan_button.isEnabled)

    reg.status_filter.setCurrentIndex(reg.status_filter.findData("concept"))
    qtbot.waitUntil(lambda: reg.proxy.rowCount() == 0)
    reg.status_filter.setCurrentIndex(reg.status_filter.findData("ondertekend"))
    qtbot.waitUntil(lambda: reg.proxy.rowCount() == 1)


def test_subprocessor_tab_and_csv_export(
        qtbot: Any, window: StartWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        run_op: Callable[[Callable[[], Any]], Any], error_boxes: list[str]) -> None:
    reg = window.open_register()
    assert reg is not None
    qtbot.waitUntil(lambda: reg.proxy.rowCount() == 1)
    assert reg.sub_model.rowCount() == 0, "only signed agreements count"
    run_op(lambda: window.session.store.set_status(1, SIGNED, date.today()))
    reg.refresh()
    qtbot.waitUntil(lambda: reg.sub_model.rowCount() > 0)
    names = {reg.sub_model.item(r, 0).text() for r in range(reg.sub_model.rowCount())}
    spec = load_forms().get("vcare")
    assert {p.name for p in spec.subprocessors_for(example_answers(spec).services)} <= names
    target = tmp_path / "register.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    qtbot.mouseClick(reg.csv_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(target.exists, timeout=10_000)
    qtbot.waitUntil(lambda: len(error_boxes) == 1)
    assert "Het overzicht is opgeslagen" in error_boxes.pop()
    assert "Vcare" in target.read_text(encoding="utf-8-sig")


def test_first_start_asks_the_profile_and_shows_the_recovery_code_once(
        qtbot: Any, run_op: Callable[[Callable[[], Any]], Any]) -> None:
    seen: dict[str, str] = {}

    def recovery(dialog: QDialog) -> None:
        assert isinstance(dialog, RecoveryCodeDialog)
        seen["code"] = dialog.code
        dialog.check.setText(dialog.code.split("-")[-1])
        dialog.accept()

    def profile(dialog: QDialog) -> None:
        assert isinstance(dialog, ProfileDialog)
        type_into(qtbot, dialog.fields["organisatie_naam"], "Huisartsen Eerste Start")
        dialog.fields["organisatie_soort"].set_value("zorgaanbieder")
        type_into(qtbot, dialog.fields["kvk"], "123")
        dialog.accept()
        assert dialog.isVisible(), "a bad KvK keeps the dialog open"
        assert "8 cijfers" in dialog.fields["kvk"].problem()
        type_into(qtbot, dialog.fields["kvk"], "12345678")
        when_modal(recovery)
        dialog.accept()

    win = StartWindow(Session())
    qtbot.addWidget(win)
    win.show()
    when_modal(profile)
    with qtbot.waitSignal(win.ready, timeout=30_000):
        win.begin()
    assert len(seen["code"]) >= 20
    assert "Huisartsen Eerste Start" in win.practice.text()
    stored = run_op(lambda: win.session.store.load_profile())
    assert stored["kvk"] == "12345678" and stored["organisatie_soort"] == "zorgaanbieder"
    win.close()
    operations.wait_idle()
    run_op(lambda: win.session.store.close())


def test_about_names_the_version_and_the_font_licence(qtbot: Any) -> None:
    from PySide6.QtWidgets import QTextBrowser

    from dpa_desktop import __version__

    about = AboutDialog()
    qtbot.addWidget(about)
    browser = about.findChild(QTextBrowser, "about_text")
    assert isinstance(browser, QTextBrowser)
    assert about.facts["version"].text() == __version__
    assert "Open Font License" in browser.toPlainText()
