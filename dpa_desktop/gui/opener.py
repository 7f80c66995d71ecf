"""Open a document or folder in the program the system has for it, or say why not.

Asking the system can take a moment (on Linux ``xdg-mime`` is consulted
first), so it runs on its own lane; when no program is set up she gets a
message naming the file, instead of a button that does nothing visible.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QWidget

from dpa_desktop.gui.operations import Op

DESKTOP = "desktop"
log = logging.getLogger(__name__)


def no_program_text(path: Path, kind: str) -> str:
    if path.is_dir():
        return (f"Er is op deze computer geen programma ingesteld om {kind} te openen. "
                f"U vindt de map hier:\n{path}")
    return (f"Er is op deze computer geen programma ingesteld om {kind} te openen "
            f"(bestandstype {path.suffix or 'onbekend'}). Installeer er een, bijvoorbeeld een "
            f"PDF-lezer of een tekstverwerker, of open het bestand zelf. Het staat hier:\n{path}")


def open_path(parent: QWidget | None, path: Path, *, kind: str = "dit bestand") -> None:
    """Open ``path``; a message when the system has no program for it or it is gone."""
    from dpa_desktop.platform import NoDefaultApp, open_with_default_app

    def job() -> None:
        open_with_default_app(path)

    def failed(exc: BaseException) -> None:
        from dpa_desktop.gui.messages import show_error, show_info

        if isinstance(exc, NoDefaultApp):
            log.info("no program to open a %s", path.suffix or "folder")
            show_info(parent, "Geen programma gevonden", no_program_text(path, kind))
        elif isinstance(exc, FileNotFoundError):
            show_info(parent, "Niet gevonden", f"{kind[:1].upper()}{kind[1:]} bestaat niet "
                      f"(meer):\n{path}")
        else:
            show_error(parent, exc)

    Op(parent, job, lane=DESKTOP).failure(failed).run_in_background()
