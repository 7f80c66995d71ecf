"""A practice's answers to one form, and their validation.

Answers are plain data (JSON on disk, in drafts and in the register). They are
validated against the form as a whole so every problem is reported at once,
each naming its field by its Dutch label.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import msgspec

from dpa_desktop import validation
from dpa_desktop.errors import AnswersInvalid, FieldProblem
from dpa_desktop.forms.model import FormSpec, Question, SubQuestion
from dpa_desktop.text import answer as text_answer

RETENTION_UNITS = ("dagen", "weken", "maanden", "jaar")
MAX_INPUT = 100_000
# One row of a list question: sub-field id to its answer.
Row = dict[str, str | bool]


class Answers(msgspec.Struct, frozen=True):
    """What the practice filled in. ``retention`` maps service id to (amount, unit);
    ``lists`` maps a list question's id to its rows, in the order she typed them."""

    form_id: str
    values: dict[str, str | bool] = msgspec.field(default_factory=dict)
    services: tuple[str, ...] = ()
    retention: dict[str, tuple[int, str]] = msgspec.field(default_factory=dict)
    lists: dict[str, tuple[Row, ...]] = msgspec.field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "form": self.form_id,
            "values": dict(self.values),
            "services": list(self.services),
            "retention": {k: {"amount": a, "unit": u} for k, (a, u) in self.retention.items()},
        }
        if self.lists:
            data["lists"] = {k: [dict(row) for row in rows] for k, rows in self.lists.items()}
        return data

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, data: Any, *, form_id: str | None = None) -> Answers:
        """Parse the JSON shape; structural problems raise AnswersInvalid in Dutch."""
        problems: list[FieldProblem] = []
        if not isinstance(data, Mapping):
            raise AnswersInvalid([FieldProblem("(bestand)", "Antwoordenbestand",
                                               "verwacht een JSON-object met 'values'")])
        fid = data.get("form", form_id)
        if not isinstance(fid, str):
            fid = form_id or ""
        raw_values = data.get("values", {})
        values: dict[str, str | bool] = {}
        if not isinstance(raw_values, Mapping):
            problems.append(FieldProblem("values", "Antwoorden", "moet een JSON-object zijn"))
        else:
            for key, value in raw_values.items():
                if isinstance(value, bool | str):
                    values[str(key)] = value
                elif isinstance(value, int | float):
                    values[str(key)] = str(value)
                elif value is None:
                    continue
                else:
                    problems.append(FieldProblem(str(key), str(key), "moet tekst zijn"))
        raw_services = data.get("services", [])
        services: list[str] = []
        if not isinstance(raw_services, list) or not all(isinstance(s, str) for s in raw_services):
            problems.append(FieldProblem("services", "Diensten", "moet een lijst van dienst-id's zijn"))
        else:
            services = list(dict.fromkeys(raw_services))
        retention: dict[str, tuple[int, str]] = {}
        raw_ret = data.get("retention", {})
        if not isinstance(raw_ret, Mapping):
            problems.append(FieldProblem("retention", "Bewaartermijnen", "moet een JSON-object zijn"))
        else:
            for sid, item in raw_ret.items():
                amount = item.get("amount") if isinstance(item, Mapping) else None
                unit = item.get("unit") if isinstance(item, Mapping) else None
                if isinstance(amount, str) and amount.strip().isdigit():
                    amount = int(amount.strip())
                if not isinstance(amount, int) or isinstance(amount, bool) or not isinstance(unit, str):
                    problems.append(FieldProblem(f"retention.{sid}", f"Bewaartermijn {sid}",
                                                 "verwacht een aantal en een eenheid"))
                    continue
                retention[str(sid)] = (amount, unit)
        lists = _lists_from_json(data.get("lists", {}), problems)
        if problems:
            raise AnswersInvalid(problems)
        return cls(form_id=fid, values=values, services=tuple(services), retention=retention,
                   lists=lists)

    @classmethod
    def loads(cls, text: str, *, form_id: str | None = None) -> Answers:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise AnswersInvalid([FieldProblem(
                "(bestand)", "Antwoordenbestand",
                f"geen geldige JSON op regel {exc.lineno}, kolom {exc.colno}: {json_problem_nl(exc.msg)}",
            )]) from exc
        return cls.from_json(data, form_id=form_id)


def _lists_from_json(raw: Any, problems: list[FieldProblem]) -> dict[str, tuple[Row, ...]]:
    """The "lists" part of the JSON shape: {question id: [{sub-field id: value}, ...]}.

    Only the shape is checked here; each cell is validated against its form later.
    """
    lists: dict[str, tuple[Row, ...]] = {}
    if not isinstance(raw, Mapping):
        problems.append(FieldProblem("lists", "Lijsten", "moet een JSON-object zijn"))
        return lists
    for key, rows in raw.items():
        qid = str(key)
        if rows is None:
            continue
        if not isinstance(rows, list):
            problems.append(FieldProblem(qid, qid, "moet een lijst van rijen zijn"))
            continue
        parsed: list[Row] = []
        for i, row in enumerate(rows, start=1):
            if not isinstance(row, Mapping):
                problems.append(FieldProblem(f"{qid}.{i}", f"{qid} rij {i}",
                                             "een rij moet een JSON-object zijn"))
                continue
            cells: Row = {}
            for sub, value in row.items():
                if isinstance(value, bool | str):
                    cells[str(sub)] = value
                elif isinstance(value, int | float):
                    cells[str(sub)] = str(value)
                elif value is not None:
                    problems.append(FieldProblem(f"{qid}.{i}.{sub}", f"{qid} rij {i} – {sub}",
                                                 "moet tekst zijn"))
            parsed.append(cells)
        lists[qid] = tuple(parsed)
    return lists


# The json module's messages (CPython's json.decoder and _json), said in Dutch.
_JSON_PROBLEMS_NL = {
    "Expecting value": "hier verwachtte ik een waarde (tekst tussen aanhalingstekens, een getal, "
                       "true, false, null, een lijst of een object)",
    "Expecting property name enclosed in double quotes": "hier verwachtte ik een naam tussen dubbele "
                                                         "aanhalingstekens",
    "Expecting ':' delimiter": "hier verwachtte ik een dubbele punt (:)",
    "Expecting ',' delimiter": "hier verwachtte ik een komma (,)",
    "Unterminated string starting at": "een tekst die niet wordt afgesloten met een aanhalingsteken",
    "Invalid control character at": "een regeleinde of tab midden in een tekst; schrijf \\n of \\t",
    "Invalid \\escape": "een ongeldige escape (\\) in een tekst",
    "Invalid \\uXXXX escape": "een ongeldige \\u-escape in een tekst",
    "Extra data": "er staat nog iets na het einde van de JSON",
    "Illegal trailing comma before end of object": "een komma voor de sluitaccolade (})",
    "Illegal trailing comma before end of array": "een komma voor de sluithaak (])",
}


def json_problem_nl(message: str) -> str:
    """The json module speaks English; say its problems in Dutch."""
    for english, dutch in _JSON_PROBLEMS_NL.items():
        if message.startswith(english):
            return dutch
    return "ongeldige opmaak"


def example_answers(spec: FormSpec) -> Answers:
    ex = spec.example
    return Answers(
        form_id=spec.id,
        values=dict(ex.values),
        services=tuple(ex.services),
        retention={k: (v.amount, v.unit) for k, v in ex.retention.items()},
        lists={k: tuple(dict(row) for row in rows) for k, rows in ex.lists.items()},
    )


_VALIDATORS: dict[str, Callable[[str], str]] = {
    "kvk": validation.kvk,
    "agb": validation.agb,
    "postcode": validation.postcode,
    "email": validation.email,
    "phone": validation.phone,
    "date": validation.date,
}


def validate_value(question: Question | SubQuestion, value: str | bool | None) -> str | bool | None:
    """One field: normalised value, ``None`` if empty, or ValueError with the Dutch reason.

    The wizard calls this as she leaves a field; ``validate_answers`` for all.
    """
    if question.type == "boolean":
        if value is None or value == "":
            if isinstance(question, Question) and question.must_be_true:
                raise ValueError("kies ja: zonder uw akkoord kan de overeenkomst niet worden opgesteld")
            if question.required:
                raise ValueError("maak een keuze")
            return None
        if isinstance(value, bool):
            answer = value
        else:
            lowered = str(value).strip().lower()
            if lowered in ("ja", "true", "1"):
                answer = True
            elif lowered in ("nee", "false", "0"):
                answer = False
            else:
                raise ValueError("kies ja of nee")
        if isinstance(question, Question) and question.must_be_true and answer is not True:
            raise ValueError("kies ja: zonder uw akkoord kan de overeenkomst niet worden opgesteld")
        return answer
    if isinstance(value, bool):
        raise ValueError("verwacht tekst, geen ja/nee")
    raw = value or ""
    if len(raw) > MAX_INPUT:
        raise ValueError(f"te lang: hoogstens {question.max_length} tekens")
    # The one rule for typed text (text.py): normalised, or refused with the reason.
    stripped = text_answer(raw, multiline=question.type == "multiline") if raw else ""
    if not stripped:
        if question.required:
            raise ValueError("dit veld is verplicht")
        return None
    if question.type == "choice":
        allowed = [o.value for o in question.options]
        if stripped not in allowed:
            labels = ", ".join(o.label for o in question.options)
            raise ValueError(f"kies een van: {labels}")
        return stripped
    if question.type == "number":
        if not stripped.isascii() or not stripped.isdigit():
            raise ValueError("vul een geheel getal in")
        return stripped
    validator = _VALIDATORS.get(question.type)
    if validator is not None:
        return validator(stripped)
    return validation.text(stripped, min_length=question.min_length, max_length=question.max_length,
                           multiline=question.type == "multiline")


def validate_answers(spec: FormSpec, answers: Answers) -> list[FieldProblem]:
    """Every problem with the answers, in the order of the form."""
    problems: list[FieldProblem] = []
    known = {q.id for q in spec.questions}
    lists = {q.id for q in spec.list_questions()}
    for key in answers.values:
        if key not in known:
            problems.append(FieldProblem(key, key, "onbekende vraag voor dit formulier"))
        elif key in lists:
            problems.append(FieldProblem(key, spec.question(key).label,
                                         "een lijst hoort onder 'lists', niet onder 'values'"))
    for key in answers.lists:
        if key not in lists:
            problems.append(FieldProblem(key, key, "onbekende lijstvraag voor dit formulier"))
    for q in spec.questions:
        if q.type == "list":
            problems += row_problems(q, answers.lists.get(q.id, ()))
            continue
        try:
            validate_value(q, answers.values.get(q.id))
        except ValueError as exc:
            problems.append(FieldProblem(q.id, q.label, str(exc)))
    service_ids = [s.id for s in spec.services]
    for sid in answers.services:
        if sid not in service_ids:
            problems.append(FieldProblem("services", "Diensten", f"onbekende dienst '{sid}'"))
    if spec.services and not answers.services:
        problems.append(FieldProblem("services", "Diensten", "kies minstens één dienst"))
    for service in spec.retention_services():
        if service.id not in answers.services:
            continue
        label = f"Bewaartermijn {service.name}"
        got = answers.retention.get(service.id)
        if got is None:
            problems.append(FieldProblem(f"retention.{service.id}", label,
                                         "vul de bewaartermijn in die uw praktijk kiest"))
            continue
        amount, unit = got
        if not 1 <= amount <= 1000:
            problems.append(FieldProblem(f"retention.{service.id}", label,
                                         "het aantal moet tussen 1 en 1000 liggen"))
        if unit not in RETENTION_UNITS:
            problems.append(FieldProblem(f"retention.{service.id}", label,
                                         f"eenheid moet een van {', '.join(RETENTION_UNITS)} zijn"))
    return problems


def row_label(question: Question, index: int) -> str:
    """How a message names row ``index`` (0-based): "Subverwerker 2"."""
    return f"{question.item_label or question.label} {index + 1}"


def cell_label(question: Question, index: int, sub: SubQuestion) -> str:
    """How a message names one cell: "Subverwerker 2 – land"."""
    label = sub.label
    first_word = re.split(r"[\s-]", label, maxsplit=1)[0]
    if not any(ch.isupper() for ch in first_word[1:]):  # "Land" reads "land"; "KvK-nummer" stays
        label = label[:1].lower() + label[1:]
    return f"{row_label(question, index)} – {label}"


def _rows_word(n: int) -> str:
    return "rij" if n == 1 else "rijen"


def count_problem(question: Question, count: int) -> str:
    """Why ``count`` rows are too few or too many for a list question ('' when fine)."""
    if count < question.min_items:
        return (f"voeg minstens {question.min_items} {_rows_word(question.min_items)} toe; "
                f"er {'staat' if count == 1 else 'staan'} er nu {count}")
    if count > question.max_items:
        return (f"hoogstens {question.max_items} {_rows_word(question.max_items)}; "
                f"er staan er nu {count}")
    return ""


def row_problems(question: Question, rows: tuple[Row, ...] | list[Row]) -> list[FieldProblem]:
    """Every problem of a list question's rows: their number, then each cell in order.

    A cell's field is "<list>.<row>.<sub-field>" (rows counted from 1), and its
    label names the row and the column: "Subverwerker 2 – land".
    """
    problems: list[FieldProblem] = []
    counted = count_problem(question, len(rows))
    if counted:
        problems.append(FieldProblem(question.id, question.label, counted))
    known = {f.id for f in question.fields}
    for i, row in enumerate(rows):
        for key in row:
            if key not in known:
                problems.append(FieldProblem(f"{question.id}.{i + 1}.{key}", row_label(question, i),
                                             f"onbekende kolom '{key}'"))
        for sub in question.fields:
            try:
                validate_value(sub, row.get(sub.id))
            except ValueError as exc:
                problems.append(FieldProblem(f"{question.id}.{i + 1}.{sub.id}",
                                             cell_label(question, i, sub), str(exc)))
    return problems


def normalised_row(question: Question, row: Row) -> Row:
    """A valid row with each cell normalised; empty optional cells left out."""
    out: Row = {}
    for sub in question.fields:
        value = validate_value(sub, row.get(sub.id))
        if value is not None:
            out[sub.id] = value
    return out


def normalised(spec: FormSpec, answers: Answers) -> Answers:
    """Validated answers with every value normalised; raises AnswersInvalid."""
    problems = validate_answers(spec, answers)
    if problems:
        raise AnswersInvalid(problems)
    values: dict[str, str | bool] = {}
    lists: dict[str, tuple[Row, ...]] = {}
    for q in spec.questions:
        if q.type == "list":
            lists[q.id] = tuple(normalised_row(q, row) for row in answers.lists.get(q.id, ()))
            continue
        value = validate_value(q, answers.values.get(q.id))
        if value is not None:
            values[q.id] = value
    return Answers(form_id=spec.id, values=values, services=tuple(answers.services),
                   retention={k: v for k, v in answers.retention.items() if k in answers.services},
                   lists=lists)


def format_retention(amount: int, unit: str) -> str:
    if amount == 1:
        unit = {"dagen": "dag", "weken": "week", "maanden": "maand", "jaar": "jaar"}.get(unit, unit)
    return f"{amount} {unit}"
