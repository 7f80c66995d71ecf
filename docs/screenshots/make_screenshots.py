"""Screenshot every window of the app for the vcare form (run under Xvfb).

The two sets in this folder are made on a 1366x768 screen, as on the
practice manager's laptop, once at 100% and once at 150% scaling:

    Xvfb :21 -screen 0 1366x768x24 &
    DISPLAY=:21 python docs/screenshots/make_screenshots.py docs/screenshots/1366x768
    DISPLAY=:21 QT_SCALE_FACTOR=1.5 python docs/screenshots/make_screenshots.py docs/screenshots/150

Uses a throwaway data directory and file keyring; never the user's register.
Dialogs that would wait for her (message boxes, the print dialog) are shown
without waiting, grabbed and closed.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
_tmp = Path(tempfile.mkdtemp(prefix="dpa-shots-"))
os.environ["DPA_DESKTOP_DATA_DIR"] = str(_tmp / "data")
os.environ["DPA_DESKTOP_KEYRING"] = "file"
os.environ["DPA_DESKTOP_KEYRING_FILE"] = str(_tmp / "keyring.json")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtPrintSupport import QPrinter  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QMessageBox, QWidget  # noqa: E402

import dpa_desktop.gui  # noqa: E402, F401
from dpa_desktop import settings  # noqa: E402
from dpa_desktop.answers import example_answers  # noqa: E402
from dpa_desktop.gui import operations  # noqa: E402
from dpa_desktop.gui.app import create_app  # noqa: E402
from dpa_desktop.gui.dialogs import (  # noqa: E402
    AboutDialog,
    KeyringDialog,
    ProfileDialog,
    RecoveryCodeDialog,
    RestoreDialog,
)
from dpa_desktop.gui.opener import no_program_text  # noqa: E402
from dpa_desktop.gui.pdf import Printed, print_pdf_file, printed_message  # noqa: E402
from dpa_desktop.gui.register import SignedDialog  # noqa: E402
from dpa_desktop.gui.session import Session  # noqa: E402
from dpa_desktop.gui.start import StartWindow  # noqa: E402
from dpa_desktop.store import SIGNED, Store  # noqa: E402
from tests.gui.driver import PROFILE, fill_current_page, type_into  # noqa: E402

PRACTICE = {**PROFILE, "organisatie_naam": "Huisartsenpraktijk De Linde", "plaats": "Enschede",
            "adres": "Lindelaan 12", "postcode": "7511 AB", "vertegenwoordiger": "A. de Vries",
            "contact_naam": "B. Jansen", "contact_email": "b.jansen@delinde.nl"}


class _Bot:
    keyClicks = staticmethod(QTest.keyClicks)
    keyClick = staticmethod(QTest.keyClick)
    mouseClick = staticmethod(QTest.mouseClick)


class Shots:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.n = 1

    def __call__(self, widget: QWidget, name: str) -> None:
        widget.raise_()
        widget.activateWindow()
        settle(250)
        path = self.out / f"{self.n:02d}-{name}.png"
        widget.grab().save(str(path))
        print(path)
        self.n += 1

    def quietly(self, widget: QWidget, name: str) -> None:
        """Grab without raising or waiting for jobs (a progress dialog, an open menu)."""
        wait_until(lambda: False, 300)
        path = self.out / f"{self.n:02d}-{name}.png"
        widget.grab().save(str(path))
        print(path)
        self.n += 1


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    operations.wait_idle()


def wait_until(check: Callable[[], bool], timeout_ms: int = 60_000) -> None:
    """Process events until ``check()``; unlike settle(), background jobs may go on."""
    waited = 0
    while not check() and waited < timeout_ms:
        loop = QEventLoop()
        QTimer.singleShot(50, loop.quit)
        loop.exec()
        waited += 50


def box(parent: QWidget, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    shown = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    shown.show()
    return shown


def main() -> int:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    form_id = sys.argv[2] if len(sys.argv) > 2 else "vcare"
    store, code = Store.create()
    store.save_profile(PRACTICE)
    store.close()
    # The last backup 45 days ago, so the start screen shows its reminder.
    settings.save(settings.Settings(last_backup=dt.date.today() - dt.timedelta(days=45)))
    app = create_app([])
    bot = _Bot()
    shot = Shots(out)
    window = StartWindow(Session())
    window.show()
    window.begin()
    loop = QEventLoop()
    window.ready.connect(loop.quit)
    loop.exec()
    settle()
    shot(window, "start")

    wiz = window.start_new(form_id)
    assert wiz is not None
    answers = example_answers(wiz.spec)
    shot(wiz, "partij-profiel")
    kvk = next((q for q in wiz.spec.questions if q.type == "kvk" and q.page == "partij"), None)
    if kvk is not None:
        fill_current_page(bot, wiz, answers)
        type_into(bot, wiz.question_field(kvk.id), "1234")
        wiz.next()
        shot(wiz, "partij-kvk-fout")
    while wiz.current_page_name() != "review":
        fill_current_page(bot, wiz, answers)
        settle(100)
        shot(wiz, wiz.current_page_name())
        wiz.next()
    shot(wiz, "controleren")
    wiz.pages["review"].folder.setText(str(_tmp / "documenten"))  # type: ignore[attr-defined]
    wiz.next()
    wait_until(wiz.pages["result"].isComplete)
    settle(1500)
    shot(wiz, "documenten")
    result = wiz.pages["result"].result  # type: ignore[attr-defined]

    # Printing: the progress dialog (a printer that gets rendered pages), then "Afgedrukt".
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(_tmp / "afgedrukt.pdf"))
    printer.setCopyCount(2)
    op = operations.ProgressOp(wiz, lambda p: print_pdf_file(result.pdf, printer, p, raster=True),
                               title="Afdrukken", label=f"{result.pdf.stem} wordt afgedrukt…")
    op.run_in_background()
    wait_until(lambda: op.dialog is None or op.dialog.value() >= 3)
    if op.dialog is not None:
        shot.quietly(op.dialog, "afdrukken-voortgang")
        op.progress.cancel()
    operations.wait_idle()
    done = box(wiz, QMessageBox.Icon.Information, "Afgedrukt", printed_message(
        Printed(pages=16, copies=2, to_file="", printer="HP LaserJet kantoor", seconds=3.0)))
    shot(done, "afgedrukt")
    done.close()
    missing = box(wiz, QMessageBox.Icon.Information, "Geen programma gevonden",
                  no_program_text(result.docx, "een Word-document"))
    shot(missing, "geen-programma")
    missing.close()
    wiz.close()
    # A second agreement, left at its third step: a draft on the start screen,
    # and a contacts step that uses some of the profile's contacts.
    other = window.start_new("infinitcare-almere")
    assert other is not None
    other_answers = example_answers(other.spec)
    while other.current_page_name() != "contacten":
        fill_current_page(bot, other, other_answers)
        other.next()
    fill_current_page(bot, other, other_answers)
    settle()
    shot(other, "contacten-infinitcare")
    other.back()
    settle(800)
    other.close()
    settle()
    shot(window, "start-concepten")

    reg = window.open_register()
    assert reg is not None
    settle()
    shot(reg, "register")
    menu = reg.menuBar().actions()[0].menu()
    menu.popup(reg.mapToGlobal(reg.menuBar().geometry().bottomLeft()))
    shot.quietly(menu, "register-menu")
    menu.close()
    signed = SignedDialog(reg, signed_on=dt.date.today() - dt.timedelta(days=2))
    signed.show()
    shot(signed, "register-ondertekend")
    signed.close()
    session = window.session
    operations.Op(None, lambda: session.store.set_status(1, SIGNED, dt.date.today())) \
        .run_in_background()
    settle()
    reg.refresh()
    settle()
    shot(reg, "register-na-ondertekenen")
    reg.tabs.setCurrentIndex(1)
    shot(reg, "subverwerkers")
    reg.close()

    profile = ProfileDialog(session.profile, window)
    profile.show()
    type_into(bot, profile.fields["kvk"], "1234")
    bar = profile.scroller.verticalScrollBar()
    bar.setValue(bar.maximum())
    settle()
    profile.accept()
    shot(profile, "profiel-kvk-fout")
    profile.close()
    for name, dialog in (
            ("eerste-start-profiel", ProfileDialog({}, window, first_start=True)),
            ("herstelcode", RecoveryCodeDialog(code, window, practice=PRACTICE["organisatie_naam"])),
            ("sleutelopslag-eerste-start", KeyringDialog(window, first_start=True)),
            ("sleutelopslag-openen", KeyringDialog(window, first_start=False)),
            ("reservekopie-terugzetten", RestoreDialog(window, replaces=_tmp / "data")),
            ("over", AboutDialog(window)),
    ):
        dialog.show()
        if isinstance(dialog, RecoveryCodeDialog):
            dialog.accept()  # not yet typed back: the hint shows
        shot(dialog, name)
        dialog.done(0)

    bare = StartWindow(Session())  # as after "Doorgaan zonder register"
    bare._began = True
    bare._build_menus()
    bare.show()
    bare._forms_arrived(window.session.forms)  # type: ignore[arg-type]
    bare._go_on_without_register("Zonder register: u kunt overeenkomsten invullen en afdrukken, "
                                 "maar er wordt niets bewaard.", profile=dict(PRACTICE))
    settle()
    shot(bare, "start-zonder-register")
    bare.close()
    window.close()
    operations.shutdown()
    app.quit()
    sys.stdout.flush()
    os._exit(0)  # a screenshot tool: skip PySide's teardown of still-parented dialogs


if __name__ == "__main__":
    raise SystemExit(main())
