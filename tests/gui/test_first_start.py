"""The first start: no usable keyring is no dead end, and the recovery code cannot be lost by a key."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QLabel, QPushButton

from dpa_desktop import platform
from dpa_desktop.answers import example_answers
from dpa_desktop.gui import operations
from dpa_desktop.gui.dialogs import KeyringDialog, ProfileDialog, RecoveryCodeDialog
from dpa_desktop.gui.session import Session
from dpa_desktop.gui.start import StartWindow
from dpa_desktop.store import Store
from tests.gui.driver import generate, type_into, walk_to_review, when_modal

CODE = "K7M2Q-9XWPA-3HD8R-TT4NZ-B6C2F-QW9EJ-5RXMA-H2P7D"


@pytest.fixture
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, bool]]:
    """The system keyring as on a desktop without a Secret Service; ``state['works']`` fixes it."""
    state = {"works": False}
    monkeypatch.setenv("DPA_DESKTOP_KEYRING", "system")
    store: dict[tuple[str, str], str] = {}

    class Memory(keyring.backend.KeyringBackend):  # type: ignore[misc]
        priority = 1  # type: ignore[assignment]

        def get_password(self, service: str, name: str) -> str | None:
            return store.get((service, name))

        def set_password(self, service: str, name: str, value: str) -> None:
            store[(service, name)] = value

        def delete_password(self, service: str, name: str) -> None:
            store.pop((service, name), None)

    monkeypatch.setattr(keyring, "get_keyring",
                        lambda: Memory() if state["works"] else fail.Keyring())
    yield state


def test_without_a_keyring_she_is_told_what_is_missing_and_can_still_fill_and_print(
        qtbot: Any, no_keyring: dict[str, bool], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, error_boxes: list[str]) -> None:
    seen: dict[str, str] = {}

    def keyring_missing(dialog: QDialog) -> None:
        assert isinstance(dialog, KeyringDialog)
        retry = dialog.findChild(QPushButton, "keyring_retry")
        assert retry is not None
        seen["intro"] = retry.text()
        seen["text"] = " ".join(label.text() for label in dialog.findChildren(QLabel))
        button = dialog.findChild(QPushButton, "keyring_without")
        assert button is not None
        button.click()

    def profile(dialog: QDialog) -> None:
        assert isinstance(dialog, ProfileDialog)
        type_into(qtbot, dialog.fields["organisatie_naam"], "Huisartsen Zonder Sleutel")
        dialog.fields["organisatie_soort"].set_value("huisartsenpraktijk")
        when_modal(keyring_missing)
        dialog.accept()

    win = StartWindow(Session())
    qtbot.addWidget(win)
    win.show()
    when_modal(profile)
    with qtbot.waitSignal(win.ready, timeout=30_000):
        win.begin()
    assert seen["intro"] == "&Opnieuw proberen"
    assert "er is nog geen register gemaakt" in seen["text"]
    assert "herstelcode" not in seen["text"].lower(), "no recovery code exists yet"
    assert "Secret Service" in seen["text"] and "DPA_DESKTOP_KEYRING=file" in seen["text"]
    assert "iedereen die uw bestanden kan lezen" in seen["text"]
    assert not Store.exists()
    assert "Zonder register" in win.practice.text() and win.retry_register.isVisible()
    assert win.new_button.isEnabled() and not win.register_button.isEnabled()

    wiz = win.start_new("vcare")
    assert wiz is not None
    assert wiz.saved_label.text() == "Zonder register: er wordt niets bewaard"
    assert wiz.question_field("organisatie_naam").raw_value() == "Huisartsen Zonder Sleutel"
    answers = example_answers(wiz.spec)
    walk_to_review(qtbot, wiz, answers)
    generate(qtbot, wiz, tmp_path)
    result = wiz.pages["result"]
    status = result.status.text()  # type: ignore[attr-defined]
    assert "nergens vastgelegd" in status and "register als nummer" not in status
    assert list(tmp_path.glob("*.docx")) and not Store.exists()

    target = tmp_path / "afgedrukt.pdf"

    def to_pdf(dialog: QPrintDialog) -> int:
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(target))
        return int(QPrintDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(QPrintDialog, "exec", to_pdf)
    qtbot.mouseClick(result.print_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: len(error_boxes) == 1, timeout=30_000)
    assert error_boxes.pop().startswith("De overeenkomst is als PDF opgeslagen (2 exemplaren")
    assert len(PdfReader(target).pages) == 32
    wiz.close()
    win.close()
    operations.wait_idle()


def test_try_again_makes_the_register_once_the_keyring_is_there(
        qtbot: Any, no_keyring: dict[str, bool],
        run_op: Callable[[Callable[[], Any]], Any]) -> None:
    seen: dict[str, Any] = {}

    def recovery(dialog: QDialog) -> None:
        assert isinstance(dialog, RecoveryCodeDialog)
        seen["practice"] = dialog.practice
        dialog.check.setText(dialog.code.split("-")[-1])
        dialog.accept()

    def keyring_missing(dialog: QDialog) -> None:
        assert isinstance(dialog, KeyringDialog)
        no_keyring["works"] = True  # she started the Secret Service
        when_modal(recovery)
        button = dialog.findChild(QPushButton, "keyring_retry")
        assert button is not None
        button.click()

    def profile(dialog: QDialog) -> None:
        type_into(qtbot, dialog.fields["organisatie_naam"], "Huisartsen Tweede Poging")  # type: ignore[attr-defined]
        dialog.fields["organisatie_soort"].set_value("huisartsenpraktijk")  # type: ignore[attr-defined]
        when_modal(keyring_missing)
        dialog.accept()

    win = StartWindow(Session())
    qtbot.addWidget(win)
    win.show()
    when_modal(profile)
    win.begin()
    qtbot.waitUntil(lambda: win.register_button.isEnabled(), timeout=30_000)
    assert Store.exists()
    assert seen["practice"] == "Huisartsen Tweede Poging"
    assert "Huisartsen Tweede Poging" in win.practice.text()
    assert not win.retry_register.isVisible()
    win.close()
    operations.wait_idle()
    run_op(lambda: win.session.store.close())


@pytest.mark.parametrize("plat, words", [
    ("linux", ("Secret Service", "DPA_DESKTOP_KEYRING=file", "gewoon bestand")),
    ("win32", ("Windows Referentiebeheer", "Opnieuw proberen")),
    ("darwin", ("sleutelhanger",)),
])
def test_the_keyring_advice_names_what_works_on_each_system(plat: str, words: tuple[str, ...]) -> None:
    advice = platform.keyring_advice(platform=plat)
    assert all(w in advice for w in words)
    assert "herstelcode" not in advice


def test_the_recovery_code_closes_only_after_she_typed_its_last_group_back(qtbot: Any) -> None:
    dialog = RecoveryCodeDialog(CODE, practice="Huisartsenpraktijk De Linde")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.done_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and "laatste groep" in dialog.hint.text()
    dialog.close()
    assert dialog.isVisible(), "the close button is no way out either"
    dialog.check.setFocus()
    qtbot.keyClicks(dialog.check, "5RXMA")  # the group before the last
    qtbot.keyClick(dialog.check, Qt.Key.Key_Return)
    assert dialog.isVisible() and not dialog.done_button.isEnabled()
    dialog.check.clear()
    qtbot.keyClicks(dialog.check, "h2p7d")  # any case
    assert dialog.done_button.isEnabled()
    qtbot.keyClick(dialog.check, Qt.Key.Key_Return)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted


def test_the_printed_code_is_on_one_line_with_the_practice_the_date_and_where_it_goes(
        qtbot: Any, tmp_path: Path) -> None:
    dialog = RecoveryCodeDialog(CODE, practice="Huisartsenpraktijk De Linde")
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "herstelcode.pdf"
    printer.setOutputFileName(str(target))
    dialog.document().print_(printer)
    raw = PdfReader(target).pages[0].extract_text()
    lines = raw.splitlines()
    text = " ".join(raw.split())
    groups = CODE.split("-")
    code_lines = [line for line in lines if groups[0] in line]
    assert len(code_lines) == 1
    assert re.sub(r"[\s\u2011-]", "", code_lines[0]) == "".join(groups), code_lines
    assert "Huisartsenpraktijk De Linde" in text
    today = dt.date.today()
    assert f"{today.day:02d}-{today.month:02d}-{today.year}" in text
    assert "Reservekopie terugzetten" in text and "herstelcode" in text
