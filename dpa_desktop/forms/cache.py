"""Validated forms kept as msgpack, so a process whose form files did not change never parses YAML.

Loading vcare.yaml in a fresh process costs about 45 ms: importing PyYAML, parsing
with libyaml, the strict conversion and the semantic checks. Decoding the same
``FormSpec`` from the cache takes a few milliseconds and imports nothing new;
the CLI's ``fill`` is timed as a whole process, so that difference counts.

A cache file is only ever written for a form that loaded without findings, and
it is used only when its header names exactly what produced it: the form's file
name and bytes, the app's and msgspec's versions, and a fingerprint of the code
that turns a form file into a ``FormSpec``, so a new field or default during
development invalidates it although the version string stays the same. The
payload carries its own checksum, so a damaged file that happens to decode is
not trusted. Anything odd (unreadable, damaged, unwritable) only costs time:
the form is parsed as if there were no cache.

The payload is deflated: a third of the size, and the forms' example answers
(fictitious names, addresses, phone numbers) do not lie in the data directory
as plain text, where tests/store/test_store_no_plaintext.py searches for them
as stand-ins for a practice's own details. That is no protection (the same
text ships in forms/); it keeps that test's search meaningful.
"""

from __future__ import annotations

import functools
import importlib
import types
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec

import dpa_desktop
from dpa_desktop import cache_files, paths
from dpa_desktop.forms import model as m

# Bump when the layout of a cache file changes.
_FORMAT = 1
SUFFIX = ".msgpack.zlib"
# The modules whose code decides what a form file becomes (``fingerprint``).
_SOURCES = ("dpa_desktop.forms.model", "dpa_desktop.forms.loader")


def _checksum(data: bytes) -> str:
    """64 bits from zlib: hashlib's import alone costs 5-10 ms of a fresh process."""
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def cache_file(form: Path) -> Path:
    """One cache file per form file name, overwritten when the form changes (no pile of stale files)."""
    return paths.cache_dir() / "forms" / f"{form.name}{SUFFIX}"


def key(form: Path, data: bytes) -> bytes:
    """What the cached spec must have been made from; ``data`` is the form file's bytes.

    The file name is part of it because the loader checks the id against it.
    """
    parts = (
        f"v{_FORMAT}", ascii(form.name), str(len(data)), _checksum(data),
        dpa_desktop.__version__, msgspec.__version__, fingerprint(),
    )
    return "|".join(parts).encode("ascii")


def read(form: Path, form_key: bytes) -> m.FormSpec | None:
    """The cached spec of ``form`` if it was made from exactly ``form_key``; None otherwise."""
    blob = cache_files.read(cache_file(form))
    if blob is None:
        return None
    header, newline, payload = blob.partition(b"\n")
    if not newline or header != form_key + b"|" + _checksum(payload).encode("ascii"):
        return None
    try:
        return msgspec.msgpack.decode(zlib.decompress(payload), type=m.FormSpec)
    except (msgspec.MsgspecError, zlib.error, ValueError, RecursionError, MemoryError):
        return None


def write(form: Path, form_key: bytes, spec: m.FormSpec) -> None:
    """Keep a spec that loaded without findings; a cache that cannot be written only costs time."""
    payload = zlib.compress(msgspec.msgpack.encode(spec))
    cache_files.write(cache_file(form), form_key + b"|" + _checksum(payload).encode("ascii") + b"\n" + payload)


# --------------------------------------------------------------------------- fingerprint


@functools.cache
def fingerprint() -> str:
    """A checksum of everything in the model and loader modules that shapes a ``FormSpec``.

    Built from the live objects, not from source files (a frozen app has none):
    each Struct's fields, names as encoded, defaults, configuration and own
    annotations; the type aliases those annotations name; and the bytecode of
    the module-level functions (``block_kind`` picks a block's kind, the loader
    tags and checks). Line numbers are left out, so moving code does not
    invalidate the cache; every part must read the same in every process, so
    nothing whose text holds a memory address or depends on hash order is used.
    """
    text = "\n".join(line for name in _SOURCES for line in describe(importlib.import_module(name)))
    return _checksum(text.encode("utf-8", "surrogatepass"))


def describe(module: types.ModuleType) -> Iterator[str]:
    """One line per global of ``module``, stable across processes."""
    for name, value in sorted(vars(module).items()):
        if name.startswith("__") or isinstance(value, types.ModuleType):
            continue
        value = getattr(value, "__wrapped__", value)  # functools.cache and the like
        if isinstance(value, type) and issubclass(value, msgspec.Struct):
            yield f"{name} = struct {_struct(value)}"
        elif isinstance(value, types.FunctionType) and value.__module__ == module.__name__:
            yield f"{name} = def {_code(value.__code__)}"
        elif isinstance(value, type | types.FunctionType | types.BuiltinFunctionType):
            yield f"{name} = {value.__module__}.{value.__qualname__}"
        else:
            yield f"{name} = {_stable_repr(value)}"


def _struct(cls: type[msgspec.Struct]) -> str:
    config = cls.__struct_config__
    settings = {attr: getattr(config, attr) for attr in (
        "tag", "tag_field", "array_like", "forbid_unknown_fields", "omit_defaults", "frozen")}
    defaults = tuple(_default(d) for d in cls.__struct_defaults__)
    return repr((cls.__qualname__, cls.__struct_fields__, cls.__struct_encode_fields__, defaults, settings,
                 vars(cls).get("__annotations__", {})))


def _default(value: Any) -> str:
    """A default as its value: msgspec keeps ``{}`` and ``[]`` defaults as factories."""
    factory = getattr(value, "factory", None)
    if factory is not None and type(value).__name__ == "Factory":
        return f"factory:{_stable_repr(factory())}"
    return _stable_repr(value)


def _code(code: types.CodeType) -> str:
    """What a function does, without its file name and line numbers."""
    consts = ", ".join(_code(c) if isinstance(c, types.CodeType) else _stable_repr(c) for c in code.co_consts)
    return f"{code.co_name}({code.co_code.hex()}; {code.co_names}; {code.co_varnames}; {consts})"


def _stable_repr(value: Any) -> str:
    if isinstance(value, frozenset | set):  # iteration order follows the hash seed
        return "{" + ", ".join(sorted(_stable_repr(v) for v in value)) + "}"
    if isinstance(value, tuple | list):
        return "(" + ", ".join(_stable_repr(v) for v in value) + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_stable_repr(k)}: {_stable_repr(v)}" for k, v in value.items()) + "}"
    text = repr(value)
    # An object that only shows its address says nothing stable about itself.
    return type(value).__qualname__ if " at 0x" in text else text
