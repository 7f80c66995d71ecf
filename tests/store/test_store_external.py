"""Agreements not made here: recorded, read back, edited with history, like any other."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from dpa_desktop.answers import example_answers
from dpa_desktop.errors import AnswersInvalid, DpaError
from dpa_desktop.forms.model import FormSpec
from dpa_desktop.statuses import ENDED, SENT, SIGNED
from dpa_desktop.store import RecordDamaged, Store, copies, db
from dpa_desktop.store.external import (
    ExternalEntry,
    RegisterFields,
    entry_json,
    parse_changes,
    parse_entry,
)
from tests.external_examples import EXAMPLE


def problems_of(obj: object, **kw: Any) -> dict[str, str]:
    with pytest.raises(AnswersInvalid) as err:
        parse_entry(obj) if not kw else parse_changes(obj, **kw)
    return {p.label: p.message for p in err.value.problems}


# --------------------------------------------------------------------------- the JSON shape


def test_the_example_comes_back_unchanged() -> None:
    entry = parse_entry(EXAMPLE)
    assert entry.processor == "Zorgdomein B.V."
    assert entry.details.breach_notice.label == "binnen 24 uur"
    assert [s.outside_eea for s in entry.subprocessors] == ["no", "yes", "unknown"]
    assert entry_json(entry) == EXAMPLE


def test_what_a_person_writes_is_normalised() -> None:
    entry = parse_entry({**EXAMPLE, "verwerker": {"naam": "  Zorgdomein   B.V. ",
                                                  "kvk": "3411 8923"},
                         "ondertekend": "1-3-2024", "einde": "Onbepaalde  tijd",
                         "herbeoordeling": None,
                         "datalek": {"telefoon": "0301234567", "termijn": "48 uur"},
                         "subverwerkers": [{"naam": "Hoster", "land": "de"}]})
    assert (entry.processor, entry.details.kvk) == ("Zorgdomein B.V.", "34118923")
    assert entry.signed_on == date(2024, 3, 1) and entry.ends_on is None
    assert entry.review_on == date(2025, 3, 1), "a year after signing when not given"
    assert entry.details.breach_phone == "030 123 4567"
    assert entry.details.breach_notice.hours == 48
    [sub] = entry.subprocessors
    assert (sub.country, sub.outside_eea) == ("DE", "no"), "an EEA country is inside"
    assert parse_entry(entry_json(entry)) == entry


@pytest.mark.parametrize("termijn,label", [
    ("onverwijld", "onverwijld"), ("niet geregeld", "niet geregeld"), (72, "binnen 72 uur"),
    ("binnen 36 uur", "binnen 36 uur")])
def test_every_notice_deadline(termijn: object, label: str) -> None:
    entry = parse_entry({**EXAMPLE, "datalek": {"termijn": termijn}})
    assert entry.details.breach_notice.label == label


def test_a_bad_kvk_is_named_in_dutch_with_every_other_problem() -> None:
    found = problems_of({**EXAMPLE, "verwerker": {"naam": "", "kvk": "1234"},
                         "ondertekend": "31-02-2024", "einde": "morgen",
                         "datalek": {"email": "geen-adres", "telefoon": "12",
                                     "termijn": "snel"},
                         "persoonsgegevens": [],
                         "subverwerkers": [{"naam": "X", "land": "Ierland",
                                            "buiten_eer": "ja"}, {"land": "US"}],
                         "kvkk": 1})
    assert found["Verwerker – KvK-nummer"].startswith("een KvK-nummer bestaat uit precies 8")
    assert found["Verwerker – naam"].startswith("verplicht")
    assert "geen geldige datum" in found["Datum van ondertekening"]
    assert "onbepaalde tijd" in found["Einddatum"]
    assert "e-mailadres" in found["Meldpunt datalekken – e-mail"]
    assert "telefoonnummer" in found["Meldpunt datalekken – telefoon"]
    assert "onverwijld" in found["Meldtermijn datalekken"]
    assert "minstens één" in found["Categorieën persoonsgegevens"]
    assert "ligt in de EER" in found["Subverwerker 1 – buiten de EER"]
    assert found["Subverwerker 2 – naam"].startswith("verplicht")
    assert found["Veld 'kvkk'"].startswith("onbekend veld")


def test_dates_must_follow_the_signing() -> None:
    found = problems_of({**EXAMPLE, "einde": "2023-01-01", "herbeoordeling": "2023-06-01"})
    assert "vóór de datum van ondertekening" in found["Einddatum"]
    assert "vóór de datum van ondertekening" in found["Datum herbeoordeling"]


def test_not_an_object_is_refused_in_dutch() -> None:
    assert "verwacht een JSON-object" in problems_of([1, 2])["JSON-bestand"]


def test_an_edit_of_an_external_agreement_keeps_what_it_does_not_name() -> None:
    entry = parse_entry(EXAMPLE)
    changed = parse_changes({"verwerker": {"kvk": "87654321"}, "datalek": {"termijn": 48}},
                            entry, signed=True)
    assert isinstance(changed, ExternalEntry)
    assert changed.details.kvk == "87654321" and changed.processor == entry.processor
    assert changed.details.breach_email == entry.details.breach_email
    assert changed.details.breach_notice.hours == 48


def test_an_edit_of_an_agreement_made_here_touches_dates_and_note_only() -> None:
    current = RegisterFields(signed_on=date(2026, 3, 4), review_on=date(2027, 3, 4))
    changed = parse_changes({"einde": "2028-01-01", "notitie": "Verlengd"}, current,
                            signed=True)
    assert changed == RegisterFields(signed_on=date(2026, 3, 4), ends_on=date(2028, 1, 1),
                                     review_on=date(2027, 3, 4), notes="Verlengd")
    found = problems_of({"dienst": "x", "ondertekend": None}, current=current, signed=True)
    assert "volgt bij een overeenkomst die met DPA Desktop is gemaakt" in found[
        "Wat de verwerker voor de praktijk doet"]
    assert found["Datum van ondertekening"].startswith("verplicht")
    concept = RegisterFields()
    found = problems_of({"ondertekend": "2026-01-01"}, current=concept, signed=False)
    assert "nog niet ondertekend" in found["Datum van ondertekening"]


# --------------------------------------------------------------------------- in the store


def _profile(store: Store) -> None:
    store.save_profile({"organisatie_naam": "Huisartsenpraktijk De Linde"})


def test_an_external_agreement_is_recorded_signed_and_reads_back(store: Store) -> None:
    _profile(store)
    aid = store.record_external(parse_entry(EXAMPLE))
    [summary] = store.list_agreements()
    assert (summary.id, summary.status, summary.external) == (aid, SIGNED, True)
    assert (summary.kind_label, summary.ends_label) == ("extern", "onbepaalde tijd")
    assert summary.organisation == "Huisartsenpraktijk De Linde"
    assert summary.signed_on == date(2024, 3, 1) and summary.review_on == date(2025, 3, 1)
    agreement = store.get_agreement(aid)
    assert entry_json(agreement.register_fields()) == EXAMPLE  # type: ignore[arg-type]
    [step] = agreement.history
    assert (step.status, step.on, step.event) == (SIGNED, date(2024, 3, 1), "status")
    assert "extern" in step.note
    assert store.list_agreements("laboratoria") == [summary], "what it does is searchable"
    assert store.list_agreements("extern") == [summary]
    assert store.list_agreements(review_due_on=date(2025, 3, 1)) == [summary]
    with pytest.raises(DpaError, match="geen PDF"):
        store.document_bytes(aid, "pdf")


def test_its_subprocessors_join_the_overview_marked_extern(
        store: Store, vcare: FormSpec, documents: tuple[Path, Path]) -> None:
    made = store.record_agreement(vcare, example_answers(vcare), *documents)
    store.set_status(made, SIGNED, date(2026, 1, 5))
    aid = store.record_external(parse_entry(
        {**EXAMPLE, "subverwerkers": [*EXAMPLE["subverwerkers"],
                                      {"naam": "Talksome", "land": "NL"}]}))
    uses = {u.name: u for u in store.subprocessor_overview()}
    assert uses["Twilio"].outside_eea == "yes" and uses["Twilio"].outside_eea_label == "ja"
    assert (uses["Backupbedrijf"].outside_eea, uses["Backupbedrijf"].country_label) == (
        "unknown", "land onbekend")
    talksome = uses["Talksome"]
    assert [(a.agreement_id, a.external) for a in talksome.agreements] == [
        (made, False), (aid, True)]


def test_the_scan_is_encrypted_and_opens_from_a_private_copy(
        store: Store, data_dir: Path, tmp_path: Path) -> None:
    scan = tmp_path / "getekend.pdf"
    content = b"%PDF-1.4 getekende overeenkomst Zorgdomein " + b"z" * 5000
    scan.write_bytes(content)
    aid = store.record_external(parse_entry(EXAMPLE), scan=scan)
    agreement = store.get_agreement(aid)
    assert (agreement.scan_name, agreement.scan_type) == ("getekend.pdf", "application/pdf")
    assert b"getekende overeenkomst" not in (data_dir / db.DB_NAME).read_bytes()
    copy = store.document_copy(aid, "scan")
    try:
        assert copy.read_bytes() == content
        assert copy.parent == copies.folder() and copy.suffix == ".pdf"
    finally:
        copies.remove(copy)
    assert not copy.exists()


def test_no_field_of_an_external_agreement_is_readable_on_disk(
        store: Store, data_dir: Path) -> None:
    _profile(store)
    store.record_external(parse_entry(EXAMPLE))
    store.close()
    raw = b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())
    for secret in ("34118923", "privacy@zorgdomein", "Verwijsbrieven", "030 123 4567",
                   "portaal", "laboratoria", "De Linde"):
        assert secret.encode() not in raw, secret


def test_an_edit_is_kept_in_the_history_with_old_and_new(store: Store, tmp_path: Path) -> None:
    aid = store.record_external(parse_entry(EXAMPLE))
    current = store.get_agreement(aid).register_fields()
    changed = parse_changes({"verwerker": {"kvk": "87654321", "naam": "ZorgDomein B.V."},
                             "subverwerkers": [{"naam": "Twilio", "land": "US",
                                                "buiten_eer": "ja"}],
                             "herbeoordeling": "2025-06-01"}, current, signed=True)
    assert store.edit_agreement(aid, changed)
    agreement = store.get_agreement(aid)
    assert agreement.processor == "ZorgDomein B.V." and agreement.details is not None
    assert agreement.details.kvk == "87654321"
    assert [s.name for s in agreement.subprocessors] == ["Twilio"]
    assert store.list_agreements()[0].processor == "ZorgDomein B.V."
    step = agreement.history[-1]
    assert (step.event, step.label, step.status) == ("edit", "Gewijzigd", SIGNED)
    assert "Verwerker – KvK-nummer: 34118923 → 87654321" in step.note
    assert "Datum herbeoordeling: 01-03-2025 → 01-06-2025" in step.note
    assert "Backupbedrijf" in step.note, "the old subprocessors are kept in the history"
    assert not store.edit_agreement(aid, changed), "no change, no history step"
    assert len(store.get_agreement(aid).history) == 2
    scan = tmp_path / "scan.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"p" * 100)
    assert store.edit_agreement(aid, changed, scan=scan)
    assert "scan toegevoegd: scan.png" in store.get_agreement(aid).history[-1].note
    assert store.document_bytes(aid, "scan") == scan.read_bytes()


def test_an_agreement_made_here_can_be_corrected_too(
        store: Store, vcare: FormSpec, documents: tuple[Path, Path]) -> None:
    aid = store.record_agreement(vcare, example_answers(vcare), *documents)
    store.set_status(aid, SENT, date(2026, 1, 10))
    store.set_status(aid, SIGNED, date(2026, 2, 1))
    fields = store.get_agreement(aid).register_fields()
    assert type(fields) is RegisterFields
    changed = parse_changes({"ondertekend": "2026-02-03", "einde": "2029-12-31",
                             "notitie": "Verlengd tot 2029"}, fields, signed=True)
    assert store.edit_agreement(aid, changed)
    agreement = store.get_agreement(aid)
    assert (agreement.signed_on, agreement.ends_on, agreement.notes) == (
        date(2026, 2, 3), date(2029, 12, 31), "Verlengd tot 2029")
    assert agreement.ends_label == "31-12-2029"
    note = agreement.history[-1].note
    assert "Datum van ondertekening: 01-02-2026 → 03-02-2026" in note
    assert "Einddatum: volgens de overeenkomst → 31-12-2029" in note
    with pytest.raises(AnswersInvalid, match="vóór de datum van verzenden"):
        store.edit_agreement(aid, RegisterFields(signed_on=date(2026, 1, 1)))
    with pytest.raises(DpaError, match="met DPA Desktop gemaakt"):
        store.edit_agreement(aid, parse_entry(EXAMPLE))
    store.set_status(aid, ENDED, date(2026, 6, 1))
    with pytest.raises(AnswersInvalid, match="na de datum van beëindiging"):
        store.edit_agreement(aid, RegisterFields(signed_on=date(2026, 7, 1)))


def test_a_changed_external_record_is_quarantined(store: Store, data_dir: Path,
                                                  key_backend: Any) -> None:
    good = store.record_external(parse_entry(EXAMPLE))
    bad = store.record_external(parse_entry({**EXAMPLE, "verwerker": {"naam": "Ander"}}))
    store.close()
    conn = sqlite3.connect(data_dir / db.DB_NAME)
    conn.execute("UPDATE agreements SET ends_on = '2020-01-01' WHERE id = ?", (bad,))
    conn.commit()
    conn.close()
    with Store.open(data_dir, key_backend) as reopened:
        assert [s.id for s in reopened.list_agreements()] == [good]
        assert [d.id for d in reopened.damaged_records()] == [bad]
        with pytest.raises(RecordDamaged):
            reopened.get_agreement(bad)


def test_review_reminders_include_external_agreements(store: Store) -> None:
    soon = date.today() - timedelta(days=1)
    aid = store.record_external(parse_entry({**EXAMPLE, "ondertekend": "2020-01-01",
                                             "herbeoordeling": soon.isoformat()}))
    [due] = store.list_agreements(review_due_on=date.today())
    assert due.id == aid and due.review_due()
