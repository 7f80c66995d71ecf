"""The start screen: new agreement, drafts, register, profile, backup, 'Over'.

It paints before anything heavy loads: forms, the store and the profile come
in through background operations, so the window is there at once. When the
keyring cannot hold the register's key she may go on without a register:
the wizard still fills and prints, and says that nothing is recorded.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dpa_desktop.gui import operations
from dpa_desktop.gui.operations import Op
from dpa_desktop.gui.pages import step_title
from dpa_desktop.gui.screen import fit_resize
from dpa_desktop.gui.session import Session

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QCloseEvent, QPaintEvent

    from dpa_desktop.forms.loader import LoadedForms
    from dpa_desktop.forms.model import FormSpec
    from dpa_desktop.gui.backup import Restored
    from dpa_desktop.gui.register import RegisterWindow
    from dpa_desktop.gui.wizard import AgreementWizard
    from dpa_desktop.store import Draft

# Qt.ItemDataRole.UserRole: touching the Qt namespace before the first paint
# builds its ~100 enums and costs about 25 ms of start-up.
USER_ROLE = 256
log = logging.getLogger(__name__)


def sort_forms(forms: list[FormSpec], kind: str | None) -> list[FormSpec]:
    """Forms meant for her kind of organisation first, then by processor name."""
    return sorted(forms, key=lambda s: (kind not in s.audience if kind else False,
                                        s.processor_label.lower(), s.id))


def draft_text(processor: str, page: str, organisation: str, when: str) -> str:
    """A draft in the list: whose form, the step she was at (her words), for whom, when."""
    step = step_title(page)
    lines = [f"{processor}" + (f"  –  verder bij '{step}'" if step else "")]
    if organisation:
        lines.append(organisation)
    if when:
        lines.append(f"Laatst gewijzigd {when}")
    return "\n".join(lines)


class StartWindow(QMainWindow):
    """Main window. ``ready`` fires once forms are loaded and the store is open (or declined)."""

    ready = Signal()

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.setObjectName("start_window")
        self.setWindowTitle("DPA Desktop – verwerkersovereenkomsten")
        self.wizards: list[AgreementWizard] = []
        self.register_window: RegisterWindow | None = None
        self._forms_loaded = False
        self._store_ready = False
        self.without_register = False
        self._began = False
        self.actions_by_name: dict[str, QAction] = {}
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(18, 14, 18, 14)
        title = QLabel("Verwerkersovereenkomsten")
        title.setObjectName("title")
        title.setStyleSheet("QLabel#title { font-size: 16pt; font-weight: bold; }")
        layout.addWidget(title)
        status_row = QHBoxLayout()
        self.practice = QLabel("Even geduld, de gegevens worden geladen…")
        self.practice.setObjectName("practice_label")
        self.practice.setStyleSheet("color: #5f6368;")
        self.practice.setWordWrap(True)
        status_row.addWidget(self.practice, 1)
        self.retry_register = QPushButton("Register opnieuw pro&beren")
        self.retry_register.setObjectName("retry_register")
        self.retry_register.hide()
        status_row.addWidget(self.retry_register)
        layout.addLayout(status_row)

        self.reminder = QFrame()
        self.reminder.setObjectName("backup_reminder")
        self.reminder.setFrameShape(QFrame.Shape.StyledPanel)
        self.reminder.setStyleSheet("QFrame#backup_reminder { background: #fff4ce; "
                                    "border: 1px solid #e0c060; border-radius: 4px; }")
        reminder_row = QHBoxLayout(self.reminder)
        self.reminder_text = QLabel("")
        self.reminder_text.setObjectName("backup_reminder_text")
        self.reminder_text.setWordWrap(True)
        self.reminder_text.setStyleSheet("background: transparent; border: none;")
        self.reminder_button = QPushButton("Reservekopie &maken…")
        self.reminder_button.setObjectName("backup_reminder_button")
        reminder_row.addWidget(self.reminder_text, 1)
        reminder_row.addWidget(self.reminder_button)
        self.reminder.hide()
        layout.addWidget(self.reminder)

        columns = QHBoxLayout()
        new_box = QGroupBox("Nieuwe overeenkomst")
        new_layout = QVBoxLayout(new_box)
        forms_label = QLabel("&Kies het formulier van de verwerker:")
        self.forms_list = QListWidget()
        self.forms_list.setObjectName("forms_list")
        self.forms_list.setWordWrap(True)
        self.forms_list.setAlternatingRowColors(True)
        forms_label.setBuddy(self.forms_list)
        self.form_errors = QLabel("")
        self.form_errors.setWordWrap(True)
        self.form_errors.setStyleSheet("color: #b00020;")
        self.form_errors.hide()
        self.new_button = QPushButton("&Nieuwe overeenkomst starten")
        self.new_button.setObjectName("new_button")
        self.new_button.setEnabled(False)
        new_layout.addWidget(forms_label)
        new_layout.addWidget(self.forms_list, 1)
        new_layout.addWidget(self.form_errors)
        new_layout.addWidget(self.new_button)
        columns.addWidget(new_box, 3)

        drafts_box = QGroupBox("Concepten")
        drafts_layout = QVBoxLayout(drafts_box)
        drafts_label = QLabel("Nog niet afgeronde overeenkomsten (&concepten):")
        drafts_label.setWordWrap(True)
        self.drafts_list = QListWidget()
        self.drafts_list.setObjectName("drafts_list")
        self.drafts_list.setWordWrap(True)
        self.drafts_list.setAlternatingRowColors(True)
        drafts_label.setBuddy(self.drafts_list)
        self.resume_button = QPushButton("&Verder met concept")
        self.resume_button.setObjectName("resume_button")
        self.delete_button = QPushButton("Concept ver&wijderen")
        self.resume_button.setEnabled(False)
        self.delete_button.setEnabled(False)
        drafts_layout.addWidget(drafts_label)
        drafts_layout.addWidget(self.drafts_list, 1)
        row = QHBoxLayout()
        row.addWidget(self.resume_button)
        row.addWidget(self.delete_button)
        drafts_layout.addLayout(row)
        columns.addWidget(drafts_box, 2)
        layout.addLayout(columns, 1)

        bottom = QHBoxLayout()
        self.register_button = QPushButton("Re&gister openen")
        self.register_button.setObjectName("register_button")
        self.profile_button = QPushButton("&Praktijkprofiel…")
        self.about_button = QPushButton("&Over DPA Desktop…")
        quit_button = QPushButton("&Afsluiten")
        for b in (self.register_button, self.profile_button):
            b.setEnabled(False)
            bottom.addWidget(b)
        bottom.addStretch(1)
        bottom.addWidget(self.about_button)
        bottom.addWidget(quit_button)
        layout.addLayout(bottom)
        self.setCentralWidget(central)
        fit_resize(self, 980, 620)

        self.new_button.clicked.connect(self.start_new)
        self.forms_list.itemActivated.connect(lambda _i: self.start_new())
        self.forms_list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.resume_button.clicked.connect(self.resume_selected)
        self.drafts_list.itemActivated.connect(lambda _i: self.resume_selected())
        self.drafts_list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.delete_button.clicked.connect(self.delete_selected)
        self.register_button.clicked.connect(self.open_register)
        self.profile_button.clicked.connect(self.edit_profile)
        self.about_button.clicked.connect(self.show_about)
        self.reminder_button.clicked.connect(self.make_backup)
        self.retry_register.clicked.connect(self.retry_store)
        quit_button.clicked.connect(self.close)

    # ------------------------------------------------------------------ loading

    def paintEvent(self, event: QPaintEvent) -> None:
        """Start loading only once the window is on screen: imports on the worker
        thread would otherwise compete with the first paint for the GIL."""
        super().paintEvent(event)
        if not self._began:
            self._began = True
            QTimer.singleShot(0, self.begin)

    def begin(self) -> None:
        """Load forms and open (or first set up) the store, all in the background."""
        self._began = True
        self._build_menus()

        def load() -> LoadedForms:
            from dpa_desktop.forms.loader import load_forms

            return load_forms()

        Op(self, load).success(self._forms_arrived).run_in_background()

        def exists() -> bool:
            from dpa_desktop.store import Store

            return bool(Store.exists())

        Op(self, exists).success(self._store_exists).run_in_background()

    def _build_menus(self) -> None:
        """The menu bar, built after the first paint (QAction and QKeySequence cost start-up)."""
        if self.actions_by_name:
            return
        from PySide6.QtGui import QKeySequence, QShortcut

        from dpa_desktop.gui.menus import add_actions

        QShortcut(QKeySequence(QKeySequence.StandardKey.Quit), self, self.close)
        bar = self.menuBar()
        self.actions_by_name.update(add_actions(bar.addMenu("&Register"), (
            ("open_register", "Register &openen", self.open_register),
            ("backup", "Reservekopie &maken…", self.make_backup),
            ("restore", "Reservekopie &terugzetten…", self.restore_backup),
            ("", "", None),
            ("profile", "&Praktijkprofiel…", self.edit_profile),
            ("", "", None),
            ("quit", "&Afsluiten", self.close),
        )))
        self.actions_by_name.update(add_actions(bar.addMenu("&Help"), (
            ("about", "&Over DPA Desktop…", self.show_about),
        )))
        self._update_buttons()

    def _forms_arrived(self, loaded: LoadedForms) -> None:
        self.session.forms = loaded
        self._forms_loaded = True
        log.info("forms loaded: %d (%d could not be read)", len(loaded.forms), len(loaded.errors))
        if loaded.errors:
            self.form_errors.setText("Niet alle formulieren konden worden geladen:\n"
                                     + "\n".join(str(e) for e in loaded.errors))
            self.form_errors.show()
        self.fill_forms()
        self._check_ready()

    def fill_forms(self) -> None:
        loaded = self.session.forms
        if loaded is None:
            return
        kind = self.session.profile.get("organisatie_soort")
        current = self.forms_list.currentItem()
        current_id = current.data(USER_ROLE) if current else None
        self.forms_list.clear()
        for spec in sort_forms(list(loaded.forms.values()), kind):
            item = QListWidgetItem(f"{spec.processor_label}  –  versie {spec.version}\n"
                                   f"{spec.description}")
            item.setData(USER_ROLE, spec.id)
            item.setToolTip(f"Formulier '{spec.id}'")
            self.forms_list.addItem(item)
            if spec.id == current_id:
                self.forms_list.setCurrentItem(item)
        if self.forms_list.currentRow() < 0 and self.forms_list.count():
            self.forms_list.setCurrentRow(0)
        self._update_buttons()

    def _store_exists(self, exists: bool) -> None:
        if exists:
            self.open_store()
        else:
            self.first_start()

    def open_store(self) -> None:
        session = self.session

        def job() -> dict[str, str]:
            from dpa_desktop.store import Store

            session.store = Store.open()
            return dict(session.store.load_profile())

        Op(self, job).success(self._store_opened).failure(self._open_failed).run_in_background()

    def _open_failed(self, exc: BaseException) -> None:
        from dpa_desktop.gui.messages import show_error
        from dpa_desktop.store import KeyringUnavailable, StoreLocked

        log.warning("register not opened: %s", type(exc).__name__)
        if isinstance(exc, KeyringUnavailable):
            self._keyring_missing(first_start=False, profile={})
            return
        show_error(self, exc, "Register niet geopend")
        if isinstance(exc, StoreLocked):
            self.ask_recovery_code()
        else:
            self._go_on_without_register(
                "Het register is niet geopend. Zet een reservekopie terug (Register > "
                "Reservekopie terugzetten) of start het programma opnieuw.")

    def ask_recovery_code(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from dpa_desktop.gui.messages import show_error

        code, ok = QInputDialog.getText(
            self, "Herstelcode",
            "Het register kon niet worden geopend met de sleutel op deze computer.\n"
            "Vul de herstelcode in die u bij de eerste start heeft bewaard:",
            QLineEdit.EchoMode.Normal)
        if not ok or not code.strip():
            self._go_on_without_register(
                "Het register is niet geopend. Kies 'Register opnieuw proberen' om de "
                "herstelcode alsnog in te vullen.")
            return
        session = self.session

        def job() -> dict[str, str]:
            from dpa_desktop.store import Store

            session.store = Store.recover(code.strip())
            return dict(session.store.load_profile())

        def failed(exc: BaseException) -> None:
            show_error(self, exc, "Herstelcode")
            self.ask_recovery_code()

        Op(self, job).success(self._store_opened).failure(failed).run_in_background()

    def first_start(self) -> None:
        from dpa_desktop.gui.dialogs import RESTORE_INSTEAD, ProfileDialog

        dialog = ProfileDialog({}, self, first_start=True)
        outcome = dialog.exec()
        if outcome == RESTORE_INSTEAD:
            self.restore_backup(on_cancel=self.first_start)
            return
        self.create_store(dialog.profile() if outcome else {})

    def create_store(self, profile: dict[str, str]) -> None:
        session = self.session

        def job() -> tuple[dict[str, str], str]:
            from dpa_desktop.store import Store

            store, code = Store.create()
            session.store = store
            if profile:
                store.save_profile(profile)
            log.info("register created")
            return dict(store.load_profile()), str(code)

        def created(outcome: tuple[dict[str, str], str]) -> None:
            profile_saved, code = outcome
            from dpa_desktop.gui.dialogs import RecoveryCodeDialog

            RecoveryCodeDialog(code, self,
                               practice=profile_saved.get("organisatie_naam", "")).exec()
            self._store_opened(profile_saved)

        def failed(exc: BaseException) -> None:
            from dpa_desktop.gui.messages import show_error
            from dpa_desktop.store import KeyringUnavailable

            if isinstance(exc, KeyringUnavailable):
                self._keyring_missing(first_start=True, profile=profile)
            else:
                show_error(self, exc, "Register niet gemaakt")
                self._go_on_without_register("Het register kon niet worden gemaakt.",
                                             profile=profile)

        Op(self, job).success(created).failure(failed).run_in_background()

    def _keyring_missing(self, *, first_start: bool, profile: dict[str, str]) -> None:
        """Explain what is missing; retry, the recovery code, or go on without a register."""
        from dpa_desktop.gui.dialogs import KeyringDialog

        log.warning("keyring unavailable (%s)", "first start" if first_start else "open")
        choice = KeyringDialog(self, first_start=first_start).exec()
        if choice == KeyringDialog.RETRY:
            if first_start:
                self.create_store(profile)
            else:
                self.open_store()
        elif choice == KeyringDialog.RECOVERY_CODE:
            self.ask_recovery_code()
        else:
            self._go_on_without_register(
                "Zonder register: u kunt overeenkomsten invullen en afdrukken, maar er wordt "
                "niets bewaard.", profile=profile)

    def _go_on_without_register(self, text: str, *,
                                profile: dict[str, str] | None = None) -> None:
        self.without_register = True
        if profile:
            self.session.profile = dict(profile)
        self.practice.setText(text)
        self.practice.setStyleSheet("color: #8a4b00;")
        self.retry_register.show()
        self.fill_forms()
        self._check_ready()
        log.info("going on without a register")

    def retry_store(self) -> None:
        from dpa_desktop.store import Store

        self.retry_register.hide()
        self.practice.setStyleSheet("color: #5f6368;")
        self.practice.setText("Even geduld, het register wordt geopend…")
        if Store.exists():
            self.open_store()
        else:
            self.create_store(dict(self.session.profile))

    def _store_opened(self, profile: dict[str, str]) -> None:
        self.session.profile = profile
        self._store_ready = True
        self.without_register = False
        self.retry_register.hide()
        self.practice.setStyleSheet("color: #5f6368;")
        self.register_button.setEnabled(True)
        self.profile_button.setEnabled(True)
        log.info("register open")
        self._show_practice()
        self.fill_forms()
        self.refresh_drafts()
        self.refresh_reminder()
        self._check_ready()

    def refresh_reminder(self) -> None:
        """Show the backup reminder when the last backup is over 30 days old."""
        import datetime as dt

        from dpa_desktop import settings
        from dpa_desktop.gui.backup import reminder_text

        if not self._store_ready:
            self.reminder.hide()
            return
        today = dt.date.today()
        settings.noted_use(today)
        text = reminder_text(today)
        self.reminder_text.setText(text)
        self.reminder.setVisible(bool(text))

    def _show_practice(self) -> None:
        name = self.session.profile.get("organisatie_naam")
        place = self.session.profile.get("plaats")
        if name:
            self.practice.setText(f"{name}{', ' + place if place else ''}")
        else:
            self.practice.setText("Nog geen praktijkprofiel ingevuld. Kies 'Praktijkprofiel'.")

    def _check_ready(self) -> None:
        self._update_buttons()
        if self._forms_loaded and (self._store_ready or self.without_register):
            self.ready.emit()

    def refresh_drafts(self) -> None:
        if not self.session.has_store:
            return
        session = self.session

        def job() -> list[Draft]:
            return list(session.store.list_drafts())

        Op(self, job).success(self._drafts_arrived).run_in_background()

    def _drafts_arrived(self, drafts: list[Draft]) -> None:
        self.drafts_list.clear()
        forms = self.session.forms.forms if self.session.forms else {}
        for draft in drafts:
            spec = forms.get(draft.form_id)
            who = spec.processor_label if spec else draft.form_id
            when = draft.updated.strftime("%d-%m-%Y %H:%M") if draft.updated else ""
            org = draft.answers.values.get("organisatie_naam")
            if not isinstance(org, str) and spec is not None:
                org = next((draft.answers.values.get(q.id) for q in spec.questions
                            if q.profile == "organisatie_naam"), None)
            item = QListWidgetItem(draft_text(who, draft.page, org if isinstance(org, str) else "",
                                              when))
            item.setData(USER_ROLE, draft)
            self.drafts_list.addItem(item)
        if self.drafts_list.count():
            self.drafts_list.setCurrentRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        can_fill = self._forms_loaded and (self._store_ready or self.without_register)
        self.new_button.setEnabled(can_fill and self.forms_list.currentItem() is not None)
        has_draft = self.drafts_list.currentItem() is not None
        self.resume_button.setEnabled(can_fill and self._store_ready and has_draft)
        self.delete_button.setEnabled(self._store_ready and has_draft)
        for name, enabled in (("open_register", self._store_ready), ("backup", self._store_ready),
                              ("profile", self._store_ready or self.without_register),
                              ("restore", self._store_ready or self.without_register)):
            action = self.actions_by_name.get(name)
            if action is not None:
                action.setEnabled(enabled)
        self.profile_button.setEnabled(self._store_ready or self.without_register)

    # ------------------------------------------------------------------ actions

    def selected_form(self) -> FormSpec | None:
        item = self.forms_list.currentItem()
        if item is None or self.session.forms is None:
            return None
        return self.session.forms.forms.get(str(item.data(USER_ROLE)))

    def start_new(self, form_id: str | None = None) -> AgreementWizard | None:
        spec = (self.session.forms.forms.get(form_id) if form_id and self.session.forms
                else self.selected_form())
        if spec is None or not self.new_button.isEnabled():
            return None
        return self._open_wizard(spec, None)

    def resume_selected(self) -> AgreementWizard | None:
        item = self.drafts_list.currentItem()
        if item is None or not self.resume_button.isEnabled():
            return None
        draft: Draft = item.data(USER_ROLE)
        return self.resume(draft)

    def resume(self, draft: Draft) -> AgreementWizard | None:
        for wiz in self.wizards:
            if wiz.draft_id == draft.id:
                wiz.raise_()
                wiz.activateWindow()
                return wiz
        forms = self.session.forms.forms if self.session.forms else {}
        spec = forms.get(draft.form_id)
        if spec is None:
            from dpa_desktop.gui.messages import show_info

            show_info(self, "Formulier ontbreekt",
                      f"Het formulier '{draft.form_id}' van dit concept is niet (meer) "
                      "beschikbaar.")
            return None
        return self._open_wizard(spec, draft)

    def _open_wizard(self, spec: FormSpec, draft: Draft | None) -> AgreementWizard:
        from dpa_desktop.gui.wizard import AgreementWizard

        wiz = AgreementWizard(spec, self.session, draft)
        from PySide6.QtCore import Qt

        wiz.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wiz.draft_saved.connect(lambda _d: self.refresh_drafts())
        wiz.generated.connect(lambda _r: self._agreement_made())
        wiz.profile_saved.connect(lambda _p: self._show_practice())
        wiz.finished.connect(lambda _r, w=wiz: self._wizard_closed(w))
        self.wizards.append(wiz)
        log.info("wizard opened: form %s, %s", spec.id,
                 f"draft {draft.id}" if draft is not None else "new")
        wiz.start()
        wiz.show()
        return wiz

    def _wizard_closed(self, wiz: AgreementWizard) -> None:
        if wiz in self.wizards:
            self.wizards.remove(wiz)
        self.refresh_drafts()

    def _agreement_made(self) -> None:
        self.refresh_drafts()
        if self.register_window is not None:
            self.register_window.refresh()

    def delete_selected(self) -> None:
        item = self.drafts_list.currentItem()
        if item is None:
            return
        draft: Draft = item.data(USER_ROLE)
        from dpa_desktop.gui.messages import confirm

        if not confirm(self, "Concept verwijderen",
                       "Weet u zeker dat u dit concept wilt verwijderen? "
                       "De ingevulde antwoorden gaan verloren."):
            return
        session = self.session
        draft_id = draft.id
        if draft_id is None:
            return
        Op(self, lambda: session.store.delete_draft(draft_id)).success(
            lambda _r: self.refresh_drafts()).run_in_background()

    def open_register(self) -> RegisterWindow | None:
        if not self._store_ready:
            return None
        from dpa_desktop.gui.register import RegisterWindow

        if self.register_window is None:
            self.register_window = RegisterWindow(self.session)
            self.register_window.destroyed.connect(self._register_gone)
            self.register_window.backup_requested.connect(self.make_backup)
            self.register_window.restore_requested.connect(self.restore_backup)
        self.register_window.refresh()
        self.register_window.show()
        self.register_window.raise_()
        self.register_window.activateWindow()
        return self.register_window

    def _register_gone(self, *_: Any) -> None:
        self.register_window = None

    def make_backup(self) -> None:
        if not self._store_ready:
            return
        from dpa_desktop.gui.backup import make_backup

        make_backup(self, self.session, lambda _p: self.refresh_reminder())

    def restore_backup(self, on_cancel: Callable[[], None] | None = None) -> None:
        """Replace the register by a backup; open agreements must be closed first."""
        from dpa_desktop.gui.messages import show_info

        if self.wizards:
            show_info(self, "Eerst afsluiten",
                      "Sluit eerst de overeenkomsten die open staan; daarna kunt u een "
                      "reservekopie terugzetten.")
            return
        if self.register_window is not None:
            self.register_window.close()
        from dpa_desktop.gui.backup import restore_backup

        def restored(outcome: Restored) -> None:
            self._store_opened(outcome.profile)

        def gave_up() -> None:
            if on_cancel is not None:
                on_cancel()
            elif self._store_ready and not self.session.has_store:  # failed half-way
                self._store_ready = False
                self.open_store()

        restore_backup(self, self.session, restored, cancelled=gave_up)

    def edit_profile(self) -> None:
        from dpa_desktop.gui.dialogs import ProfileDialog

        dialog = ProfileDialog(self.session.profile, self)
        if not dialog.exec():
            return
        profile = dialog.profile()
        session = self.session
        if not session.has_store:  # without a register the profile lives for this session only
            session.profile = profile
            self._show_practice()
            self.fill_forms()
            return

        def job() -> dict[str, str]:
            session.store.save_profile(profile)
            return profile

        def saved(p: dict[str, str]) -> None:
            session.profile = p
            self._show_practice()
            self.fill_forms()

        Op(self, job).success(saved).run_in_background()

    def show_about(self) -> None:
        from dpa_desktop.gui.dialogs import AboutDialog

        AboutDialog(self).exec()

    def closeEvent(self, event: QCloseEvent) -> None:
        for wiz in list(self.wizards):
            wiz.flush()
            wiz.close()
        if self.register_window is not None:
            self.register_window.close()
        operations.wait_idle()
        super().closeEvent(event)


def practice_heading(profile: dict[str, str]) -> str:
    return html.escape(profile.get("organisatie_naam", ""))
