"""Done when: a practice with 30 agreements recorded from outside and 5 made here sees all
35 in the overview (PDF and CSV), the subprocessor overview and the datalek-kaart."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from msgspec.structs import replace as struct_replace
from pypdf import PdfReader

from dpa_desktop.answers import example_answers
from dpa_desktop.cli import main
from dpa_desktop.forms.loader import load_forms
from dpa_desktop.review.breach_card import breach_card_rows, render_breach_card, signed_entries
from dpa_desktop.statuses import SIGNED
from dpa_desktop.store import Store
from dpa_desktop.store.export import CSV_HEADERS, DUE, TITLE
from dpa_desktop.store.external import parse_entry
from tests.external_examples import external_agreements

# Forms whose agreements have subprocessors (infogroen's practice is the processor itself,
# without any); infinitcare-almere twice, for two locations with their own contact, so
# the datalek-kaart has a row for each (it shows identical rows once).
MADE_HERE = ("vcare", "infinitcare-almere", "infinitcare-almere", "infinitcare-sdf",
             "beterdichtbij")
PRACTICE = "Huisartsenpraktijk De Linde"


@pytest.fixture
def practice(data_dir: Path, tmp_path: Path) -> Iterator[Store]:
    """A register of 35: five agreements made here and signed, thirty external.

    With the environment's (file) keyring, so the CLI opens it too.
    """
    store, _code = Store.create(data_dir)
    store.save_profile({"organisatie_naam": PRACTICE, "security_naam": "A. de Vries",
                        "security_telefoon": "053-4801234"})
    forms = load_forms()
    docx, pdf = tmp_path / "a.docx", tmp_path / "a.pdf"
    docx.write_bytes(b"PK\x03\x04 docx")
    pdf.write_bytes(b"%PDF-1.4 pdf")
    for n, form_id in enumerate(MADE_HERE):
        spec = forms.get(form_id)
        answers = example_answers(spec)
        if n == 2:
            answers = struct_replace(answers, values={**answers.values,
                                                      "contact_naam": "B. Jansen"})
        aid = store.record_agreement(spec, answers, docx, pdf)
        store.set_status(aid, SIGNED, date(2026, 1, 10))
    for data in external_agreements(30):
        store.record_external(parse_entry(data))
    yield store
    store.close()


def _processors(store: Store) -> list[str]:
    return [s.processor for s in store.list_agreements()]


def _text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


def _fonts(path: Path) -> Iterator[tuple[str, Any]]:
    """Every font of every page and of the form XObjects (footers) they draw."""
    def walk(resources: Any) -> Iterator[tuple[str, Any]]:
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            yield str(font["/BaseFont"]), font
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if "/Resources" in xobject:
                yield from walk(xobject["/Resources"].get_object())

    for page in PdfReader(path).pages:
        yield from walk(page["/Resources"].get_object())


def test_the_register_holds_all_35(practice: Store) -> None:
    summaries = practice.list_agreements()
    assert len(summaries) == 35
    assert sum(s.external for s in summaries) == 30
    assert {s.status for s in summaries} == {SIGNED}


def test_the_csv_has_a_row_for_each_of_the_35_with_the_overview_columns(
        practice: Store, tmp_path: Path) -> None:
    path = tmp_path / "overzicht.csv"
    assert practice.export_csv(path) == []
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""),
                           delimiter=";"))
    assert tuple(rows[0]) == CSV_HEADERS
    table = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert len(table) == 35
    assert sorted(r["Verwerker"].split(";")[0] for r in table) == sorted(_processors(practice))
    external = [r for r in table if r["Soort"] == "extern"]
    assert len(external) == 30
    assert sorted(r["Soort"] for r in table if r["Soort"] != "extern") == sorted(
        f"DPA Desktop; formulier {f}" for f in MADE_HERE)
    medisys = next(r for r in table if r["Verwerker"].startswith("Medisys HIS"))
    assert medisys["Meldtermijn datalekken"] == "binnen 24 uur"
    assert medisys["Meldpunt datalekken"] == "privacy0@verwerker0.example; 030 200 1000"
    assert medisys["Persoonsgegevens"].startswith("NAW-gegevens, Medisch dossier")
    assert medisys["Persoonsgegevens"].endswith("; Gezondheidsgegevens: ja; BSN: ja")
    assert medisys["Herbeoordeling"] == f"02-08-2024; {DUE}"
    site = next(r for r in table if r["Verwerker"].startswith("Praktijksite Online"))
    assert site["Subverwerkers buiten de EER"] == "Mailverzender Inc. (US)"
    assert site["Einde"] == "onbepaalde tijd"
    vcare = next(r for r in table if r["Soort"] == "DPA Desktop; formulier vcare")
    assert vcare["Meldtermijn datalekken"] == "zo mogelijk binnen 48 uur"
    assert vcare["Meldpunt datalekken"] == "privacy@vcareconnect.nl; 088-4800918"
    assert vcare["Einde"] == "volgens de overeenkomst"
    beter = next(r for r in table if r["Soort"] == "DPA Desktop; formulier beterdichtbij")
    assert beter["Subverwerkers buiten de EER"] == (
        "onbekend: VANAD ENOVATION, Messagebird, Sendgrid, KPN/Kandy")


def test_the_pdf_overview_shows_35_on_a4_landscape_with_the_practice_and_date(
        practice: Store, tmp_path: Path) -> None:
    path = tmp_path / "overzicht.pdf"
    practice.export_pdf(path)
    reader = PdfReader(path)
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = _text(path)
    assert TITLE in text and PRACTICE in text
    assert f"{date.today().day} " in text and str(date.today().year) in text
    assert ("35 overeenkomst(en): 5 gemaakt met DPA Desktop, 30 extern vastgelegd "
            "(niet met DPA Desktop gemaakt); 6 aan herbeoordeling toe.") in text
    for name in _processors(practice):
        assert name in text, name
    assert text.count(DUE) == 6
    assert "Subverwerkers onder ondertekende overeenkomsten" in text
    assert f"Pagina 1 van {len(reader.pages)}" in text
    fonts = dict(_fonts(path))
    assert fonts
    for name, font in fonts.items():
        assert "Helvetica" not in name
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), f"{name} not embedded"


def test_the_subprocessor_overview_covers_all_35(practice: Store) -> None:
    overview = practice.subprocessor_overview()
    covered = {a.agreement_id for u in overview for a in u.agreements}
    assert covered == {s.id for s in practice.list_agreements()}
    assert len(covered) == 35
    uses = {u.name: u for u in overview}
    assert uses["Offsite Vault"].outside_eea == "yes"
    assert uses["Hyperscale Storage"].outside_eea == "unknown"
    assert all(a.external for a in uses["Offsite Vault"].agreements)


def test_the_datalek_kaart_has_all_35_on_one_page(practice: Store, tmp_path: Path) -> None:
    entries, organisation = signed_entries(practice)
    assert organisation == PRACTICE
    rows = breach_card_rows(entries)
    assert len(rows) == 35
    assert sum(r.external for r in rows) == 30
    row = next(r for r in rows if r.party == "Praktijksite Online B.V.")
    assert (row.deadline, row.own_contact) == ("onverwijld", "A. de Vries, 053 480 1234")
    path = tmp_path / "kaart.pdf"
    render_breach_card(entries, path, organisation=organisation)
    assert len(PdfReader(path).pages) == 1
    text = _text(path)
    for name in _processors(practice):
        assert name in text, name
    assert "Praktijksite Online B.V. (extern)" in text
    assert "Uw aanspreekpunt bij een datalek: A. de Vries, 053 480 1234" in text


def test_the_cli_exports_the_same(practice: Store, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    practice.close()
    pdf, csv_file, card = tmp_path / "o.pdf", tmp_path / "o.csv", tmp_path / "k.pdf"
    assert main(["register", "export", "--pdf", str(pdf), "--csv", str(csv_file)]) == 0
    assert main(["register", "datalek-kaart", str(card)]) == 0
    assert len(csv_file.read_text(encoding="utf-8-sig").strip().splitlines()) == 36
    assert "Back-up Buitenland Ltd." in _text(pdf) and "Back-up Buitenland Ltd." in _text(card)
    assert main(["register", "list", "--json"]) == 0
    assert '"external": true' in capsys.readouterr().out
