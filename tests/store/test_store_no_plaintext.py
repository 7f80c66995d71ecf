"""Done when: after filling every form's example with --register, no contact detail
of the example can be found in any file under the data directory."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dpa_desktop import validation
from dpa_desktop.answers import example_answers
from dpa_desktop.cli import main
from dpa_desktop.forms.loader import load_forms
from dpa_desktop.forms.model import FormSpec
from dpa_desktop.store import Draft, Store
from dpa_desktop.store.profile import PROFILE_FIELDS

PERSONAL_PROFILE = ("organisatie_naam", "vertegenwoordiger", "adres")


def _is_personal(spec: FormSpec, qid: str) -> bool:
    q = spec.question(qid)
    profile = q.profile or ""
    return (q.type in ("email", "phone") or "naam" in q.id or profile in PERSONAL_PROFILE
            or profile.startswith(("fg_", "security_", "contact_")))


def _needles(spec: FormSpec) -> set[str]:
    out: set[str] = set()
    for qid, value in spec.example.values.items():
        if not isinstance(value, str) or not _is_personal(spec, qid):
            continue
        out.add(value)
        q = spec.question(qid)
        if q.type == "phone":
            out.add(validation.phone(value))
            out.add(re.sub(r"\D", "", value))
        if q.type == "email":
            out.add(value.split("@")[0] + "@")
            out.add(value.split("@")[1])
        out.update(w for w in re.findall(r"\w+", value) if len(w) >= 5 and not w.isdigit())
    return {n for n in out if len(n) >= 5}


def _find_plaintext(directory: Path, needles: set[str]) -> list[str]:
    found = []
    files = [p for p in directory.rglob("*") if p.is_file()]
    assert files
    for path in files:
        raw = path.read_bytes()
        for needle in needles:
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                if needle.encode(encoding) in raw or needle.lower().encode(encoding) in raw:
                    found.append(f"{path.name}: {needle!r} ({encoding})")
    return found


@pytest.mark.slow
def test_no_contact_detail_of_any_example_is_readable_in_the_data_dir(
        tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    forms = load_forms().forms
    assert forms
    needles: set[str] = set()
    profile: dict[str, str] = {}
    for spec in forms.values():
        answers = tmp_path / f"{spec.id}.json"
        answers.write_text(example_answers(spec).dumps(), encoding="utf-8")
        code = main(["fill", spec.id, "--answers", str(answers), "--out",
                     str(tmp_path / "out"), "--register"])
        assert code == 0, capsys.readouterr().err
        needles |= _needles(spec)
        for q in spec.questions:
            value = spec.example.values.get(q.id)
            if q.profile in PROFILE_FIELDS and isinstance(value, str):
                profile.setdefault(q.profile, value)
    assert "HERSTELCODE" in capsys.readouterr().err
    assert len(needles) > 10
    with Store.open(data_dir) as store:
        assert len(store.list_agreements()) == len(forms)
        store.save_profile(profile)
        for spec in forms.values():
            store.save_draft(Draft(id=None, form_id=spec.id, answers=example_answers(spec)))
        # While open: the WAL and shared-memory files exist too.
        assert _find_plaintext(data_dir, needles) == []
        store.backup(data_dir / "backups" / "reservekopie.dpabackup")
    assert _find_plaintext(data_dir, needles) == []
    # The search is real: it finds the details in the plain answer files.
    control = tmp_path / "control"
    control.mkdir()
    for spec in forms.values():
        (control / f"{spec.id}.json").write_bytes((tmp_path / f"{spec.id}.json").read_bytes())
        (control / f"{spec.id}.utf16").write_bytes(
            example_answers(spec).dumps().encode("utf-16-le"))
    hits = _find_plaintext(control, needles)
    assert {h.split(":")[0] for h in hits} == {p.name for p in control.iterdir()}
