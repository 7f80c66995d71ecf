"""The other party of one agreement, its subprocessors and services, as answered.

Most forms name their processor and its subprocessors as fixed data. The
sector model serves any processor: its name, address and subprocessors are
typed by the practice. These functions give both kinds the same shape, so the
register, the review and the datalek-kaart never need to know which kind of
form an agreement came from.
"""

from __future__ import annotations

import msgspec

from dpa_desktop.answers import Answers
from dpa_desktop.assemble import placeholder_values, printed_value
from dpa_desktop.forms import model as m
from dpa_desktop.forms.loader import PLACEHOLDER

_PROCESSOR_TEXTS = ("name", "short_name", "kvk", "address", "place", "country", "breach_email",
                    "breach_phone")


def processor_of(spec: m.FormSpec, answers: Answers) -> m.Processor:
    """The processor with its placeholders filled from the answers.

    An unanswered placeholder prints as nothing; a name that stays empty falls
    back to the form's label, so a list never shows a blank party.
    """
    fields = {k: v for k in _PROCESSOR_TEXTS if isinstance(v := getattr(spec.processor, k), str)}
    if not any("{{" in v for v in fields.values()):
        return spec.processor
    values = placeholder_values(spec, answers)
    filled = {k: " ".join(PLACEHOLDER.sub(lambda mt: values.get(mt.group(1), ""), v).split())
              for k, v in fields.items()}
    for key in ("name", "short_name"):
        if not filled.get(key):
            filled[key] = spec.processor_label
    return msgspec.structs.replace(spec.processor, **filled)


def subprocessors_of(spec: m.FormSpec, answers: Answers) -> list[m.Subprocessor]:
    """Subprocessors the agreement names: the catalogue's for the services taken (all of
    them for a form without services), then the rows typed (``typed_subprocessors``)."""
    out = spec.subprocessors_for(answers.services) if spec.services else list(spec.subprocessors)
    return out + typed_subprocessors(spec, answers)


def typed_subprocessors(spec: m.FormSpec, answers: Answers) -> list[m.Subprocessor]:
    """The rows of the form's ``subprocessors_from`` list as subprocessors, in typed order."""
    source = spec.subprocessors_from
    if source is None:
        return []
    question = spec.question(source.list)
    out = []
    for i, row in enumerate(answers.lists.get(source.list, ()), start=1):
        def cell(sub: str | None, row: dict[str, str | bool] = row) -> str:
            return printed_value(question.sub(sub), row.get(sub)) if sub else ""

        out.append(m.Subprocessor(id=f"{source.list}_{i}", name=cell(source.name),
                                  country=cell(source.country),
                                  outside_eea=row.get(source.outside_eea) is True,
                                  description=cell(source.description)))
    return out


def service_names_of(spec: m.FormSpec, answers: Answers) -> list[str]:
    """Names of the services the agreement covers: taken from the catalogue, or typed."""
    names = [spec.service(s).name for s in answers.services]
    source = spec.services_from
    if source is not None:
        question = spec.question(source.list)
        names += [printed_value(question.sub(source.name), row.get(source.name))
                  for row in answers.lists.get(source.list, ())]
    return names
