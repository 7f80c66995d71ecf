"""One input widget per question type, with help text and a Dutch error line.

Widgets are chosen from ``Question.type`` alone, so a new form needs no new
page code. Each field validates with ``answers.validate_value`` as she leaves
it and shows the reason right beside it, not in a dialog.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent, QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from dpa_desktop.answers import validate_value
from dpa_desktop.forms.model import Question
from dpa_desktop.validation import format_date_nl

ERROR_STYLE = "color: #b00020;"
HELP_STYLE = "color: #5f6368;"

PLACEHOLDERS = {
    "kvk": "12345678",
    "agb": "01234567",
    "postcode": "1234 AB",
    "email": "naam@praktijk.nl",
    "phone": "020-1234567",
    "date": "dd-mm-jjjj",
}


def small_label(text: str, style: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    font = QFont(label.font())
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * 0.9)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


def reveal(widget: QWidget) -> None:
    """Scroll every scroll area around ``widget`` so that she sees it (and its error line)."""
    from PySide6.QtWidgets import QScrollArea

    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 20, 40)
        parent = parent.parentWidget()


def escape_mnemonic(text: str) -> str:
    return text.replace("&", "&&")


def caption_text(text: str) -> str:
    """A form label as a caption: a colon after it, unless it ends in one or in '?'."""
    return text if text.rstrip().endswith(("?", ":")) else text + ":"


def with_mnemonic(text: str, used: set[str]) -> str:
    """Put an & before the first letter not yet used on this page (Alt+letter jumps there)."""
    escaped = escape_mnemonic(text)
    for i, ch in enumerate(escaped):
        if ch.isalpha() and ch.isascii() and ch.lower() not in used and escaped[i - 1:i] != "&":
            used.add(ch.lower())
            return escaped[:i] + "&" + escaped[i:]
    return escaped


class _LeaveFilter(QObject):
    """Calls back when the editor loses focus (QPlainTextEdit has no editingFinished)."""

    def __init__(self, field: QuestionField) -> None:
        super().__init__(field)
        self._field = field

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and isinstance(event, QFocusEvent):
            self._field.check()
        return False


class QuestionField(QWidget):
    """Editor + help + error line for one question; emits ``changed`` on every edit."""

    changed = Signal()

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        # Never squeezed below what its lines need: a form in a scroll area scrolls instead.
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.editor = self._make_editor()
        self.editor.setObjectName(f"field_{question.id}")
        self.editor.setAccessibleName(question.label)
        layout.addWidget(self.editor)
        self.help_label: QLabel | None = None
        if question.help:
            self.editor.setToolTip(question.help)
            self.help_label = small_label(question.help, HELP_STYLE)
            layout.addWidget(self.help_label)
        self.error_label = small_label("", ERROR_STYLE)
        self.error_label.setObjectName(f"error_{question.id}")
        self.error_label.hide()
        layout.addWidget(self.error_label)

    # ------------------------------------------------------------------ editors

    def _make_editor(self) -> QWidget:
        q = self.question
        if q.type == "multiline":
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setPlaceholderText(q.placeholder)
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 4 + 12)
            edit.textChanged.connect(self._edited)
            edit.installEventFilter(_LeaveFilter(self))
            return edit
        if q.type == "choice":
            combo = QComboBox()
            if not q.required:
                combo.addItem("(geen keuze)", "")
            for option in q.options:
                combo.addItem(option.label, option.value)
            combo.setPlaceholderText("Maak een keuze")
            combo.setCurrentIndex(-1)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self._edited)
            combo.currentIndexChanged.connect(lambda _i: self.check())
            return combo
        if q.type == "boolean":
            box = QWidget()
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            self._yes = QRadioButton("Ja")
            self._no = QRadioButton("Nee")
            self._yes.setObjectName(f"field_{q.id}_ja")
            self._no.setObjectName(f"field_{q.id}_nee")
            self._group = QButtonGroup(box)
            self._group.addButton(self._yes)
            self._group.addButton(self._no)
            row.addWidget(self._yes)
            row.addWidget(self._no)
            row.addStretch(1)
            self._group.buttonToggled.connect(self._toggled)
            box.setFocusProxy(self._yes)
            return box
        line = QLineEdit()
        line.setPlaceholderText(q.placeholder or PLACEHOLDERS.get(q.type, ""))
        if q.type in ("text", "number"):
            line.setMaxLength(max(q.max_length, 1))
        line.textEdited.connect(self._edited)
        line.editingFinished.connect(self.check)
        if q.type in ("kvk", "agb", "postcode", "date", "number", "phone"):
            width = line.fontMetrics().horizontalAdvance("0" * 16) + 24
            line.setMaximumWidth(max(width, 160))
        line.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        return line

    def _toggled(self, _button: QRadioButton, on: bool) -> None:
        if on:
            self._edited()
            self.check()

    def focus_widget(self) -> QWidget:
        return self._yes if self.question.type == "boolean" else self.editor

    # ------------------------------------------------------------------ value

    def raw_value(self) -> str | bool | None:
        q = self.question
        if q.type == "multiline":
            assert isinstance(self.editor, QPlainTextEdit)
            return self.editor.toPlainText()
        if q.type == "choice":
            assert isinstance(self.editor, QComboBox)
            data = self.editor.currentData()
            return str(data) if data else ""
        if q.type == "boolean":
            if self._yes.isChecked():
                return True
            if self._no.isChecked():
                return False
            return None
        assert isinstance(self.editor, QLineEdit)
        return self.editor.text()

    def stored_value(self) -> str | bool | None:
        """What the draft keeps: the normalised value when valid, else what she typed."""
        raw = self.raw_value()
        try:
            return validate_value(self.question, raw)
        except ValueError:
            return raw

    def set_value(self, value: str | bool | None) -> None:
        """Show a stored value without emitting ``changed``."""
        self._loading = True
        try:
            q = self.question
            if q.type == "multiline":
                assert isinstance(self.editor, QPlainTextEdit)
                self.editor.setPlainText(str(value or ""))
            elif q.type == "choice":
                assert isinstance(self.editor, QComboBox)
                index = self.editor.findData(str(value or "")) if value else -1
                if index < 0 and not q.required:
                    index = 0 if not value else -1
                self.editor.setCurrentIndex(index)
            elif q.type == "boolean":
                self._group.setExclusive(False)
                self._yes.setChecked(value is True or str(value).lower() in ("ja", "true"))
                self._no.setChecked(value is False or str(value).lower() in ("nee", "false"))
                self._group.setExclusive(True)
            else:
                assert isinstance(self.editor, QLineEdit)
                self.editor.setText(self._display(value))
        finally:
            self._loading = False

    def _display(self, value: str | bool | None) -> str:
        if value is None or isinstance(value, bool):
            return ""
        if self.question.type == "date":
            try:
                return format_date_nl_numeric(value)
            except ValueError:
                return value
        return value

    def _edited(self) -> None:
        if not self._loading:
            if not self.error_label.isHidden() and self._is_valid():
                self.show_problem("")
            self.changed.emit()

    # ------------------------------------------------------------------ validation

    def _is_valid(self) -> bool:
        try:
            validate_value(self.question, self.raw_value())
        except ValueError:
            return False
        return True

    def check(self, *, when_empty: bool = False) -> str:
        """Validate; show and return the reason ('' when fine).

        An empty required field is only flagged on page validation, not merely
        because she tabbed past it.
        """
        raw = self.raw_value()
        empty = raw is None or raw == ""
        try:
            value = validate_value(self.question, raw)
        except ValueError as exc:
            reason = str(exc)
            if empty and not when_empty:
                self.show_problem("")
                return reason
            self.show_problem(reason)
            return reason
        self.show_problem("")
        if isinstance(self.editor, QLineEdit) and isinstance(value, str):
            shown = self._display(value)
            if shown != self.editor.text():
                self.editor.setText(shown)
                self.changed.emit()
        return ""

    def show_problem(self, reason: str) -> None:
        self.error_label.setText(reason[:1].upper() + reason[1:] + ("." if reason and
                                 not reason.endswith(".") else ""))
        self.error_label.setVisible(bool(reason))
        self.editor.setAccessibleDescription(reason or self.question.help)

    def problem(self) -> str:
        return self.error_label.text() if not self.error_label.isHidden() else ""


def format_date_nl_numeric(iso: str) -> str:
    """'2026-11-23' -> '23-11-2026', the way a Dutch user types a date."""
    import datetime as dt

    parsed = dt.date.fromisoformat(iso)
    return f"{parsed.day:02d}-{parsed.month:02d}-{parsed.year}"


__all__ = ["QuestionField", "format_date_nl", "format_date_nl_numeric", "with_mnemonic"]
