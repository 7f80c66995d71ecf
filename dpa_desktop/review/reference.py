"""The sector model agreement as data: the yardstick every review compares with.

Kept in ``forms/reference/`` as YAML so a new version of the sector model is a
data change, and loaded as strictly as a form: a typo is an error in Dutch
with its line, never a silently weaker yardstick.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import yaml
from msgspec import Meta

from dpa_desktop import paths
from dpa_desktop.errors import DpaError, Finding
from dpa_desktop.forms import model as m
from dpa_desktop.forms import strict

REFERENCE_FILE = "sector-model.yaml"


class ReferenceTerm(m.Strict, frozen=True, kw_only=True):
    """What the sector model says on a point: its article and one sentence."""

    article: str
    summary: str


class ReferenceBreach(ReferenceTerm, frozen=True, kw_only=True):
    deadline: Literal["immediate", "hours"]
    hours: int | None = None
    # A firm deadline of at most this many hours counts as in line.
    in_line_hours: Annotated[int, Meta(ge=1, le=168)] = 24


class ReferenceConsent(ReferenceTerm, frozen=True, kw_only=True):
    model: m.ConsentModel


class ReferenceLocation(ReferenceTerm, frozen=True, kw_only=True):
    region: m.LocationRegion
    outside_eea: m.OutsideEea


class ReferenceAudit(ReferenceTerm, frozen=True, kw_only=True):
    model: m.AuditModel
    frequency: m.AuditFrequency
    cost: m.AuditCost


class ReferenceLiability(ReferenceTerm, frozen=True, kw_only=True):
    model: m.LiabilityModel
    cap: m.LiabilityCap
    fines: m.FinesCover


class ReferenceSpecial(ReferenceTerm, frozen=True, kw_only=True):
    standards: Annotated[tuple[str, ...], Meta(min_length=1)]


class SectorModel(m.Strict, frozen=True, kw_only=True):
    name: str
    short_name: str
    # One line: what the sector model is and who made it, for the reader of a review.
    about: str
    source: str
    breach_notification: ReferenceBreach
    subprocessor_consent: ReferenceConsent
    data_location: ReferenceLocation
    audit: ReferenceAudit
    liability: ReferenceLiability
    retention: ReferenceTerm
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
        return strict.convert(raw, SectorModel, root, file)
    except strict.Invalid as exc:
        raise ReferenceInvalid(file, exc.findings) from exc


@functools.cache
def sector_model() -> SectorModel:
    """The shipped reference, read once per process."""
    return load_reference()
