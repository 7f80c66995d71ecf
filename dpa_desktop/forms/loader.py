"""Load form files strictly, with errors that say file, line and field in Dutch.

The YAML is composed into nodes first so that every error location can be
walked back to the line it came from (``strict``). Semantic checks
(placeholders that name no question, services that name no subprocessor, an
example that does not validate, key terms that leave out a value the review
needs or cite a clause or words that are not in the agreement) run after the
structural ones, and one broken form never stops the other forms from loading.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
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
# Limits checked before a form's data is built: an alias bomb of a few kilobytes
# expands to billions of nodes when walked. The shipped forms are below 70 kB
# and 15,000 nodes and use no aliases.
MAX_FORM_BYTES = 2_000_000
MAX_FORM_NODES = 200_000
MAX_FORM_ALIASES = 200
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

    # Texts of list-table columns may name their list's sub-fields: checked in _list_findings.
    column_texts = {("body", i, "columns", j, "text")
                    for i, block in enumerate(spec.body) if isinstance(block, m.ListTableBlock)
                    for j in range(len(block.columns))}
    for loc, text in _texts(raw.get("body"), ("body",)):
        if loc in column_texts:
            continue
        for name in PLACEHOLDER.findall(text):
            if (message := _placeholder_problem(spec, name)) is not None:
                add(loc, message)
    for key in ("header", "filename"):
        for name in PLACEHOLDER.findall(getattr(spec.document, key)):
            if (message := _placeholder_problem(spec, name)) is not None:
                add(("document", key), message)

    _list_findings(spec, raw, add)
    _processor_findings(spec, add)

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

    for i, p in enumerate(spec.subprocessors):
        status = "outside" if p.country not in m.EEA_COUNTRIES else "inside"
        if p.outside_eea is not None and p.country != m.UNKNOWN_COUNTRY and (
                p.outside_eea != (status == "outside")):
            where = "buiten" if status == "outside" else "in"
            add(("subprocessors", i, "outside_eea"),
                f"{p.country} ligt {where} de EER; laat outside_eea weg of corrigeer het land")

    for i, block in enumerate(spec.body):
        if isinstance(block, m.SubprocessorsTableBlock):
            for j, row in enumerate(block.rows):
                unknown = [pid for pid in row.subprocessors if pid in sub_ids
                           and spec.subprocessor(pid).country == m.UNKNOWN_COUNTRY]
                if row.label is None and unknown:
                    add(("body", i, "rows", j, "subprocessors"),
                        f"het land van '{unknown[0]}' is onbekend: geef deze rij een label "
                        "zoals de overeenkomst het drukt")

    for loc, message in _key_term_problems(spec.key_terms):
        add(("key_terms", *loc), message)

    # The example must be a complete, valid answer set that takes everything.
    from dpa_desktop.answers import example_answers, validate_answers

    list_ids = {q.id for q in spec.list_questions()}
    for invalid in validate_answers(spec, example_answers(spec)):
        qid, _, cell = invalid.field.partition(".")
        if qid in list_ids:  # at the row and the cell: "example.lists.subverwerkers[2].land"
            row_no, _, sub_id = cell.partition(".")
            at: Loc = ("example", "lists", qid) + ((int(row_no) - 1,) if row_no.isdigit() else ()) \
                + ((sub_id,) if sub_id else ())
            add(at, f"voorbeeldantwoord ongeldig: {invalid}")
        else:
            add(("example",), f"voorbeeldantwoord ongeldig: {invalid}")
    if set(spec.example.services) != set(service_ids):
        add(("example", "services"), "het voorbeeld moet elke dienst afnemen")
    if not findings:
        # The clauses exist only in the agreement as assembled, which needs a form
        # without the problems above; the example takes every part, so it holds all clauses.
        for loc, message in _clause_problems(spec, example_answers(spec)):
            add(("key_terms", *loc), message)
    return findings


def _placeholder_problem(spec: m.FormSpec, name: str) -> str | None:
    """Why ``{{name}}`` cannot stand in running text; None when it names a question."""
    for q in spec.questions:
        if q.id == name:
            if q.type == "list":
                return (f"de lijstvraag '{name}' kan niet als {{{{{name}}}}} in de tekst staan; "
                        "druk haar rijen af met een list_table-blok")
            return None
    for q in spec.list_questions():
        if any(f.id == name for f in q.fields):
            return (f"'{name}' is een kolom van de lijstvraag '{q.id}'; die kan alleen in een "
                    f"kolom van een list_table van '{q.id}' staan")
    return _unknown("vraag", name, [q.id for q in spec.questions if q.type != "list"])


# Keys of a question that mean nothing for a list, and those only a list has.
_NOT_FOR_LISTS = ("required", "min_length", "max_length", "options", "profile", "placeholder")
_LIST_ONLY = ("item_label", "fields", "min_items", "max_items")


def _list_findings(spec: m.FormSpec, raw: dict[str, Any], add: Callable[[Loc, str], None]) -> None:
    """Lists (repeating groups): their questions, their tables, their use elsewhere."""
    given_questions = raw.get("questions")
    raw_questions: list[Any] = given_questions if isinstance(given_questions, list) else []
    for i, q in enumerate(spec.questions):
        given = raw_questions[i] if i < len(raw_questions) and isinstance(raw_questions[i], dict) else {}
        if q.type != "list":
            for key in _LIST_ONLY:
                if key in given:
                    add(("questions", i, key), f"alleen een lijstvraag (type: list) heeft '{key}'")
            continue
        for key in _NOT_FOR_LISTS:
            if key in given:
                add(("questions", i, key), f"'{key}' hoort niet bij een lijstvraag; "
                    + ("gebruik min_items" if key == "required" else "zet het bij de kolommen (fields)"
                       if key in ("min_length", "max_length", "options", "placeholder")
                       else "een lijst wordt niet uit het praktijkprofiel ingevuld"))
        if not q.item_label:
            add(("questions", i), "een lijstvraag heeft 'item_label' nodig: hoe één rij heet in "
                                  "meldingen, bijvoorbeeld 'Subverwerker'")
        if not q.fields:
            add(("questions", i), "een lijstvraag heeft 'fields' nodig: de kolommen van een rij")
        if q.min_items > q.max_items:
            add(("questions", i, "min_items"),
                f"min_items ({q.min_items}) is groter dan max_items ({q.max_items})")
        seen: set[str] = set()
        for j, sub in enumerate(q.fields):
            if sub.id in seen:
                add(("questions", i, "fields", j, "id"), f"kolom '{sub.id}' komt dubbel voor")
            seen.add(sub.id)
            if sub.type not in m.CELL_TYPES:
                add(("questions", i, "fields", j, "type"),
                    f"type '{sub.type}' past niet in een tabelcel; kies uit: {', '.join(m.CELL_TYPES)}")
            if sub.type == "choice" and not sub.options:
                add(("questions", i, "fields", j, "options"), "een keuzevraag heeft opties nodig")
            if sub.type != "choice" and sub.options:
                add(("questions", i, "fields", j, "options"), "alleen een keuzevraag heeft opties")

    for i, block in enumerate(spec.body):
        if not isinstance(block, m.ListTableBlock):
            continue
        lists = [q.id for q in spec.list_questions()]
        if block.list_table not in lists:
            add(("body", i, "list_table"), _unknown("lijstvraag", block.list_table, lists))
            continue
        q = spec.question(block.list_table)
        subs = [f.id for f in q.fields]
        scalars = [x.id for x in spec.questions if x.type != "list"]
        if not block.columns:
            add(("body", i, "columns"), "een list_table heeft minstens één kolom nodig")
        if block.widths and len(block.widths) != len(block.columns):
            add(("body", i, "widths"),
                f"{len(block.widths)} breedtes voor {len(block.columns)} kolommen")
        if q.min_items == 0 and block.empty is None:
            add(("body", i), f"de lijst '{q.id}' mag leeg zijn (min_items 0): zet bij 'empty' "
                             "wat de overeenkomst dan zegt")
        for j, col in enumerate(block.columns):
            if (col.field is None) == (col.text is None):
                add(("body", i, "columns", j), "een kolom heeft precies één van: field, text")
            if col.field is not None and col.field not in subs:
                add(("body", i, "columns", j, "field"), _unknown_column(q, col.field))
            for name in PLACEHOLDER.findall(col.text or ""):
                if name not in subs and name not in scalars:
                    add(("body", i, "columns", j, "text"), _unknown("kolom of vraag", name, subs + scalars))

    for loc, cond in _conditions(raw.get("body"), ("body",)):
        answer = cond.get("answer")
        if isinstance(answer, str) and "equals" in cond and any(q.id == answer for q in spec.list_questions()):
            add((*loc, "equals"), f"'{answer}' is een lijstvraag: een voorwaarde kan alleen vragen "
                                  "of zij rijen heeft (zonder equals)")

    for q in spec.list_questions():
        rows = spec.example.lists.get(q.id, ())
        if not rows:
            add(("example", "lists"), f"het voorbeeld moet de lijst '{q.id}' met minstens één rij vullen")
        for r, row in enumerate(rows):
            for sub in q.fields:
                if row.get(sub.id) in (None, ""):
                    add(("example", "lists", q.id, r),
                        f"het voorbeeld vult elke kolom; '{sub.id}' ontbreekt in rij {r + 1}")

    for key, source in (("services_from", spec.services_from), ("subprocessors_from", spec.subprocessors_from)):
        if source is None:
            continue
        lists = [q.id for q in spec.list_questions()]
        if source.list not in lists:
            add((key, "list"), _unknown("lijstvraag", source.list, lists))
            continue
        q = spec.question(source.list)
        subs = [f.id for f in q.fields]
        for field_name in ("name", "country", "outside_eea", "description"):
            named: str | None = getattr(source, field_name, None)
            if named is None:
                continue
            if named not in subs:
                add((key, field_name), _unknown_column(q, named))
            elif field_name == "outside_eea" and (q.sub(named).type != "boolean" or not q.sub(named).required):
                # Left empty it would read as inside the EEA; unknown is never read as inside.
                add((key, field_name), f"kolom '{named}' moet een verplichte ja/nee-vraag (type boolean) zijn")


def _processor_findings(spec: m.FormSpec, add: Callable[[Loc, str], None]) -> None:
    """A processor typed by the user: placeholders name plain questions, and a label names the form."""
    typed = False
    for key in ("name", "short_name", "kvk", "address", "place", "country", "breach_email", "breach_phone"):
        value = getattr(spec.processor, key)
        for name in PLACEHOLDER.findall(value or ""):
            typed = True
            if (message := _placeholder_problem(spec, name)) is not None:
                add(("processor", key), message)
            elif key == "name" and not spec.question(name).required:
                add(("processor", key), f"de naam van de verwerker komt uit een verplichte vraag; "
                                        f"'{name}' is optioneel")
    if typed and not spec.processor.label:
        add(("processor",), "de verwerker wordt ingevuld: geef bij 'label' de naam waaronder het "
                            "formulier in lijsten staat")
    if PLACEHOLDER.search(spec.processor.label or ""):
        add(("processor", "label"), "het label staat in lijsten voordat er antwoorden zijn en kan "
                                    "geen {{...}} bevatten")


# What each key term needs besides its main value, unless that value is not_regulated.
_TERM_NEEDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "breach_notification": ("deadline", ()),
    "subprocessor_consent": ("model", ()),
    "data_location": ("region", ("outside_eea",)),
    "audit": ("model", ("frequency", "cost")),
    "liability": ("model", ("cap", "fines")),
}
_MISSING = "verplicht veld ontbreekt"


def _key_term_problems(terms: m.KeyTerms) -> Iterable[tuple[Loc, str]]:
    """Values a term needs and values that contradict each other.

    A term that is not regulated has no article and nothing else; any other term
    has an article and every value the review compares, so none is left to a default.
    """
    for name, (main, needs) in _TERM_NEEDS.items():
        term = getattr(terms, name)
        value = getattr(term, main)
        extra = [k for k in (*needs, "quote") if getattr(term, k) is not None]
        if value == m.NOT_REGULATED:
            if term.article is not None:
                yield (name, "article"), "een term die 'not_regulated' is, heeft geen artikel"
            for key in extra:
                yield (name, key), f"hoort niet bij {main}: not_regulated; laat het weg"
            if term.also:
                yield (name, "also"), f"hoort niet bij {main}: not_regulated; laat het weg"
            continue
        if term.article is None:
            yield (name, "article"), f"{_MISSING} (of zet {main}: not_regulated)"
        for key in needs:
            if getattr(term, key) is None:
                yield (name, key), _MISSING
    breach = terms.breach_notification
    if breach.deadline == "hours":
        if breach.hours is None:
            yield ("breach_notification", "hours"), f"{_MISSING} bij deadline: hours"
        if breach.firm is None:
            yield ("breach_notification", "firm"), (
                f"{_MISSING} bij deadline: hours (true: 'uiterlijk binnen', "
                "false: 'voor zover mogelijk')")
    else:
        for key in ("hours", "firm"):
            if getattr(breach, key) is not None:
                yield ("breach_notification", key), "hoort alleen bij deadline: hours"
    liability = terms.liability
    if liability.model not in (m.NOT_REGULATED, "unknown"):
        if liability.model == "uncapped" and liability.cap not in (None, "none"):
            yield ("liability", "cap"), "bij model: uncapped is cap: none"
        if liability.model != "uncapped" and liability.cap == "none":
            yield ("liability", "cap"), f"bij model: {liability.model} is er een beperking"
    if (liability.cap == "amount") != (liability.cap_eur is not None):
        yield ("liability", "cap_eur"), "cap_eur hoort bij cap: amount, en cap: amount bij cap_eur"


def _clause_problems(spec: m.FormSpec, answers: Any) -> Iterable[tuple[Loc, str]]:
    """Every article a key term names stands in the agreement, and every quote in it."""
    from dpa_desktop.assemble import build_document
    from dpa_desktop.review.clauses import clause_index, quote_stands_in

    index = clause_index(build_document(spec, answers))

    def check(loc: Loc, article: str, quote: str | None) -> Iterable[tuple[Loc, str]]:
        text = index.get(article)
        if text is None:
            yield (*loc, "article"), f"artikel '{article}' staat niet in de tekst van de overeenkomst"
        elif quote is not None and not quote_stands_in(quote, text):
            yield (*loc, "quote"), (f"deze woorden staan niet in artikel {article}; citeer letterlijk "
                                    "en schrijf weggelaten woorden als ' … '")

    terms = spec.key_terms
    for name in _TERM_NEEDS:
        term = getattr(terms, name)
        if term.article is not None:
            yield from check((name,), term.article, term.quote)
        for i, ref in enumerate(term.also):
            yield from check((name, "also", i), ref.article, ref.quote)
    listed = terms.subprocessor_consent.listed_in
    if listed is not None and listed not in index:
        yield ("subprocessor_consent", "listed_in"), (
            f"'{listed}' staat niet in de tekst van de overeenkomst")
    for letter, article in terms.art28.items():
        if article not in index:
            yield ("art28", letter), f"artikel '{article}' staat niet in de tekst van de overeenkomst"


def _never_equal(question: m.Question, value: Any) -> str | None:
    """Why ``equals: value`` can never hold for an answer to ``question``, or None."""
    if question.type == "list":
        return None  # a list cannot be compared at all: _list_findings says so
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


def _graph_problem(root: yaml.Node) -> str | None:
    """Why a composed YAML document is too big to build, or None.

    Walks the node graph once without recursion: each node is counted with
    everything below it as the built data would repeat it, so an alias used
    many times counts many times; a node that contains itself is refused.
    """
    import yaml

    mapping, sequence = yaml.MappingNode, yaml.SequenceNode
    size: dict[int, int] = {}
    on_path: set[int] = set()
    aliases = 0
    # (node, its children once expanded, or None before)
    stack: list[tuple[yaml.Node, list[yaml.Node] | None]] = [(root, None)]
    while stack:
        node, kids = stack.pop()
        key = id(node)
        if kids is not None:
            on_path.discard(key)
            total = 1
            for kid in kids:
                total += size[id(kid)]
            if total > MAX_FORM_NODES:
                return (f"het bestand wordt te groot als het wordt uitgewerkt (meer dan "
                        f"{MAX_FORM_NODES} onderdelen, door herhaalde verwijzingen)")
            size[key] = total
            continue
        if key in size:
            aliases += 1
            if aliases > MAX_FORM_ALIASES:
                return f"meer dan {MAX_FORM_ALIASES} verwijzingen (aliassen)"
            continue
        if key in on_path:
            return "een verwijzing (alias) bevat zichzelf"
        if isinstance(node, mapping):
            kids = [part for pair in node.value for part in pair]
        elif isinstance(node, sequence):
            kids = list(node.value)
        else:
            size[key] = 1
            continue
        on_path.add(key)
        stack.append((node, kids))
        stack.extend((kid, None) for kid in reversed(kids))
    return None


def _yaml_problem_nl(problem: str) -> str:
    """The YAML parser speaks English; say the common problems in Dutch."""
    for english, dutch in _YAML_PROBLEMS_NL.items():
        if problem.startswith(english):
            return dutch
    return f"fout in de opmaak ({problem})"


def _unknown_column(question: m.Question, name: str) -> str:
    """'onbekende kolom', with the nearest name or else the list's columns."""
    subs = [f.id for f in question.fields]
    message = _unknown("kolom", name, subs)
    if "bedoelt u" not in message:
        message += f"; de lijst '{question.id}' heeft: {', '.join(subs)}"
    return message


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

    if len(data) > MAX_FORM_BYTES:
        raise FormFileError(file, [Finding(file, None, "(bestand)", f"te groot ({len(data)} bytes; "
                                           f"ten hoogste {MAX_FORM_BYTES})")])
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
            too_big = _graph_problem(root) if root is not None else None
            if too_big:
                raise FormFileError(file, [Finding(file, None, "(bestand)", too_big)])
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
        except Exception as exc:  # MemoryError, RecursionError too: one bad file never stops the rest
            errors.append(FormFileError(path.name, [Finding(path.name, None, "(bestand)",
                                                            f"kan niet worden geladen ({exc!r:.200})")]))
            continue
        forms[spec.id] = spec
    return LoadedForms(forms=forms, errors=errors)
