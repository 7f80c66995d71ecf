"""The start screen: new agreement, drafts, register, profile, 'Over'.

It paints before anything heavy loads: forms, the store and the profile come
in through background operations, so the window is there at once.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
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
from dpa_desktop.gui.screen import fit_resize
from dpa_desktop.gui.session import Session

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QPaintEvent

    from dpa_desktop.forms.loader import LoadedForms
    from dpa_desktop.forms.model import FormSpec
    from dpa_desktop.gui.register import RegisterWindow
    from dpa_desktop.gui.wizard import AgreementWizard
    from dpa_desktop.store import Draft, Store

# Qt.ItemDataRole.UserRole: touching the Qt namespace before the first paint
# builds its ~100 enums and costs about 25 ms of start-up.
USER_ROLE = 256

PAGE_NAMES_NL = {
    "partij": "uw gegevens", "verwerker": "verwerker", "diensten": "diensten", "bewaartermijnen": "bewaartermijnen",
    "contacten": "contactpersonen", "ondertekening": "ondertekening", "review": "controleren",
    "result": "documenten",
}


def sort_forms(forms: list[FormSpec], kind: str | None) -> list[FormSpec]:
    """Forms meant for her kind of organisation first, then by processor name."""
    return sorted(forms, key=lambda s: (kind not in s.audience if kind else False,
                                        s.processor_label.lower(), s.id))


class StartWindow(QMainWindow):
    """Main window. ``ready`` fires once forms, store and profile are loaded."""

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
        self._began = False
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(18, 14, 18, 14)
        title = QLabel("Verwerkersovereenkomsten")
        title.setObjectName("title")
        title.setStyleSheet("QLabel#title { font-size: 16pt; font-weight: bold; }")
        layout.addWidget(title)
        self.practice = QLabel("Even geduld, de gegevens worden geladen…")
        self.practice.setObjectName("practice_label")
        self.practice.setStyleSheet("color: #5f6368;")
        layout.addWidget(self.practice)

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
        self.drafts_list = QListWidget()
        self.drafts_list.setObjectName("drafts_list")
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
        self.register_button = QPushButton("&Register openen")
        self.register_button.setObjectName("register_button")
        self.profile_button = QPushButton("&Praktijkprofiel…")
        self.about_button = QPushButton("&Over…")
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
        from PySide6.QtGui import QKeySequence, QShortcut

        QShortcut(QKeySequence(QKeySequence.StandardKey.Quit), self, self.close)
        def load() -> LoadedForms:
            from dpa_desktop.forms.loader import load_forms

            return load_forms()

        Op(self, load).success(self._forms_arrived).run_in_background()

        def exists() -> bool:
            from dpa_desktop.store import Store

            return bool(Store.exists())

        Op(self, exists).success(self._store_exists).run_in_background()

    def _forms_arrived(self, loaded: LoadedForms) -> None:
        self.session.forms = loaded
        self._forms_loaded = True
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

        show_error(self, exc, "Register niet geopend")
        self.ask_recovery_code()

    def ask_recovery_code(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from dpa_desktop.gui.messages import show_error

        code, ok = QInputDialog.getText(
            self, "Herstelcode",
            "Het register kon niet worden geopend met de sleutel in Windows.\n"
            "Vul de herstelcode in die u bij de eerste start heeft bewaard:",
            QLineEdit.EchoMode.Normal)
        if not ok or not code.strip():
            self.practice.setText("Het register is niet geopend. Start het programma opnieuw "
                                  "om het nog eens te proberen.")
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
        from dpa_desktop.gui.dialogs import ProfileDialog

        dialog = ProfileDialog({}, self, first_start=True)
        profile = dialog.profile() if dialog.exec() else {}
        session = self.session

        def job() -> tuple[dict[str, str], str]:
            from dpa_desktop.store import Store

            store, code = Store.create()
            session.store = store
            if profile:
                store.save_profile(profile)
            return dict(store.load_profile()), str(code)

        def created(outcome: tuple[dict[str, str], str]) -> None:
            profile_saved, code = outcome
            from dpa_desktop.gui.dialogs import RecoveryCodeDialog

            RecoveryCodeDialog(code, self).exec()
            self._store_opened(profile_saved)

        Op(self, job).success(created).run_in_background()

    def _store_opened(self, profile: dict[str, str]) -> None:
        self.session.profile = profile
        self._store_ready = True
        self.register_button.setEnabled(True)
        self.profile_button.setEnabled(True)
        self._show_practice()
        self.fill_forms()
        self.refresh_drafts()
        self._check_ready()

    def _show_practice(self) -> None:
        name = self.session.profile.get("organisatie_naam")
        place = self.session.profile.get("plaats")
        if name:
            self.practice.setText(f"{name}{', ' + place if place else ''}")
        else:
            self.practice.setText("Nog geen praktijkprofiel ingevuld. Kies 'Praktijkprofiel'.")

    def _check_ready(self) -> None:
        self._update_buttons()
        if self._forms_loaded and self._store_ready:
            self.ready.emit()

    def refresh_drafts(self) -> None:
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
            text = f"{who}  –  bij '{PAGE_NAMES_NL.get(draft.page, draft.page)}'\n" \
                   f"Laatst gewijzigd {when}" + (f" · {org}" if isinstance(org, str) else "")
            item = QListWidgetItem(text)
            item.setData(USER_ROLE, draft)
            self.drafts_list.addItem(item)
        if self.drafts_list.count():
            self.drafts_list.setCurrentRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = self._store_ready and self._forms_loaded
        self.new_button.setEnabled(ready and self.forms_list.currentItem() is not None)
        has_draft = self.drafts_list.currentItem() is not None
        self.resume_button.setEnabled(ready and has_draft)
        self.delete_button.setEnabled(self._store_ready and has_draft)

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
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, "Formulier ontbreekt",
                                f"Het formulier '{draft.form_id}' van dit concept is niet "
                                "(meer) beschikbaar.")
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
        self.register_window.refresh()
        self.register_window.show()
        self.register_window.raise_()
        self.register_window.activateWindow()
        return self.register_window

    def _register_gone(self, *_: Any) -> None:
        self.register_window = None

    def edit_profile(self) -> None:
        from dpa_desktop.gui.dialogs import ProfileDialog

        dialog = ProfileDialog(self.session.profile, self)
        if not dialog.exec():
            return
        profile = dialog.profile()
        session = self.session

        def job() -> dict[str, str]:
            store: Store = session.store
            store.save_profile(profile)
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
