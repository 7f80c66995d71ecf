"""Small dialogs: the practice profile, the recovery code and 'Over'."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dpa_desktop import __version__, paths
from dpa_desktop.forms.model import Option, Question, QuestionType
from dpa_desktop.gui.fields import QuestionField, caption_text, with_mnemonic
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
ORGANISATION_KINDS = (
    Option(value="huisartsenpraktijk", label="Huisartsenpraktijk", text="huisartsenpraktijk"),
    Option(value="zorgaanbieder", label="Andere zorgaanbieder", text="zorgaanbieder"),
)


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
            "overeenkomst vooraf ingevuld. U kunt ze later wijzigen via 'Praktijkprofiel'."
            if first_start else
            "Deze gegevens worden in elke nieuwe overeenkomst vooraf ingevuld.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        self.fields: dict[str, QuestionField] = {}
        used = {"o", "a"}  # OK / Annuleren
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
        scroll.setWidget(inner)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
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
            bad[0].focus_widget().setFocus()
            return
        super().accept()


class RecoveryCodeDialog(QDialog):
    """Shown once: the code that opens the register if the key in Windows is lost."""

    def __init__(self, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recovery_dialog")
        self.setWindowTitle("Uw herstelcode")
        self.code = code
        layout = QVBoxLayout(self)
        text = QLabel(
            "Uw register is versleuteld. De sleutel staat in Windows; gaat die verloren "
            "(nieuwe computer, nieuw Windows-account), dan opent u het register alleen nog met "
            "deze herstelcode.<br><br><b>Druk de code af of schrijf hem over en bewaar hem op een "
            "veilige plek.</b> Hij wordt maar één keer getoond.")
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
        layout.addWidget(shown)
        buttons = QDialogButtonBox()
        print_button = QPushButton("&Afdrukken…")
        copy_button = QPushButton("&Kopiëren")
        done = QPushButton("Ik heb de code &bewaard")
        done.setDefault(True)
        buttons.addButton(print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(done, QDialogButtonBox.ButtonRole.AcceptRole)
        print_button.clicked.connect(self.print_code)
        copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(code))
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        shown.setContentsMargins(12, 8, 12, 8)
        self.resize(680, 300)

    def document(self) -> QTextDocument:
        doc = QTextDocument()
        doc.setHtml(
            "<h2>DPA Desktop – herstelcode</h2>"
            "<p>Met deze code opent u het register van verwerkersovereenkomsten als de sleutel "
            "in Windows verloren is gegaan. Bewaar dit papier op een veilige plek.</p>"
            f"<p style='font-size:18pt; font-family:monospace'><b>{html.escape(self.code)}</b></p>")
        return doc

    def print_code(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Herstelcode afdrukken")
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.document().print_(printer)


def licence_html() -> str:
    parts = [
        f"<h2>DPA Desktop {html.escape(__version__)}</h2>",
        "<p>Verwerkersovereenkomsten (art. 28 AVG) invullen, maken en bijhouden, "
        "volledig offline.</p>",
        "<h3>Gebruikte software</h3><ul>"
        "<li>Qt 6 en PySide6 – LGPL versie 3</li>"
        "<li>python-docx – MIT-licentie</li>"
        "<li>ReportLab – BSD-licentie</li>"
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


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle("Over DPA Desktop")
        layout = QVBoxLayout(self)
        browser = QTextBrowser()
        browser.setObjectName("about_text")
        browser.setHtml(licence_html())
        browser.setFont(QFont(browser.font()))
        layout.addWidget(browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_resize(self, 640, 560)
