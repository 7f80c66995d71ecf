"""Start the desktop app: Dutch Qt, the start screen first, everything else later.

Start-up stays lean: only QtWidgets and the start screen load before the
first paint; forms, pydantic, the store and the renderers load on the worker
thread or when first used.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from dpa_desktop import __version__


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
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication(list(argv) if argv is not None else sys.argv)
    app.setApplicationName("DPA Desktop")
    app.setOrganizationName("DPA Desktop")
    app.setApplicationVersion(__version__)
    install_dutch(app)
    return app


def run(argv: Sequence[str] | None = None) -> int:
    """The bare ``dpa-desktop`` command."""
    from dpa_desktop.gui import operations
    from dpa_desktop.gui.session import Session
    from dpa_desktop.gui.start import StartWindow

    app = create_app(argv)
    window = StartWindow(Session())
    window.show()
    QTimer.singleShot(0, window.begin)
    try:
        return int(app.exec())
    finally:
        operations.shutdown()
