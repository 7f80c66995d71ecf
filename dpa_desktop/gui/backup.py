"""Register > Reservekopie maken / terugzetten, and the reminder when one is due.

A backup is ``Store.backup``: one encrypted file that opens with the recovery
code on any computer. Restoring is ``Store.restore(..., replace=True)``: the
archive is checked entirely before anything changes, and the data folder is
swapped in one rename, the register she had kept beside it, never deleted.
The log and settings sit beside the data folder and stay where they are.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from dpa_desktop import paths
from dpa_desktop.gui.operations import Op
from dpa_desktop.gui.session import Session

SUFFIX = ".dpabackup"
log = logging.getLogger(__name__)


def backup_file_name(today: dt.date) -> str:
    return f"DPA Desktop reservekopie {today.isoformat()}{SUFFIX}"


def ask_backup_path(parent: QWidget | None) -> Path | None:
    default = paths.backups_output_dir() / backup_file_name(dt.date.today())
    chosen, _ = QFileDialog.getSaveFileName(parent, "Reservekopie maken", str(default),
                                            f"Reservekopie (*{SUFFIX})")
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == SUFFIX else path.with_name(path.name + SUFFIX)


def make_backup(parent: QWidget | None, session: Session,
                done: Callable[[Path], None] | None = None) -> None:
    """Ask where, write the backup in the background, note the date, confirm."""
    path = ask_backup_path(parent)
    if path is None:
        return

    def job() -> Path:
        from dpa_desktop import settings

        session.store.backup(path)
        settings.noted_backup(dt.date.today())
        log.info("backup made (%d kB)", path.stat().st_size // 1000)
        return path

    def made(saved: Path) -> None:
        from dpa_desktop.gui.messages import show_info

        show_info(parent, "Reservekopie gemaakt",
                  f"De reservekopie is opgeslagen:\n{saved}\n\nZet een kopie buiten deze "
                  "computer (USB-stick, netwerkschijf). Terugzetten kan alleen met uw herstelcode.")
        if done is not None:
            done(saved)

    Op(parent, job).success(made).run_in_background()


@dataclass(frozen=True)
class Restored:
    profile: dict[str, str]
    aside: Path | None  # where the register she had before now is


def restore_register(archive: Path, code: str, data_dir: Path, session: Session) -> Restored:
    """Restore ``archive`` in place of the register in ``data_dir``; runs on the store lane.

    ``Store.restore`` checks the code and the whole archive before anything
    changes, then swaps the data folder in one rename and keeps the old one
    aside; the log and the settings sit beside the data folder and stay.
    """
    from dpa_desktop.store import Store

    had_register = Store.exists(data_dir)
    session.close_store()
    try:
        store = Store.restore(archive, code, data_dir, replace=True)
    except BaseException:
        # A wrong code or a damaged archive changed nothing: the register she had stays open.
        if had_register:
            session.store = Store.open(data_dir)
        raise
    session.store = store
    log.info("backup restored%s", " (previous register kept aside)" if store.replaced_folder else "")
    return Restored(profile=dict(store.load_profile()), aside=store.replaced_folder)


def restore_backup(parent: QWidget | None, session: Session,
                   done: Callable[[Restored], None], *,
                   cancelled: Callable[[], None] | None = None, archive: str = "",
                   problem: str = "") -> None:
    """Ask for the file and the code, restore in the background; asks again on a wrong code.

    ``cancelled`` runs when she gives up (closes the dialog) or the restore fails.
    """
    from dpa_desktop.gui.dialogs import RestoreDialog
    from dpa_desktop.store import Store

    data_dir = paths.data_dir()
    dialog = RestoreDialog(parent, archive=archive,
                           replaces=data_dir if Store.exists(data_dir) else None)
    if problem:
        dialog.show_problem(problem)
    if not dialog.exec():
        if cancelled is not None:
            cancelled()
        return
    chosen, code = dialog.archive_path(), dialog.recovery_code()

    def failed(exc: BaseException) -> None:
        from dpa_desktop.gui.messages import error_text, show_error
        from dpa_desktop.store import WrongRecoveryCode

        if isinstance(exc, WrongRecoveryCode):
            restore_backup(parent, session, done, cancelled=cancelled, archive=str(chosen),
                           problem=error_text(exc)[0])
        else:
            show_error(parent, exc, "Reservekopie niet teruggezet")
            if cancelled is not None:
                cancelled()

    def restored(outcome: Restored) -> None:
        from dpa_desktop.gui.messages import show_info

        kept = (f"\n\nHet register dat er stond, is bewaard in:\n{outcome.aside}"
                if outcome.aside else "")
        show_info(parent, "Reservekopie teruggezet",
                  f"Het register uit {chosen.name} is teruggezet.{kept}")
        done(outcome)

    Op(parent, lambda: restore_register(chosen, code, data_dir, session)).success(
        restored).failure(failed).run_in_background()


def reminder_text(today: dt.date) -> str:
    """The reminder on the start screen, or '' when no backup is due."""
    from dpa_desktop import settings

    noted = settings.load()
    if not settings.backup_due(noted, today):
        return ""
    if noted.last_backup is None:
        return ("Er is nog geen reservekopie van uw register gemaakt. Maak er een en bewaar die "
                "buiten deze computer.")
    days = (today - noted.last_backup).days
    return (f"Uw laatste reservekopie is van {noted.last_backup:%d-%m-%Y}, {days} dagen geleden. "
            "Maak een nieuwe.")
