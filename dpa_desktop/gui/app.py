"""Start the desktop app: Dutch Qt, the start screen first, everything else later.

Start-up stays lean: only QtWidgets and the start screen load before the
first paint; the forms, the store and the renderers load on the worker
thread or when first used.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from dpa_desktop import __version__, paths

# installers/smoke.py sets this: show the main window, report, quit after N ms.
SMOKE_EXIT_ENV = "DPA_DESKTOP_SMOKE_EXIT_MS"


def install_dutch(app: QApplication) -> QTranslator | None:
    """Qt's own Dutch translation, so standard buttons read Volgende, Annuleren…"""
    QLocale.setDefault(QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load("qtbase_nl", folder):
        app.installTranslator(translator)
        return translator
    return None


def create_app(argv: Sequence[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = (existing if isinstance(existing, QApplication)
           else QApplication(list(argv) if argv is not None else sys.argv))
    app.setApplicationName("DPA Desktop")
    app.setOrganizationName("DPA Desktop")
    app.setApplicationVersion(__version__)
    icon = paths.resources_dir() / "icons" / "dpa-desktop.png"
    if icon.is_file():  # the title bar and task bar show the app's own icon
        app.setWindowIcon(QIcon(str(icon)))
    install_dutch(app)
    return app


def start_logging() -> None:
    """The rotating log in the data folder, and uncaught errors into it (type and lines only)."""
    from dpa_desktop import logs

    try:
        logs.setup()
    except OSError:  # a log that cannot be written never stops the app
        return
    previous = sys.excepthook

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        logs.log_uncaught(exc_type, exc, tb)
        previous(exc_type, exc, tb)

    sys.excepthook = hook


def run(argv: Sequence[str] | None = None) -> int:
    """The bare ``dpa-desktop`` command."""
    from dpa_desktop.gui import operations
    from dpa_desktop.gui.session import Session
    from dpa_desktop.gui.start import StartWindow

    start_logging()
    app = create_app(argv)
    window = StartWindow(Session())
    window.show()  # its first paint starts loading forms and the store (StartWindow.begin)
    _schedule_smoke_exit(app, window)
    try:
        return int(app.exec())
    finally:
        operations.shutdown()


def _schedule_smoke_exit(app: QApplication, window: QWidget) -> None:
    """Let the frozen build's smoke test start the real app without a person to close it.

    The report line proves the window was shown, Qt's Dutch translation was
    found inside the bundle (standard buttons would read Cancel otherwise),
    where Qt looks for its plugins (inside the bundle, set up by PyInstaller's PySide6 hook),
    and which messages about form files the user sees (a damaged form must be named).
    The report waits for the forms to load, however slow the machine; then
    every dialog that is or comes up (the first-start profile, the recovery
    code) is closed until the app has quit, since a modal dialog opened after
    ``quit()`` would otherwise wait for a person forever.
    """
    raw = os.environ.get(SMOKE_EXIT_ENV, "").strip()
    if not raw.isdigit():
        return
    poll_ms = 100
    give_up_ms = 60_000
    waited = [0]

    def forms_loaded() -> bool:
        session = getattr(window, "session", None)
        return getattr(session, "forms", None) is not None

    def close_everything() -> None:
        from PySide6.QtWidgets import QDialog

        modal = QApplication.activeModalWidget()
        if isinstance(modal, QDialog):
            modal.done(0)  # also the recovery code, which Esc and close() do not dismiss
        elif modal is not None:
            modal.close()
        app.quit()

    def report_when_loaded() -> None:
        if not forms_loaded() and waited[0] < give_up_ms:
            waited[0] += poll_ms
            QTimer.singleShot(poll_ms, report_when_loaded)
            return
        cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
        notices = [label.text() for label in window.findChildren(QLabel)
                   if label.isVisible() and ".yaml" in label.text()]
        plugins = QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)
        print(f"smoke: venster={window.windowTitle()!r} zichtbaar={window.isVisible()} "
              f"annuleren={cancel!r} qtplugins={plugins!r} formuliermeldingen={notices!r}", flush=True)
        closer = QTimer(app)
        closer.timeout.connect(close_everything)
        closer.start(poll_ms)
        close_everything()

    QTimer.singleShot(int(raw), report_when_loaded)
