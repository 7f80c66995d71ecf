"""The register: what is recorded, how status moves, what search and overview show."""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from msgspec.structs import replace as struct_replace

from dpa_desktop.answers import Answers, example_answers
from dpa_desktop.errors import AnswersInvalid, DpaError
from dpa_desktop.forms.model import FormSpec
from dpa_desktop.store import (
    CONCEPT,
    ENDED,
    SENT,
    SIGNED,
    STATUS_LABELS,
    Draft,
    NotFound,
    Store,
)


def _record(store: Store, spec: FormSpec, documents: tuple[Path, Path],
            **values: str) -> int:
    answers = example_answers(spec)
    if values:
        answers = struct_replace(answers, values={**answers.values, **values})
    return store.record_agreement(spec, answers, *documents)


def test_statuses_have_the_dutch_labels() -> None:
    assert STATUS_LABELS == {"concept": "Nog niet verzonden", "verzonden": "Verstuurd naar verwerker",
                             "ondertekend": "Ondertekend", "beeindigd": "Beëindigd"}


def test_a_recorded_agreement_is_a_concept_with_answers_documents_and_subprocessors(
        store: Store, vcare: FormSpec, documents: tuple[Path, Path]) -> None:
    aid = _record(store, vcare, documents)
    agreement = store.get_agreement(aid)
    assert agreement.status == CONCEPT and agreement.status_label == "Nog niet verzonden"
    assert (agreement.form_id, agreement.form_version) == ("vcare", vcare.version)
    assert agreement.processor == "Vcareconnect B.V."
    assert agreement.organisation == "Huisartsenpraktijk De Linde"
    assert agreement.services == example_answers(vcare).services
    assert agreement.retention["medialogging"] == (3, "maanden")
    assert agreement.answers.values["kvk"] == "87654321"
    assert agreement.signatories[0].name == "dr. M.J. (Marieke) Jansen"
    assert agreement.signatories[0].function == "Praktijkhouder"
    assert agreement.created_on == date.today()
    assert [h.status for h in agreement.history] == [CONCEPT]
    assert store.document_bytes(aid, "docx") == documents[0].read_bytes()
    assert store.document_bytes(aid, "pdf") == documents[1].read_bytes()
    expected = {p.name for p in vcare.subprocessors_for(agreement.services)}
    assert {s.name for s in agreement.subprocessors} == expected


def test_invalid_answers_are_not_recorded(store: Store, vcare: FormSpec,
                                          documents: tuple[Path, Path]) -> None:
    with pytest.raises(AnswersInvalid) as err:
        _record(store, vcare, documents, kvk="1234")
    assert "KvK-nummer" in str(err.value)
    assert store.list_agreements() == []


def test_the_status_moves_forward_with_dates_and_a_review_a_year_after_signing(
        store: Store, vcare: FormSpec, documents: tuple[Path, Path], tmp_path: Path) -> None:
    aid = _record(store, vcare, documents)
    today = date.today()
    store.set_status(aid, SENT, today, note="Per e-mail verstuurd")
    scan = tmp_path / "getekend.pdf"
    scan.write_bytes(b"%PDF-1.4 handtekening")
    store.set_status(aid, SIGNED, today, note="Retour ontvangen", scan=scan)
    agreement = store.get_agreement(aid)
    assert (agreement.sent_on, agreement.signed_on) == (today, today)
    assert agreement.review_on == today.replace(year=today.year + 1)
    assert agreement.scan_name == "getekend.pdf" and agreement.scan_type == "application/pdf"
    assert store.document_bytes(aid, "scan") == scan.read_bytes()
    assert [(h.status, h.note) for h in agreement.history] == [
        (CONCEPT, ""), (SENT, "Per e-mail verstuurd"), (SIGNED, "Retour ontvangen")]
    with pytest.raises(DpaError) as err:
        store.set_status(aid, SENT, today)
    assert "alleen vooruit" in str(err.value)
    store.set_status(aid, ENDED, today)
    assert store.get_agreement(aid).ended_on == today


def test_a_step_may_not_be_dated_before_the_previous_one(
        store: Store, vcare: FormSpec, documents: tuple[Path, Path]) -> None:
    aid = _record(store, vcare, documents)
    store.set_status(aid, SENT, date(2026, 5, 1))
    with pytest.raises(DpaError) as err:
        store.set_status(aid, SIGNED, date(2026, 4, 30))
    assert "vóór de vorige stap" in str(err.value)
    assert store.get_agreement(aid).status == SENT
    store.set_status(aid, SIGNED, date(2026, 5, 1))


def test_an_old_paper_agreement_can_be_recorded_as_signed_in_the_past(
        store: Store, vcare: FormSpec, documents: tuple[Path, Path]) -> None:
    aid = _record(store, vcare, documents)
    store.set_status(aid, SIGNED, date(2020, 2, 29))
    assert store.get_agreement(aid).review_on == date(2021, 2, 28)


@pytest.mark.parametrize("content,media", [
    (b"\x89PNG\r\n\x1a\nrest", "image/png"), (b"\xff\xd8\xff\xe0rest", "image/jpeg"),
    (b"II*\x00rest", "image/tiff")])
def test_an_image_scan_is_kept(store: Store, vcare: FormSpec, documents: tuple[Path, Path],
                               tmp_path: Path, content: bytes, media: str) -> None:
    aid = _record(store, vcare, documents)
    scan = tmp_path / "scan.bin"
    scan.write_bytes(content)
    store.set_status(aid, SIGNED, date.today(), scan=scan)
    assert store.get_agreement(aid).scan_type == media
    assert store.document_bytes(aid, "scan") == content


def test_a_scan_that_is_not_a_pdf_or_image_is_refused_and_nothing_changes(
        store: Store, vcare: FormSpec, documents: tuple[Path, Path], tmp_path: Path) -> None:
    aid = _record(store, vcare, documents)
    scan = tmp_path / "scan.docx"
    scan.write_bytes(b"PK\x03\x04 word")
    with pytest.raises(DpaError) as err:
        store.set_status(aid, SIGNED, date.today(), scan=scan)
    assert "PDF of een afbeelding" in str(err.value)
    assert store.get_agreement(aid).status == CONCEPT


def test_unknown_ids_say_so_in_dutch(store: Store) -> None:
    with pytest.raises(NotFound) as err:
        store.get_agreement(99)
    assert "99 bestaat niet" in str(err.value)


def test_search_matches_processor_organisation_and_notes_in_any_case_or_accent(
        store: Store, vcare: FormSpec, documents: tuple[Path, Path]) -> None:
    linde = _record(store, vcare, documents)
    eik = _record(store, vcare, documents, organisatie_naam="Gezondheidscentrum De Eik")
    store.update_agreement(eik, notes="Opgezegd per café-overleg")
    assert [s.id for s in store.list_agreements("linde")] == [linde]
    assert [s.id for s in store.list_agreements("CAFE")] == [eik]
    assert [s.id for s in store.list_agreements("vcareconnect eik")] == [eik]
    assert {s.id for s in store.list_agreements("vcare")} == {linde, eik}
    assert store.list_agreements("bestaat niet") == []


def test_filters_by_status_and_by_review_due(store: Store, vcare: FormSpec,
                                             documents: tuple[Path, Path]) -> None:
    concept = _record(store, vcare, documents)
    signed = _record(store, vcare, documents)
    store.set_status(signed, SIGNED, date.today())
    assert [s.id for s in store.list_agreements(status=CONCEPT)] == [concept]
    assert [s.id for s in store.list_agreements(status=SIGNED)] == [signed]
    next_year = date.today().replace(year=date.today().year + 1)
    assert store.list_agreements(review_due_on=date.today()) == []
    assert [s.id for s in store.list_agreements(review_due_on=next_year)] == [signed]
    store.update_agreement(signed, review_on=date.today())
    assert [s.id for s in store.list_agreements(review_due_on=date.today())] == [signed]


def test_the_subprocessor_overview_covers_signed_agreements_only(
        store: Store, vcare: FormSpec, documents: tuple[Path, Path]) -> None:
    _record(store, vcare, documents)
    assert store.subprocessor_overview() == []
    answers = struct_replace(example_answers(vcare), services=("telefonie",), retention={})
    aid = store.record_agreement(vcare, answers, *documents)
    store.set_status(aid, SIGNED, date.today())
    overview = store.subprocessor_overview()
    expected = vcare.subprocessors_for(("telefonie",))
    eea = {"outside": "yes", "inside": "no", "unknown": "unknown"}
    assert [(u.name, u.country_label, u.outside_eea) for u in overview] == sorted(
        ((p.name, p.country_label, eea[p.eea_status()]) for p in expected),
        key=lambda t: t[0].lower())
    for use in overview:
        assert [(a.agreement_id, a.processor) for a in use.agreements] == [
            (aid, "Vcareconnect B.V.")]
        assert use.services == (vcare.service("telefonie").name,)


def test_another_connection_sees_new_agreements(
        store: Store, vcare: FormSpec, documents: tuple[Path, Path], data_dir: Path,
        key_backend: object) -> None:
    other = Store.open(data_dir, key_backend)  # type: ignore[arg-type]
    try:
        assert other.list_agreements() == []
        aid = _record(store, vcare, documents)
        assert [s.id for s in other.list_agreements()] == [aid]
    finally:
        other.close()


def test_recording_from_a_draft_removes_the_draft(
        store: Store, vcare: FormSpec, documents: tuple[Path, Path]) -> None:
    draft = store.save_draft(Draft(id=None, form_id="vcare", answers=example_answers(vcare)))
    assert draft.id is not None
    store.record_agreement(vcare, example_answers(vcare), *documents, draft_id=draft.id)
    assert store.list_drafts() == []


def test_drafts_save_load_list_and_delete(store: Store) -> None:
    answers = Answers(form_id="vcare", values={"organisatie_naam": "Praktijk Half"})
    first = store.save_draft(Draft(id=None, form_id="vcare", answers=answers, page="partij"))
    assert first.id is not None and first.updated is not None
    changed = store.save_draft(replace(first, page="diensten"))
    assert changed.id == first.id
    loaded = store.load_draft(first.id)
    assert (loaded.answers, loaded.page) == (answers, "diensten")
    assert [d.id for d in store.list_drafts()] == [first.id]
    store.delete_draft(first.id)
    with pytest.raises(NotFound):
        store.load_draft(first.id)


def test_saving_a_draft_is_fast_enough_for_every_keystroke(store: Store, vcare: FormSpec) -> None:
    draft = store.save_draft(Draft(id=None, form_id="vcare", answers=example_answers(vcare)))
    timings = []
    for i in range(50):
        answers = struct_replace(draft.answers, values={**draft.answers.values, "plaats": f"Plaats {i}"})
        start = time.perf_counter()
        draft = store.save_draft(replace(draft, answers=answers))
        timings.append(time.perf_counter() - start)
    assert statistics.median(timings) < 0.020


def test_the_profile_is_validated_and_normalised(store: Store) -> None:
    store.save_profile({"organisatie_soort": "huisartsenpraktijk", "postcode": "1234ab",
                        "kvk": "12345678", "contact_email": "Info@Praktijk.nl",
                        "fg_naam": "", "contact_naam": "J. de Vries"})
    profile = store.load_profile()
    assert profile["postcode"] == "1234 AB"
    assert "fg_naam" not in profile
    with pytest.raises(AnswersInvalid) as err:
        store.save_profile({"kvk": "12", "organisatie_soort": "bakkerij", "onzin": "x"})
    fields = {p.field: p for p in err.value.problems}
    assert set(fields) == {"kvk", "organisatie_soort", "onzin"}
    assert fields["kvk"].label == "KvK-nummer"
    assert store.load_profile() == profile


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200))
def test_any_note_a_person_types_is_kept_and_found(
        store: Store, vcare: FormSpec, documents: tuple[Path, Path], note: str) -> None:
    aid = _record(store, vcare, documents)
    store.update_agreement(aid, notes=note)
    assert store.get_agreement(aid).notes == note
    if note.split():
        assert aid in {s.id for s in store.list_agreements(note)}


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.dictionaries(st.sampled_from(["organisatie_naam", "kvk", "postcode",
                                               "contact_email", "contact_telefoon",
                                               "organisatie_soort", "fg_naam"]),
                              st.text(max_size=60), max_size=5))
def test_any_profile_text_is_stored_or_refused_field_by_field(store: Store,
                                                              values: dict[str, str]) -> None:
    before = store.load_profile()
    try:
        store.save_profile(values)
    except AnswersInvalid as err:
        assert {p.field for p in err.problems} <= set(values)
        assert all(p.label and p.message for p in err.problems)
        assert store.load_profile() == before
    else:
        saved = store.load_profile()
        assert set(saved) <= set(values)
