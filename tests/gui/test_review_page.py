"""The wizard's review page: the conclusion, the advice per point, the art. 28 checklist,
the letter to the processor, and "Wijzigen" that goes to the right page and back in one step."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QWizard

from dpa_desktop.answers import example_answers
from dpa_desktop.gui.start import StartWindow
from dpa_desktop.gui.wizard import AgreementWizard, ReviewPage
from tests.gui.driver import open_start_window, type_into, walk_to_review


@pytest.fixture
def window(qtbot: Any, run_op: Callable[[Callable[[], Any]], Any]) -> Iterator[StartWindow]:
    yield from open_start_window(qtbot, run_op)


def _at_review(qtbot: Any, window: StartWindow, form_id: str) -> tuple[AgreementWizard,
                                                                        ReviewPage]:
    wiz = window.start_new(form_id)
    assert wiz is not None
    walk_to_review(qtbot, wiz, example_answers(wiz.spec))
    review = wiz.pages["review"]
    assert isinstance(review, ReviewPage)
    return wiz, review


def _text(review: ReviewPage) -> str:
    return " ".join(review.browser.toPlainText().split())


def _links(review: ReviewPage) -> list[tuple[str, str]]:
    """(the bold title before it, the link's target) for every "Wijzigen" in the page."""
    found = []
    block = review.browser.document().begin()
    while block.isValid():
        title = ""
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fmt.isAnchor() and fragment.text() == "Wijzigen":
                found.append((title, fmt.anchorHref()))
            elif fmt.fontWeight() >= 600:
                title = fragment.text()
            it += 1
        block = block.next()
    return found


def test_the_page_shows_the_conclusion_the_advice_and_the_art28_checklist(
        qtbot: Any, window: StartWindow) -> None:
    _wiz, review = _at_review(qtbot, window, "vcare")
    text = _text(review)
    assert text.startswith("Aandachtspunten U kunt tekenen, maar vraag Vcare eerst om "
                           "onmiddellijke melding van datalekken")
    assert "Wat is het sectormodel? Het sectormodel is de standaard-verwerkersovereenkomst van " \
           "de brancheorganisaties in de zorg" in text
    assert "AFWIJKEND Melding van datalekken (artikel 9.1)" in text
    assert "Er staat in artikel 9.1: “… zal Vcare Opdrachtgever hierover onmiddellijk" in text
    assert "Het sectormodel (artikel 5.2): de verwerker meldt" in text
    assert "Wat te doen: Vraag Vcare om datalekken onmiddellijk te melden, zoals het " \
           "sectormodel vraagt (artikel 5.2), en in elk geval binnen 24 uur na ontdekking." in text
    assert "Artikel 28 lid 3 AVG: wat elke verwerkersovereenkomst moet regelen" in text
    assert "Alle eisen van artikel 28 lid 3 AVG zijn gevonden." in text
    assert "(h) geeft alle informatie en maakt audits en inspecties mogelijk artikel 11.1" in text
    assert "Alles is ingevuld." in text
    assert review.letter_status.text() == "5 vragen aan Vcare, klaar om te versturen."


def test_infogroen_shows_the_practice_as_processor(qtbot: Any, window: StartWindow) -> None:
    _wiz, review = _at_review(qtbot, window, "infogroen")
    text = _text(review)
    assert "bent u de VERWERKER" in text
    assert "Ga na of uw aansprakelijkheidsverzekering dit dekt." in text


def test_copy_letter_puts_the_whole_letter_on_the_clipboard(qtbot: Any,
                                                             window: StartWindow) -> None:
    _wiz, review = _at_review(qtbot, window, "vcare")
    qtbot.mouseClick(review.copy_letter, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("Huisartsenpraktijk De Linde\n")
    assert "Geachte heer, mevrouw," in copied
    assert "1. Melding van datalekken (artikel 9.1)." in copied
    assert "Wilt u ons laten weten in welk land E-Zorg de gegevens verwerkt?" in copied
    assert "Met vriendelijke groet," in copied
    assert "klembord" in review.letter_status.text()


def test_save_letter_writes_a_word_document(qtbot: Any, window: StartWindow, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    _wiz, review = _at_review(qtbot, window, "vcare")
    target = tmp_path / "Vragen aan Vcare"
    offered: list[str] = []

    def ask(_parent: Any, _title: str, start: str, _filter: str) -> tuple[str, str]:
        offered.append(start)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)
    qtbot.mouseClick(review.save_letter, Qt.MouseButton.LeftButton)
    saved = target.with_name("Vragen aan Vcare.docx")
    qtbot.waitUntil(saved.exists, timeout=30_000)
    qtbot.waitUntil(lambda: review.letter_status.text().startswith("Opgeslagen:"), timeout=30_000)
    assert offered[0].endswith("Vragen aan Vcare.docx")
    text = "\n".join(p.text for p in docx.Document(str(saved)).paragraphs)
    assert "Wij vragen u om datalekken onmiddellijk te melden" in text


def test_wijzigen_at_a_point_opens_its_page_and_one_click_leads_back(
        qtbot: Any, window: StartWindow) -> None:
    wiz, review = _at_review(qtbot, window, "vcare")
    assert not wiz.back_to_review.isVisible()
    # The subprocessors point rests on the services she takes, the retention point on the
    # retention page: each has its own "Wijzigen" before the answers' sections.
    links = _links(review)
    assert ("Betrokken subverwerkers", "page:diensten") in links
    assert ("Bewaartermijnen en einde van de overeenkomst", "page:bewaartermijnen") in links
    assert "Betrokken subverwerkers (Bijlage B) Wijzigen" in _text(review)
    review.browser.anchorClicked.emit(QUrl("page:diensten"))
    assert wiz.current_page_name() == "diensten"
    assert wiz.back_to_review.isVisible()
    assert wiz.back_to_review.text().replace("&", "") == "Terug naar controleren"
    qtbot.mouseClick(wiz.back_to_review, Qt.MouseButton.LeftButton)
    assert wiz.current_page_name() == "review"
    assert not wiz.back_to_review.isVisible()
    # The retention point rests on the retention page, not on page 1.
    review.browser.anchorClicked.emit(QUrl("page:bewaartermijnen"))
    assert wiz.current_page_name() == "bewaartermijnen"
    qtbot.mouseClick(wiz.back_to_review, Qt.MouseButton.LeftButton)
    assert wiz.current_page_name() == "review"


def test_a_change_shows_in_the_review_after_one_click_back(qtbot: Any,
                                                            window: StartWindow) -> None:
    wiz, review = _at_review(qtbot, window, "vcare")
    review.browser.anchorClicked.emit(QUrl("page:partij"))
    assert wiz.current_page_name() == "partij"
    type_into(qtbot, wiz.question_field("organisatie_naam"), "Huisartsenpraktijk Nieuw")
    qtbot.mouseClick(wiz.back_to_review, Qt.MouseButton.LeftButton)
    assert wiz.current_page_name() == "review"
    assert "Huisartsenpraktijk Nieuw" in _text(review)


def test_the_way_back_stops_at_a_page_that_is_not_in_order(qtbot: Any,
                                                           window: StartWindow) -> None:
    wiz, review = _at_review(qtbot, window, "vcare")
    review.browser.anchorClicked.emit(QUrl("page:partij"))
    type_into(qtbot, wiz.question_field("kvk"), "1234")
    qtbot.mouseClick(wiz.back_to_review, Qt.MouseButton.LeftButton)
    assert wiz.current_page_name() == "partij"
    assert wiz.question_field("kvk").problem()
    assert wiz.back_to_review.isVisible()
    type_into(qtbot, wiz.question_field("kvk"), "12345678")
    qtbot.mouseClick(wiz.back_to_review, Qt.MouseButton.LeftButton)
    assert wiz.current_page_name() == "review"


def test_going_back_with_the_wizards_own_button_offers_no_shortcut(
        qtbot: Any, window: StartWindow) -> None:
    wiz, _review = _at_review(qtbot, window, "vcare")
    qtbot.mouseClick(wiz.button(QWizard.WizardButton.BackButton), Qt.MouseButton.LeftButton)
    assert wiz.current_page_name() != "review"
    assert not wiz.back_to_review.isVisible()
