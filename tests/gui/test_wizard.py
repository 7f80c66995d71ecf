"""The wizard end to end: every form from start screen to files and register."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QWizard

from dpa_desktop.answers import example_answers, normalised
from dpa_desktop.forms.loader import load_forms
from dpa_desktop.forms.model import Question
from dpa_desktop.gui import operations
from dpa_desktop.gui.fields import QuestionField
from dpa_desktop.gui.start import StartWindow
from dpa_desktop.gui.wizard import AgreementWizard, ReviewPage
from tests.gui.driver import (
    PROFILE,
    fill_current_page,
    generate,
    next_page,
    open_start_window,
    problems_shown,
    type_into,
    walk_to_review,
)

FORM_IDS = sorted(load_forms().forms)


@pytest.fixture
def window(qtbot: Any, run_op: Callable[[Callable[[], Any]], Any]) -> Iterator[StartWindow]:
    yield from open_start_window(qtbot, run_op)


def test_start_screen_lists_every_form_for_her_kind_first(window: StartWindow) -> None:
    shown = [window.forms_list.item(i).data(Qt.ItemDataRole.UserRole)
             for i in range(window.forms_list.count())]
    assert sorted(shown) == FORM_IDS
    loaded = load_forms().forms
    kinds = ["huisartsenpraktijk" in loaded[f].audience for f in shown]
    assert kinds == sorted(kinds, reverse=True)
    assert "Huisartsenpraktijk Profiel" in window.practice.text()


@pytest.mark.slow
@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_form_walks_from_start_to_files_and_register(
        qtbot: Any, window: StartWindow, tmp_path: Path, form_id: str,
        run_op: Callable[[Callable[[], Any]], Any]) -> None:
    wiz = window.start_new(form_id)
    assert wiz is not None
    spec = wiz.spec
    answers = example_answers(spec)
    seen = walk_to_review(qtbot, wiz, answers)
    assert seen[0] == wiz.page_names()[0]
    review = wiz.pages["review"]
    assert isinstance(review, ReviewPage)
    assert review.problems == []
    # What she typed is what the wizard holds, normalised like the CLI would.
    assert normalised(spec, wiz.model.answers()) == normalised(spec, answers)
    generate(qtbot, wiz, tmp_path)
    result = wiz.pages["result"]
    docx = sorted(tmp_path.glob("*.docx"))
    pdf = sorted(p for p in tmp_path.glob("*.pdf") if not p.name.startswith("Aandachtspunten - "))
    assert len(docx) == 1 and len(pdf) == 1
    assert docx[0].stat().st_size > 1000 and pdf[0].read_bytes().startswith(b"%PDF")
    # The review of the agreement is printed beside it, to read before signing.
    review_pdf = tmp_path / f"Aandachtspunten - {pdf[0].stem}.pdf"
    assert review_pdf.read_bytes().startswith(b"%PDF")
    assert result.pdf_document.page_count() >= 1  # type: ignore[attr-defined]
    agreements = run_op(lambda: window.session.store.list_agreements())
    assert [(a.form_id, a.status) for a in agreements] == [(form_id, "concept")]
    assert run_op(lambda: window.session.store.list_drafts()) == []
    stored = run_op(lambda: window.session.store.get_agreement(agreements[0].id))
    assert run_op(lambda: window.session.store.document_bytes(stored.id, "pdf")) \
        == pdf[0].read_bytes()


def test_pages_come_from_the_form_and_empty_retention_is_skipped(
        qtbot: Any, window: StartWindow) -> None:
    wiz = window.start_new("vcare")
    assert wiz is not None
    spec = wiz.spec
    expected = [p for p in ("partij", "diensten", "bewaartermijnen", "contacten", "ondertekening")
                if any(q.page == p for q in spec.questions)
                or (p == "diensten" and spec.services)
                or (p == "bewaartermijnen" and spec.retention_services())
                or p == "contacten"]  # always: it says which profile contacts are used
    assert wiz.page_names() == [*expected, "review", "result"]


def test_invalid_kvk_blocks_next_with_the_dutch_reason(qtbot: Any, window: StartWindow) -> None:
    wiz = window.start_new("vcare")
    assert wiz is not None
    kvk_q = next(q for q in wiz.spec.questions if q.type == "kvk")
    fill_current_page(qtbot, wiz, example_answers(wiz.spec))
    field = wiz.question_field(kvk_q.id)
    type_into(qtbot, field, "1234")
    assert field.error_label.isVisible()
    assert "8 cijfers" in field.error_label.text()
    page_before = wiz.current_page_name()
    next_page(qtbot, wiz)
    assert wiz.current_page_name() == page_before
    assert "8 cijfers" in problems_shown(wiz)[kvk_q.id]
    type_into(qtbot, field, "8765 4321")
    assert not field.error_label.isVisible()
    assert field.editor.text() == "87654321"  # type: ignore[attr-defined]
    next_page(qtbot, wiz)
    assert wiz.current_page_name() != page_before


def test_empty_required_field_is_named_only_when_she_tries_to_go_on(
        qtbot: Any, window: StartWindow) -> None:
    wiz = window.start_new("vcare")
    assert wiz is not None
    first = wiz.spec.questions[0]
    field = wiz.question_field(first.id)
    type_into(qtbot, field, "")
    assert not field.error_label.isVisible()
    next_page(qtbot, wiz)
    assert problems_shown(wiz)[first.id] == "Dit veld is verplicht."


def test_going_back_and_forth_keeps_every_answer(qtbot: Any, window: StartWindow) -> None:
    wiz = window.start_new("vcare")
    assert wiz is not None
    answers = example_answers(wiz.spec)
    walk_to_review(qtbot, wiz, answers)
    typed = wiz.model.answers()
    while wiz.current_page_name() != wiz.page_names()[0]:
        qtbot.mouseClick(wiz.button(QWizard.WizardButton.BackButton), Qt.MouseButton.LeftButton)
    assert wiz.model.answers() == typed
    for q in wiz.spec.questions:
        if q.id in answers.values:
            assert wiz.question_field(q.id).stored_value() == typed.values[q.id]
    while wiz.current_page_name() != "review":
        next_page(qtbot, wiz)
    assert wiz.model.answers() == typed
    assert wiz.pages["review"].problems == []  # type: ignore[attr-defined]


def test_review_lists_what_is_missing_and_links_back_to_its_page(
        qtbot: Any, window: StartWindow) -> None:
    wiz = window.start_new("vcare")
    assert wiz is not None
    answers = example_answers(wiz.spec)
    walk_to_review(qtbot, wiz, answers)
    review = wiz.pages["review"]
    assert isinstance(review, ReviewPage)
    assert "Alles is ingevuld" in review.browser.toPlainText()
    assert wiz.button(QWizard.WizardButton.CommitButton).isEnabled()
    # Take away a required answer behind her back: the review must say so.
    first: Question = wiz.spec.questions[0]
    wiz.model.values.pop(first.id)
    review.refresh()
    text = review.browser.toPlainText()
    assert "Nog niet in orde" in text and first.label in text
    assert not wiz.button(QWizard.WizardButton.CommitButton).isEnabled()
    review.browser.anchorClicked.emit(QUrl(f"page:{first.page}"))
    assert wiz.current_page_name() == first.page


def test_profile_prefills_and_changes_can_be_saved_back(
        qtbot: Any, window: StartWindow, run_op: Callable[[Callable[[], Any]], Any]) -> None:
    wiz = window.start_new("vcare")
    assert wiz is not None
    prefilled = [q for q in wiz.spec.questions if q.profile == "organisatie_naam"]
    assert prefilled, "vcare asks the organisation name"
    field = wiz.question_field(prefilled[0].id)
    assert field.stored_value() == PROFILE["organisatie_naam"]
    fill_current_page(qtbot, wiz, example_answers(wiz.spec))
    type_into(qtbot, field, "Gezondheidscentrum Nieuw")
    page = wiz.currentPage()
    box = page.save_profile  # type: ignore[attr-defined]
    assert box is not None and box.isEnabled()
    box.setChecked(True)
    with qtbot.waitSignal(wiz.profile_saved, timeout=10_000):
        next_page(qtbot, wiz)
    profile = run_op(lambda: window.session.store.load_profile())
    assert profile["organisatie_naam"] == "Gezondheidscentrum Nieuw"
    assert profile["organisatie_soort"] == PROFILE["organisatie_soort"]


def test_every_change_is_saved_as_a_draft_within_a_second(
        qtbot: Any, window: StartWindow, run_op: Callable[[Callable[[], Any]], Any]) -> None:
    wiz = window.start_new("vcare")
    assert wiz is not None
    first = wiz.spec.questions[0]
    with qtbot.waitSignal(wiz.draft_saved, timeout=1_500):
        type_into(qtbot, wiz.question_field(first.id), "Praktijk Snel")
    operations.wait_idle()
    drafts = run_op(lambda: window.session.store.list_drafts())
    assert len(drafts) == 1
    assert drafts[0].answers.values[first.id] == "Praktijk Snel"
    type_into(qtbot, wiz.question_field(first.id), "Praktijk Sneller")
    qtbot.wait(1_000)
    operations.wait_idle()
    drafts = run_op(lambda: window.session.store.list_drafts())
    assert len(drafts) == 1, "one draft per wizard, not one per save"
    assert drafts[0].answers.values[first.id] == "Praktijk Sneller"


def test_a_draft_resumes_on_its_page_with_its_answers(
        qtbot: Any, window: StartWindow, run_op: Callable[[Callable[[], Any]], Any]) -> None:
    wiz = window.start_new("vcare")
    assert wiz is not None
    answers = example_answers(wiz.spec)
    fill_current_page(qtbot, wiz, answers)
    next_page(qtbot, wiz)
    fill_current_page(qtbot, wiz, answers)
    next_page(qtbot, wiz)
    left_on = wiz.current_page_name()
    typed = wiz.model.answers()
    qtbot.waitUntil(lambda: not wiz._save_timer.isActive())
    wiz.close()
    operations.wait_idle()
    qtbot.waitUntil(lambda: window.drafts_list.count() == 1, timeout=5_000)
    window.drafts_list.setCurrentRow(0)
    again = window.resume_selected()
    assert isinstance(again, AgreementWizard)
    assert again.current_page_name() == left_on
    assert again.model.answers() == typed
    qtbot.mouseClick(again.button(QWizard.WizardButton.BackButton), Qt.MouseButton.LeftButton)
    assert again.current_page_name() != left_on


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=400))
def test_any_text_she_types_is_kept_or_refused_with_a_reason(qtbot: Any, text: str) -> None:
    for qtype in ("text", "multiline", "kvk", "postcode", "email", "phone", "date"):
        question = Question(id="veld", type=qtype, label="Veld", page="partij")  # type: ignore[arg-type]
        field = QuestionField(question)
        field.set_value(text)
        reason = field.check(when_empty=True)
        assert isinstance(reason, str)
        if reason:
            assert field.problem().lower().startswith(reason.lower()[:20])
            assert field.stored_value() == field.raw_value()
        field.deleteLater()


def test_enter_in_a_field_goes_to_the_next_page(qtbot: Any, window: StartWindow) -> None:
    wiz = window.start_new("vcare")
    assert wiz is not None
    fill_current_page(qtbot, wiz, example_answers(wiz.spec))
    first = wiz.question_field(wiz.spec.questions[0].id)
    first.editor.setFocus()
    qtbot.keyClick(first.editor, Qt.Key.Key_Return)
    assert wiz.current_page_name() == wiz.page_names()[1]


def test_every_question_label_has_a_mnemonic_and_help_as_tooltip(
        qtbot: Any, window: StartWindow) -> None:
    from PySide6.QtWidgets import QLabel

    wiz = window.start_new("vcare")
    assert wiz is not None
    for q in wiz.spec.questions:
        field = wiz.question_field(q.id)
        labels = [lab for lab in wiz.findChildren(QLabel) if lab.buddy() is field.focus_widget()]
        assert len(labels) == 1, q.id
        assert "&" in labels[0].text().replace("&&", ""), labels[0].text()
        if q.help:
            assert field.editor.toolTip() == q.help
