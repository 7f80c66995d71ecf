"""The agreement wizard, built from a form's data (after Picard's setup wizard).

Pages come from ``Question.page`` and the services catalogue, so adding a form
never needs page code. Answers live in one plain model the pages write into;
every change is saved as a draft within a second, so going back, closing or
a crash never loses anything.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from dpa_desktop import paths
from dpa_desktop.answers import RETENTION_UNITS, Answers, format_retention, validate_answers
from dpa_desktop.errors import FieldProblem
from dpa_desktop.forms.model import FormSpec, Question, Service, SubQuestion
from dpa_desktop.gui.fields import (
    ERROR_STYLE,
    HELP_STYLE,
    ListField,
    QuestionField,
    caption_text,
    make_field,
    path_row,
    reveal,
    small_label,
    with_mnemonic,
)
from dpa_desktop.gui.messages import show_error
from dpa_desktop.gui.operations import Op
from dpa_desktop.gui.pages import PAGE_TITLES
from dpa_desktop.gui.screen import fit_resize
from dpa_desktop.gui.session import Session
from dpa_desktop.validation import format_date_nl

if TYPE_CHECKING:
    from dpa_desktop.fill import FillResult
    from dpa_desktop.review.letter import Letter
    from dpa_desktop.review.review import Review
    from dpa_desktop.store import Draft

QUESTION_PAGES = ("partij", "verwerker", "diensten", "bewaartermijnen", "contacten", "ondertekening")
PAGE_ORDER = (*QUESTION_PAGES, "review", "result")
PAGE_IDS = {name: i for i, name in enumerate(PAGE_ORDER)}
PAGE_INTROS = {
    "partij": "Controleer de gegevens van uw organisatie zoals ze in de overeenkomst komen.",
    "verwerker": "Vul de gegevens in van de verwerker met wie u deze overeenkomst sluit, zoals "
                 "ingeschreven bij de Kamer van Koophandel.",
    "diensten": "Vink de diensten aan die u afneemt. Rechts ziet u welke gegevens daarbij "
                "worden verwerkt.",
    "bewaartermijnen": "Kies hoe lang gegevens bewaard blijven en wat er aan het einde "
                       "van de overeenkomst met de gegevens gebeurt.",
    "contacten": "Welke contactpersonen uit uw praktijkprofiel komen in deze overeenkomst?",
    "ondertekening": "Wie ondertekent de overeenkomst namens uw organisatie?",
    "review": "Lees de aandachtspunten en controleer uw antwoorden. Klik op 'Wijzigen' "
              "om iets aan te passen.",
    "result": "De overeenkomst wordt gemaakt als Word-document (DOCX) en als PDF.",
}
# The services page of a form without a catalogue: its questions describe the services.
QUESTION_SERVICES_INTRO = "Vul de gegevens in van de overeenkomst en de diensten die de verwerker levert."
# The wizard's own buttons, in Dutch whatever Qt's translation says, and the
# letters they use (Vorige, Volgende, Sluiten; "Documenten maken" on the review,
# "Terug naar controleren" after "Wijzigen").
BUTTON_TEXTS = {
    QWizard.WizardButton.BackButton: "&Vorige",
    QWizard.WizardButton.NextButton: "Volge&nde",
    QWizard.WizardButton.FinishButton: "&Sluiten",
    QWizard.WizardButton.CancelButton: "Annuleren",
}
WIZARD_MNEMONICS = {"v", "n", "s", "m", "c"}
SAVE_DELAY_MS = 400
log = logging.getLogger(__name__)


@dataclass
class _DraftRef:
    """The draft's id, read and written only on the worker thread.

    Saves queue up in order on one thread, so the second save sees the id the
    first one got and never creates a second draft.
    """

    id: Any = None
    closed: bool = False


class AnswerModel:
    """The answers as the wizard edits them: plain data, never tied to a widget."""

    def __init__(self, spec: FormSpec, answers: Answers | None = None) -> None:
        self.spec = spec
        self.values: dict[str, str | bool] = dict(answers.values) if answers else {}
        self.services: list[str] = list(answers.services) if answers else []
        self.retention: dict[str, tuple[int, str]] = dict(answers.retention) if answers else {}
        self.lists: dict[str, tuple[dict[str, str | bool], ...]] = dict(answers.lists) if answers else {}

    def answers(self) -> Answers:
        order = [s.id for s in self.spec.services]
        services = tuple(sorted(self.services, key=lambda s: order.index(s) if s in order else 999))
        return Answers(form_id=self.spec.id, values=dict(self.values), services=services,
                       retention=dict(self.retention), lists=dict(self.lists))

    def set_value(self, qid: str, value: str | bool | None) -> None:
        if value is None or value == "":
            self.values.pop(qid, None)
        else:
            self.values[qid] = value


def display_value(question: Question | SubQuestion, value: str | bool | None) -> str:
    """An answer as she would read it (option label, Ja/Nee, a Dutch date)."""
    if value is None or value == "":
        return ""
    if question.type == "boolean":
        return "Ja" if value is True else "Nee" if value is False else str(value)
    if question.type == "choice":
        for option in question.options:
            if option.value == value:
                return option.label
    if question.type == "date" and isinstance(value, str):
        try:
            return format_date_nl(value)
        except ValueError:
            return value
    return str(value)


def display_rows(question: Question, rows: tuple[dict[str, str | bool], ...] | None) -> str:
    """A list answer as she would read it: one numbered line per row."""
    lines = []
    for i, row in enumerate(rows or (), start=1):
        cells = [display_value(sub, row.get(sub.id)) for sub in question.fields]
        lines.append(f"{i}. " + "; ".join(c for c in cells if c))
    return "\n".join(lines)


def problem_page(spec: FormSpec, problem: FieldProblem) -> str:
    if problem.field == "services":
        return "diensten"
    if problem.field.startswith("retention."):
        return "bewaartermijnen"
    try:
        return spec.question(problem.field.split(".")[0]).page
    except KeyError:
        return "review"


# ====================================================================== pages


class _Page(QWizardPage):
    name = ""

    def __init__(self, wiz: AgreementWizard, name: str) -> None:
        super().__init__()
        self.wiz = wiz
        self.name = name
        self.setObjectName(f"page_{name}")
        self.setTitle(PAGE_TITLES[name])

    def set_step(self, step: int, total: int) -> None:
        self.setSubTitle(f"Stap {step} van {total}. {PAGE_INTROS[self.name]}")

    def is_empty(self) -> bool:
        return False

    def focus_first(self) -> None:
        """Put the cursor where she starts on this page: its first field or list."""
        for widget in self.findChildren(QWidget):
            if (widget.focusPolicy() & Qt.FocusPolicy.TabFocus) == Qt.FocusPolicy.TabFocus \
                    and widget.isVisibleTo(self) and widget.isEnabled() \
                    and not isinstance(widget, QScrollArea):
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return

    def cleanupPage(self) -> None:
        """Going back keeps what she typed (QWizard would reset registered fields)."""


class QuestionPage(_Page):
    """The questions of one page id, in form order, in a scrollable form."""

    def __init__(self, wiz: AgreementWizard, name: str, questions: list[Question]) -> None:
        super().__init__(wiz, name)
        self.questions = questions
        self.fields: dict[str, QuestionField | ListField] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        self.body = QVBoxLayout(inner)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        used = set(WIZARD_MNEMONICS)
        self.body.addLayout(self.form)
        self.extra_layout = QVBoxLayout()
        self.body.addLayout(self.extra_layout)
        for q in questions:
            field = make_field(q)
            if isinstance(field, ListField):
                field.set_value(wiz.model.lists.get(q.id))
            else:
                field.set_value(wiz.model.values.get(q.id))
            field.changed.connect(lambda f=field: self._field_changed(f))
            label_text = q.label + ("" if q.required or q.type == "list" else " (optioneel)")
            label = QLabel(caption_text(with_mnemonic(label_text, used)))
            label.setBuddy(field.focus_widget())
            label.setWordWrap(True)
            if isinstance(field, ListField):  # a table needs the page's full width
                self.form.addRow(label)
                self.form.addRow(field)
            else:
                label.setFixedWidth(label.fontMetrics().averageCharWidth() * 30)
                self.form.addRow(label, field)
            self.fields[q.id] = field
        self.save_profile: QCheckBox | None = None
        if any(q.profile for q in questions):
            self.save_profile = QCheckBox(with_mnemonic("Wijzigingen opslaan in praktijkprofiel",
                                                        used))
            self.save_profile.setObjectName("save_profile")
            self.save_profile.setToolTip("Gewijzigde gegevens worden de volgende keer "
                                         "vooraf ingevuld.")
            self.save_profile.setEnabled(False)
            self.body.addSpacing(8)
            self.body.addWidget(self.save_profile)
        self.body.addStretch(1)
        scroll.setWidget(inner)
        outer.addWidget(scroll)
        self._used_mnemonics = used

    def set_step(self, step: int, total: int) -> None:
        if self.name == "diensten":  # no catalogue to tick: the services are typed or described
            self.setSubTitle(f"Stap {step} van {total}. {QUESTION_SERVICES_INTRO}")
        else:
            super().set_step(step, total)

    def _field_changed(self, field: QuestionField | ListField) -> None:
        if isinstance(field, ListField):
            self.wiz.model.lists[field.question.id] = tuple(field.stored_value())
        else:
            self.wiz.model.set_value(field.question.id, field.stored_value())
        if self.save_profile is not None:
            self.save_profile.setEnabled(bool(self.profile_changes()))
        self.wiz.answers_changed()

    def profile_changes(self) -> dict[str, str]:
        changes: dict[str, str] = {}
        for q in self.questions:
            if not q.profile:
                continue
            value = self.wiz.model.values.get(q.id)
            known = self.wiz.session.profile.get(q.profile)
            if isinstance(value, str) and value and value != known:
                changes[q.profile] = value
        return changes

    def is_empty(self) -> bool:
        return not self.questions

    def focus_first(self) -> None:
        if self.fields:
            next(iter(self.fields.values())).focus_widget().setFocus(Qt.FocusReason.TabFocusReason)
        else:
            super().focus_first()

    def check_all(self) -> list[QuestionField | ListField]:
        return [f for f in self.fields.values() if f.check(when_empty=True)]

    def validatePage(self) -> bool:
        if self.wiz.restoring:
            return True
        bad = self.check_all()
        if bad:
            reveal(bad[0])
            bad[0].focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        if self.save_profile is not None and self.save_profile.isChecked():
            changes = self.profile_changes()
            if changes:
                self.wiz.save_profile(changes)
            self.save_profile.setChecked(False)
            self.save_profile.setEnabled(False)
        return True


class RetentionPage(QuestionPage):
    """Choice questions of 'bewaartermijnen' plus a term per service the practice decides."""

    def __init__(self, wiz: AgreementWizard, questions: list[Question]) -> None:
        super().__init__(wiz, "bewaartermijnen", questions)
        self.retention_box = QGroupBox("Bewaartermijnen die uw praktijk bepaalt")
        self.retention_grid = QGridLayout(self.retention_box)
        self.extra_layout.addWidget(self.retention_box)
        self.rows: dict[str, tuple[QSpinBox, QComboBox, QLabel]] = {}
        self.retention_box.hide()

    def taken_retention_services(self) -> list[Service]:
        return [s for s in self.wiz.spec.retention_services() if s.id in self.wiz.model.services]

    def is_empty(self) -> bool:
        return not self.questions and not self.taken_retention_services()

    def initializePage(self) -> None:
        services = self.taken_retention_services()
        wanted = [s.id for s in services]
        if wanted == list(self.rows):
            return
        while self.retention_grid.count():
            item = self.retention_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.rows.clear()
        used = set(self._used_mnemonics)
        for row, service in enumerate(services):
            amount = QSpinBox()
            amount.setObjectName(f"retention_{service.id}_amount")
            amount.setRange(0, 1000)
            amount.setSpecialValueText("–")
            amount.setAccessibleName(f"Bewaartermijn {service.name}, aantal")
            unit = QComboBox()
            unit.setObjectName(f"retention_{service.id}_unit")
            unit.addItems(list(RETENTION_UNITS))
            unit.setAccessibleName(f"Bewaartermijn {service.name}, eenheid")
            current = self.wiz.model.retention.get(service.id)
            if current is not None:
                amount.setValue(current[0])
                if current[1] in RETENTION_UNITS:
                    unit.setCurrentIndex(RETENTION_UNITS.index(current[1]))
            else:
                unit.setCurrentIndex(RETENTION_UNITS.index("jaar"))
            label = QLabel(caption_text(with_mnemonic(service.name, used)))
            label.setBuddy(amount)
            error = small_label("", ERROR_STYLE)
            error.hide()
            hint = small_label(service.retention.text, HELP_STYLE)
            self.retention_grid.addWidget(label, row * 2, 0)
            self.retention_grid.addWidget(amount, row * 2, 1)
            self.retention_grid.addWidget(unit, row * 2, 2)
            self.retention_grid.addWidget(hint, row * 2, 3)
            self.retention_grid.addWidget(error, row * 2 + 1, 1, 1, 3)
            self.retention_grid.setColumnStretch(3, 1)
            amount.valueChanged.connect(lambda _v, sid=service.id: self._retention_changed(sid))
            unit.currentIndexChanged.connect(
                lambda _i, sid=service.id: self._retention_changed(sid))
            self.rows[service.id] = (amount, unit, error)
        self.retention_box.setVisible(bool(services))

    def _retention_changed(self, sid: str) -> None:
        amount, unit, error = self.rows[sid]
        if amount.value() > 0:
            self.wiz.model.retention[sid] = (amount.value(), unit.currentText())
            error.hide()
        else:
            self.wiz.model.retention.pop(sid, None)
        self.wiz.answers_changed()

    def validatePage(self) -> bool:
        if self.wiz.restoring:
            return True
        ok = super().validatePage()
        first_bad: QWidget | None = None
        for amount, _unit, error in self.rows.values():
            if amount.value() == 0:
                error.setText("Vul de bewaartermijn in die uw praktijk kiest.")
                error.show()
                first_bad = first_bad or amount
        if first_bad is not None:
            if ok:
                first_bad.setFocus()
            return False
        return ok


def contact_uses(spec: FormSpec) -> list[tuple[str, list[Question]]]:
    """Per contact in the practice profile (FG, security officer, contact person): the
    questions of this form that take it. Read from the questions' ``profile`` keys."""
    from dpa_desktop.gui.dialogs import CONTACT_GROUPS

    uses = []
    for title, keys in CONTACT_GROUPS:
        wanted = {key for key, _label, _type in keys}
        uses.append((title, [q for q in spec.questions if q.profile in wanted]))
    return uses


def contacts_summary(spec: FormSpec, profile: dict[str, str]) -> str:
    """Which profile contacts this agreement uses, and where its text has no place for them."""
    from dpa_desktop.gui.dialogs import CONTACT_GROUPS

    who = html.escape(spec.processor.short_name or spec.processor.name)
    uses = contact_uses(spec)
    used = [(title, qs) for title, qs in uses if qs]
    unused = [title for title, qs in uses if not qs]
    filled = {title: any(profile.get(key) for key, _l, _t in keys)
              for title, keys in CONTACT_GROUPS}
    if not used:
        return ("<p><b>Deze overeenkomst vraagt niet om contactpersonen.</b> De tekst van "
                f"{who} heeft geen plaats voor een functionaris gegevensbescherming, een security "
                "officer of een contactpersoon van uw praktijk. Wat u daarover in uw "
                "praktijkprofiel heeft ingevuld, komt dus niet in deze overeenkomst.</p>"
                f"<p>Geef deze gegevens zo nodig apart door aan {who}, bijvoorbeeld voor het "
                "melden van datalekken.</p>")
    items = []
    for title, questions in used:
        pages = sorted({q.page for q in questions}, key=PAGE_ORDER.index)
        where = ", ".join("hieronder" if page == "contacten" else f"bij '{PAGE_TITLES[page]}'"
                          for page in pages)
        note = "" if filled[title] else " (nog niet ingevuld in uw praktijkprofiel)"
        items.append(f"<li>{html.escape(title)}: {where}{note}</li>")
    parts = ["<p><b>Uit uw praktijkprofiel gebruikt deze overeenkomst:</b></p>",
             f"<ul>{''.join(items)}</ul>"]
    if unused:
        names = " en ".join(html.escape(t[:1].lower() + t[1:]) for t in unused)
        parts.append(f"<p>Niet in deze overeenkomst: {names}. De tekst van {who} heeft daar "
                     "geen plaats voor.</p>")
    return "".join(parts)


class ContactsPage(QuestionPage):
    """The contact questions, under a summary of which profile contacts the agreement uses.

    Always a step, also for a form without contact questions: then it only
    says that the processor's text has no place for them.
    """

    def __init__(self, wiz: AgreementWizard, questions: list[Question]) -> None:
        super().__init__(wiz, "contacten", questions)
        self.summary = QLabel()
        self.summary.setObjectName("contacts_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.summary.setContentsMargins(0, 0, 0, 8)
        self.body.insertWidget(0, self.summary)
        self.refresh_summary()

    def refresh_summary(self) -> None:
        self.summary.setText(contacts_summary(self.wiz.spec, self.wiz.session.profile))

    def initializePage(self) -> None:
        self.refresh_summary()

    def is_empty(self) -> bool:
        return False


class ServicesPage(_Page):
    """The catalogue as a checkable list with the details of the current service."""

    def __init__(self, wiz: AgreementWizard, questions: list[Question]) -> None:
        super().__init__(wiz, "diensten")
        layout = QVBoxLayout(self)
        label = QLabel("&Afgenomen diensten:")
        layout.addWidget(label)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.list = QListWidget()
        self.list.setObjectName("services_list")
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        label.setBuddy(self.list)
        taken = set(wiz.model.services)
        for service in wiz.spec.services:
            text = service.name
            if service.variants:
                text += f" ({', '.join(service.variants)})"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, service.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if service.id in taken
                               else Qt.CheckState.Unchecked)
            item.setToolTip("Spatiebalk: aan- of uitvinken")
            self.list.addItem(item)
        self.detail = QTextBrowser()
        self.detail.setObjectName("service_detail")
        self.detail.setOpenLinks(False)
        splitter.addWidget(self.list)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        self.hint = small_label("Kies minstens één dienst.", ERROR_STYLE)
        self.hint.setObjectName("services_hint")
        layout.addWidget(self.hint)
        self.questions_page: QuestionPage | None = None
        if questions:
            extra = QuestionPage(wiz, "diensten", questions)
            self.questions_page = extra
            layout.addWidget(extra)
        self.list.itemChanged.connect(self._changed)
        self.list.currentItemChanged.connect(lambda cur, _prev: self._show(cur))
        if self.list.count():
            self.list.setCurrentRow(0)
        self._update_hint()

    def _show(self, item: QListWidgetItem | None) -> None:
        if item is None:
            self.detail.clear()
            return
        service = self.wiz.spec.service(str(item.data(Qt.ItemDataRole.UserRole)))
        subs = self.wiz.spec.subprocessors_for([service.id])
        rows = [
            ("Persoonsgegevens", service.personal_data),
            ("Betrokkenen", service.data_subjects),
            ("Doeleinden", service.purposes),
            ("Bewaartermijn", service.retention.text),
            ("Subverwerkers", ", ".join(f"{p.name} ({p.country_label})" for p in subs) or "geen"),
        ]
        if service.health_data:
            rows.append(("Bijzondere gegevens", "gezondheidsgegevens (art. 9 AVG)"))
        if service.bsn:
            rows.append(("BSN", "wordt verwerkt"))
        body = "".join(
            f"<p><b>{html.escape(k)}</b><br>{html.escape(v).replace(chr(10), '<br>')}</p>"
            for k, v in rows)
        self.detail.setHtml(f"<h3>{html.escape(service.name)}</h3>{body}")

    def _changed(self, item: QListWidgetItem) -> None:
        self.wiz.model.services = self.checked()
        self._update_hint()
        self.list.setCurrentItem(item)
        self.completeChanged.emit()
        self.wiz.answers_changed()

    def checked(self) -> list[str]:
        out = []
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def set_checked(self, ids: list[str] | tuple[str, ...]) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            sid = str(item.data(Qt.ItemDataRole.UserRole))
            item.setCheckState(Qt.CheckState.Checked if sid in ids else Qt.CheckState.Unchecked)

    def _update_hint(self) -> None:
        self.hint.setVisible(bool(self.wiz.spec.services) and not self.checked())

    def isComplete(self) -> bool:
        return bool(self.checked()) or not self.wiz.spec.services

    def validatePage(self) -> bool:
        if self.questions_page is not None:
            return self.questions_page.validatePage()
        return True


def _review_section(spec: FormSpec, answers: Answers,
                    pages: list[str]) -> tuple[str, Review | None]:
    """The "Aandachtspunten" before signing; a broken reference must not block filling."""
    from dpa_desktop.answers import normalised
    from dpa_desktop.errors import DpaError
    from dpa_desktop.review.html import review_html
    from dpa_desktop.review.review import build_review

    try:
        review = build_review(spec, normalised(spec, answers))
    except DpaError as exc:
        return (f"<h2>Aandachtspunten</h2><p>Niet beschikbaar: "
                f"{html.escape(str(exc))}</p>"), None
    return review_html(review, pages=pages), review


class ReviewPage(_Page):
    """The review before signing on top (conclusion, points, art. 28 checklist), the
    letter to the processor, every answer with a way to change it, and where the files go."""

    def __init__(self, wiz: AgreementWizard) -> None:
        super().__init__(wiz, "review")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Documenten &maken")
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setObjectName("review")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._link)
        layout.addWidget(self.browser, 1)
        letter_row = QHBoxLayout()
        letter_label = QLabel("<b>Vragen aan de verwerker:</b>")
        self.copy_letter = QPushButton("Brief &kopiëren")
        self.copy_letter.setObjectName("copy_letter")
        self.copy_letter.setToolTip("Zet de brief met alle vragen op het klembord, om in een "
                                    "e-mail te plakken.")
        self.save_letter = QPushButton("Brief op&slaan als Word…")
        self.save_letter.setObjectName("save_letter")
        self.letter_status = QLabel("")
        self.letter_status.setObjectName("letter_status")
        self.letter_status.setStyleSheet(HELP_STYLE)
        for widget in (letter_label, self.copy_letter, self.save_letter):
            letter_row.addWidget(widget)
        letter_row.addWidget(self.letter_status, 1)
        layout.addLayout(letter_row)
        self.copy_letter.clicked.connect(self._copy_letter)
        self.save_letter.clicked.connect(self._save_letter)
        row = QHBoxLayout()
        label = QLabel("&Opslaan in map:")
        self.folder = QLineEdit(str(paths.documents_output_dir()))
        self.folder.setObjectName("output_folder")
        label.setBuddy(self.folder)
        row.addWidget(label)
        row.addLayout(path_row(self.folder, self._browse), 1)
        layout.addLayout(row)
        self.folder.textChanged.connect(lambda _t: self.completeChanged.emit())
        self.problems: list[FieldProblem] = []
        self.review: Review | None = None

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Map voor de documenten",
                                                  self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def _link(self, url: QUrl) -> None:
        """"Wijzigen" goes to the page that holds the answer; the wizard then offers the
        one step back ("Terug naar controleren")."""
        target = url.toString().removeprefix("page:")
        if target in self.wiz.pages and target not in ("review", "result"):
            self.wiz.go_back_to(target)

    # ---- the letter to the processor

    def letter(self) -> Letter | None:
        from dpa_desktop.review.letter import build_letter, sender_from

        if self.review is None:
            return None
        answers = self.wiz.model.answers()
        sender = sender_from(self.wiz.spec, answers, self.wiz.session.profile)
        return build_letter(self.review, self.wiz.spec, sender, answers=answers)

    def _copy_letter(self) -> None:
        from PySide6.QtGui import QGuiApplication

        from dpa_desktop.review.letter import letter_text

        letter = self.letter()
        if letter is None:
            return
        QGuiApplication.clipboard().setText(letter_text(letter))
        self.letter_status.setText("De brief staat op het klembord; plak hem in een e-mail.")

    def _save_letter(self) -> None:
        from dpa_desktop.platform import safe_filename
        from dpa_desktop.review.letter import write_letter_docx

        letter = self.letter()
        if letter is None or self.review is None:
            return
        name = safe_filename(f"Vragen aan {self.review.processor_short}")
        start = Path(self.folder.text().strip() or str(paths.documents_output_dir())) / f"{name}.docx"
        chosen, _filter = QFileDialog.getSaveFileName(self, "Brief opslaan", str(start),
                                                      "Word-document (*.docx)")
        if not chosen:
            return
        target = Path(chosen)
        if target.suffix.lower() != ".docx":
            target = target.with_name(target.name + ".docx")

        def done(_result: None) -> None:
            self.letter_status.setText(f"Opgeslagen: {target}")

        self.letter_status.setText("De brief wordt opgeslagen…")
        Op(self, lambda: write_letter_docx(letter, target)).success(done).failure(
            lambda exc: self._letter_failed(exc)).run_in_background()

    def _letter_failed(self, exc: BaseException) -> None:
        self.letter_status.setText("De brief kon niet worden opgeslagen.")
        show_error(self, exc, "Brief niet opgeslagen")

    # ---- the page

    def initializePage(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        wiz = self.wiz
        answers = wiz.model.answers()
        self.problems = validate_answers(wiz.spec, answers)
        self.review = None
        parts: list[str] = []
        if self.problems:
            items = "".join(
                f"<li><a href='page:{problem_page(wiz.spec, p)}'>{html.escape(p.label)}</a>: "
                f"{html.escape(p.message)}</li>" for p in self.problems)
            parts.append(f"<div style='{ERROR_STYLE}'><b>Nog niet in orde:</b><ul>{items}</ul>"
                         "</div>")
        else:
            section, self.review = _review_section(wiz.spec, answers, wiz.page_names())
            parts.append(section)
            parts.append("<h2>Uw antwoorden</h2><p><b>Alles is ingevuld.</b> Kies hieronder een "
                         "map en klik op 'Documenten maken'.</p>")
        for name in wiz.page_names():
            if name in ("review", "result"):
                continue
            rows: list[tuple[str, str]] = []
            for q in wiz.spec.questions:
                if q.page == name and q.type == "list":
                    rows.append((q.label, display_rows(q, answers.lists.get(q.id))))
                elif q.page == name:
                    rows.append((q.label, display_value(q, answers.values.get(q.id))))
            if name == "diensten":
                names = [wiz.spec.service(s).name for s in answers.services
                         if s in {x.id for x in wiz.spec.services}]
                rows.insert(0, ("Diensten", ", ".join(names)))
            if name == "bewaartermijnen":
                for s in wiz.spec.retention_services():
                    if s.id in answers.services:
                        got = answers.retention.get(s.id)
                        rows.append((f"Bewaartermijn {s.name}",
                                     format_retention(*got) if got else ""))
            if not rows:
                continue
            table = "".join(
                f"<tr><td width='40%' style='padding-right:16px; color:#5f6368'>"
                f"{html.escape(k)}</td>"
                f"<td>{html.escape(v).replace(chr(10), '<br>') or '<i>(leeg)</i>'}</td></tr>"
                for k, v in rows)
            parts.append(f"<h3>{html.escape(PAGE_TITLES[name])} "
                         f"<a href='page:{name}' style='font-size:small; font-weight:normal'>"
                         f"Wijzigen</a></h3><table width='100%'>{table}</table>")
        self.browser.setHtml("".join(parts))
        has_letter = self.review is not None
        self.copy_letter.setEnabled(has_letter)
        self.save_letter.setEnabled(has_letter)
        if self.review is not None:
            count = len(self.review.asking_points)
            self.letter_status.setText(
                f"{count} {'vraag' if count == 1 else 'vragen'} aan "
                f"{self.review.processor_short}, klaar om te versturen." if count else
                "Geen vragen; de brief meldt dat u zonder wijzigingen tekent.")
        else:
            self.letter_status.setText("")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.problems and bool(self.folder.text().strip())

    def validatePage(self) -> bool:
        self.wiz.output_dir = Path(self.folder.text().strip())
        return True


class ResultPage(_Page):
    """Generates the files in the background, shows the PDF, prints and opens them."""

    def __init__(self, wiz: AgreementWizard) -> None:
        super().__init__(wiz, "result")
        self.setFinalPage(True)
        layout = QVBoxLayout(self)
        self.status = QLabel("De documenten worden gemaakt…")
        self.status.setObjectName("result_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        layout.addWidget(self.progress)
        self.viewer_holder = QVBoxLayout()
        layout.addLayout(self.viewer_holder, 1)
        buttons = QHBoxLayout()
        self.print_button = QPushButton("Af&drukken…")
        self.open_docx = QPushButton("Word-document &openen")
        self.open_folder = QPushButton("Map o&penen")
        self.retry = QPushButton("Opnieuw &proberen…")
        for b in (self.print_button, self.open_docx, self.open_folder, self.retry):
            buttons.addWidget(b)
            b.setEnabled(False)
        self.retry.hide()
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.print_button.clicked.connect(self._print)
        self.open_docx.clicked.connect(
            lambda: self._open(self.result.docx if self.result else None, "een Word-document"))
        self.open_folder.clicked.connect(
            lambda: self._open(self.result.docx.parent if self.result else None, "een map"))
        self.retry.clicked.connect(self._retry)
        self.result: FillResult | None = None
        self.agreement_id: int | None = None
        self.pdf_document: Any = None
        self.started = False

    def initializePage(self) -> None:
        if not self.started:
            self.started = True
            self.generate()

    def generate(self) -> None:
        self.status.setText("De documenten worden gemaakt…")
        self.progress.show()
        self.retry.setEnabled(False)
        self.wiz.generate(self._done, self._failed)

    def _done(self, outcome: tuple[FillResult, int | None]) -> None:
        from dpa_desktop.review.pdf import review_path_beside
        from dpa_desktop.statuses import CONCEPT, STATUS_LABELS

        self.result, self.agreement_id = outcome
        self.progress.hide()
        self.retry.hide()
        recorded = (f"De overeenkomst staat in het register als nummer {self.agreement_id} "
                    f"(status: {STATUS_LABELS[CONCEPT]})." if self.agreement_id is not None else
                    "<span style='color:#8a4b00'>Er is geen register geopend: deze overeenkomst "
                    "is nergens vastgelegd. Bewaar de bestanden zelf.</span>")
        self.status.setText(
            f"<b>Klaar.</b> {recorded}<br>"
            f"Word: {html.escape(str(self.result.docx))}<br>"
            f"PDF: {html.escape(str(self.result.pdf))}<br>"
            f"Aandachtspunten: {html.escape(str(review_path_beside(self.result.pdf)))}<br>"
            f"Druk hem {self.wiz.spec.document.copies} keer af, laat hem ondertekenen"
            + (" en markeer hem daarna in het register." if self.agreement_id is not None
               else "."))
        for b in (self.print_button, self.open_docx, self.open_folder):
            b.setEnabled(True)
        self._show_pdf(self.result.pdf)
        self.completeChanged.emit()
        self.wiz.generated.emit(self.result)

    def _failed(self, exc: BaseException) -> None:
        self.progress.hide()
        self.status.setText("De documenten konden niet worden gemaakt.")
        self.retry.show()
        self.retry.setEnabled(True)
        show_error(self, exc)

    def _retry(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Map voor de documenten",
                                                  str(self.wiz.output_dir))
        if chosen:
            self.wiz.output_dir = Path(chosen)
            self.generate()

    def _show_pdf(self, pdf: Path) -> None:
        from dpa_desktop.gui.pdf import PdfPane

        pane = PdfPane(self)
        pane.setObjectName("pdf_view")
        pane.load(pdf)
        self.viewer_holder.addWidget(pane)
        self.pdf_document = pane

    def _print(self) -> None:
        from dpa_desktop.gui.pdf import print_pdf

        if self.result is not None:
            try:
                print_pdf(self, self.result.pdf, name=self.result.pdf.stem,
                          copies=self.wiz.spec.document.copies)
            except Exception as exc:
                show_error(self, exc)

    def _open(self, path: Path | None, kind: str) -> None:
        if path is None:
            return
        from dpa_desktop.gui.opener import open_path

        open_path(self, path, kind=kind)

    def isComplete(self) -> bool:
        return self.result is not None


# ====================================================================== wizard


class AgreementWizard(QWizard):
    """One agreement from start to files; saves a draft on every change."""

    generated = Signal(object)
    draft_saved = Signal(object)
    profile_saved = Signal(object)

    def __init__(self, spec: FormSpec, session: Session, draft: Draft | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.session = session
        self.restoring = False
        self.finished_ok = False
        self.output_dir = paths.documents_output_dir()
        self._draft = _DraftRef(id=draft.id if draft is not None else None)
        self._resume_page = draft.page if draft is not None else None
        # A new wizard becomes a draft only once she changed something or went on
        # past the first step: opening and pressing Esc leaves nothing behind.
        self._touched = draft is not None
        self.setObjectName("wizard")
        self.setWindowTitle(f"Nieuwe verwerkersovereenkomst – {spec.processor_label}")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        fit_resize(self, 960, 700)
        self.setMinimumSize(640, 480)
        if draft is not None:
            self.model = AnswerModel(spec, draft.answers)
        else:
            self.model = AnswerModel(spec, self._prefilled())
        self.pages: dict[str, _Page] = {}
        self._build_pages()
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_draft)
        self.saved_label = _StatusButton()
        self.saved_label.setObjectName("saved_label")
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setButton(QWizard.WizardButton.CustomButton1, self.saved_label)
        # After "Wijzigen" on the review page, one click leads back to it.
        self.back_to_review = QPushButton("Terug naar &controleren")
        self.back_to_review.setObjectName("back_to_review")
        self.back_to_review.clicked.connect(self.return_to_review)
        self.setButton(QWizard.WizardButton.CustomButton2, self.back_to_review)
        self._changing_from_review = False
        self.setButtonLayout([
            QWizard.WizardButton.CustomButton1, QWizard.WizardButton.Stretch,
            QWizard.WizardButton.CustomButton2,
            QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton,
            QWizard.WizardButton.CommitButton, QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.CancelButton,
        ])
        # QWizard shows every button of an explicit layout; this one only after "Wijzigen".
        self.back_to_review.hide()
        for which, text in BUTTON_TEXTS.items():
            self.setButtonText(which, text)
        self._order_buttons()
        if not session.has_store:
            self.show_status("Zonder register: er wordt niets bewaard")
            self.saved_label.setToolTip("Er is geen register geopend. Deze overeenkomst wordt "
                                        "niet als concept bewaard en niet in een register "
                                        "vastgelegd.")
        self.currentIdChanged.connect(self._page_changed)

    def show_status(self, text: str) -> None:
        """The quiet status left in the button row (QWizard keeps it across pages)."""
        self.setButtonText(QWizard.WizardButton.CustomButton1, text)

    def _order_buttons(self) -> None:
        """Tab from the last field goes to Volgende (or Documenten maken), "Vorige" comes
        last: Enter after tabbing past the fields never goes back."""
        order = [self.button(b) for b in (
            QWizard.WizardButton.NextButton, QWizard.WizardButton.CommitButton,
            QWizard.WizardButton.FinishButton, QWizard.WizardButton.CancelButton,
            QWizard.WizardButton.BackButton)]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    # ------------------------------------------------------------------ building

    def _prefilled(self) -> Answers:
        values: dict[str, str | bool] = {}
        for q in self.spec.questions:
            if q.profile and self.session.profile.get(q.profile):
                values[q.id] = self.session.profile[q.profile]
        return Answers(form_id=self.spec.id, values=values)

    def _build_pages(self) -> None:
        by_page: dict[str, list[Question]] = {name: [] for name in QUESTION_PAGES}
        for q in self.spec.questions:
            by_page[q.page].append(q)
        for name in PAGE_ORDER:
            page: _Page
            if name == "diensten":
                if not self.spec.services and not by_page[name]:
                    continue
                page = (ServicesPage(self, by_page[name]) if self.spec.services
                        else QuestionPage(self, name, by_page[name]))
            elif name == "bewaartermijnen":
                if not by_page[name] and not self.spec.retention_services():
                    continue
                page = RetentionPage(self, by_page[name])
            elif name == "contacten":
                page = ContactsPage(self, by_page[name])
            elif name == "review":
                page = ReviewPage(self)
            elif name == "result":
                page = ResultPage(self)
            else:
                if not by_page[name]:
                    continue
                page = QuestionPage(self, name, by_page[name])
            self.setPage(PAGE_IDS[name], page)
            self.pages[name] = page
        names = self.page_names()
        for step, name in enumerate(names, start=1):
            self.pages[name].set_step(step, len(names))

    def page_names(self) -> list[str]:
        return [n for n in PAGE_ORDER if n in self.pages]

    def nextId(self) -> int:
        names = self.page_names()
        current = self.current_page_name()
        if current not in names:
            return -1
        for name in names[names.index(current) + 1:]:
            if not self.pages[name].is_empty():
                return PAGE_IDS[name]
        return -1

    @property
    def draft_id(self) -> Any:
        return self._draft.id

    def current_page_name(self) -> str:
        page = self.currentPage()
        return page.name if isinstance(page, _Page) else PAGE_ORDER[0]

    def question_field(self, qid: str) -> QuestionField | ListField:
        """The widget of a question, wherever its page is (tests type into these)."""
        for page in self.pages.values():
            fields = page.fields if isinstance(page, QuestionPage) else {}
            if isinstance(page, ServicesPage) and page.questions_page is not None:
                fields = page.questions_page.fields
            if qid in fields:
                return fields[qid]
        raise KeyError(qid)

    # ------------------------------------------------------------------ navigation

    def start(self) -> None:
        """Show the wizard; a resumed draft opens on the page where she left it."""
        self.restart()
        target = self._resume_page
        if target in self.pages and target not in ("result",):
            self.restoring = True
            try:
                while self.current_page_name() != target:
                    before = self.currentId()
                    self.next()
                    if self.currentId() == before:
                        break
            finally:
                self.restoring = False

    def go_back_to(self, name: str) -> None:
        """Back through history to a page, as the review's 'Wijzigen' links do; from the
        review page the way back is then one click ("Terug naar controleren")."""
        target = PAGE_IDS[name]
        from_review = self.current_page_name() == "review"
        while self.currentId() != target and target in self.visitedIds()[:-1]:
            self.back()
        if from_review and self.currentId() == target:
            self._changing_from_review = True
            self._show_back_to_review()

    def return_to_review(self) -> None:
        """Forward to the review page in one go; each page checks its answers on the way,
        and a page that refuses stops here with its message."""
        while self.current_page_name() != "review":
            before = self.currentId()
            self.next()
            if self.currentId() == before:
                break
        self._show_back_to_review()

    def _show_back_to_review(self) -> None:
        name = self.current_page_name()
        if name in ("review", "result"):
            self._changing_from_review = False
        self.back_to_review.setVisible(self._changing_from_review
                                       and name not in ("review", "result"))

    def _page_changed(self, _id: int) -> None:
        if not isinstance(self.currentPage(), _Page):  # closing: no step to save or show
            return
        self._show_back_to_review()
        name = self.current_page_name()
        if not self.restoring:
            log.info("wizard %s: step %s", self.spec.id, name)
        if name != self.page_names()[0]:
            self._touched = True
        if name not in ("result",):
            self.answers_changed(edit=False)
        QTimer.singleShot(0, self._focus_page)

    def _focus_page(self) -> None:
        page = self.currentPage()
        if isinstance(page, _Page) and not self.restoring:
            page.focus_first()

    # ------------------------------------------------------------------ saving

    def answers_changed(self, *, edit: bool = True) -> None:
        if edit:
            self._touched = True
        if not self.finished_ok and not self.restoring and self._touched:
            self._save_timer.start()

    def save_draft(self) -> None:
        """Queue a draft save; safe to call often, saves run in order on the worker."""
        self._save_timer.stop()
        if self.finished_ok or not self.session.has_store:
            return
        from dpa_desktop.store import Draft

        answers = self.model.answers()
        page = self.current_page_name()
        if page == "result":
            page = "review"
        ref = self._draft
        session = self.session

        def job() -> Any:
            if ref.closed:
                return None
            from dpa_desktop.store.errors import NotFound

            draft = Draft(id=ref.id, form_id=answers.form_id, answers=answers, page=page)
            try:
                saved = session.store.save_draft(draft)
            except NotFound:  # deleted from the start screen meanwhile: keep her work
                saved = session.store.save_draft(Draft(id=None, form_id=answers.form_id,
                                                       answers=answers, page=page))
            if ref.id is None:
                log.info("draft %d started (form %s)", saved.id, answers.form_id)
            ref.id = saved.id
            return saved

        Op(self, job).success(self._saved).failure(self._save_failed).run_in_background()

    def _saved(self, draft: Any) -> None:
        if draft is None:
            return
        self.show_status(f"Concept opgeslagen om {dt.datetime.now():%H:%M:%S}")
        self.draft_saved.emit(draft)

    def _save_failed(self, exc: BaseException) -> None:
        self.show_status("Concept kon niet worden opgeslagen")
        show_error(self, exc, "Concept niet opgeslagen")

    def flush(self) -> None:
        if self._save_timer.isActive():
            self.save_draft()

    def save_profile(self, changes: dict[str, str]) -> None:
        session = self.session
        merged = {**session.profile, **changes}
        if not session.has_store:  # kept for this session only
            session.profile = merged
            self.profile_saved.emit(merged)
            return

        def job() -> dict[str, str]:
            session.store.save_profile(merged)
            return merged

        def done(profile: dict[str, str]) -> None:
            session.profile = profile
            self.profile_saved.emit(profile)

        Op(self, job).success(done).run_in_background()

    # ------------------------------------------------------------------ generating

    def generate(self, done: Callable[[tuple[FillResult, int | None]], None],
                 failed: Callable[[BaseException], None]) -> None:
        """Make the files; record them in the register when there is one (else ``None``)."""
        self._save_timer.stop()
        spec, answers, out_dir = self.spec, self.model.answers(), self.output_dir
        ref, session = self._draft, self.session

        def job() -> tuple[FillResult, int | None]:
            import time

            from dpa_desktop.fill import fill
            from dpa_desktop.review.pdf import write_review_beside

            start = time.perf_counter()
            result = fill(spec, answers, out_dir)
            write_review_beside(spec, answers, result.pdf)
            agreement_id = None
            if session.has_store:
                agreement_id = session.store.record_agreement(spec, answers, result.docx,
                                                              result.pdf, draft_id=ref.id)
            ref.closed = True
            log.info("generated form %s: agreement %s, %.1f s", spec.id,
                     agreement_id if agreement_id is not None else "not recorded (no register)",
                     time.perf_counter() - start)
            return result, agreement_id

        def ok(outcome: tuple[FillResult, int | None]) -> None:
            self.finished_ok = True
            done(outcome)

        Op(self, job).success(ok).failure(failed).run_in_background()

    # ------------------------------------------------------------------ closing

    def done(self, result: int) -> None:
        self.flush()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush()
        super().closeEvent(event)


class _StatusButton(QPushButton):
    """QWizard only places buttons in its button row; this one is a quiet status text."""

    def __init__(self) -> None:
        super().__init__()
        self.setFlat(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setStyleSheet("QPushButton { border: none; color: #5f6368; text-align: left; "
                           "padding: 0; background: transparent; }")
        self.setMinimumWidth(240)
        self.setAccessibleName("Status van het concept")
