"""Small dialogs: the practice profile, the recovery code, the keyring, restore and 'Over'."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QCloseEvent,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QKeyEvent,
    QShowEvent,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dpa_desktop import __version__, paths
from dpa_desktop.forms.model import Option, Question, QuestionType
from dpa_desktop.gui.fields import (
    ERROR_STYLE,
    HELP_STYLE,
    QuestionField,
    add_file_row,
    caption_text,
    reveal,
    small_label,
    with_mnemonic,
)
from dpa_desktop.gui.screen import fit_resize

# (group title, [(profile key, label, question type)]): the keys forms/README.md lists.
PROFILE_GROUPS: list[tuple[str, list[tuple[str, str, QuestionType]]]] = [
    ("Praktijk", [
        ("organisatie_naam", "Naam praktijk of organisatie", "text"),
        ("organisatie_soort", "Soort organisatie", "choice"),
        ("adres", "Adres", "text"),
        ("postcode", "Postcode", "postcode"),
        ("plaats", "Plaats", "text"),
        ("kvk", "KvK-nummer", "kvk"),
        ("agb", "AGB-code", "agb"),
        ("vertegenwoordiger", "Vertegenwoordigd door", "text"),
        ("vertegenwoordiger_functie", "Functie vertegenwoordiger", "text"),
    ]),
    ("Functionaris gegevensbescherming (FG)", [
        ("fg_naam", "Naam FG", "text"),
        ("fg_email", "E-mail FG", "email"),
        ("fg_telefoon", "Telefoon FG", "phone"),
    ]),
    ("Beveiliging (security officer)", [
        ("security_naam", "Naam", "text"),
        ("security_functie", "Functie", "text"),
        ("security_email", "E-mail", "email"),
        ("security_telefoon", "Telefoon", "phone"),
        ("security_mobiel", "Mobiel", "phone"),
    ]),
    ("Contactpersoon", [
        ("contact_naam", "Naam", "text"),
        ("contact_functie", "Functie", "text"),
        ("contact_email", "E-mail", "email"),
        ("contact_telefoon", "Telefoon", "phone"),
        ("contact_mobiel", "Mobiel", "phone"),
    ]),
]
# The people of the profile an agreement may name (item: which ones this form uses).
CONTACT_GROUPS = PROFILE_GROUPS[1:]
ORGANISATION_KINDS = (
    Option(value="huisartsenpraktijk", label="Huisartsenpraktijk", text="huisartsenpraktijk"),
    Option(value="zorgaanbieder", label="Andere zorgaanbieder", text="zorgaanbieder"),
)
# ProfileDialog.exec() returns this when she chose to restore a backup instead.
RESTORE_INSTEAD = 2


def profile_question(key: str, label: str, qtype: QuestionType) -> Question:
    return Question(id=key, type=qtype, label=label, page="partij",
                    required=key in ("organisatie_naam", "organisatie_soort"),
                    options=ORGANISATION_KINDS if qtype == "choice" else ())


class ProfileDialog(QDialog):
    """The practice profile that prefills every wizard; validated like the wizard."""

    def __init__(self, profile: dict[str, str], parent: QWidget | None = None, *,
                 first_start: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("profile_dialog")
        self.setWindowTitle("Welkom – uw praktijkprofiel" if first_start else "Praktijkprofiel")
        fit_resize(self, 640, 640)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Welkom bij DPA Desktop. Vul eerst de gegevens van uw praktijk in; ze worden in elke "
            "overeenkomst vooraf ingevuld. U kunt ze later wijzigen via 'Praktijkprofiel'. "
            "Werkte u al met DPA Desktop op een andere computer? Kies dan 'Reservekopie "
            "terugzetten'."
            if first_start else
            "Deze gegevens worden in elke nieuwe overeenkomst vooraf ingevuld.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.scroller = QScrollArea()
        self.scroller.setObjectName("profile_scroll")
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        self.fields: dict[str, QuestionField] = {}
        used = {"o", "a", "r"}  # Opslaan / Annuleren / Reservekopie terugzetten
        for title, keys in PROFILE_GROUPS:
            group = QGroupBox(title)
            form = QFormLayout(group)
            for key, label, qtype in keys:
                question = profile_question(key, label, qtype)
                field = QuestionField(question)
                field.set_value(profile.get(key) or None)
                caption = QLabel(caption_text(with_mnemonic(label, used)))
                caption.setBuddy(field.focus_widget())
                caption.setFixedWidth(caption.fontMetrics().averageCharWidth() * 30)
                form.addRow(caption, field)
                self.fields[key] = field
            inner_layout.addWidget(group)
        self.scroller.setWidget(inner)
        layout.addWidget(self.scroller, 1)
        self.summary = small_label("", ERROR_STYLE)
        self.summary.setObjectName("profile_summary")
        self.summary.hide()
        layout.addWidget(self.summary)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        if first_start:
            restore = QPushButton("&Reservekopie terugzetten…")
            restore.setObjectName("restore_instead")
            restore.setAutoDefault(False)
            buttons.addButton(restore, QDialogButtonBox.ButtonRole.ActionRole)
            restore.clicked.connect(lambda: self.done(RESTORE_INSTEAD))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._base = dict(profile)

    def profile(self) -> dict[str, str]:
        out = dict(self._base)
        for key, field in self.fields.items():
            value = field.stored_value()
            if isinstance(value, str) and value:
                out[key] = value
            else:
                out.pop(key, None)
        return out

    def accept(self) -> None:
        bad = [f for f in self.fields.values() if f.check(when_empty=True)]
        if bad:
            names = ", ".join(f.question.label for f in bad)
            self.summary.setText(f"Niet opgeslagen: controleer {names}. De melding staat bij het "
                                 "veld.")
            self.summary.show()
            reveal(bad[0])
            bad[0].focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.summary.hide()
        super().accept()


def code_groups(code: str) -> list[str]:
    return [g for g in code.split("-") if g]


class RecoveryCodeDialog(QDialog):
    """Shown once: the code that opens the register if the key in the keyring is lost.

    It closes only after she has typed the last group back: Esc, the close
    button and Enter do not count as "bewaard".
    """

    def __init__(self, code: str, parent: QWidget | None = None, *, practice: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("recovery_dialog")
        self.setWindowTitle("Uw herstelcode")
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.code = code
        self.practice = practice
        self.created = dt.date.today()
        self._confirmed = False
        layout = QVBoxLayout(self)
        text = QLabel(
            "Uw register is versleuteld. De sleutel staat in de sleutelopslag van deze computer; "
            "gaat die verloren (nieuwe computer, nieuw account), dan opent u het register en uw "
            "reservekopieën alleen nog met deze herstelcode.<br><br><b>Druk de code af of schrijf "
            "hem over en bewaar hem op een veilige plek.</b> Hij wordt maar één keer getoond.")
        text.setWordWrap(True)
        layout.addWidget(text)
        shown = QLabel(html.escape(code))
        shown.setObjectName("recovery_code")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), 10) * 1.15)
        font.setBold(True)
        shown.setFont(font)
        shown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        shown.setFrameShape(QFrame.Shape.StyledPanel)
        shown.setMinimumHeight(60)
        shown.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(shown)
        row = QHBoxLayout()
        check_label = QLabel("&Typ ter controle de laatste groep van de code over:")
        self.check = QLineEdit()
        self.check.setObjectName("recovery_check")
        self.check.setMaxLength(12)
        self.check.setPlaceholderText("5 tekens")
        self.check.setFixedWidth(self.check.fontMetrics().horizontalAdvance("W" * 8) + 16)
        check_label.setBuddy(self.check)
        row.addWidget(check_label)
        row.addWidget(self.check)
        row.addStretch(1)
        layout.addLayout(row)
        self.hint = small_label("", HELP_STYLE)
        self.hint.setObjectName("recovery_hint")
        layout.addWidget(self.hint)
        buttons = QDialogButtonBox()
        print_button = QPushButton("&Afdrukken…")
        copy_button = QPushButton("&Kopiëren")
        self.done_button = QPushButton("Ik heb de code &bewaard")
        self.done_button.setObjectName("recovery_done")
        self.done_button.setEnabled(False)
        for b in (print_button, copy_button):
            b.setAutoDefault(False)
        buttons.addButton(print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.done_button, QDialogButtonBox.ButtonRole.AcceptRole)
        print_button.clicked.connect(self.print_code)
        copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(code))
        self.done_button.clicked.connect(self.accept)
        self.check.textChanged.connect(self._checked)
        self.check.returnPressed.connect(self.accept)
        layout.addWidget(buttons)
        fit_resize(self, 680, 360)

    def _checked(self) -> None:
        ok = self.last_group_matches()
        self.done_button.setEnabled(ok)
        self.done_button.setDefault(ok)
        if ok:
            self.hint.setText("Klopt. U kunt het venster sluiten.")

    def last_group_matches(self) -> bool:
        from dpa_desktop.store.crypto import normalise_code

        groups = code_groups(self.code)
        typed = normalise_code(self.check.text())
        return bool(groups) and typed == normalise_code(groups[-1])

    def accept(self) -> None:
        if not self.last_group_matches():
            self.hint.setText("Typ eerst de laatste groep van de code over (de vijf tekens na "
                              "het laatste streepje). Zo weet u zeker dat u hem goed heeft "
                              "bewaard.")
            self.check.setFocus()
            return
        self._confirmed = True
        super().accept()

    def reject(self) -> None:
        """Esc: not a way out before the code is confirmed."""
        self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not self._confirmed:
            self.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._confirmed:
            event.ignore()
            self.accept()
            return
        super().closeEvent(event)

    def document(self) -> QTextDocument:
        """The printout: the code on one line (never broken at a hyphen), whose it is, where it goes."""
        # One line, never wrapped; non-breaking hyphens so no line can end in a "-".
        line = "&#8209;".join(html.escape(g) for g in code_groups(self.code))
        practice = html.escape(self.practice) if self.practice else "uw praktijk"
        doc = QTextDocument()
        doc.setHtml(
            "<h2>DPA Desktop – herstelcode</h2>"
            f"<p><b>Van:</b> {practice}<br><b>Gemaakt op:</b> "
            f"{self.created.day:02d}-{self.created.month:02d}-{self.created.year}</p>"
            "<p>Met deze code opent u het register van verwerkersovereenkomsten als de sleutel op "
            "de computer verloren is gegaan, en zet u een reservekopie terug. Bewaar dit papier "
            "op een veilige plek, niet bij de computer.</p>"
            "<p style='white-space:pre; font-size:15pt; font-family:monospace; "
            f"font-weight:bold; margin:12px 0'>{line}</p>"
            "<p><b>Waar vult u de code in?</b></p><ul>"
            "<li>Als DPA Desktop bij het starten meldt dat het register vergrendeld is: vul de "
            "code in bij de vraag om de herstelcode.</li>"
            "<li>Op een nieuwe computer: kies bij de eerste start 'Reservekopie terugzetten' "
            "(of later Register &gt; Reservekopie terugzetten) en vul de code in.</li></ul>"
            "<p>Hoofdletters, kleine letters en streepjes maken niet uit.</p>")
        return doc

    def print_code(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        printer.setDocName("Herstelcode DPA Desktop")
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Herstelcode afdrukken")
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.document().print_(printer)


class KeyringDialog(QDialog):
    """No usable keyring: what is missing, and what she can do now."""

    RETRY = 1
    WITHOUT_REGISTER = 3
    RECOVERY_CODE = 4

    def __init__(self, parent: QWidget | None = None, *, first_start: bool,
                 detail: str = "") -> None:
        super().__init__(parent)
        from dpa_desktop.platform import keyring_advice

        self.setObjectName("keyring_dialog")
        self.setWindowTitle("Sleutelopslag niet beschikbaar")
        layout = QVBoxLayout(self)
        what = ("DPA Desktop versleutelt uw register en bewaart de sleutel daarvan in de "
                "sleutelopslag van deze computer. Die sleutelopslag is nu niet beschikbaar, dus "
                + ("er is nog geen register gemaakt." if first_start
                   else "het register kan niet worden geopend. Er is niets gewijzigd."))
        intro = QLabel(what)
        intro.setObjectName("keyring_intro")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        advice = QLabel(keyring_advice())
        advice.setObjectName("keyring_advice")
        advice.setWordWrap(True)
        advice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(advice)
        without = QLabel("U kunt ook doorgaan zonder register: u vult overeenkomsten in, maakt de "
                         "documenten en drukt ze af, maar er wordt niets bewaard (geen concepten, "
                         "geen register).")
        without.setWordWrap(True)
        layout.addWidget(without)
        if detail:
            layout.addWidget(small_label(f"Melding van de sleutelopslag: {detail}", HELP_STYLE))
        buttons = QDialogButtonBox()
        retry = QPushButton("&Opnieuw proberen")
        retry.setObjectName("keyring_retry")
        retry.setDefault(True)
        buttons.addButton(retry, QDialogButtonBox.ButtonRole.AcceptRole)
        retry.clicked.connect(lambda: self.done(self.RETRY))
        if not first_start:
            code = QPushButton("&Herstelcode invoeren…")
            code.setObjectName("keyring_code")
            code.setAutoDefault(False)
            buttons.addButton(code, QDialogButtonBox.ButtonRole.ActionRole)
            code.clicked.connect(lambda: self.done(self.RECOVERY_CODE))
        without_button = QPushButton("&Doorgaan zonder register")
        without_button.setObjectName("keyring_without")
        without_button.setAutoDefault(False)
        buttons.addButton(without_button, QDialogButtonBox.ButtonRole.RejectRole)
        without_button.clicked.connect(lambda: self.done(self.WITHOUT_REGISTER))
        layout.addStretch(1)
        layout.addWidget(buttons)
        fit_resize(self, 620, 360)

    def reject(self) -> None:
        """Esc or the close button: go on without a register, the one choice that needs nothing."""
        self.done(self.WITHOUT_REGISTER)


class RestoreDialog(QDialog):
    """Which backup file, and the recovery code that opens it."""

    def __init__(self, parent: QWidget | None = None, *, replaces: Path | None = None,
                 archive: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("restore_dialog")
        self.setWindowTitle("Reservekopie terugzetten")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Kies de reservekopie (.dpabackup) en vul de herstelcode in die u bij de eerste start "
            "heeft bewaard." + (
                " Het register dat nu op deze computer staat, wordt vervangen; het blijft bewaard "
                f"in een map 'vorig-register-(datum)' in {html.escape(str(replaces))}."
                if replaces else ""))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.archive = QLineEdit(archive)
        self.archive.setObjectName("restore_file")
        self.archive.setPlaceholderText("DPA Desktop reservekopie … .dpabackup")
        add_file_row(form, "&Reservekopie:", self.archive, self._browse)
        self.code = QLineEdit()
        self.code.setObjectName("restore_code")
        self.code.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX")
        code_label = QLabel("&Herstelcode:")
        code_label.setBuddy(self.code)
        form.addRow(code_label, self.code)
        layout.addLayout(form)
        self.problem = small_label("", ERROR_STYLE)
        self.problem.setObjectName("restore_problem")
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        ok = QPushButton("&Terugzetten")
        ok.setObjectName("restore_ok")
        buttons.addButton(ok, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button = ok
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addStretch(1)
        layout.addWidget(buttons)
        fit_resize(self, 640, 260)

    def showEvent(self, event: QShowEvent) -> None:
        """Enter restores (the button box would otherwise make 'Annuleren' the default)."""
        super().showEvent(event)
        self.ok_button.setDefault(True)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Reservekopie kiezen",
                                              str(paths.backups_output_dir()),
                                              "Reservekopie (*.dpabackup);;Alle bestanden (*)")
        if path:
            self.archive.setText(path)

    def archive_path(self) -> Path:
        return Path(self.archive.text().strip())

    def recovery_code(self) -> str:
        return self.code.text().strip()

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def accept(self) -> None:
        if not self.archive.text().strip() or not self.archive_path().is_file():
            self.show_problem("Kies een bestaande reservekopie.")
            self.archive.setFocus()
            return
        if not self.recovery_code():
            self.show_problem("Vul de herstelcode in.")
            self.code.setFocus()
            return
        self.show_problem("")
        super().accept()


def licence_html() -> str:
    parts = [
        "<h3>Gebruikte software</h3><ul>"
        "<li>Qt 6 en PySide6 – LGPL versie 3</li>"
        "<li>python-docx – MIT-licentie</li>"
        "<li>ReportLab – BSD-licentie; pypdf – BSD-licentie</li>"
        "<li>PyYAML, platformdirs, keyring – MIT-licentie</li>"
        "<li>msgspec – BSD-3-Clause-licentie</li>"
        "<li>cryptography – Apache 2.0 / BSD</li>"
        "<li>phonenumbers – Apache 2.0; email-validator – Unlicense</li></ul>",
        "<h3>Lettertypen</h3>",
    ]
    fonts = paths.fonts_dir()
    readme = fonts / "README.md"
    if readme.exists():
        parts.append(f"<pre style='white-space:pre-wrap'>{html.escape(readme.read_text('utf-8'))}"
                     "</pre>")
    for licence in sorted(fonts.glob("*COPYRIGHT*.txt")) + sorted(fonts.glob("OFL*.txt")):
        parts.append(f"<h4>{html.escape(licence.name)}</h4>"
                     f"<pre style='white-space:pre-wrap'>"
                     f"{html.escape(licence.read_text('utf-8', errors='replace'))}</pre>")
    return "".join(parts)


def keyring_backend_text() -> str:
    """Which keyring holds the register's key, for 'Over' and support."""
    from dpa_desktop.store import keys

    return keys.backend_description()


class AboutDialog(QDialog):
    """Version, where the data and the log are, which keyring; licences below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle("Over DPA Desktop")
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>DPA Desktop {html.escape(__version__)}</b><br>"
                       "Verwerkersovereenkomsten (art. 28 AVG) invullen, maken en bijhouden, "
                       "volledig offline.")
        title.setWordWrap(True)
        layout.addWidget(title)
        facts = QFormLayout()
        facts.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.facts: dict[str, QLabel] = {}
        for key, label, value in (
                ("version", "Versie:", __version__),
                ("keyring", "Sleutelopslag:", keyring_backend_text()),
                ("data", "Gegevensmap:", str(paths.data_dir())),
                ("log", "Logboek:", str(paths.log_dir())),
        ):
            shown = QLabel(value)
            shown.setObjectName(f"about_{key}")
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            facts.addRow(label, shown)
            self.facts[key] = shown
        layout.addLayout(facts)
        self.open_log = QPushButton("&Logboekmap openen")
        self.open_log.setObjectName("about_open_log")
        self.open_log.setAutoDefault(False)
        self.open_log.clicked.connect(self._open_log)
        log_row = QHBoxLayout()
        log_row.addWidget(self.open_log)
        log_row.addStretch(1)
        layout.addLayout(log_row)
        browser = QTextBrowser()
        browser.setObjectName("about_text")
        browser.setHtml(licence_html())
        browser.setFont(QFont(browser.font()))
        layout.addWidget(browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_resize(self, 660, 600)

    def _open_log(self) -> None:
        from dpa_desktop.gui.opener import open_path

        folder = paths.log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        open_path(self, folder, kind="de logboekmap")
