"""Load form files strictly, with errors that say file, line and field in Dutch.

The YAML is composed into nodes first so that every error location can be
walked back to the line it came from (``strict``). Semantic checks
(placeholders that name no question, services that name no subprocessor, an
example that does not validate) run after the structural ones, and one broken
form never stops the other forms from loading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from dpa_desktop import paths
from dpa_desktop.errors import Finding, FormFileError, UnknownForm
from dpa_desktop.forms import model as m

if TYPE_CHECKING:
    import yaml

    from dpa_desktop.forms import strict

PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*\}\}")
FORM_SUFFIXES = (".yaml", ".yml")
# The tag msgspec reads a block's kind from; the file itself never names it.
_TAG = "kind"


class LoadedForms(msgspec.Struct, frozen=True):
    """Every form that loaded, and the errors of those that did not.

    A Struct, not a dataclass: ``dataclasses`` imports ``inspect`` (about 10 ms of a fresh process).
    """

    forms: dict[str, m.FormSpec]
    errors: list[FormFileError]

    def get(self, form_id: str) -> m.FormSpec:
        try:
            return self.forms[form_id]
        except KeyError:
            for err in self.errors:
                if Path(err.file).stem == form_id:
                    raise err from None
            raise UnknownForm(form_id, sorted(self.forms)) from None


def _tagged(raw: dict[str, Any]) -> tuple[dict[str, Any], list[strict.Problem]]:
    """A copy of the data whose body blocks carry their kind as msgspec's tag.

    A block's kind is its first known key (``m.block_kind``). A "kind" the file
    writes itself is no key of any block: it is reported, never trusted.
    """
    from dpa_desktop.forms import strict

    body = raw.get("body")
    if not isinstance(body, list):
        return raw, []
    found: list[strict.Problem] = []
    blocks: list[Any] = []
    for i, block in enumerate(body):
        if not isinstance(block, dict):
            blocks.append(block)
            continue
        kind = m.block_kind(block)
        if _TAG in block:
            message = strict.unknown_key(m.BLOCK_KINDS[kind], _TAG) if kind else strict.UNKNOWN
            found.append(strict.Problem(("body", i, _TAG), message, at_key=True))
        tagged = {k: v for k, v in block.items() if k != _TAG}
        if kind is not None:
            tagged[_TAG] = kind
        blocks.append(tagged)
    return {**raw, "body": blocks}, found


# --------------------------------------------------------------------------- semantic checks


def _texts(value: Any, loc: tuple[int | str, ...]) -> Iterable[tuple[tuple[int | str, ...], str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _texts(v, (*loc, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _texts(v, (*loc, i))


def _conditions(value: Any, loc: tuple[int | str, ...]) -> Iterable[tuple[tuple[int | str, ...], dict[str, Any]]]:
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "when" and isinstance(v, dict):
                yield from _condition_tree(v, (*loc, k))
            else:
                yield from _conditions(v, (*loc, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _conditions(v, (*loc, i))


Loc = tuple[int | str, ...]


def _condition_tree(cond: dict[str, Any], loc: Loc) -> Iterable[tuple[Loc, dict[str, Any]]]:
    yield loc, cond
    for key in ("all", "any"):
        for i, sub in enumerate(cond.get(key) or []):
            if isinstance(sub, dict):
                yield from _condition_tree(sub, (*loc, key, i))
    if isinstance(cond.get("not"), dict):
        yield from _condition_tree(cond["not"], (*loc, "not"))


def _semantic_findings(
    spec: m.FormSpec, raw: dict[str, Any], root: yaml.Node | None, file: str, stem: str
) -> list[Finding]:
    from dpa_desktop.forms.strict import field_path, line_of, node_at

    findings: list[Finding] = []

    def add(loc: tuple[int | str, ...], message: str) -> None:
        findings.append(Finding(file=file, line=line_of(node_at(root, loc)), field=field_path(loc), message=message))

    if spec.id != stem:
        add(("id",), f"moet gelijk zijn aan de bestandsnaam ('{stem}')")

    question_ids = [q.id for q in spec.questions]
    service_ids = [s.id for s in spec.services]
    sub_ids = [p.id for p in spec.subprocessors]
    for what, ids, key in (
        ("vraag", question_ids, "questions"),
        ("dienst", service_ids, "services"),
        ("subverwerker", sub_ids, "subprocessors"),
    ):
        seen: set[str] = set()
        for i, ident in enumerate(ids):
            if ident in seen:
                add((key, i, "id"), f"{what} '{ident}' komt dubbel voor")
            seen.add(ident)

    for i, q in enumerate(spec.questions):
        if q.type == "choice" and not q.options:
            add(("questions", i, "options"), "een keuzevraag heeft opties nodig")
        if q.type != "choice" and q.options:
            add(("questions", i, "options"), "alleen een keuzevraag heeft opties")
        if q.must_be_true and q.type != "boolean":
            add(("questions", i, "must_be_true"), "alleen een ja/nee-vraag (type: boolean) kan 'must_be_true' hebben")

    from dpa_desktop.list_labels import describe_styles, is_style

    if not is_style(spec.document.item_style):
        add(("document", "item_style"), f"onbekende lijststijl '{spec.document.item_style}'; kies {describe_styles()}")
    for i, block in enumerate(spec.body):
        style = (block.style if isinstance(block, m.ListBlock)
                 else block.item_style if isinstance(block, m.ClauseBlock) else None)
        if style is not None and not is_style(style):
            key = "style" if isinstance(block, m.ListBlock) else "item_style"
            add(("body", i, key), f"onbekende lijststijl '{style}'; kies {describe_styles()}")

    for i, s in enumerate(spec.services):
        for j, pid in enumerate(s.subprocessors):
            if pid not in sub_ids:
                add(("services", i, "subprocessors", j), _unknown("subverwerker", pid, sub_ids))

    for loc, text in _texts(raw.get("body"), ("body",)):
        for name in PLACEHOLDER.findall(text):
            if name not in question_ids:
                add(loc, _unknown("vraag", name, question_ids))
    for key in ("header", "filename"):
        for name in PLACEHOLDER.findall(getattr(spec.document, key)):
            if name not in question_ids:
                add(("document", key), _unknown("vraag", name, question_ids))

    for loc, cond in _conditions(raw.get("body"), ("body",)):
        set_keys = [k for k in ("answer", "service", "any_service", "all", "any", "not") if cond.get(k)]
        if len(set_keys) != 1:
            add(loc, "een voorwaarde heeft precies één van: answer, service, any_service, all, any, not")
        if "answer" in cond and cond["answer"] not in question_ids:
            add((*loc, "answer"), _unknown("vraag", str(cond["answer"]), question_ids))
        elif "equals" in cond:
            if "answer" not in cond:
                add((*loc, "equals"), "'equals' hoort bij 'answer': welke vraag moet deze waarde hebben?")
            else:
                problem = _never_equal(spec.question(cond["answer"]), cond["equals"])
                if problem:
                    add((*loc, "equals"), problem)
        for sid in [cond.get("service"), *(cond.get("any_service") or [])]:
            if sid is not None and sid not in service_ids:
                add((*loc, "service"), _unknown("dienst", str(sid), service_ids))

    for i, block in enumerate(spec.body):
        if isinstance(block, m.SubprocessorsTableBlock):
            for j, row in enumerate(block.rows):
                for pid in row.subprocessors:
                    if pid not in sub_ids:
                        add(("body", i, "rows", j), _unknown("subverwerker", pid, sub_ids))
                for sid in row.services:
                    if sid not in service_ids:
                        add(("body", i, "rows", j), _unknown("dienst", sid, service_ids))

    # The example must be a complete, valid answer set that takes everything.
    from dpa_desktop.answers import example_answers, validate_answers

    for invalid in validate_answers(spec, example_answers(spec)):
        add(("example",), f"voorbeeldantwoord ongeldig: {invalid}")
    if set(spec.example.services) != set(service_ids):
        add(("example", "services"), "het voorbeeld moet elke dienst afnemen")
    return findings


def _never_equal(question: m.Question, value: Any) -> str | None:
    """Why ``equals: value`` can never hold for an answer to ``question``, or None."""
    if question.type == "boolean":
        if not isinstance(value, bool):
            return (f"vraag '{question.id}' is een ja/nee-vraag: 'equals' moet true of false zijn "
                    f"(zonder aanhalingstekens), niet '{value}'")
        return None
    if question.type == "choice":
        allowed = [o.value for o in question.options]
        if value not in allowed:
            return f"vraag '{question.id}' heeft geen optie '{value}'; kies uit: {', '.join(allowed)}"
        return None
    if not isinstance(value, str):
        return f"vraag '{question.id}' heeft een tekst als antwoord: 'equals' moet tekst zijn"
    return None


_YAML_PROBLEMS_NL = {
    "did not find expected key": "verwachtte hier een sleutel (controleer het inspringen)",
    "did not find expected node content": "verwachtte hier een waarde",
    "did not find expected '-' indicator": "verwachtte hier een lijstregel die met '-' begint",
    "mapping values are not allowed": "een dubbele punt waar dat niet mag (zet de tekst tussen aanhalingstekens)",
    "found character '\\t' that cannot start any token": "tabs zijn niet toegestaan; gebruik spaties",
    "found undefined alias": "onbekende verwijzing (alias)",
    "found unexpected end of stream": "het bestand houdt onverwacht op",
    "could not find expected ':'": "verwachtte een dubbele punt",
    "found unexpected ':'": "onverwachte dubbele punt",
}


def _yaml_problem_nl(problem: str) -> str:
    """The YAML parser speaks English; say the common problems in Dutch."""
    for english, dutch in _YAML_PROBLEMS_NL.items():
        if problem.startswith(english):
            return dutch
    return f"fout in de opmaak ({problem})"


def _unknown(what: str, name: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, known, n=1)
    hint = f"; bedoelt u '{close[0]}'?" if close else ""
    return f"onbekende {what} '{name}'{hint}"


# --------------------------------------------------------------------------- public API


def load_form(path: Path) -> m.FormSpec:
    """Load and validate one form file; raises FormFileError with every finding."""
    file = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FormFileError(file, [Finding(file, None, "(bestand)", f"niet leesbaar: {exc}")]) from exc
    return _parse(data, file, path.stem)


def _parse(data: bytes, file: str, stem: str) -> m.FormSpec:
    """The form in ``data`` parsed and checked."""
    import yaml

    from dpa_desktop.forms import strict

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormFileError(file, [Finding(file, None, "(bestand)", f"niet leesbaar: {exc}")]) from exc
    if "\r" in text:  # a form saved with Windows line ends
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        # libyaml when present (about ten times faster); one parse gives the nodes
        # (for line numbers) and the data.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
        try:
            root = loader.get_single_node()
            raw = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = _yaml_problem_nl(getattr(exc, "problem", None) or str(exc))
        raise FormFileError(file, [Finding(file, line, "(bestand)", f"geen geldige YAML: {problem}")]) from exc
    if not isinstance(raw, dict):
        raise FormFileError(file, [Finding(file, 1, "(bestand)", "verwacht een mapping op het hoogste niveau")])
    duplicates = _duplicate_keys(root, file)
    if duplicates:
        raise FormFileError(file, duplicates)
    tagged, problems = _tagged(raw)
    tag_findings = [strict.finding(p, root, file) for p in problems]
    try:
        spec = strict.convert(tagged, m.FormSpec, root, file)
    except strict.Invalid as exc:
        findings = sorted(tag_findings + exc.findings, key=lambda f: f.line or 0)
        raise FormFileError(file, findings) from exc
    if tag_findings:
        raise FormFileError(file, tag_findings)
    findings = _semantic_findings(spec, raw, root, file, stem)
    if findings:
        raise FormFileError(file, findings)
    return spec


def _duplicate_keys(root: yaml.Node | None, file: str) -> list[Finding]:
    """A key written twice in one mapping: YAML keeps the last silently, so the
    first would be ignored without a word."""
    import yaml

    from dpa_desktop.forms.strict import field_path

    findings: list[Finding] = []
    todo: list[tuple[yaml.Node, tuple[int | str, ...]]] = [(root, ())] if root is not None else []
    while todo:
        node, loc = todo.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                name = str(key.value)
                if name in seen:
                    findings.append(Finding(file, key.start_mark.line + 1, field_path((*loc, name)),
                                            f"sleutel '{name}' staat twee keer in dezelfde mapping"))
                seen.add(name)
                todo.append((value, (*loc, name)))
        elif isinstance(node, yaml.SequenceNode):
            todo.extend((item, (*loc, i)) for i, item in enumerate(node.value))
    return sorted(findings, key=lambda f: f.line or 0)


def load_form_by_id(form_id: str, directory: Path | None = None) -> m.FormSpec:
    """One form by id, reading only its own file (the CLI's fast path)."""
    directory = directory or paths.forms_dir()
    for suffix in FORM_SUFFIXES:
        path = directory / f"{form_id}{suffix}"
        if form_id and "/" not in form_id and "\\" not in form_id and path.is_file():
            return load_form(path)
    known = sorted(p.stem for p in directory.iterdir() if p.suffix in FORM_SUFFIXES) if directory.is_dir() else []
    raise UnknownForm(form_id, known)


def load_forms(directory: Path | None = None) -> LoadedForms:
    directory = directory or paths.forms_dir()
    forms: dict[str, m.FormSpec] = {}
    errors: list[FormFileError] = []
    files = sorted(p for p in directory.iterdir() if p.suffix in FORM_SUFFIXES) if directory.is_dir() else []
    for path in files:
        try:
            spec = load_form(path)
        except FormFileError as err:
            errors.append(err)
            continue
        forms[spec.id] = spec
    return LoadedForms(forms=forms, errors=errors)
