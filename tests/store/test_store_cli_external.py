"""``register add``, ``edit`` and ``show``: the contract other tools call."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dpa_desktop.cli import main
from dpa_desktop.errors import AnswersInvalid
from dpa_desktop.store import Store
from dpa_desktop.store.external import LABELS, entry_json, parse_entry
from tests.external_examples import EXAMPLE


def _write(tmp_path: Path, data: Any, name: str = "overeenkomst.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _show(capsys: pytest.CaptureFixture[str], aid: int) -> Any:
    assert main(["register", "show", str(aid), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_add_records_the_agreement_and_show_gives_it_back(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scan = tmp_path / "getekend.pdf"
    scan.write_bytes(b"%PDF-1.4 getekend")
    assert main(["register", "add", "--json", str(_write(tmp_path, EXAMPLE)),
                 "--scan", str(scan)]) == 0
    out = capsys.readouterr()
    assert out.out.strip() == "1", "stdout holds the new number only"
    assert "overeenkomst 1 (extern" in out.err
    assert _show(capsys, 1) == EXAMPLE
    assert main(["register", "list", "--json"]) == 0
    [item] = json.loads(capsys.readouterr().out)
    assert (item["external"], item["form"], item["status"], item["ends"]) == (
        True, None, "ondertekend", None)
    assert main(["register", "show", "1"]) == 0
    text = capsys.readouterr().out
    assert "Zorgdomein B.V. (extern)" in text and "Scan: getekend.pdf" in text
    assert "Twilio (US; buiten de EER: ja)" in text


def test_bad_input_exits_2_names_each_field_in_dutch_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    bad = {**EXAMPLE, "verwerker": {"naam": "Zorgdomein", "kvk": "1234"},
           "datalek": {"email": "geen", "termijn": 0}}
    assert main(["register", "add", "--json", str(_write(tmp_path, bad))]) == 2
    err = capsys.readouterr().err
    assert err.startswith("De overeenkomst is niet opgeslagen")
    assert "  - Verwerker – KvK-nummer: een KvK-nummer bestaat uit precies 8 cijfers" in err
    assert "  - Meldpunt datalekken – e-mail: geen geldig e-mailadres" in err
    assert "  - Meldtermijn datalekken: het aantal uren moet tussen 1 en 8760 liggen" in err
    assert "Traceback" not in err
    assert not data_dir.exists(), "no register was set up for a refused agreement"
    scan = tmp_path / "scan.txt"
    scan.write_text("geen pdf")
    assert main(["register", "add", "--json", str(_write(tmp_path, EXAMPLE)),
                 "--scan", str(scan)]) == 2
    assert "PDF of een afbeelding" in capsys.readouterr().err
    assert not data_dir.exists()
    broken = tmp_path / "kapot.json"
    broken.write_text('{"verwerker": {"naam": "X",}}', encoding="utf-8")
    assert main(["register", "add", "--json", str(broken)]) == 2
    assert "geen geldige JSON (regel 1, kolom 28)" in capsys.readouterr().err
    deep = tmp_path / "diep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert main(["register", "add", "--json", str(deep)]) == 2
    assert "te diep genest" in capsys.readouterr().err
    assert main(["register", "add", "--json", str(tmp_path / "weg.json")]) == 2
    assert "is niet te lezen" in capsys.readouterr().err
    assert not data_dir.exists()


def test_edit_changes_fields_and_keeps_the_change_in_the_history(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["register", "add", "--json", str(_write(tmp_path, EXAMPLE))]) == 0
    capsys.readouterr()
    change = _write(tmp_path, {"verwerker": {"kvk": "87654321"}, "einde": "31-12-2027"},
                    "wijziging.json")
    assert main(["register", "edit", "1", "--json", str(change)]) == 0
    assert "is gewijzigd" in capsys.readouterr().err
    shown = _show(capsys, 1)
    assert shown == {**EXAMPLE, "verwerker": {**EXAMPLE["verwerker"], "kvk": "87654321"},
                     "einde": "2027-12-31"}
    assert main(["register", "show", "1"]) == 0
    assert ("Gewijzigd: Verwerker – KvK-nummer: 34118923 → 87654321; Einddatum: onbepaalde "
            "tijd → 31-12-2027") in capsys.readouterr().out
    assert main(["register", "edit", "1", "--json", str(change)]) == 0
    assert "niets gewijzigd" in capsys.readouterr().err
    bad = _write(tmp_path, {"verwerker": {"kvk": "abc"}}, "fout.json")
    assert main(["register", "edit", "1", "--json", str(bad)]) == 2
    assert "Verwerker – KvK-nummer" in capsys.readouterr().err
    assert _show(capsys, 1) == shown
    assert main(["register", "edit", "9", "--json", str(change)]) == 2
    assert "nummer 9 bestaat niet" in capsys.readouterr().err


def test_edit_of_an_agreement_made_here(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        vcare: Any) -> None:
    from dpa_desktop.answers import example_answers

    answers = tmp_path / "antwoorden.json"
    answers.write_text(example_answers(vcare).dumps(), encoding="utf-8")
    assert main(["fill", "vcare", "--answers", str(answers), "--out", str(tmp_path / "uit"),
                 "--register"]) == 0
    capsys.readouterr()
    assert _show(capsys, 1) == {"ondertekend": None, "einde": None, "herbeoordeling": None,
                                "notitie": ""}
    change = _write(tmp_path, {"herbeoordeling": "2027-01-01", "notitie": "Nagelopen"})
    assert main(["register", "edit", "1", "--json", str(change)]) == 0
    capsys.readouterr()
    assert _show(capsys, 1)["notitie"] == "Nagelopen"
    wrong = _write(tmp_path, {"dienst": "Telefonie"}, "fout.json")
    assert main(["register", "edit", "1", "--json", str(wrong)]) == 2
    assert "volgt bij een overeenkomst die met DPA Desktop is gemaakt" in \
        capsys.readouterr().err


def test_edit_and_show_need_an_existing_register(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    assert main(["register", "show", "1"]) == 2
    assert "nog geen register" in capsys.readouterr().err
    assert not data_dir.exists()


# --------------------------------------------------------------------------- any JSON

_text = st.text(st.characters(codec="utf-8"), max_size=30)
_json_leaf = st.none() | st.booleans() | st.integers(-10, 10_000) | _text | st.floats(
    allow_nan=False, allow_infinity=False)
_any_json = st.recursive(_json_leaf, lambda kids: st.lists(kids, max_size=3) | st.dictionaries(
    _text, kids, max_size=3), max_leaves=8)


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly a value of the right kind, now and then any JSON at all."""
    return st.sampled_from([True] * 11 + [False]).flatmap(
        lambda ok: strategy if ok else _any_json)


_names = st.text(st.characters(codec="utf-8"), min_size=1, max_size=30) | st.sampled_from(
    ["Zorgdomein B.V.", "KPN", "Ærø Hosting", "  spaties  ", "\x00", "=CMD()"])
_dates = st.dates(date(1995, 1, 1), date(2040, 1, 1)).map(lambda d: d.isoformat()) | \
    st.sampled_from(["01-03-2024", "2024-02-30", "31-12-2099", "1-1-1980", ""])
_subprocessor = st.fixed_dictionaries({"naam": _maybe(_names)}, optional={
    "land": _maybe(st.sampled_from(["NL", "us", "Ierland", "", "Verweggistan"])),
    "buiten_eer": _maybe(st.sampled_from(["ja", "nee", "onbekend", "Onbekend", "misschien"]))})
_agreements = st.fixed_dictionaries({
    "verwerker": _maybe(st.fixed_dictionaries({"naam": _maybe(_names)}, optional={
        "kvk": _maybe(st.sampled_from(["12345678", "1234 5678", "", "x", "123"])),
        "plaats": _maybe(_text), "land": _maybe(_text)})),
    "dienst": _maybe(_names),
    "persoonsgegevens": _maybe(st.lists(_names, min_size=1, max_size=3)),
    "ondertekend": _maybe(_dates),
    "einde": _maybe(st.just("onbepaalde tijd") | st.just("31-12-2099") | _dates),
    "datalek": _maybe(st.fixed_dictionaries({"termijn": _maybe(st.integers(1, 200) | st.sampled_from(
        [0, 9000, "onverwijld", "niet geregeld", "24 uur", "snel", "Binnen 48 uur"]))}, optional={
        "email": _maybe(st.sampled_from(["a@b.nl", "privacy@zorg.example", "", "geen"])),
        "telefoon": _maybe(st.sampled_from(["030-1234567", "0612345678", "12", ""]))})),
}, optional={
    "gezondheidsgegevens": _maybe(st.booleans()),
    "bsn": _maybe(st.booleans()),
    "herbeoordeling": _maybe(_dates),
    "subverwerkers": _maybe(st.lists(_subprocessor, max_size=3)),
    "notitie": _maybe(_text),
})
_KNOWN_LABELS = set(LABELS.values())


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.sampled_from(["agreement"] * 8 + ["example", "json"]).flatmap(
    lambda kind: {"agreement": _agreements, "example": st.just(EXAMPLE), "json": _any_json}[kind]))
def test_any_json_is_accepted_and_comes_back_or_refused_per_field(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], data: Any) -> None:
    path = _write(tmp_path, data)
    try:
        expected = entry_json(parse_entry(data))
    except AnswersInvalid as exc:
        expected = None
        labels = [p.label for p in exc.problems]
    code = main(["register", "add", "--json", str(path)])  # never raises: no traceback
    out = capsys.readouterr()
    event("refused" if expected is None else "accepted")
    if expected is None:
        assert code == 2
        assert "Traceback" not in out.err
        assert out.err.startswith("De overeenkomst is niet opgeslagen")
        for label in labels:
            assert label in _KNOWN_LABELS or re.fullmatch(
                r"Subverwerker \d+( – (naam|land|buiten de EER|veld '.*'))?|"
                r"(Verwerker – |Datalekken – )?[Vv]eld '.*'", label, re.S), label
            assert f"  - {label}: " in out.err
        return
    assert code == 0, out.err
    aid = int(out.out.strip())
    assert _show(capsys, aid) == expected
    assert parse_entry(expected) == parse_entry(data), "the stored form reads back the same"
    with Store.open() as store:
        assert store.get_agreement(aid).external


def test_the_readme_example_is_accepted_as_documented(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Agreements not made here"):]
    example = json.loads(section.split("```json\n", 1)[1].split("```", 1)[0])
    path = _write(tmp_path, example)
    assert main(["register", "add", "--json", str(path)]) == 0
    capsys.readouterr()
    shown = _show(capsys, 1)
    assert shown["datalek"]["telefoon"] == "053 480 1234"
    assert shown == {**example, "datalek": {**example["datalek"], "telefoon": "053 480 1234"}}
    change = _write(tmp_path, {"verwerker": {"kvk": "87654321"}, "einde": "2027-12-31"}, "w.json")
    assert main(["register", "edit", "1", "--json", str(change)]) == 0
