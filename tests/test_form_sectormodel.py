"""The sector model form: the standard text for a processor the practice names herself.

Its fixed text is BeterDichtbij's agreement without the annex 4 deviations, so
the recitals and articles are compared word for word with the beterdichtbij
form (always) and with the seed (when the seeds are there).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import msgspec
import pytest
from pypdf import PdfReader
from seedtools import docx_text, in_order_ratio, missing_runs, pdf_text, seed_text, tokens

from dpa_desktop import paths
from dpa_desktop.answers import Answers, example_answers, normalised
from dpa_desktop.assemble import build_document
from dpa_desktop.document import Document, NumberedParagraph, Paragraph, SignatureBlock, Table
from dpa_desktop.fill import fill
from dpa_desktop.forms.loader import load_form
from dpa_desktop.parties import processor_of, service_names_of, subprocessors_of
from dpa_desktop.review.breach_card import breach_card_rows
from dpa_desktop.review.review import build_review
from dpa_desktop.review.text import review_text

SPEC = load_form(paths.forms_dir() / "sectormodel.yaml")
BETERDICHTBIJ = load_form(paths.forms_dir() / "beterdichtbij.yaml")
EXAMPLE = example_answers(SPEC)
BLANKS = re.compile(r"\[@\]|«[^»]*»|…{2,}|\.{4,}|_{3,}|\b20\.\.|\{\{")
BETERDICHTBIJ_OWN = ("BeterDichtbij", "70150680", "Oudlaan", "Bogaerts", "Sander Bijl", "sbijl", "Light landelijk",
                     "Serviceconcept", "Messagebird", "Sendgrid", "Kandy", "VANAD")


def _values(**changes: str) -> Answers:
    return msgspec.structs.replace(EXAMPLE, values={**EXAMPLE.values, **changes})


def _typed_cells(answers: Answers) -> list[str]:
    """Every cell of every row as printed (booleans as ja/nee)."""
    clean = normalised(SPEC, answers)
    out = []
    for rows in clean.lists.values():
        for row in rows:
            out += ["ja" if v is True else "nee" if v is False else str(v) for v in row.values()]
    return out


def _standard_text(doc: Document) -> list[str]:
    """Words of the recitals and articles 1-13: from 'hierna gezamenlijk' to the signatures."""
    blocks = list(doc.blocks)
    start = next(i for i, b in enumerate(blocks)
                 if isinstance(b, Paragraph) and b.spans[0].text.startswith("hierna gezamenlijk"))
    end = next(i for i, b in enumerate(blocks) if isinstance(b, SignatureBlock))
    part = Document(title="", subject="", author="", header="", blocks=tuple(blocks[start:end]))
    return tokens(" ".join(part.texts()))


def test_the_example_types_five_services_and_three_subprocessors_and_fills_every_part() -> None:
    assert len(EXAMPLE.lists["diensten"]) == 5
    assert len(EXAMPLE.lists["subverwerkers"]) == 3
    clean = normalised(SPEC, EXAMPLE)
    for q in SPEC.questions:
        assert clean.values.get(q.id) or clean.lists.get(q.id), q.id
    doc = build_document(SPEC, EXAMPLE)
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    services = next(t for t in tables if t.header and t.header[0] == "Dienst")
    subs = next(t for t in tables if t.header and t.header[0] == "Subverwerker")
    assert [r[0] for r in services.rows] == [row["naam"] for row in EXAMPLE.lists["diensten"]]
    assert subs.rows == (
        ("Datacenter Noord B.V.", "Nederland", "nee", "Hosting van de servers in een datacenter in Groningen"),
        ("Backupdienst Europa GmbH", "Duitsland", "nee", "Opslag van versleutelde back-ups in Frankfurt"),
        ("Mailfilter Inc.", "Verenigde Staten", "ja", "Filtert inkomende e-mail op spam en virussen"),
    )


def test_docx_and_pdf_hold_every_typed_value_and_no_blank(tmp_path: Path) -> None:
    result = fill(SPEC, EXAMPLE, tmp_path)
    docx = " ".join(docx_text(result.docx).split())
    pdf = pdf_text(result.pdf, result.document.header)
    for text in (docx, pdf):
        assert not BLANKS.findall(text)
        for own in BETERDICHTBIJ_OWN:
            assert own not in text
    for cell in _typed_cells(EXAMPLE):
        assert cell in docx, cell
    # A PDF table gives its text back line by line across the cells of a row, so:
    # every word typed is there, and the one-line cells stand whole.
    missing = Counter(tokens(" ".join(_typed_cells(EXAMPLE)))) - Counter(tokens(pdf))
    assert not missing
    flat = " ".join(pdf.split())
    for whole in ("Datacenter Noord B.V.", "Backupdienst Europa GmbH", "Mailfilter Inc.", "Verenigde Staten",
                  "Zorgcloud Nederland B.V., gevestigd aan de Europalaan 100 te Utrecht", "87654321",
                  "M. de Boer", "algemeen directeur", "Security consultant", "security@zorgcloud-nederland.nl"):
        assert whole in flat, whole


def test_the_standard_text_is_beterdichtbijs_word_for_word() -> None:
    ours = build_document(SPEC, EXAMPLE)
    choice = EXAMPLE.values["einde_keuze"]
    theirs_answers = example_answers(BETERDICHTBIJ)
    theirs = build_document(BETERDICHTBIJ, msgspec.structs.replace(
        theirs_answers, values={**theirs_answers.values, "einde_keuze": choice}))
    expected, got = _standard_text(theirs), _standard_text(ours)
    assert len(expected) > 3500
    assert got == expected, "\n".join(missing_runs(expected, got))


@pytest.mark.seeds
def test_the_standard_text_reproduces_the_seed() -> None:
    seed = seed_text("beterdichtbij")
    start = seed.index("hierna gezamenlijk")
    end = seed.index("arbiter(s).") + len("arbiter(s).")
    expected = tokens(seed[start:end])
    got = _standard_text(build_document(SPEC, EXAMPLE))
    ratio = in_order_ratio(expected, got)
    assert ratio >= 0.99, "\n".join(missing_runs(expected, got))


def test_filled_with_beterdichtbijs_details_the_parties_read_as_in_beterdichtbij() -> None:
    answers = _values(verwerker_naam="BeterDichtbij B.V.", verwerker_adres="Oudlaan 4", verwerker_plaats="Utrecht",
                      verwerker_kvk="70150680", verwerker_vertegenwoordiger="heer Godfried Bogaerts",
                      verwerker_vertegenwoordiger_functie="Algemeen Directeur")

    def party_two(spec_doc: Document) -> list[str]:
        item = next(b for b in spec_doc.blocks if isinstance(b, NumberedParagraph) and b.label == "2.")
        return tokens("".join(s.text for s in item.spans))

    assert party_two(build_document(SPEC, answers)) == party_two(
        build_document(BETERDICHTBIJ, example_answers(BETERDICHTBIJ)))


def test_annex_4_records_no_deviation_from_the_standard_text() -> None:
    doc = build_document(SPEC, EXAMPLE)
    texts = doc.texts()
    start = texts.index("Bijlage 4 - Aanpassingen t.o.v. standaard tekst")
    end = texts.index("Bijlage 5 - Contactgegevens")
    annex = " ".join(texts[start:end])
    assert "geen wijzigingen ten opzichte van de standaardtekst" in annex
    assert "aansprakelijkheidsverzekering" not in " ".join(texts)


def test_an_empty_subprocessor_list_says_so_and_no_rates_drop_their_lines() -> None:
    answers = msgspec.structs.replace(EXAMPLE, lists={**EXAMPLE.lists, "subverwerkers": (), "tarieven": ()})
    texts = build_document(SPEC, answers).texts()
    assert "Verwerker schakelt geen Subverwerkers in." in texts
    assert "Voor aanvullende werkzaamheden zijn geen afzonderlijke tarieven overeengekomen." in texts
    assert not any("gelden de volgende tarieven" in t or "excl. BTW" in t for t in texts)
    assert subprocessors_of(SPEC, normalised(SPEC, answers)) == []


def test_thirty_services_print_in_order_with_the_header_on_every_page(tmp_path: Path) -> None:
    rows = tuple({"naam": f"Dienst nummer {i}", "persoonsgegevens": "naam, adres, geboortedatum, BSN, "
                  "contactgegevens en medische gegevens (journaal, medicatie, uitslagen) " * 2,
                  "betrokkenen": "patiënten", "doeleinden": "Zorg verlenen", "bewaartermijn": f"{i} jaar"}
                 for i in range(1, 31))
    answers = msgspec.structs.replace(EXAMPLE, lists={**EXAMPLE.lists, "diensten": rows})
    result = fill(SPEC, answers, tmp_path)
    pages = [" ".join((page.extract_text() or "").split()) for page in PdfReader(str(result.pdf)).pages]
    with_rows = [p for p in pages if "Dienst nummer" in p]
    assert len(with_rows) >= 3
    assert all("Soort Persoonsgegevens" in p and "Afspraken bewaartermijnen" in p for p in with_rows)
    flat = " ".join(with_rows)
    positions = [flat.find(f"Dienst nummer {i} ") for i in range(1, 31)]
    assert -1 not in positions and positions == sorted(positions)


def test_the_processor_is_the_one_typed_for_register_review_and_breach_card() -> None:
    clean = normalised(SPEC, EXAMPLE)
    processor = processor_of(SPEC, clean)
    assert (processor.name, processor.kvk, processor.address) == (
        "Zorgcloud Nederland B.V.", "87654321", "Europalaan 100, Utrecht")
    assert SPEC.processor_label == "Modelverwerkersovereenkomst zorgsector (verwerker naar keuze)"
    assert service_names_of(SPEC, clean)[:2] == ["Hosting huisartseninformatiesysteem", "Back-up en herstel"]
    subs = subprocessors_of(SPEC, clean)
    assert [(s.name, s.country, s.outside_eea) for s in subs] == [
        ("Datacenter Noord B.V.", "Nederland", False), ("Backupdienst Europa GmbH", "Duitsland", False),
        ("Mailfilter Inc.", "Verenigde Staten", True)]
    (row,) = breach_card_rows([(SPEC, clean)])
    assert (row.party, row.email, row.phone, row.deadline) == (
        "Zorgcloud Nederland B.V.", "security@zorgcloud-nederland.nl", "030 765 4321", "onmiddellijk")


def test_the_review_says_it_is_the_sector_model_itself() -> None:
    review = build_review(SPEC, normalised(SPEC, EXAMPLE))
    assert (review.processor_name, review.processor_short) == ("Zorgcloud Nederland B.V.",) * 2
    assert review.sector_model_note == "Deze overeenkomst is het sectormodel zelf."
    assert "Deze overeenkomst is het sectormodel zelf." in " ".join(review_text(review).split())
    verdicts = {p.key: p.verdict for p in review.points}
    for key in ("breach_notification", "subprocessor_consent", "data_location", "audit", "liability"):
        assert verdicts[key] == "in_line", (key, review.point(key).statement)
    subs = review.point("subprocessors")
    assert "Mailfilter Inc." in subs.statement and len(subs.details) == 3
    assert not review.art28_missing
    other = build_review(BETERDICHTBIJ, normalised(BETERDICHTBIJ, example_answers(BETERDICHTBIJ)))
    assert other.sector_model_note != review.sector_model_note


def test_the_cli_fills_the_example_and_refuses_a_bad_cell_naming_row_and_column(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "dpa_desktop", *args], capture_output=True, text=True,
                              encoding="utf-8")

    listed = next(ln for ln in cli("forms").stdout.splitlines() if ln.startswith("sectormodel\t"))
    assert listed.split("\t")[1] == "Modelverwerkersovereenkomst zorgsector (verwerker naar keuze)"
    data = json.loads(cli("example", "sectormodel").stdout)
    assert len(data["lists"]["diensten"]) == 5 and len(data["lists"]["subverwerkers"]) == 3
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(data), encoding="utf-8")
    done = cli("fill", "sectormodel", "--answers", str(answers), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) == [".docx", ".pdf"]
    data["lists"]["subverwerkers"][1]["land"] = ""
    data["lists"]["diensten"] = []
    answers.write_text(json.dumps(data), encoding="utf-8")
    refused = cli("fill", "sectormodel", "--answers", str(answers), "--out", str(tmp_path / "bad"))
    assert refused.returncode == 2
    assert "Subverwerker 2 – land: dit veld is verplicht" in refused.stderr
    assert "Diensten van de verwerker: voeg minstens 1 rij toe; er staan er nu 0" in refused.stderr
    assert "Traceback" not in refused.stderr and not (tmp_path / "bad").exists()


def test_the_letter_to_the_processor_is_addressed_to_the_processor_typed() -> None:
    from dpa_desktop.review.letter import build_letter, letter_text, sender_from

    clean = normalised(SPEC, EXAMPLE)
    letter = build_letter(build_review(SPEC, clean), SPEC, sender_from(SPEC, clean), answers=clean)
    assert letter.recipient == ("Zorgcloud Nederland B.V.", "Europalaan 100, Utrecht")
    assert "{{" not in letter_text(letter)
