"""The one place that tells the user something went wrong, in Dutch.

A ``DpaError`` already carries a Dutch sentence meant for her and is shown as
is; anything else is a bug, so she gets a calm generic message and the
technical details sit behind "Details tonen" for whoever helps her.
"""

from __future__ import annotations

import traceback

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from dpa_desktop.errors import AnswersInvalid, DpaError

GENERIC = ("Er ging iets onverwachts mis. Uw ingevulde gegevens zijn bewaard.\n"
           "Probeer het opnieuw; lukt het niet, stuur dan de details naar uw ICT-contactpersoon.")


def error_text(exc: BaseException) -> tuple[str, str]:
    """(message, details) for an exception; details are empty for a DpaError."""
    if isinstance(exc, AnswersInvalid):
        lines = [exc.heading] + [f"• {p}" for p in exc.problems]
        return "\n".join(lines), ""
    if isinstance(exc, DpaError):
        return str(exc), ""
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"Een bestand kon niet worden gelezen of geschreven{where}: {exc.strerror}.", \
            "".join(traceback.format_exception(exc))
    return GENERIC, "".join(traceback.format_exception(exc))


def show_error(parent: QWidget | None, exc: BaseException, title: str = "Er ging iets mis") -> None:
    message, details = error_text(exc)
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok,
                      parent)
    if details:
        box.setDetailedText(details)
    box.exec()


def show_info(parent: QWidget | None, title: str, message: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, message, QMessageBox.StandardButton.Ok,
                      parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()


def confirm(parent: QWidget | None, title: str, message: str) -> bool:
    answer = QMessageBox.question(parent, title, message,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes
