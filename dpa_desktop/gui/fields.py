"""One input widget per question type, with help text and a Dutch error line.

Widgets are chosen from ``Question.type`` alone, so a new form needs no new
page code. Each field validates with ``answers.validate_value`` as she leaves
it and shows the reason right beside it, not in a dialog.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFocusEvent, QFont, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dpa_desktop.answers import Row, cell_label, count_problem, validate_value
from dpa_desktop.forms.model import Question, SubQuestion
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


def path_row(edit: QLineEdit, browse: Callable[[], None], button_text: str = "&Bladeren…") -> QHBoxLayout:
    """A path field with its "Bladeren…" button beside it; Enter in a dialog never
    presses the button. ``button_text`` drops the mnemonic where the dialog uses B."""
    row = QHBoxLayout()
    button = QPushButton(button_text)
    button.setAutoDefault(False)
    button.clicked.connect(browse)
    row.addWidget(edit, 1)
    row.addWidget(button)
    return row


def add_file_row(form: QFormLayout, label: str, edit: QLineEdit, browse: Callable[[], None]) -> None:
    """A form row of a path field with its "Bladeren…" button; the label's mnemonic focuses the field."""
    caption = QLabel(label)
    caption.setBuddy(edit)
    form.addRow(caption, path_row(edit, browse))


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


# ====================================================================== lists

BAD_CELL = QColor("#fde7e9")
# Columns that hold a short value get their content's width; text columns share the rest.
_NARROW_CELLS = ("boolean", "date", "kvk", "postcode", "agb", "number", "phone")
_VALUE_ROLE = Qt.ItemDataRole.UserRole


def _choices(sub: SubQuestion) -> list[tuple[str | bool, str]]:
    """(stored value, what the cell shows) for a cell chosen from a list."""
    if sub.type == "boolean":
        return [(True, "Ja"), (False, "Nee")]
    return [(o.value, o.label) for o in sub.options]


class _CellDelegate(QStyledItemDelegate):
    """The editor of a cell: a line for text, a drop-down for a choice or ja/nee."""

    def __init__(self, field: ListField) -> None:
        super().__init__(field)
        self._field = field

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        sub = self._field.question.fields[index.column()]
        name = f"cell_{self._field.question.id}_{sub.id}"
        if sub.type in ("choice", "boolean"):
            combo = QComboBox(parent)
            combo.setObjectName(name)
            combo.addItem("(maak een keuze)" if sub.required else "(geen keuze)", "")
            for value, label in _choices(sub):
                combo.addItem(label, value)
            combo.setAccessibleName(sub.label)
            combo.activated.connect(lambda _i, c=combo: self._chosen(c))
            return combo
        line = QLineEdit(parent)
        line.setObjectName(name)
        line.setAccessibleName(sub.label)
        line.setPlaceholderText(sub.placeholder or PLACEHOLDERS.get(sub.type, ""))
        if sub.type in ("text", "number"):
            line.setMaxLength(max(sub.max_length, 1))
        return line

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter ends the cell, and only the cell: it must not reach the wizard's "Volgende"."""
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and isinstance(watched, QLineEdit | QComboBox)):
            self.commitData.emit(watched)
            self.closeEditor.emit(watched, QStyledItemDelegate.EndEditHint.NoHint)
            return True
        return super().eventFilter(watched, event)

    def _chosen(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            found = editor.findData(index.data(_VALUE_ROLE))
            editor.setCurrentIndex(max(found, 0))
        elif isinstance(editor, QLineEdit):
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            value = editor.currentData()
            model.setData(index, value, _VALUE_ROLE)
            model.setData(index, editor.currentText() if value != "" else "", Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class _Table(QTableWidget):
    """The table of a list: text columns share the width by how much they may hold
    (a description gets more room than a name); short values fit their content."""

    def __init__(self, subs: tuple[SubQuestion, ...]) -> None:
        super().__init__(0, len(subs))
        self._weights = [None if s.type in _NARROW_CELLS else min(max(s.max_length, 100), 400) ** 0.5
                         for s in subs]
        header = self.horizontalHeader()
        for col, weight in enumerate(self._weights):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents if weight is None
                                        else QHeaderView.ResizeMode.Interactive)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def fit_columns(self) -> None:
        header = self.horizontalHeader()
        texts = [c for c, w in enumerate(self._weights) if w is not None]
        if not texts:
            return
        narrow = sum(header.sectionSize(c) for c, w in enumerate(self._weights) if w is None)
        free = max(self.viewport().width() - narrow, 40 * len(texts))
        total = sum(self._weights[c] or 0 for c in texts)
        given = 0
        for c in texts[:-1]:
            width = int(free * (self._weights[c] or 0) / total)
            header.resizeSection(c, width)
            given += width
        header.resizeSection(texts[-1], free - given)


class ListField(QWidget):
    """A list question as an editable table: a row per item, a column per sub-question.

    "Toevoegen" adds a row and starts editing its first cell; "Verwijderen"
    removes the current row. Each cell is validated with ``validate_value`` as
    she leaves it; the reasons stand under the table, naming row and column
    ("Subverwerker 2 – land: ..."), and the bad cell is tinted. The same
    interface as ``QuestionField`` (``changed``, ``check``, ``stored_value``,
    ``set_value``, ``focus_widget``, ``problem``) lets a question page hold both.
    """

    changed = Signal()

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self._loading = False
        # Once the page was validated, empty cells and too few rows stay named as she edits.
        self._count_checked = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        subs = question.fields
        self.table = _Table(subs)
        self.editor = self.table
        self.table.setObjectName(f"field_{question.id}")
        self.table.setAccessibleName(question.label)
        self.table.setAccessibleDescription(question.help)
        self.table.setToolTip(question.help)
        self.table.setItemDelegate(_CellDelegate(self))
        self.table.setWordWrap(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed
                                   | QAbstractItemView.EditTrigger.SelectedClicked)
        # Tab leaves the table (no keyboard trap); the arrow keys move between cells.
        self.table.setTabKeyNavigation(False)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        header = self.table.horizontalHeader()
        # Long column titles wrap instead of being cut off (Qt reads the word-wrap text flag here).
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                                   | Qt.AlignmentFlag(Qt.TextFlag.TextWordWrap.value))
        for col, sub in enumerate(subs):
            item = QTableWidgetItem(sub.label + ("" if sub.required else " (optioneel)"))
            item.setToolTip(sub.help)
            self.table.setHorizontalHeaderItem(col, item)
        header.sectionResized.connect(lambda *_a: self._fit_rows())
        layout.addWidget(self.table)

        buttons = QHBoxLayout()
        noun = question.item_label or question.label
        self.add_button = QPushButton("Toevoegen")
        self.add_button.setObjectName(f"add_{question.id}")
        self.add_button.setAccessibleName(f"{noun} toevoegen")
        self.add_button.setToolTip(f"Een rij toevoegen: {noun.lower()} {self.table.rowCount() + 1}")
        self.remove_button = QPushButton("Verwijderen")
        self.remove_button.setObjectName(f"remove_{question.id}")
        self.remove_button.setAccessibleName(f"Geselecteerde {noun.lower()} verwijderen")
        self.remove_button.setToolTip("De geselecteerde rij verwijderen")
        self.empty_label = small_label("Nog geen rijen; klik op Toevoegen.", HELP_STYLE)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.empty_label)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_row)

        self.help_label: QLabel | None = None
        if question.help:
            self.help_label = small_label(question.help, HELP_STYLE)
            layout.addWidget(self.help_label)
        self.error_label = small_label("", ERROR_STYLE)
        self.error_label.setObjectName(f"error_{question.id}")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.table.itemChanged.connect(self._item_changed)
        self.table.currentCellChanged.connect(lambda *_a: self._update_buttons())
        self._update_buttons()

    # ------------------------------------------------------------------ rows

    def add_row(self) -> None:
        """A new empty row at the end, its first cell ready for typing."""
        if self.table.rowCount() >= self.question.max_items:
            return
        row = self.table.rowCount()
        self._loading = True
        try:
            self.table.insertRow(row)
            for col in range(self.table.columnCount()):
                self.table.setItem(row, col, self._item(col, None))
        finally:
            self._loading = False
        self._fit_rows()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.table.setCurrentCell(row, 0)
        first = self.table.item(row, 0)
        if first is not None:
            self.table.editItem(first)
        self._after_change()

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        self.table.removeRow(row)
        if self.table.rowCount():
            self.table.setCurrentCell(min(row, self.table.rowCount() - 1), 0)
        self._fit_rows()
        self._after_change()
        if not self.error_label.isHidden():  # row numbers moved: name the rows as they are now
            self.check(when_empty=self._count_checked)

    def _after_change(self) -> None:
        self._update_buttons()
        if not self._loading:
            self.changed.emit()

    def _update_buttons(self) -> None:
        count = self.table.rowCount()
        self.add_button.setEnabled(count < self.question.max_items)
        self.remove_button.setEnabled(count > 0 and self.table.currentRow() >= 0)
        self.empty_label.setVisible(count == 0)

    def _fit_rows(self) -> None:
        self.table.resizeRowsToContents()
        self.table.updateGeometry()

    # ------------------------------------------------------------------ cells

    def _item(self, col: int, value: str | bool | None) -> QTableWidgetItem:
        sub = self.question.fields[col]
        item = QTableWidgetItem()
        self._show_cell(item, sub, value)
        return item

    def _show_cell(self, item: QTableWidgetItem, sub: SubQuestion, value: str | bool | None) -> None:
        if sub.type in ("choice", "boolean"):
            shown = next((label for v, label in _choices(sub) if v == value
                          or (sub.type == "boolean" and str(value).lower() == str(v).lower())), "")
            item.setData(_VALUE_ROLE, value if shown else "")
            item.setText(shown)
        else:
            item.setText(self._display(sub, value))
        self._tip(item, sub)

    @staticmethod
    def _tip(item: QTableWidgetItem, sub: SubQuestion) -> None:
        """The whole text (a long word may not fit its cell), then what the column asks."""
        text = item.text()
        item.setToolTip(f"{text}\n\n{sub.help}" if text and sub.help else text or sub.help)

    @staticmethod
    def _display(sub: SubQuestion, value: str | bool | None) -> str:
        if value is None or isinstance(value, bool):
            return ""
        if sub.type == "date":
            try:
                return format_date_nl_numeric(value)
            except ValueError:
                return value
        return value

    def cell_value(self, row: int, col: int) -> str | bool | None:
        """What a cell holds as she entered it: text, the chosen value, True/False."""
        item = self.table.item(row, col)
        if item is None:
            return None
        sub = self.question.fields[col]
        if sub.type in ("choice", "boolean"):
            value = item.data(_VALUE_ROLE)
            return value if isinstance(value, str | bool) and value != "" else None
        return item.text()

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        row, col = item.row(), item.column()
        sub = self.question.fields[col]
        raw = self.cell_value(row, col)
        try:
            value = validate_value(sub, raw)
        except ValueError:
            pass
        else:
            shown = self._display(sub, value) if sub.type not in ("choice", "boolean") else item.text()
            if value is not None and shown != item.text():
                self._loading = True
                try:
                    item.setText(shown)
                finally:
                    self._loading = False
        self._loading = True
        try:
            self._tip(item, sub)
        finally:
            self._loading = False
        self.check(when_empty=self._count_checked)
        self._fit_rows()
        self.changed.emit()

    # ------------------------------------------------------------------ value

    def rows(self) -> list[Row]:
        out: list[Row] = []
        for row in range(self.table.rowCount()):
            cells: Row = {}
            for col, sub in enumerate(self.question.fields):
                value = self.cell_value(row, col)
                if value is not None and value != "":
                    cells[sub.id] = value
            out.append(cells)
        return out

    def stored_value(self) -> list[Row]:
        """What the draft keeps: each cell normalised when valid, else as she typed it."""
        out: list[Row] = []
        for cells in self.rows():
            kept: Row = {}
            for sub in self.question.fields:
                if sub.id not in cells:
                    continue
                try:
                    value = validate_value(sub, cells[sub.id])
                except ValueError:
                    kept[sub.id] = cells[sub.id]
                else:
                    if value is not None:
                        kept[sub.id] = value
            out.append(kept)
        return out

    def set_value(self, rows: tuple[Row, ...] | list[Row] | None) -> None:
        """Show stored rows without emitting ``changed``."""
        self._loading = True
        try:
            self.table.setRowCount(0)
            for r, cells in enumerate(rows or ()):
                self.table.insertRow(r)
                for col, sub in enumerate(self.question.fields):
                    self.table.setItem(r, col, self._item(col, cells.get(sub.id)))
        finally:
            self._loading = False
        self._fit_rows()
        self._update_buttons()

    def focus_widget(self) -> QWidget:
        return self.table

    # ------------------------------------------------------------------ validation

    def cell_problems(self, *, when_empty: bool) -> list[tuple[int, int, str]]:
        """(row, column, "Subverwerker 2 – land: reason") for each bad cell, in reading order."""
        found = []
        for row in range(self.table.rowCount()):
            for col, sub in enumerate(self.question.fields):
                raw = self.cell_value(row, col)
                try:
                    validate_value(sub, raw)
                except ValueError as exc:
                    if (raw is None or raw == "") and not when_empty:
                        continue
                    found.append((row, col, f"{cell_label(self.question, row, sub)}: {exc}"))
        return found

    def check(self, *, when_empty: bool = False) -> str:
        """Validate every row; show and return the first reason ('' when fine).

        Empty required cells and too few rows are named only on page
        validation (``when_empty``), not while she is still filling in.
        """
        self._count_checked = self._count_checked or when_empty
        reasons: list[str] = []
        counted = count_problem(self.question, self.table.rowCount())
        if counted and when_empty:
            reasons.append(f"{self.question.label}: {counted}")
        bad = self.cell_problems(when_empty=when_empty)
        reasons += [text for _r, _c, text in bad]
        bad_cells = {(r, c) for r, c, _t in bad}
        self._loading = True
        try:
            for row in range(self.table.rowCount()):
                for col in range(self.table.columnCount()):
                    item = self.table.item(row, col)
                    if item is not None:
                        item.setBackground(QBrush(BAD_CELL) if (row, col) in bad_cells else QBrush())
        finally:
            self._loading = False
        if bad and when_empty:
            self.table.setCurrentCell(bad[0][0], bad[0][1])
        self.show_problems(reasons)
        if reasons and when_empty:
            # After the layout has made room for the reasons just shown.
            QTimer.singleShot(0, self._reveal)
        return reasons[0] if reasons else ""

    def _reveal(self) -> None:
        """Scroll the page so the reasons under the table can be read."""
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(self.error_label)

    def show_problems(self, reasons: list[str]) -> None:
        lines = [r[:1].upper() + r[1:] + ("" if r.endswith(".") else ".") for r in reasons[:6]]
        if len(reasons) > 6:
            lines.append(f"En nog {len(reasons) - 6} andere.")
        self.error_label.setText("\n".join(lines))
        self.error_label.setVisible(bool(lines))
        self.table.setAccessibleDescription(" ".join(lines) or self.question.help)

    def problem(self) -> str:
        return self.error_label.text() if not self.error_label.isHidden() else ""


def make_field(question: Question) -> QuestionField | ListField:
    """The widget for a question of any type."""
    return ListField(question) if question.type == "list" else QuestionField(question)


def format_date_nl_numeric(iso: str) -> str:
    """'2026-11-23' -> '23-11-2026', the way a Dutch user types a date."""
    import datetime as dt

    parsed = dt.date.fromisoformat(iso)
    return f"{parsed.day:02d}-{parsed.month:02d}-{parsed.year}"


__all__ = ["ListField", "QuestionField", "format_date_nl", "format_date_nl_numeric", "make_field",
           "with_mnemonic"]
