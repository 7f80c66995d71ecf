"""The sector model agreement as data: the yardstick every review compares with.

Kept in ``forms/reference/`` as YAML so a new version of the sector model is a
data change, and loaded as strictly as a form: a typo is an error in Dutch
with its line, never a silently weaker yardstick.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import Field, ValidationError

from dpa_desktop import paths
from dpa_desktop.errors import DpaError, Finding
from dpa_desktop.forms import model as m
from dpa_desktop.forms.loader import _PYDANTIC_DUTCH, _node_at

REFERENCE_FILE = "sector-model.yaml"


class ReferenceBreach(m.Term):
    immediate: bool = True
    hours: int | None = None
    # A hard deadline of at most this many hours counts as in line.
    in_line_hours: int = Field(default=24, ge=1, le=168)


class ReferenceConsent(m.Term):
    model: m.ConsentModel


class ReferenceLocation(m.Term):
    region: m.LocationRegion


class ReferenceAudit(m.Term):
    model: m.AuditModel


class ReferenceLiability(m.Term):
    model: m.LiabilityModel


class ReferenceSpecial(m.Term):
    standards: tuple[str, ...] = Field(min_length=1)


class SectorModel(m.Strict):
    name: str
    short_name: str
    source: str
    breach_notification: ReferenceBreach
    subprocessor_consent: ReferenceConsent
    data_location: ReferenceLocation
    audit: ReferenceAudit
    liability: ReferenceLiability
    retention: m.Term
    special_categories: ReferenceSpecial


@dataclass
class ReferenceInvalid(DpaError):
    """The reference file cannot be used; the review would compare with nonsense."""

    file: str
    findings: list[Finding]

    def __str__(self) -> str:
        lines = [f"Het referentiebestand {self.file} (sectormodel) bevat fouten:"]
        lines += [f"  - {f}" for f in self.findings]
        return "\n".join(lines)


def reference_path() -> Path:
    return paths.forms_dir() / "reference" / REFERENCE_FILE


def load_reference(path: Path | None = None) -> SectorModel:
    """Parse and validate the sector model file; every problem at once, in Dutch."""
    path = path or reference_path()
    file = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferenceInvalid(file, [Finding(file, None, "(bestand)",
                                              f"niet leesbaar: {exc}")]) from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ReferenceInvalid(file, [Finding(file, line, "(bestand)",
                                              "geen geldige YAML")]) from exc
    if not isinstance(raw, dict):
        raise ReferenceInvalid(file, [Finding(file, 1, "(bestand)",
                                              "verwacht een mapping op het hoogste niveau")])
    try:
        return SectorModel.model_validate(raw)
    except ValidationError as exc:
        findings = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            message = _PYDANTIC_DUTCH.get(err["type"], f"ongeldige waarde ({err['msg']})")
            if err["type"] == "literal_error" and "expected" in err.get("ctx", {}):
                message += f"; toegestaan: {err['ctx']['expected']}"
            node = _node_at(root, loc)
            line = node.start_mark.line + 1 if node is not None else None
            field = ".".join(str(p) for p in loc) or "(bestand)"
            findings.append(Finding(file, line, field, message))
        raise ReferenceInvalid(file, findings) from exc


@functools.cache
def sector_model() -> SectorModel:
    """The shipped reference, read once per process."""
    return load_reference()
