"""The register: every agreement made, its status, documents and subprocessors.

All reads and writes go through ``Op`` (the store lives on the worker thread);
the table is rebuilt from the store after every change, so what she sees is
what is stored.
"""

from __future__ import annotations

import datetime as dt
import html
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
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

from dpa_desktop.gui.messages import show_error, show_info
from dpa_desktop.gui.operations import Op
from dpa_desktop.gui.session import Session

if TYPE_CHECKING:
    from dpa_desktop.store import Agreement, AgreementSummary, SubprocessorUse

STATUS_LABELS = {
    "concept": "Concept",
    "sent": "Verzonden",
    "verzonden": "Verzonden",
    "signed": "Ondertekend",
    "ondertekend": "Ondertekend",
    "ended": "Beëindigd",
    "beeindigd": "Beëindigd",
    "beëindigd": "Beëindigd",
}


def status_label(status: str) -> str:
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


def _get(obj: Any, *names: str, default: Any = "") -> Any:
    for name in names:
        if hasattr(obj, name):
            return getattr(obj, name)
    return default


class SignedDialog(QDialog):
    """Mark signed: the date it was signed and, optionally, the scan of the signed copy."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signed_dialog")
        self.setWindowTitle("Markeren als ondertekend")
        form = QFormLayout(self)
        self.date = QDateEdit(QDate.currentDate())
        self.date.setObjectName("signed_date")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd-MM-yyyy")
        date_label = QLabel("&Datum van ondertekening:")
        date_label.setBuddy(self.date)
        form.addRow(date_label, self.date)
        scan_row = QHBoxLayout()
        self.scan = QLineEdit()
        self.scan.setObjectName("signed_scan")
        self.scan.setPlaceholderText("(optioneel) PDF of afbeelding van de getekende versie")
        browse = QPushButton("&Bladeren…")
        browse.clicked.connect(self._browse)
        scan_row.addWidget(self.scan, 1)
        scan_row.addWidget(browse)
        scan_label = QLabel("&Scan:")
        scan_label.setBuddy(self.scan)
        form.addRow(scan_label, scan_row)
        self.note = QLineEdit()
        note_label = QLabel("&Notitie:")
        note_label.setBuddy(self.note)
        form.addRow(note_label, self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(520, 180)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Scan van de getekende overeenkomst", "",
                                              "PDF en afbeeldingen (*.pdf *.png *.jpg *.jpeg "
                                              "*.tif *.tiff);;Alle bestanden (*)")
        if path:
            self.scan.setText(path)

    def signed_on(self) -> dt.date:
        d = self.date.date()
        return dt.date(d.year(), d.month(), d.day())

    def scan_path(self) -> Path | None:
        text = self.scan.text().strip()
        return Path(text) if text else None

    def accept(self) -> None:
        path = self.scan_path()
        if path is not None and not path.is_file():
            show_info(self, "Scan niet gevonden", f"Het bestand {path} bestaat niet.")
            return
        super().accept()


class RegisterWindow(QMainWindow):
    """Table with filter and detail pane, status actions, documents and exports."""

    COLUMNS = ("Nr.", "Verwerker", "Formulier", "Status", "Gemaakt", "Verzonden",
               "Ondertekend", "Beëindigd")

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("register_window")
        self.setWindowTitle("Register van verwerkersovereenkomsten")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.summaries: list[AgreementSummary] = []
        self.current: Agreement | None = None
        tabs = QTabWidget()
        tabs.setObjectName("register_tabs")
        tabs.addTab(self._agreements_tab(), "&Overeenkomsten")
        tabs.addTab(self._subprocessors_tab(), "&Subverwerkers")
        self.tabs = tabs
        self.setCentralWidget(tabs)
        self.resize(1100, 680)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(250)
        self._filter_timer.timeout.connect(self.refresh)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.close)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.search.setFocus)

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
        for value, label in (("concept", "Concept"), ("sent", "Verzonden"),
                             ("signed", "Ondertekend"), ("ended", "Beëindigd")):
            self.status_filter.addItem(label, value)
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
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setAlternatingRowColors(True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection())
        self.table.activated.connect(lambda _i: self.open_document("pdf"))
        splitter.addWidget(self.table)
        self.detail = QTextBrowser()
        self.detail.setObjectName("register_detail")
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)

        actions = QHBoxLayout()
        self.sent_button = QPushButton("Markeren als &verzonden")
        self.signed_button = QPushButton("Markeren als o&ndertekend…")
        self.ended_button = QPushButton("Markeren als &beëindigd…")
        self.pdf_button = QPushButton("&PDF openen")
        self.docx_button = QPushButton("&Word openen")
        self.print_button = QPushButton("Af&drukken…")
        self.scan_button = QPushButton("S&can openen")
        for b in (self.sent_button, self.signed_button, self.ended_button, self.pdf_button,
                  self.docx_button, self.print_button, self.scan_button):
            actions.addWidget(b)
            b.setEnabled(False)
        actions.addStretch(1)
        layout.addLayout(actions)
        exports = QHBoxLayout()
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
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.export_pdf_button.clicked.connect(lambda: self.export("pdf"))
        return tab

    def _subprocessors_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        intro = QLabel("Welke subverwerkers via uw verwerkers persoonsgegevens verwerken, "
                       "en voor welke overeenkomsten.")
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
        selected = self.selected_id()
        self.summaries = summaries
        self.model.setRowCount(0)
        for s in summaries:
            forms = self.session.forms.forms if self.session.forms else {}
            form_id = str(_get(s, "form_id"))
            spec = forms.get(form_id)
            processor = str(_get(s, "processor", default="")) or (
                spec.processor.name if spec else form_id)
            cells = [
                str(s.id), processor, form_id,
                status_label(str(_get(s, "status"))),
                _date_nl(_get(s, "created_on", "created")),
                _date_nl(_get(s, "sent_on")),
                _date_nl(_get(s, "signed_on")),
                _date_nl(_get(s, "ended_on")),
            ]
            row = []
            for i, text in enumerate(cells):
                item = QStandardItem(text)
                item.setData(s.id, Qt.ItemDataRole.UserRole)
                if i == 0:
                    item.setData(int(s.id), Qt.ItemDataRole.DisplayRole)
                row.append(item)
            self.model.appendRow(row)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        if selected is not None:
            self.select(selected)
        elif self.model.rowCount():
            self.table.selectRow(0)
        self._selection()

        self.sub_model.setRowCount(0)
        for use in subs:
            agreements = _get(use, "processors", "agreements", default=())
            services = _get(use, "services", default=())
            self.sub_model.appendRow([
                QStandardItem(str(_get(use, "name"))),
                QStandardItem(str(_get(use, "country"))),
                QStandardItem("ja" if _get(use, "outside_eea", default=False) else "nee"),
                QStandardItem(", ".join(str(a) for a in agreements)
                              if not isinstance(agreements, str) else agreements),
                QStandardItem(", ".join(str(x) for x in services)
                              if not isinstance(services, str) else services),
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
                  self.docx_button, self.print_button):
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
        rows: list[tuple[str, str]] = []
        summary = _get(agreement, "summary", default=agreement)
        status = str(_get(summary, "status", default=""))
        rows.append(("Status", status_label(status)))
        for label, names in (("Gemaakt", ("created_on",)), ("Verzonden", ("sent_on",)),
                             ("Ondertekend", ("signed_on",)), ("Beëindigd", ("ended_on",)),
                             ("Herbeoordelen", ("review_on",))):
            value = _date_nl(_get(summary, *names, default=""))
            if value:
                rows.append((label, value))
        answers = _get(agreement, "answers", default=None)
        spec = None
        form_id = str(_get(summary, "form_id", default=""))
        if self.session.forms is not None:
            spec = self.session.forms.forms.get(form_id)
        if spec is not None:
            rows.insert(0, ("Verwerker", spec.processor.name))
            version = _get(summary, "form_version", default=spec.version)
            rows.insert(1, ("Formulier", f"{spec.id}, versie {version}"))
        if answers is not None and spec is not None:
            names = [spec.service(s).name for s in answers.services
                     if s in {x.id for x in spec.services}]
            if names:
                rows.append(("Diensten", ", ".join(names)))
            org = answers.values.get("organisatie_naam")
            if isinstance(org, str):
                rows.append(("Praktijk", org))
        history = _get(agreement, "history", default=())
        has_scan = bool(_get(agreement, "has_scan", default=False))
        self.scan_button.setEnabled(has_scan)
        table = "".join(f"<tr><td style='padding-right:14px; color:#5f6368'>{html.escape(k)}</td>"
                        f"<td>{html.escape(v)}</td></tr>" for k, v in rows)
        parts = [f"<h3>Overeenkomst {agreement.id}</h3><table>{table}</table>"]
        if history:
            items = []
            for h in history:
                note = str(_get(h, "note", default=""))
                items.append(f"<li>{_date_nl(_get(h, 'on', 'on_date', default=''))}: "
                             f"{html.escape(status_label(str(_get(h, 'status'))))}"
                             f"{' – ' + html.escape(note) if note else ''}</li>")
            parts.append(f"<h4>Geschiedenis</h4><ul>{''.join(items)}</ul>")
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

        Op(self, job).success(lambda _r: self.refresh()).run_in_background()

    def mark_sent(self) -> None:
        self._set_status("sent", dt.date.today())

    def mark_signed(self) -> None:
        dialog = SignedDialog(self)
        if dialog.exec():
            self._set_status("signed", dialog.signed_on(), dialog.note.text().strip(),
                             dialog.scan_path())

    def mark_ended(self) -> None:
        from dpa_desktop.gui.messages import confirm

        if confirm(self, "Overeenkomst beëindigen",
                   "Markeren als beëindigd met de datum van vandaag?"):
            self._set_status("ended", dt.date.today())

    def _document_file(self, kind: str, then: Any) -> None:
        agreement_id = self.selected_id()
        if agreement_id is None:
            return
        session = self.session

        def job() -> Path:
            data = session.store.document_bytes(agreement_id, kind)  # type: ignore[arg-type]
            from dpa_desktop.platform import atomic_write

            suffix = {"docx": ".docx", "pdf": ".pdf"}.get(kind, "")
            if kind == "scan":
                suffix = ".pdf" if data[:4] == b"%PDF" else ".png" if data[:4] == b"\x89PNG" \
                    else ".jpg" if data[:2] == b"\xff\xd8" else ".tif"
            folder = Path(tempfile.gettempdir()) / "dpa-desktop"
            path = folder / f"overeenkomst-{agreement_id}-{kind}{suffix}"
            atomic_write(path, data)
            return path

        Op(self, job).success(then).run_in_background()

    def open_document(self, kind: str) -> None:
        from dpa_desktop.platform import open_with_default_app

        def opened(path: Path) -> None:
            try:
                open_with_default_app(path)
            except OSError as exc:
                show_error(self, exc)

        self._document_file(kind, opened)

    def print_pdf(self) -> None:
        from dpa_desktop.gui.pdf import print_pdf

        copies = 1
        if self.current is not None and self.session.forms is not None:
            summary = _get(self.current, "summary", default=self.current)
            spec = self.session.forms.forms.get(str(_get(summary, "form_id", default="")))
            copies = spec.document.copies if spec else 1

        def ready(path: Path) -> None:
            try:
                print_pdf(self, path, copies=copies)
            except Exception as exc:
                show_error(self, exc)

        self._document_file("pdf", ready)

    def export(self, kind: str) -> None:
        filters = {"csv": "CSV-bestand (*.csv)", "pdf": "PDF-bestand (*.pdf)"}
        default = str(Path.home() / f"register-verwerkersovereenkomsten.{kind}")
        path, _ = QFileDialog.getSaveFileName(self, "Register exporteren", default, filters[kind])
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
                                                  f"Het register is opgeslagen in {p}.")
                              ).run_in_background()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._filter_timer.stop()
        super().closeEvent(event)
