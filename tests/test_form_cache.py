"""The form cache: a later process decodes a validated form instead of parsing YAML.

It must never hand out a spec the form file would not give today, and nothing
wrong with the cache (damaged, unreadable, unwritable) may reach the user.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import types
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import msgspec
import pytest

import dpa_desktop
from dpa_desktop import paths
from dpa_desktop.errors import FormFileError
from dpa_desktop.forms import cache, loader
from dpa_desktop.forms import model as m
from dpa_desktop.forms.loader import load_form, load_form_by_id, load_forms

SHIPPED = sorted(p.stem for p in paths.forms_dir().glob("*.yaml"))
DESCRIPTION = "description: "


class Parses:
    """Counts how often the loader really parses a form file (a cache miss)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = loader._parse

        def counting(data: bytes, file: str, stem: str) -> m.FormSpec:
            self.count += 1
            return real(data, file, stem)

        monkeypatch.setattr(loader, "_parse", counting)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[Parses]:
    yield Parses(monkeypatch)


def _copy(tmp_path: Path, form_id: str = "vcare") -> Path:
    target = tmp_path / "forms" / f"{form_id}.yaml"
    target.parent.mkdir(exist_ok=True)
    shutil.copy(paths.forms_dir() / f"{form_id}.yaml", target)
    return target


def _description_line(path: Path) -> str:
    return next(ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith(DESCRIPTION))


@pytest.mark.parametrize("form_id", SHIPPED)
def test_a_cached_spec_equals_the_freshly_parsed_one(form_id: str, parses: Parses) -> None:
    parsed = load_form_by_id(form_id)
    assert cache.cache_file(paths.forms_dir() / f"{form_id}.yaml").is_file()
    cached = load_form_by_id(form_id)
    assert parses.count == 1
    assert type(cached) is m.FormSpec
    assert cached == parsed
    assert msgspec.msgpack.encode(cached) == msgspec.msgpack.encode(parsed)


def test_all_forms_come_from_the_cache_the_second_time(parses: Parses) -> None:
    first = load_forms()
    assert parses.count == len(SHIPPED) and first.errors == []
    second = load_forms()
    assert parses.count == len(SHIPPED)
    assert second.forms == first.forms
    assert sorted(p.name for p in (paths.cache_dir() / "forms").iterdir()) == [
        f"{form_id}.yaml{cache.SUFFIX}" for form_id in SHIPPED
    ]


def test_an_edit_that_keeps_size_and_time_is_seen(tmp_path: Path, parses: Parses) -> None:
    path = _copy(tmp_path)
    before = load_form(path)
    line = _description_line(path)
    changed = line.replace("a", "e", 1)
    assert changed != line and len(changed) == len(line)
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(line, changed, 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    after = load_form(path)
    assert parses.count == 2
    assert after.description == before.description.replace("a", "e", 1) != before.description


def _damage_payload_text(blob: bytes) -> bytes:
    """Change one letter of a text inside the payload: it still decodes, but says something else."""
    header, newline, payload = blob.partition(b"\n")
    return header + newline + zlib.compress(zlib.decompress(payload).replace(b"Vcare", b"VCare", 1))


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda blob: b"",
    "truncated": lambda blob: blob[: len(blob) // 2],
    "no header": lambda blob: blob[blob.index(b"\n") + 1:],
    "garbage": lambda blob: os.urandom(len(blob)),
    "one bit flipped": lambda blob: blob[:-10] + bytes([blob[-10] ^ 1]) + blob[-9:],
    "payload text changed": _damage_payload_text,
    "header of another form": lambda blob: blob.replace(b"'vcare.yaml'", b"'other.yaml'", 1),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_cache_file_is_parsed_again_and_rewritten(tmp_path: Path, parses: Parses, damage: str) -> None:
    path = _copy(tmp_path)
    good = load_form(path)
    cached = cache.cache_file(path)
    blob = cached.read_bytes()
    damaged = DAMAGE[damage](blob)
    assert damaged != blob
    cached.write_bytes(damaged)
    assert load_form(path) == good
    assert parses.count == 2
    assert cached.read_bytes() == blob
    assert load_form(path) == good
    assert parses.count == 2


def test_a_payload_that_still_decodes_is_not_trusted(tmp_path: Path) -> None:
    # The check behind "payload text changed": without the checksum it would be a wrong spec.
    path = _copy(tmp_path)
    good = load_form(path)
    payload = _damage_payload_text(cache.cache_file(path).read_bytes()).partition(b"\n")[2]
    wrong = msgspec.msgpack.decode(zlib.decompress(payload), type=m.FormSpec)
    assert wrong != good


def test_an_unwritable_cache_directory_still_loads(tmp_path: Path, parses: Parses) -> None:
    # A file where the directory should be: mkdir fails on every platform, even as root.
    cache_dir = paths.cache_dir()
    cache_dir.parent.mkdir(parents=True, exist_ok=True)
    cache_dir.write_bytes(b"not a directory")
    path = _copy(tmp_path)
    assert load_form(path) == load_form(path)
    assert parses.count == 2


def test_an_unreadable_cache_file_still_loads(tmp_path: Path, parses: Parses) -> None:
    path = _copy(tmp_path)
    cache.cache_file(path).mkdir(parents=True)  # a directory cannot be read or replaced
    assert load_form(path) == load_form(path)
    assert parses.count == 2


def test_a_form_with_findings_is_never_cached_and_always_reported(tmp_path: Path, parses: Parses) -> None:
    path = _copy(tmp_path)
    load_form(path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  short_name: Vcare", "  short_nam: Vcare", 1), encoding="utf-8")
    line = next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "short_nam:" in ln)
    cache.cache_file(path).unlink()
    reports = []
    for _ in range(3):
        with pytest.raises(FormFileError) as info:
            load_form(path)
        reports.append(info.value.findings)
        assert not cache.cache_file(path).exists()
    assert reports[0] == reports[1] == reports[2]
    unknown = next(f for f in reports[0] if f.field == "processor.short_nam")
    assert (unknown.file, unknown.line) == ("vcare.yaml", line)
    assert parses.count == 4


def test_a_cached_form_that_is_broken_later_reports_its_findings(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    load_form(path)
    assert cache.cache_file(path).is_file()
    path.write_text(path.read_text(encoding="utf-8").replace("  copies: 2", "  copies: twee", 1), encoding="utf-8")
    with pytest.raises(FormFileError) as info:
        load_form(path)
    (finding,) = info.value.findings
    assert (finding.field, finding.message) == ("document.copies", "moet een geheel getal zijn")


@pytest.mark.parametrize("change", ["fingerprint", "app version", "msgspec version"])
def test_a_new_fingerprint_or_version_invalidates(
    tmp_path: Path, parses: Parses, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    path = _copy(tmp_path)
    load_form(path)
    load_form(path)
    assert parses.count == 1
    if change == "fingerprint":
        monkeypatch.setattr(cache, "fingerprint", lambda: "0" * 16)
    elif change == "app version":
        monkeypatch.setattr(dpa_desktop, "__version__", dpa_desktop.__version__ + ".dev1")
    else:
        monkeypatch.setattr(msgspec, "__version__", msgspec.__version__ + ".post1")
    load_form(path)
    load_form(path)
    assert parses.count == 2


def test_crlf_line_ends_give_the_same_spec(tmp_path: Path) -> None:
    # The bytes are read for the key; the text must still be read as Path.read_text did.
    path = _copy(tmp_path)
    lf = load_form(path)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert load_form(path) == lf


# --------------------------------------------------------------------------- the fingerprint


def _module(source: str) -> types.ModuleType:
    module = types.ModuleType("fake_model")
    sys.modules[module.__name__] = module
    try:
        exec(compile("from __future__ import annotations\n" + source, "fake_model.py", "exec"), vars(module))
    finally:
        del sys.modules[module.__name__]
    return module


BASE = """
import msgspec
from typing import Literal
Kind = Literal["a", "b"]
class Item(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    kind: Kind = "a"
    tags: tuple[str, ...] = ()
def kind_of(value):
    return "a" if "x" in value else "b"
"""

CHANGES = {
    "a new field": BASE.replace("    name: str\n", "    name: str\n    note: str = ''\n"),
    "a new default": BASE.replace('kind: Kind = "a"', 'kind: Kind = "b"'),
    "a new type": BASE.replace("tuple[str, ...]", "tuple[int, ...]"),
    "a new choice in an alias": BASE.replace('Literal["a", "b"]', 'Literal["a", "b", "c"]'),
    "a renamed key": BASE.replace("    name: str\n", "    name: str = msgspec.field(name='naam')\n"),
    "a new setting": BASE.replace("frozen=True, kw_only=True", "frozen=True, kw_only=True, tag=True"),
    "a changed function": BASE.replace('"x" in value', '"y" in value'),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_the_description_follows_every_change_to_the_model(change: str) -> None:
    assert list(cache.describe(_module(CHANGES[change]))) != list(cache.describe(_module(BASE)))


def test_moving_code_does_not_change_the_description() -> None:
    assert list(cache.describe(_module("\n\n\n" + BASE))) == list(cache.describe(_module(BASE)))


_FINGERPRINT = "from dpa_desktop.forms import loader, cache; print(cache.fingerprint())"


def test_the_fingerprint_is_the_same_in_every_process() -> None:
    seen = {cache.fingerprint.__wrapped__()}  # not the cached one: an earlier test may have patched the loader
    for seed in ("0", "1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        out = subprocess.run([sys.executable, "-c", _FINGERPRINT], check=True, capture_output=True, text=True, env=env)
        seen.add(out.stdout.strip())
    assert len(seen) == 1, seen


_PROBE = """
import json, sys
from dpa_desktop.forms.loader import load_form_by_id
spec = load_form_by_id("vcare")
print(json.dumps({"id": spec.id, "modules": sorted(sys.modules)}))
"""
PARSE_ONLY = ("yaml", "dpa_desktop.forms.strict", "difflib", "dpa_desktop.answers")


def _fresh_process() -> tuple[str, set[str]]:
    out = subprocess.run([sys.executable, "-c", _PROBE], check=True, capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return result["id"], set(result["modules"])


def test_a_warm_cache_spares_a_fresh_process_the_yaml_parser() -> None:
    assert os.environ[paths.DATA_DIR_ENV]  # the subprocesses share this test's own cache
    form_id, cold = _fresh_process()
    assert form_id == "vcare" and "yaml" in cold
    form_id, warm = _fresh_process()
    assert form_id == "vcare"
    assert not warm & set(PARSE_ONLY), warm & set(PARSE_ONLY)
