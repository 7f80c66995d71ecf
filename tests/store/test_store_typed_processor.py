"""An agreement on the sector model enters the register under the processor she typed,
which, like everything she typed, is stored as ciphertext only."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dpa_desktop.answers import example_answers
from dpa_desktop.forms.loader import load_forms
from dpa_desktop.store import SIGNED, Store


def test_the_register_holds_the_typed_processor_services_and_subprocessors(
        store: Store, documents: tuple[Path, Path], data_dir: Path) -> None:
    spec = load_forms().get("sectormodel")
    aid = store.record_agreement(spec, example_answers(spec), *documents)
    agreement = store.get_agreement(aid)
    assert agreement.processor == "Zorgcloud Nederland B.V."
    assert agreement.service_names[0] == "Hosting huisartseninformatiesysteem"
    assert len(agreement.service_names) == 5
    assert [(s.name, s.country, s.outside_eea) for s in agreement.subprocessors] == [
        ("Datacenter Noord B.V.", "Nederland", "no"), ("Backupdienst Europa GmbH", "Duitsland", "no"),
        ("Mailfilter Inc.", "Verenigde Staten", "yes")]
    assert agreement.answers.lists["subverwerkers"][2]["buiten_eer"] is True
    assert [s.processor for s in store.list_agreements(query="Zorgcloud")] == ["Zorgcloud Nederland B.V."]
    store.set_status(aid, SIGNED, date(2026, 11, 23))
    assert store.get_agreement(aid).processor == "Zorgcloud Nederland B.V."
    # Signed, its typed subprocessors stand in the practice's overview like any others.
    overview = {u.name: u for u in store.subprocessor_overview()}
    assert overview["Mailfilter Inc."].outside_eea == "yes"
    assert overview["Datacenter Noord B.V."].outside_eea == "no"
    assert [a.processor for a in overview["Mailfilter Inc."].agreements] == ["Zorgcloud Nederland B.V."]
    for path in data_dir.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            for typed in (b"Zorgcloud", b"Datacenter Noord", b"Mailfilter"):
                assert typed not in raw, (path.name, typed)
