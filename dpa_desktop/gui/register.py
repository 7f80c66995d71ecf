"""The register: every agreement made, its status, documents and subprocessors.

All reads and writes go through ``Op`` (the store lives on the worker thread);
the table is rebuilt from the store after every change, so what she sees is
what is stored.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dpa_desktop.forms.model import FormSpec, Question
from dpa_desktop.gui.fields import ERROR_STYLE, HELP_STYLE, QuestionField, add_file_row, small_label
from dpa_desktop.gui.menus import add_actions
from dpa_desktop.gui.messages import show_error, show_info
from dpa_desktop.gui.operations import Op
from dpa_desktop.gui.screen import fit_resize
from dpa_desktop.gui.session import Session

if TYPE_CHECKING:
    from dpa_desktop.store import Agreement, AgreementSummary, SubprocessorUse
    from dpa_desktop.store.register import DocumentKind

log = logging.getLogger(__name__)


def status_label(status: str) -> str:
    from dpa_desktop.store import STATUS_LABELS

    return STATUS_LABELS.get(status, status.capitalize())


def _date_nl(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day:02d}-{value.month:02d}-{value.year}"
    try:
        parsed = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return f"{parsed.day:02d}-{parsed.month:02d}-{parsed.year}"


def signing_date(agreement: Agreement, spec: FormSpec | None) -> dt.date | None:
    """The date of signing she entered in the wizard: the form's first date on its signing page."""
    if spec is None:
        return None
    for question in spec.questions:
        if question.page == "ondertekening" and question.type == "date":
            value = agreement.answers.values.get(question.id)
            if isinstance(value, str):
                try:
                    return dt.date.fromisoformat(value)
                except ValueError:
                    return None
    return None


SIGNED_DATE = Question(id="signed_on", type="date", label="Datum van ondertekening",
                       page="ondertekening",
                       help="Zoals op het getekende papier staat, bijvoorbeeld 15-11-2026.")


class SignedDialog(QDialog):
    """Mark signed: the date it was signed and, optionally, the scan of the signed copy.

    The date is typed like every date in the wizard (dd-mm-jjjj) and starts at
    the signing date of the agreement itself, when the wizard asked for one.
    """

    def __init__(self, parent: QWidget | None = None, *, signed_on: dt.date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signed_dialog")
        self.setWindowTitle("Markeren als ondertekend")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.date = QuestionField(SIGNED_DATE)
        self.date.setObjectName("signed_date")
        self.date.set_value((signed_on or dt.date.today()).isoformat())
        date_label = QLabel("&Datum van ondertekening:")
        date_label.setBuddy(self.date.focus_widget())
        form.addRow(date_label, self.date)
        self.scan = QLineEdit()
        self.scan.setObjectName("signed_scan")
        self.scan.setPlaceholderText("PDF of afbeelding (optioneel)")
        add_file_row(form, "&Scan:", self.scan, self._browse)
        form.addRow("", small_label("De gescande getekende overeenkomst, als PDF of afbeelding. "
                                    "Die wordt versleuteld in het register bewaard.", HELP_STYLE))
        self.note = QLineEdit()
        note_label = QLabel("&Notitie:")
        note_label.setBuddy(self.note)
        form.addRow(note_label, self.note)
        layout.addLayout(form)
        self.problem = small_label("", ERROR_STYLE)
        self.problem.setObjectName("signed_problem")
        self.problem.hide()
        layout.addWidget(self.problem)
        layout.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_resize(self, 600, 260)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Scan van de getekende overeenkomst", "",
                                              "PDF en afbeeldingen (*.pdf *.png *.jpg *.jpeg "
                                              "*.tif *.tiff);;Alle bestanden (*)")
        if path:
            self.scan.setText(path)

    def signed_on(self) -> dt.date:
        value = self.date.stored_value()
        assert isinstance(value, str)
        return dt.date.fromisoformat(value)

    def scan_path(self) -> Path | None:
        text = self.scan.text().strip()
        return Path(text) if text else None

    def accept(self) -> None:
        if self.date.check(when_empty=True):
            self.date.focus_widget().setFocus()
            return
        if self.signed_on() > dt.date.today():
            self.date.show_problem("de datum van ondertekening ligt in de toekomst")
            self.date.focus_widget().setFocus()
            return
        path = self.scan_path()
        if path is not None and not path.is_file():
            self.problem.setText(f"Het bestand {path} bestaat niet. Kies de scan opnieuw of laat "
                                 "het veld leeg.")
            self.problem.show()
            self.scan.setFocus()
            return
        super().accept()


class RegisterWindow(QMainWindow):
    """Table with filter and detail pane, status actions, documents and exports.

    Backup and restore live in its "Register" menu too; they are the start
    window's to run (``backup_requested``, ``restore_requested``), since a
    restore replaces the store every window shares.
    """

    COLUMNS = ("Nr.", "Verwerker", "Organisatie", "Status", "Gemaakt", "Verstuurd",
               "Ondertekend", "Beëindigd", "Herbeoordeling", "Soort")
    NAME_COLUMNS = (1, 2)  # Verwerker, Organisatie
    backup_requested = Signal()
    restore_requested = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("register_window")
        self.setWindowTitle("Register van verwerkersovereenkomsten")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.summaries: list[AgreementSummary] = []
        self.current: Agreement | None = None
        self._select_after: int | None = None
        tabs = QTabWidget()
        tabs.setObjectName("register_tabs")
        tabs.addTab(self._agreements_tab(), "&Overeenkomsten")
        tabs.addTab(self._subprocessors_tab(), "&Subverwerkers")
        self.tabs = tabs
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.addWidget(tabs, 1)
        closing = QHBoxLayout()
        closing.addStretch(1)
        self.close_button = QPushButton("S&luiten")
        self.close_button.setObjectName("register_close")
        self.close_button.setToolTip("Register sluiten (Esc)")
        self.close_button.clicked.connect(self.close)
        closing.addWidget(self.close_button)
        outer.addLayout(closing)
        self.setCentralWidget(central)
        self._build_menu()
        fit_resize(self, 1100, 680)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(250)
        self._filter_timer.timeout.connect(self.refresh)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.close)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.search.setFocus)

    def _build_menu(self) -> None:
        add_actions(self.menuBar().addMenu("&Register"), (
            ("backup", "Reservekopie &maken…", self.backup_requested.emit),
            ("restore", "Reservekopie &terugzetten…", self.restore_requested.emit),
            ("", "", None),
            ("close", "&Sluiten", self.close),
        ))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc closes the register (a field or list that uses Esc itself keeps it)."""
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ layout

    def _agreements_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        filters = QHBoxLayout()
        search_label = QLabel("&Zoeken:")
        self.search = QLineEdit()
        self.search.setObjectName("register_search")
        self.search.setPlaceholderText("verwerker, praktijk, formulier…")
        self.search.setClearButtonEnabled(True)
        search_label.setBuddy(self.search)
        status_label_ = QLabel("S&tatus:")
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("register_status")
        self.status_filter.addItem("Alle", None)
        from dpa_desktop.store import STATUSES

        for value in STATUSES:
            self.status_filter.addItem(status_label(value), value)
        status_label_.setBuddy(self.status_filter)
        filters.addWidget(search_label)
        filters.addWidget(self.search, 1)
        filters.addWidget(status_label_)
        filters.addWidget(self.status_filter)
        layout.addLayout(filters)
        self.search.textChanged.connect(lambda _t: self._filter_timer.start())
        self.status_filter.currentIndexChanged.connect(lambda _i: self.refresh())

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.model = QStandardItemModel(0, len(self.COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("register_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The names fit their text up to about 24 characters and then wrap (she can
        # widen them); every other column, headers included, is as wide as its text.
        for column in self.NAME_COLUMNS:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(header.fontMetrics().horizontalAdvance("Nr.") + 16)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        # A long organisation name wraps onto a second line rather than being cut.
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setAlternatingRowColors(True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection())
        self.table.activated.connect(lambda _i: self.open_document("pdf"))
        splitter.addWidget(self.table)
        self.detail = QTextBrowser()
        self.detail.setObjectName("register_detail")
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([840, 250])
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        layout.addWidget(splitter, 1)

        actions = QHBoxLayout()
        self.sent_button = QPushButton("Markeren als &verzonden")
        self.signed_button = QPushButton("Markeren als o&ndertekend…")
        self.ended_button = QPushButton("Markeren als &beëindigd…")
        self.pdf_button = QPushButton("&PDF openen")
        self.docx_button = QPushButton("&Word openen")
        self.print_button = QPushButton("Af&drukken…")
        self.scan_button = QPushButton("S&can openen")
        self.edit_button = QPushButton("W&ijzigen…")
        self.edit_button.setObjectName("edit_agreement")
        for b in (self.sent_button, self.signed_button, self.ended_button, self.pdf_button,
                  self.docx_button, self.print_button, self.scan_button, self.edit_button):
            actions.addWidget(b)
            b.setEnabled(False)
        actions.addStretch(1)
        layout.addLayout(actions)
        exports = QHBoxLayout()
        self.add_external_button = QPushButton("Bestaande overeenkomst toevoe&gen…")
        self.add_external_button.setObjectName("add_external")
        self.add_external_button.clicked.connect(self.add_external)
        exports.addWidget(self.add_external_button)
        self.csv_button = QPushButton("Exporteren als &CSV…")
        self.export_pdf_button = QPushButton("Exporteren als P&DF-overzicht…")
        self.export_pdf_button.setText("Exporteren als PDF-&overzicht…")
        exports.addStretch(1)
        exports.addWidget(self.csv_button)
        exports.addWidget(self.export_pdf_button)
        layout.addLayout(exports)

        self.sent_button.clicked.connect(self.mark_sent)
        self.signed_button.clicked.connect(self.mark_signed)
        self.ended_button.clicked.connect(self.mark_ended)
        self.pdf_button.clicked.connect(lambda: self.open_document("pdf"))
        self.docx_button.clicked.connect(lambda: self.open_document("docx"))
        self.scan_button.clicked.connect(lambda: self.open_document("scan"))
        self.print_button.clicked.connect(self.print_pdf)
        self.edit_button.clicked.connect(self.edit_selected)
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.export_pdf_button.clicked.connect(lambda: self.export("pdf"))
        return tab

    def _subprocessors_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        intro = QLabel("Welke subverwerkers via uw verwerkers persoonsgegevens verwerken onder "
                       "ondertekende overeenkomsten, en voor welke diensten.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.sub_model = QStandardItemModel(0, 5, self)
        self.sub_model.setHorizontalHeaderLabels(
            ["Subverwerker", "Land", "Buiten EER", "Verwerkers", "Diensten"])
        self.sub_table = QTableView()
        self.sub_table.setObjectName("subprocessor_table")
        sub_proxy = QSortFilterProxyModel(self)
        sub_proxy.setSourceModel(self.sub_model)
        self.sub_table.setModel(sub_proxy)
        self.sub_table.setSortingEnabled(True)
        self.sub_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sub_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.sub_table.verticalHeader().hide()
        self.sub_table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.sub_table.setWordWrap(True)
        layout.addWidget(self.sub_table, 1)
        return tab

    # ------------------------------------------------------------------ data

    def refresh(self) -> None:
        query = self.search.text().strip()
        status = self.status_filter.currentData()
        session = self.session

        def job() -> tuple[list[AgreementSummary], list[SubprocessorUse]]:
            store = session.store
            return (list(store.list_agreements(query=query, status=status)),
                    list(store.subprocessor_overview()))

        Op(self, job).success(self._arrived).run_in_background()

    def _arrived(self, data: tuple[list[AgreementSummary], list[SubprocessorUse]]) -> None:
        summaries, subs = data
        selected = self._select_after or self.selected_id()
        self._select_after = None
        self.summaries = summaries
        self.model.setRowCount(0)
        for s in summaries:
            cells = [
                str(s.id), s.processor, s.organisation, status_label(s.status),
                _date_nl(s.created_on), _date_nl(s.sent_on), _date_nl(s.signed_on),
                _date_nl(s.ended_on), _date_nl(s.review_on), s.kind_label,
            ]
            row = []
            for i, text in enumerate(cells):
                item = QStandardItem(text)
                item.setToolTip(text)
                item.setData(s.id, Qt.ItemDataRole.UserRole)
                if i == 0:
                    item.setData(int(s.id), Qt.ItemDataRole.DisplayRole)
                row.append(item)
            self.model.appendRow(row)
        widest = self.table.fontMetrics().averageCharWidth() * 24
        for column in self.NAME_COLUMNS:
            self.table.resizeColumnToContents(column)
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), widest))
        if selected is not None:
            self.select(selected)
        elif self.model.rowCount():
            self.table.selectRow(0)
        self._selection()

        self.sub_model.setRowCount(0)
        for use in subs:
            processors = sorted({f"{a.processor} (nr. {a.agreement_id}"
                                 f"{', extern' if a.external else ''})" for a in use.agreements})
            services = sorted({x for a in use.agreements for x in a.services})
            self.sub_model.appendRow([
                QStandardItem(use.name),
                QStandardItem(use.country_label),
                QStandardItem(use.outside_eea_label),
                QStandardItem(", ".join(processors)),
                QStandardItem(", ".join(services)),
            ])
        self.sub_table.resizeColumnsToContents()
        self.sub_table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        value = index.data(Qt.ItemDataRole.UserRole)
        return int(value) if value is not None else None

    def select(self, agreement_id: int) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(Qt.ItemDataRole.UserRole) == agreement_id:
                self.table.selectRow(row)
                self.table.setCurrentIndex(index)
                return

    def _selection(self) -> None:
        agreement_id = self.selected_id()
        for b in (self.sent_button, self.signed_button, self.ended_button, self.pdf_button,
                  self.docx_button, self.print_button, self.edit_button):
            b.setEnabled(agreement_id is not None)
        self.scan_button.setEnabled(False)
        if agreement_id is None:
            self.detail.setHtml("<p>Nog geen overeenkomsten in het register. Maak er een via "
                                "'Nieuwe overeenkomst' op het startscherm.</p>"
                                if not self.summaries else "")
            return
        session = self.session
        Op(self, lambda: session.store.get_agreement(agreement_id)).success(
            self._show_detail).run_in_background()

    def _show_detail(self, agreement: Agreement) -> None:
        self.current = agreement
        from dpa_desktop.gui.external import detail_rows

        rows: list[tuple[str, str]] = [
            ("Verwerker", agreement.processor),
            ("Organisatie", agreement.organisation),
            ("Formulier", f"{agreement.form_id}, versie {agreement.form_version}"
             if not agreement.external else "extern: niet met DPA Desktop gemaakt"),
            ("Status", status_label(agreement.status)),
        ]
        for label, value in (("Gemaakt", agreement.created_on), ("Verstuurd", agreement.sent_on),
                             ("Ondertekend", agreement.signed_on),
                             ("Beëindigd", agreement.ended_on),
                             ("Opnieuw beoordelen", agreement.review_on)):
            if value:
                rows.append((label, _date_nl(value)))
        rows.append(("Einde", agreement.ends_label))
        rows += detail_rows(agreement)
        if agreement.service_names:
            rows.append(("Diensten", ", ".join(agreement.service_names)))
        for signatory in agreement.signatories:
            who = signatory.name + (f" ({signatory.function})" if signatory.function else "")
            rows.append((f"Ondertekenaar {signatory.party}", who))
        if agreement.scan_name:
            rows.append(("Scan", agreement.scan_name))
        if agreement.notes:
            rows.append(("Notities", agreement.notes))
        self.scan_button.setEnabled(bool(agreement.scan_sha256))
        for b in (self.pdf_button, self.docx_button, self.print_button):
            b.setEnabled(not agreement.external)  # an external one has only its scan
        # Label above value: the pane is narrow, a two-column table would break words.
        table = "".join(f"<p style='margin:0 0 6px 0'><span style='color:#5f6368'>"
                        f"{html.escape(k)}</span><br>{html.escape(v)}</p>" for k, v in rows)
        parts = [f"<h3>Overeenkomst {agreement.id}</h3>{table}"]
        if agreement.subprocessors:
            subs = "".join(f"<li>{html.escape(p.name)} ({html.escape(p.country_label)}) – buiten "
                           f"de EER: {p.outside_eea_label}</li>"
                           for p in agreement.subprocessors)
            parts.append(f"<h4>Subverwerkers</h4><ul>{subs}</ul>")
        if agreement.history:
            items = "".join(
                f"<li>{_date_nl(h.on)}: {html.escape(h.label)}"
                f"{' – ' + html.escape(h.note) if h.note else ''}</li>" for h in agreement.history)
            parts.append(f"<h4>Geschiedenis</h4><ul>{items}</ul>")
        self.detail.setHtml("".join(parts))

    # ------------------------------------------------------------------ actions

    def _set_status(self, status: str, on: dt.date, note: str = "",
                    scan: Path | None = None) -> None:
        agreement_id = self.selected_id()
        if agreement_id is None:
            return
        session = self.session

        def job() -> None:
            session.store.set_status(agreement_id, status, on, note=note, scan=scan)
            log.info("agreement %d marked %s%s", agreement_id, status, " with scan" if scan else "")

        Op(self, job).success(lambda _r: self.refresh()).run_in_background()

    def mark_sent(self) -> None:
        from dpa_desktop.store import SENT

        self._set_status(SENT, dt.date.today())

    def mark_signed(self) -> None:
        planned = None
        if self.current is not None and self.current.id == self.selected_id():
            forms = self.session.forms.forms if self.session.forms else {}
            planned = signing_date(self.current, forms.get(self.current.form_id))
        if planned is not None and planned > dt.date.today():
            planned = None
        dialog = SignedDialog(self, signed_on=planned)
        if dialog.exec():
            from dpa_desktop.store import SIGNED

            self._set_status(SIGNED, dialog.signed_on(), dialog.note.text().strip(),
                             dialog.scan_path())

    def mark_ended(self) -> None:
        from dpa_desktop.gui.messages import confirm

        if confirm(self, "Overeenkomst beëindigen",
                   "Markeren als beëindigd met de datum van vandaag?"):
            from dpa_desktop.store import ENDED

            self._set_status(ENDED, dt.date.today())

    def _document_file(self, kind: DocumentKind, then: Callable[[Path], None]) -> None:
        agreement_id = self.selected_id()
        if agreement_id is None:
            return
        session = self.session

        def job() -> Path:
            # A private copy under a random name; operations.py sweeps copies away.
            return session.store.document_copy(agreement_id, kind)

        Op(self, job).success(then).run_in_background()

    def open_document(self, kind: DocumentKind) -> None:
        from dpa_desktop.gui.opener import open_path

        what = {"pdf": "een PDF", "docx": "een Word-document", "scan": "de scan"}[kind]
        self._document_file(kind, lambda path: open_path(self, path, kind=what))

    def print_pdf(self) -> None:
        """Print the stored PDF straight from memory: no copy of it on disk."""
        from dpa_desktop.gui.pdf import print_pdf

        agreement_id = self.selected_id()
        if agreement_id is None:
            return
        copies = 1
        if self.current is not None and self.session.forms is not None:
            spec = self.session.forms.forms.get(self.current.form_id)
            copies = spec.document.copies if spec else 1
        session = self.session

        def ready(data: bytes) -> None:
            try:
                print_pdf(self, data, name=f"Overeenkomst {agreement_id}", copies=copies)
            except Exception as exc:
                show_error(self, exc)

        Op(self, lambda: session.store.document_bytes(agreement_id, "pdf")).success(
            ready).run_in_background()

    def add_external(self) -> None:
        from dpa_desktop.gui.external import AgreementDialog

        dialog = AgreementDialog(self.session, None, self)
        if dialog.exec() and dialog.saved_id is not None:
            self._show_saved(dialog.saved_id)

    def edit_selected(self) -> None:
        from dpa_desktop.gui.external import AgreementDialog

        if self.current is None or self.current.id != self.selected_id():
            return
        dialog = AgreementDialog(self.session, self.current, self)
        if dialog.exec() and dialog.saved_id is not None:
            self._show_saved(dialog.saved_id)

    def _show_saved(self, agreement_id: int) -> None:
        """Refresh with the saved agreement selected (filters cleared so it is listed)."""
        self.search.clear()
        self.status_filter.setCurrentIndex(0)
        self._filter_timer.stop()
        self._select_after = agreement_id
        self.refresh()

    def export(self, kind: str) -> None:
        filters = {"csv": "CSV-bestand (*.csv)", "pdf": "PDF-bestand (*.pdf)"}
        default = str(Path.home() / f"overzicht-verwerkers.{kind}")
        path, _ = QFileDialog.getSaveFileName(self, "Overzicht verwerkers exporteren", default,
                                              filters[kind])
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != f".{kind}":
            target = target.with_suffix(f".{kind}")
        session = self.session

        def job() -> Path:
            if kind == "csv":
                session.store.export_csv(target)
            else:
                session.store.export_pdf(target)
            return target

        Op(self, job).success(lambda p: show_info(self, "Geëxporteerd",
                                                  f"Het overzicht is opgeslagen in {p}.")
                              ).run_in_background()

    # Below this width (logical pixels: a small laptop at 150%) the details go under
    # the table, so every column keeps its header and the organisation its name.
    SIDE_BY_SIDE_MIN_WIDTH = 1000

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        wanted = (Qt.Orientation.Horizontal if self.width() >= self.SIDE_BY_SIDE_MIN_WIDTH
                  else Qt.Orientation.Vertical)
        if self.splitter.orientation() != wanted:
            self.splitter.setOrientation(wanted)
            total = (self.splitter.width() if wanted == Qt.Orientation.Horizontal
                     else self.splitter.height())
            self.splitter.setSizes([total * 3 // 5, total - total * 3 // 5])

    def closeEvent(self, event: QCloseEvent) -> None:
        self._filter_timer.stop()
        super().closeEvent(event)
