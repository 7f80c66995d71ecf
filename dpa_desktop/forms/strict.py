"""Convert YAML data to msgspec Structs strictly, with every problem in Dutch.

msgspec converts a whole file in C and stops at its first problem. Only when
that fails is the data converted again part by part (each key of a mapping,
each item of a list, down to the part that fails), so one run reports every
problem, each with its field and the line it came from in the YAML node tree.
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

import msgspec
import yaml

from dpa_desktop.errors import Finding

Loc = tuple[int | str, ...]
T = TypeVar("T")

MISSING = "verplicht veld ontbreekt"
UNKNOWN = "onbekend veld"

# msgspec's names of the types it expected, as the Dutch in "moet ... zijn".
_TYPE_NL = {
    "str": "tekst",
    "int": "een geheel getal",
    "float": "een getal",
    "bool": "ja of nee (true/false)",
    "array": "een lijst",
    "object": "een mapping (sleutel: waarde)",
}
# The id patterns of the models, said in words.
_PATTERN_NL = {
    r"^[a-z][a-z0-9_]*$": "kleine letters, cijfers en '_', beginnend met een letter",
    r"^[a-z][a-z0-9-]*$": "kleine letters, cijfers en '-', beginnend met een letter",
}

# "<message> - at `$.body[3].items[0]`", or "- at `key` in `$.x`" for a key of a dict.
_ERROR = re.compile(r"\A(?P<text>.*?)(?: - at (?P<key>`key` in )?`(?P<path>\$[^`]*)`)?\Z", re.S)
_PATH_PART = re.compile(r"\.(?P<name>[^.\[]+)|\[(?P<index>\d+)\]|\[\.\.\.\]")
_MISSING = re.compile(r"\AObject missing required field `(?P<name>.*)`\Z", re.S)
_UNKNOWN = re.compile(r"\AObject contains unknown field `(?P<name>.*)`\Z", re.S)
_WRONG_TYPE = re.compile(r"\AExpected `(?P<expected>[^`]+)`, got `(?P<got>[^`]+)`\Z")
_PATTERN = re.compile(r"\AExpected `[^`]+` matching regex '(?P<pattern>.*)'\Z", re.S)
_LENGTH = re.compile(r"\AExpected `(?P<expected>[^`]+)` of length (?P<op>[<>]=?) (?P<bound>\S+)\Z")
_BOUND = re.compile(r"\AExpected `(?P<expected>[^`]+)` (?P<op>[<>]=?) (?P<bound>\S+)\Z")
_ENUM = re.compile(r"\AInvalid enum value (?P<value>.*)\Z", re.S)


class Invalid(Exception):
    """The data does not fit the type; every finding, in file order."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        super().__init__("\n".join(str(f) for f in findings))


@dataclass(frozen=True)
class Problem:
    """A problem at a location; ``at_key`` points at the key's line, not its value's."""

    loc: Loc
    message: str
    at_key: bool = False


# --------------------------------------------------------------------------- the YAML node tree


def node_at(root: yaml.Node | None, loc: Iterable[int | str]) -> yaml.Node | None:
    """Follow a location through the YAML node tree.

    Location parts that are not keys or indexes are skipped. Returns the
    deepest node reached, so a missing key points at its parent.
    """
    node = root
    for part in loc:
        if node is None:
            return None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(part):
                    node = value_node
                    break
            else:
                continue
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                node = node.value[part]
            else:
                return node
    return node


def key_node(root: yaml.Node | None, loc: Loc) -> yaml.Node | None:
    """For an unknown key, the node of the key itself (its line)."""
    parent = node_at(root, loc[:-1])
    if isinstance(parent, yaml.MappingNode):
        for key, _ in parent.value:
            if key.value == str(loc[-1]):
                found: yaml.Node = key
                return found
    return parent


def line_of(node: yaml.Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


def field_path(loc: Loc) -> str:
    """The field as the user reads it: ``processor.short_name``, ``body[4].heading``."""
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part + 1}]")
        else:
            parts.append(("." if parts else "") + part)
    return "".join(parts) or "(bestand)"


def finding(problem: Problem, root: yaml.Node | None, file: str) -> Finding:
    node = key_node(root, problem.loc) if problem.at_key and problem.loc else node_at(root, problem.loc)
    return Finding(file=file, line=line_of(node), field=field_path(problem.loc), message=problem.message)


# --------------------------------------------------------------------------- conversion


def convert(data: Any, cls: type[T], root: yaml.Node | None, file: str) -> T:
    """``data`` as a ``cls``; raises Invalid with every problem found."""
    try:
        return msgspec.convert(data, cls)
    except msgspec.ValidationError as exc:
        found = _parts(data, cls, ()) or [translate(str(exc), cls, ())]
        raise Invalid([finding(p, root, file) for p in found]) from exc


def problems(value: Any, tp: Any, loc: Loc = ()) -> list[Problem]:
    """Every problem of ``value`` as a ``tp``; empty when it converts."""
    try:
        msgspec.convert(value, tp)
    except msgspec.ValidationError as exc:
        # The first problem only; look deeper for all of them.
        return _parts(value, tp, loc) or [translate(str(exc), tp, loc)]
    return []


def unknown_key(cls: type[msgspec.Struct], name: str) -> str:
    """'onbekend veld', with the nearest allowed key (as the file spells it)."""
    close = difflib.get_close_matches(name, allowed_keys(cls), n=1)
    return f"{UNKNOWN}; bedoelt u '{close[0]}'?" if close else UNKNOWN


def allowed_keys(cls: type[msgspec.Struct]) -> list[str]:
    return [f.encode_name for f in msgspec.structs.fields(cls)]


def _bare(tp: Any) -> Any:
    """The type without its constraints (Annotated metadata)."""
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    return tp


def _is_struct(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, msgspec.Struct)


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (Union, types.UnionType)


def _is_fixed_tuple(tp: Any) -> bool:
    """tuple[A, B] (one type per place), not tuple[A, ...] or list[A]."""
    args = get_args(tp)
    return get_origin(tp) is tuple and not (len(args) == 2 and args[1] is Ellipsis)


def _item_type(tp: Any, index: int) -> Any:
    """The type of item ``index`` of a tuple or list type; None past a fixed tuple's end."""
    args = get_args(tp)
    if _is_fixed_tuple(tp):
        return args[index] if index < len(args) else None
    return args[0] if args else Any


def _parts(value: Any, tp: Any, loc: Loc) -> list[Problem]:
    """Convert the parts of a failed value one by one; empty if it has no parts."""
    tp = _bare(tp)
    origin = get_origin(tp)
    if _is_union(tp):
        members = [_bare(a) for a in get_args(tp)]
        structs = [a for a in members if _is_struct(a)]
        if isinstance(value, dict) and structs:
            return _tagged_union(value, structs, loc)
        sequences = [a for a in members if get_origin(a) in (tuple, list)]
        if isinstance(value, list) and len(sequences) == 1:
            return _parts(value, sequences[0], loc)
        return []
    if _is_struct(tp) and isinstance(value, dict):
        return _struct(value, tp, loc)
    if origin in (tuple, list) and isinstance(value, list):
        if _is_fixed_tuple(tp) and len(get_args(tp)) != len(value):
            return []
        found: list[Problem] = []
        for i, item in enumerate(value):
            found += problems(item, _item_type(tp, i), (*loc, i))
        return found
    if origin is dict and isinstance(value, dict):
        key_type, value_type = get_args(tp) or (Any, Any)
        found = []
        for key, item in value.items():
            try:
                msgspec.convert(key, key_type)
            except msgspec.ValidationError as exc:
                found.append(Problem((*loc, str(key)), _key_message(str(exc), key_type), at_key=True))
            found += problems(item, value_type, (*loc, str(key)))
        return found
    return []


def _tagged_union(value: dict[Any, Any], structs: list[Any], loc: Loc) -> list[Problem]:
    tagged = [s for s in structs if s.__struct_config__.tag_field is not None]
    if not tagged:
        return _struct(value, structs[0], loc) if len(structs) == 1 else []
    tag_field = tagged[0].__struct_config__.tag_field
    for cls in tagged:
        if value.get(tag_field) == cls.__struct_config__.tag:
            return _struct(value, cls, loc)
    kinds = ", ".join(str(s.__struct_config__.tag) for s in tagged)
    return [Problem(loc, f"onbekend bloktype; kies uit: {kinds}")]


def _struct(value: dict[Any, Any], cls: type[msgspec.Struct], loc: Loc) -> list[Problem]:
    """Unknown keys, missing keys, and the problems of each known key's value."""
    fields = {f.encode_name: f for f in msgspec.structs.fields(cls)}
    tag_field = cls.__struct_config__.tag_field
    found: list[Problem] = []
    for key, item in value.items():
        name = str(key)
        if tag_field is not None and key == tag_field:
            continue  # put there by the caller, from the block's first key
        info = fields.get(name) if isinstance(key, str) else None
        if info is None:
            found.append(Problem((*loc, name), unknown_key(cls, name), at_key=True))
        else:
            found += problems(item, info.type, (*loc, name))
    for name, info in fields.items():
        if info.required and name not in value:
            found.append(Problem((*loc, name), MISSING))
    return found


# --------------------------------------------------------------------------- msgspec's words in Dutch


def translate(error: str, tp: Any, loc: Loc) -> Problem:
    """One msgspec error about a ``tp`` at ``loc`` as a Dutch problem at its own location."""
    match = _ERROR.match(error)
    text, path = (match["text"], match["path"]) if match else (error, None)
    inner = _path_loc(path or "$")
    where = (*loc, *inner)
    here = _type_at(tp, inner)
    if match and match["key"]:
        return Problem(where, _key_message(text, _key_type(here)))
    if found := _MISSING.match(text):
        return Problem((*where, found["name"]), MISSING)
    if found := _UNKNOWN.match(text):
        name = found["name"]
        struct = _struct_in(here)
        message = unknown_key(struct, name) if struct is not None else UNKNOWN
        return Problem((*where, name), message, at_key=True)
    return Problem(where, _value_message(text, here))


def _key_message(text: str, key_type: Any) -> str:
    choices = _choices(key_type)
    if _ENUM.match(text) and choices:
        return f"ongeldige sleutel; toegestaan: {', '.join(choices)}"
    return f"ongeldige sleutel: {_value_message(text, key_type)}"


def _value_message(text: str, tp: Any) -> str:
    if found := _WRONG_TYPE.match(text):
        expected = [t for t in found["expected"].split(" | ") if t != "null"]
        got = found["got"]
        if all(t in _TYPE_NL for t in expected):
            message = f"moet {_either([_TYPE_NL[t] for t in expected])} zijn"
            if got == "null":
                message += "; de waarde is leeg"
            elif "str" in expected and got in ("int", "float", "bool", "date", "datetime"):
                message += "; zet de waarde tussen aanhalingstekens"
            return message
    elif found := _PATTERN.match(text):
        pattern = found["pattern"]
        return f"ongeldige opmaak; toegestaan: {_PATTERN_NL.get(pattern, f'het patroon {pattern}')}"
    elif found := _LENGTH.match(text):
        unit = "teken(s)" if found["expected"] == "str" else "onderdeel/onderdelen"
        if found["op"].startswith(">"):
            return f"is te kort; minimaal {found['bound']} {unit}"
        return f"is te lang; maximaal {found['bound']} {unit}"
    elif found := _BOUND.match(text):
        bound = found["bound"]
        return {
            ">=": f"is te klein; minimaal {bound}",
            ">": f"is te klein; moet groter zijn dan {bound}",
            "<=": f"is te groot; maximaal {bound}",
            "<": f"is te groot; moet kleiner zijn dan {bound}",
        }[found["op"]]
    elif _ENUM.match(text):
        choices = _choices(tp)
        return f"ongeldige waarde; toegestaan: {', '.join(choices)}" if choices else "ongeldige waarde"
    return f"ongeldige waarde ({text})"


def _either(words: list[str]) -> str:
    if len(words) > 1:
        words = [w.replace("ja of nee (true/false)", "true/false") for w in words]
        return f"{', '.join(words[:-1])} of {words[-1]}"
    return words[0]


def _choices(tp: Any) -> list[str]:
    """The allowed values of a Literal (or an optional Literal), as the file writes them."""
    tp = _bare(tp)
    if _is_union(tp):
        return [c for member in get_args(tp) for c in _choices(member)]
    if get_origin(tp) is Literal:
        return [_yaml_value(v) for v in get_args(tp)]
    return []


def _yaml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'"
    return str(value)


def _path_loc(path: str) -> Loc:
    """``$.body[3].items[0]`` as ("body", 3, "items", 0); stops at a dict's ``[...]``."""
    loc: list[int | str] = []
    pos = 1  # after "$"
    while pos < len(path):
        part = _PATH_PART.match(path, pos)
        if part is None or part.group(0) == "[...]":
            break
        loc.append(int(part["index"]) if part["index"] is not None else part["name"])
        pos = part.end()
    return tuple(loc)


def _type_at(tp: Any, loc: Loc) -> Any:
    """Best effort: the type at a location inside ``tp``; None when it cannot tell."""
    for part in loc:
        tp = _bare(tp)
        if _is_union(tp):
            members = [_bare(a) for a in get_args(tp)]
            if isinstance(part, str):
                tp = next((a for a in members if _is_struct(a) and part in allowed_keys(a)), None)
            else:
                tp = next((a for a in members if get_origin(a) in (tuple, list)), None)
            tp = _bare(tp)
        if _is_struct(tp) and isinstance(part, str):
            tp = next((f.type for f in msgspec.structs.fields(tp) if f.encode_name == part), None)
        elif get_origin(tp) in (tuple, list) and isinstance(part, int):
            tp = _item_type(tp, part)
        elif get_origin(tp) is dict:
            tp = get_args(tp)[1]
        else:
            return None
    return tp


def _struct_in(tp: Any) -> Any:
    """The Struct a type stands for: itself, or the only Struct of a union."""
    tp = _bare(tp)
    if _is_union(tp):
        structs = [a for a in map(_bare, get_args(tp)) if _is_struct(a)]
        return structs[0] if len(structs) == 1 else None
    return tp if _is_struct(tp) else None


def _key_type(tp: Any) -> Any:
    tp = _bare(tp)
    return get_args(tp)[0] if get_origin(tp) is dict else None
