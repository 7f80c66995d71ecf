"""Record an agreement not made here ("Bestaande overeenkomst toevoegen…") and edit any
agreement's fields.

The dialog builds the JSON shape of ``dpa-desktop register add`` from its widgets
and checks it with the same parser (``store.external``), so the GUI and the CLI
accept and refuse the same things. A refused field gets its Dutch reason right
below it and the dialog stays open with everything she typed; saving runs on the
worker thread through ``Op``, and a failure there (an unreadable scan) is shown
with the one message helper and also leaves the dialog open.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dpa_desktop.gui.fields import ERROR_STYLE, path_row, small_label
from dpa_desktop.gui.messages import show_error
from dpa_desktop.gui.operations import Op
from dpa_desktop.gui.screen import fit_resize
from dpa_desktop.gui.session import Session

if TYPE_CHECKING:
    from dpa_desktop.store import Agreement, RegisterFields

# The meldtermijn combo box: its data is what the JSON's "termijn" holds.
HOURS = "uren"
NOTICE_CHOICES = (("binnen een aantal uren", HOURS), ("onverwijld", "onverwijld"),
                  ("niet geregeld", "niet geregeld"))
EEA_CHOICES = ("onbekend", "nee", "ja")
DATE_HINT = "dd-mm-jjjj"


def _nl(iso: object) -> str:
    """An ISO date from the JSON shape as she reads and types it: 23-11-2026."""
    if not isinstance(iso, str) or not iso:
        return ""
    try:
        return dt.date.fromisoformat(iso).strftime("%d-%m-%Y")
    except ValueError:
        return iso


class AgreementDialog(QDialog):
    """Add an external agreement (``agreement`` None), or edit the fields of one.

    An external agreement shows every field; one made here only its dates, the
    note and the scan (the rest follows from the agreement it generated).
    ``saved_id`` holds the agreement's number once saved.
    """

    def __init__(self, session: Session, agreement: Agreement | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from dpa_desktop.statuses import ENDED, SIGNED
        from dpa_desktop.store.external import ExternalEntry, entry_json, fields_json

        self.session = session
        self.agreement = agreement
        self.saved_id: int | None = None
        self.current: RegisterFields | None = None
        self._parsed: RegisterFields | None = None
        self.external = agreement is None or agreement.external
        self.signed = agreement is None or agreement.status in (SIGNED, ENDED)
        self.setObjectName("agreement_dialog")
        if agreement is None:
            self.setWindowTitle("Bestaande overeenkomst toevoegen")
            start: dict[str, Any] = {"verwerker": {"land": "NL"}, "einde": "onbepaalde tijd",
                                     "datalek": {"termijn": 24}}
        else:
            self.setWindowTitle(f"Overeenkomst {agreement.id} wijzigen – {agreement.processor}")
            self.current = agreement.register_fields()
            start = (entry_json(self.current) if isinstance(self.current, ExternalEntry)
                     else fields_json(self.current))
        self.errors: dict[str, QLabel] = {}
        self.focus_of: dict[str, QWidget] = {}
        fit_resize(self, 760, 820)

        layout = QVBoxLayout(self)
        intro = QLabel(
            "Leg een verwerkersovereenkomst vast die niet met DPA Desktop is gemaakt, "
            "bijvoorbeeld de PDF of de papieren versie van de verwerker. Velden met * zijn "
            "verplicht." if agreement is None else
            "Wijzig de gegevens van deze overeenkomst. De wijziging komt met de oude en de "
            "nieuwe waarde in de geschiedenis." if self.external else
            "Deze overeenkomst is met DPA Desktop gemaakt: haar inhoud volgt uit het document. "
            "Hier wijzigt u de data, de notitie en de scan; de wijziging komt in de "
            "geschiedenis.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.summary = small_label("", ERROR_STYLE)
        self.summary.setObjectName("dialog_problems")
        self.summary.hide()
        layout.addWidget(self.summary)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        self.inner_layout = QVBoxLayout(inner)
        scroll.setWidget(inner)
        layout.addWidget(scroll, 1)

        proc = start.get("verwerker") or {}
        breach = start.get("datalek") or {}
        if self.external:
            group = self._group("Verwerker")
            self.name = self._line(group, "verwerker.naam", "&Naam *", proc.get("naam"),
                                   "Zorgdomein B.V.")
            self.kvk = self._line(group, "verwerker.kvk", "&KvK-nummer", proc.get("kvk"),
                                  "12345678")
            self.place = self._line(group, "verwerker.plaats", "&Plaats", proc.get("plaats"))
            self.country = self._line(group, "verwerker.land", "&Land", proc.get("land"),
                                      "NL, of de naam van het land")

            group = self._group("Wat de verwerker voor de praktijk doet")
            self.service = self._line(group, "dienst", "&Dienst *", start.get("dienst"),
                                      "bijvoorbeeld: laboratoriumonderzoek en uitslagen")
            self.categories = QPlainTextEdit("\n".join(start.get("persoonsgegevens") or []))
            self.categories.setObjectName("field_persoonsgegevens")
            self.categories.setTabChangesFocus(True)
            self.categories.setPlaceholderText("één per regel, bijvoorbeeld:\nNAW-gegevens\n"
                                               "Labuitslagen")
            self.categories.setFixedHeight(self.categories.fontMetrics().lineSpacing() * 4 + 12)
            self._row(group, "persoonsgegevens", "&Categorieën persoonsgegevens *",
                      self.categories)
            self.health = QCheckBox("&Gezondheidsgegevens (bijzondere persoonsgegevens)")
            self.health.setObjectName("field_gezondheidsgegevens")
            self.health.setChecked(bool(start.get("gezondheidsgegevens")))
            self.bsn = QCheckBox("&BSN (burgerservicenummer)")
            self.bsn.setObjectName("field_bsn")
            self.bsn.setChecked(bool(start.get("bsn")))
            flags = QVBoxLayout()
            flags.addWidget(self.health)
            flags.addWidget(self.bsn)
            group.addRow("", flags)

        group = self._group("Looptijd")
        self.signed_on: QLineEdit | None = None
        if self.signed:
            self.signed_on = self._line(group, "ondertekend", "Datum van onder&tekening *",
                                        _nl(start.get("ondertekend")), DATE_HINT)
        einde = start.get("einde")
        self.ends = QLineEdit("" if einde in (None, "onbepaalde tijd") else _nl(einde))
        self.ends.setObjectName("field_einde")
        self.ends.setPlaceholderText(DATE_HINT)
        self.open_end = QCheckBox("onbepaalde tijd" if self.external
                                  else "volgens de overeenkomst")
        self.open_end.setObjectName("field_einde_open")
        self.open_end.toggled.connect(lambda on: self.ends.setEnabled(not on))
        self.open_end.setChecked(einde in (None, "onbepaalde tijd"))
        end_row = QHBoxLayout()
        end_row.addWidget(self.ends, 1)
        end_row.addWidget(self.open_end)
        self._row(group, "einde", "&Einddatum", end_row, focus=self.ends)
        self.review = self._line(group, "herbeoordeling", "Datum &herbeoordeling",
                                 _nl(start.get("herbeoordeling")),
                                 "leeg: een jaar na ondertekening" if agreement is None
                                 else DATE_HINT)

        if self.external:
            group = self._group("Datalekken")
            self.breach_email = self._line(group, "datalek.email", "E-&mail meldpunt",
                                           breach.get("email"), "privacy@verwerker.nl")
            self.breach_phone = self._line(group, "datalek.telefoon", "Tele&foon meldpunt",
                                           breach.get("telefoon"), "030-1234567")
            self.notice = QComboBox()
            self.notice.setObjectName("field_termijn")
            for label, value in NOTICE_CHOICES:
                self.notice.addItem(label, value)
            self.hours = QSpinBox()
            self.hours.setObjectName("field_uren")
            self.hours.setRange(1, 8760)
            self.hours.setSuffix(" uur")
            termijn = breach.get("termijn")
            if isinstance(termijn, int) and not isinstance(termijn, bool):
                self.hours.setValue(termijn)
            else:
                self.notice.setCurrentIndex(max(self.notice.findData(termijn), 0))
            self.notice.currentIndexChanged.connect(
                lambda _i: self.hours.setEnabled(self.notice.currentData() == HOURS))
            self.hours.setEnabled(self.notice.currentData() == HOURS)
            notice_row = QHBoxLayout()
            notice_row.addWidget(self.notice, 1)
            notice_row.addWidget(self.hours)
            self._row(group, "datalek.termijn", "Meldte&rmijn", notice_row, focus=self.notice)

            box = QGroupBox("Subverwerkers")
            box_layout = QVBoxLayout(box)
            self.subs = QTableWidget(0, 3)
            self.subs.setObjectName("subprocessor_edit_table")
            self.subs.setHorizontalHeaderLabels(["Naam", "Land", "Buiten de EER"])
            self.subs.verticalHeader().hide()
            self.subs.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            self.subs.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            self.subs.setMinimumHeight(self.subs.fontMetrics().lineSpacing() * 8)
            for sub in start.get("subverwerkers") or []:
                self.add_subprocessor(sub.get("naam", ""), sub.get("land", ""),
                                      sub.get("buiten_eer", "onbekend"))
            box_layout.addWidget(self.subs)
            buttons = QHBoxLayout()
            add = QPushButton("Subverwerker toe&voegen")
            add.setObjectName("add_subprocessor")
            add.clicked.connect(lambda: self.add_subprocessor(focus=True))
            remove = QPushButton("Subverwerker verwi&jderen")
            remove.setObjectName("remove_subprocessor")
            remove.clicked.connect(self.remove_subprocessor)
            buttons.addWidget(add)
            buttons.addWidget(remove)
            buttons.addStretch(1)
            box_layout.addLayout(buttons)
            self.sub_errors = small_label("", ERROR_STYLE)
            self.sub_errors.setObjectName("error_subverwerkers")
            self.sub_errors.hide()
            box_layout.addWidget(self.sub_errors)
            self.errors["subverwerkers"] = self.sub_errors
            self.focus_of["subverwerkers"] = self.subs
            self.inner_layout.addWidget(box)

        group = self._group("Scan en notitie")
        self.scan = QLineEdit()
        self.scan.setObjectName("field_scan")
        self.scan.setPlaceholderText("(optioneel) PDF of afbeelding van de getekende overeenkomst"
                                     if not (agreement and agreement.scan_name) else
                                     f"huidige scan: {agreement.scan_name}; kies een bestand om "
                                     "hem te vervangen")
        # No mnemonic on the button: Alt+B is the BSN box.
        self._row(group, "scan", "&Scan", path_row(self.scan, self._browse, "Bladeren…"), focus=self.scan)
        self.notes = QPlainTextEdit(start.get("notitie") or "")
        self.notes.setObjectName("field_notitie")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 4 + 12)
        self._row(group, "notitie", "Not&itie", self.notes)
        self.inner_layout.addStretch(1)

        box_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                       | QDialogButtonBox.StandardButton.Cancel)
        box_buttons.button(QDialogButtonBox.StandardButton.Save).setText("&Opslaan")
        box_buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Annuleren")
        box_buttons.accepted.connect(self.accept)
        box_buttons.rejected.connect(self.reject)
        self.save_button = box_buttons.button(QDialogButtonBox.StandardButton.Save)
        layout.addWidget(box_buttons)

    # ------------------------------------------------------------------ layout

    def _group(self, title: str) -> QFormLayout:
        box = QGroupBox(title)
        form = QFormLayout(box)
        self.inner_layout.addWidget(box)
        return form

    def _row(self, form: QFormLayout, key: str, caption: str, widget: QWidget | Any, *,
             focus: QWidget | None = None) -> None:
        """A labelled row with its error line below; ``key`` is the field's JSON id."""
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if isinstance(widget, QWidget):
            column.addWidget(widget)
        else:
            column.addLayout(widget)
        error = small_label("", ERROR_STYLE)
        error.setObjectName(f"error_{key}")
        error.hide()
        column.addWidget(error)
        label = QLabel(caption + ":")
        # One caption width in every group, so the fields line up.
        label.setMinimumWidth(label.fontMetrics().horizontalAdvance(
            "Categorieën persoonsgegevens *: ") + 6)
        target = focus or widget
        if isinstance(target, QWidget):
            label.setBuddy(target)
            self.focus_of[key] = target
        form.addRow(label, holder)
        self.errors[key] = error

    def _line(self, form: QFormLayout, key: str, caption: str, value: object,
              placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(value if isinstance(value, str) else "")
        edit.setObjectName(f"field_{key.split('.')[-1]}")
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(caption.replace("&", "").rstrip(" *"))
        self._row(form, key, caption, edit)
        return edit

    def add_subprocessor(self, name: str = "", country: str = "", outside: str = "onbekend",
                         *, focus: bool = False) -> int:
        row = self.subs.rowCount()
        self.subs.insertRow(row)
        first = QTableWidgetItem(name)
        self.subs.setItem(row, 0, first)
        self.subs.setItem(row, 1, QTableWidgetItem(country))
        combo = QComboBox()
        combo.addItems(EEA_CHOICES)
        combo.setCurrentIndex(max(EEA_CHOICES.index(outside) if outside in EEA_CHOICES else 0, 0))
        self.subs.setCellWidget(row, 2, combo)
        if focus:
            self.subs.setCurrentCell(row, 0)
            self.subs.setFocus()
            self.subs.editItem(first)
        return row

    def remove_subprocessor(self) -> None:
        row = self.subs.currentRow()
        if row >= 0:
            self.subs.removeRow(row)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Scan van de getekende overeenkomst", "",
                                              "PDF en afbeeldingen (*.pdf *.png *.jpg *.jpeg "
                                              "*.tif *.tiff);;Alle bestanden (*)")
        if path:
            self.scan.setText(path)

    # ------------------------------------------------------------------ data

    def _commit_cell(self) -> None:
        """A cell she is still typing in counts (Alt+O saves without leaving the cell)."""
        delegate = self.subs.itemDelegate()
        for editor in self.subs.viewport().findChildren(QWidget):
            if editor.isVisible() and isinstance(editor, QLineEdit):
                delegate.commitData.emit(editor)
                delegate.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def data(self) -> dict[str, Any]:
        """What the dialog holds, in the JSON shape of ``register add`` / ``register edit``."""
        out: dict[str, Any] = {}
        if self.external:
            self._commit_cell()
            out["verwerker"] = {"naam": self.name.text(), "kvk": self.kvk.text(),
                                "plaats": self.place.text(), "land": self.country.text()}
            out["dienst"] = self.service.text()
            out["persoonsgegevens"] = [line for line in self.categories.toPlainText().split("\n")
                                       if line.strip()]
            out["gezondheidsgegevens"] = self.health.isChecked()
            out["bsn"] = self.bsn.isChecked()
            notice = self.notice.currentData()
            out["datalek"] = {"email": self.breach_email.text(),
                              "telefoon": self.breach_phone.text(),
                              "termijn": self.hours.value() if notice == HOURS else notice}
            subs = []
            for row in range(self.subs.rowCount()):
                name, country = (self.subs.item(row, c) for c in (0, 1))
                combo = self.subs.cellWidget(row, 2)
                subs.append({"naam": name.text() if name else "",
                             "land": country.text() if country else "",
                             "buiten_eer": combo.currentText()
                             if isinstance(combo, QComboBox) else "onbekend"})
            out["subverwerkers"] = subs
        if self.signed_on is not None:
            out["ondertekend"] = self.signed_on.text()
        if self.open_end.isChecked():
            out["einde"] = "onbepaalde tijd" if self.external else None
        else:
            out["einde"] = self.ends.text()
        out["herbeoordeling"] = self.review.text() or None
        out["notitie"] = self.notes.toPlainText()
        return out

    def scan_path(self) -> Path | None:
        text = self.scan.text().strip()
        return Path(text) if text else None

    def show_problems(self, problems: list[tuple[str, str]]) -> None:
        """Each reason below its field (subprocessor cells below the table), the first
        field focused; ``problems`` are (field id, message)."""
        for label in self.errors.values():
            label.clear()
            label.hide()
        sub_lines = []
        first: QWidget | None = None
        for field, message in problems:
            key = field
            if field.startswith("subverwerkers["):
                from dpa_desktop.store.external import field_label

                sub_lines.append(f"{field_label(field)}: {message}")
                key = "subverwerkers"
            elif key not in self.errors:
                key = field.split(".")[0] if field.split(".")[0] in self.errors else "notitie"
            if key != "subverwerkers":
                label = self.errors[key]
                label.setText(message if not label.text() else f"{label.text()}\n{message}")
                label.show()
            first = first or self.focus_of.get(key)
        if sub_lines:
            self.sub_errors.setText("\n".join(sub_lines))
            self.sub_errors.show()
        self.summary.setText("Niet opgeslagen: controleer de velden met een rode toelichting."
                             if problems else "")
        self.summary.setVisible(bool(problems))
        if first is not None:
            first.setFocus()

    def problems(self) -> list[tuple[str, str]]:
        """The problems with what the dialog holds, checked as ``register add`` checks."""
        from dpa_desktop.errors import AnswersInvalid
        from dpa_desktop.store.external import parse_changes, parse_entry

        out: list[tuple[str, str]] = []
        try:
            if self.current is None:
                self._parsed = parse_entry(self.data())
            else:
                self._parsed = parse_changes(self.data(), self.current, signed=self.signed)
        except AnswersInvalid as exc:
            out += [(p.field, p.message) for p in exc.problems]
        scan = self.scan_path()
        if scan is not None and not scan.is_file():
            out.append(("scan", f"het bestand {scan} bestaat niet"))
        return out

    def accept(self) -> None:
        """Check, then save on the worker thread; the dialog closes only once it is saved."""
        problems = self.problems()
        self.show_problems(problems)
        if problems:
            return
        session, fields, scan = self.session, self._parsed, self.scan_path()
        agreement = self.agreement
        assert fields is not None
        self.save_button.setEnabled(False)

        def job() -> int:
            from dpa_desktop.store.external import ExternalEntry

            if agreement is None:
                assert isinstance(fields, ExternalEntry)
                return session.store.record_external(fields, scan)
            session.store.edit_agreement(agreement.id, fields, scan)
            return agreement.id

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            from dpa_desktop.errors import AnswersInvalid

            if isinstance(exc, AnswersInvalid):  # checks that need the stored record
                self.show_problems([(p.field, p.message) for p in exc.problems])
            else:
                show_error(self, exc, "Niet opgeslagen")

        Op(self, job).success(self._saved).failure(failed).run_in_background()

    def _saved(self, agreement_id: int) -> None:
        self.saved_id = agreement_id
        self.save_button.setEnabled(True)
        super().accept()



def detail_rows(agreement: Agreement) -> list[tuple[str, str]]:
    """The register window's detail pane rows for what only an external agreement has."""
    details = agreement.details
    if details is None:
        return []
    where = ", ".join(x for x in (details.place, details.country) if x)
    rows = [("KvK-nummer en plaats", ", ".join(x for x in (details.kvk, where) if x) or "-"),
            ("Wat de verwerker doet", details.service),
            ("Persoonsgegevens", ", ".join(details.categories)),
            ("Gezondheidsgegevens / BSN", f"{'ja' if details.health_data else 'nee'} / "
                                          f"{'ja' if details.bsn else 'nee'}"),
            ("Meldpunt datalekken", ", ".join(x for x in (details.breach_email,
                                                          details.breach_phone) if x) or "-"),
            ("Meldtermijn datalekken", details.breach_notice.label)]
    return rows
