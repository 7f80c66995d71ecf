"""The font cache changes nothing but time: a face from the cache is the face
reportlab parses, and a PDF made with a warm cache is the PDF of a cold one."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFont, TTFontFace, TTFontFile

from dpa_desktop import paths
from dpa_desktop.render import fonts

FONT_FILES = sorted(fonts._FILES.values())


def _typed(value: Any) -> Any:
    """The value with every type spelled out, so that equal-but-retyped data
    (bytes for TTFNameBytes, a list for a tuple) compares unequal; dicts in order."""
    if isinstance(value, dict):
        return (type(value), [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return (type(value), [_typed(item) for item in value])
    if isinstance(value, TTFNameBytes):
        return (type(value), bytes(value), value.ustr)
    return (type(value), value)


def _state(face: TTFontFace) -> Any:
    """Everything about a face (in any order of attributes); its scale function by what it returns."""
    state = dict(vars(face))
    scale = state.pop("_pdfScale")
    return {key: _typed(value) for key, value in state.items()}, [scale(x) for x in (0, 1, -250, 1000.5, 2048)]


def _forbid_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def parse(self: Any, charInfo: int = 1) -> None:
        raise AssertionError("parsed although the cache holds the face")

    monkeypatch.setattr(TTFontFile, "extractInfo", parse)


def _cache_files() -> set[Path]:
    cache = paths.cache_dir()
    return set(cache.iterdir()) if cache.is_dir() else set()


@pytest.mark.parametrize("file_name", FONT_FILES)
def test_a_face_from_the_cache_is_the_face_reportlab_parses(file_name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(paths.fonts_dir() / file_name)
    parsed = TTFontFace(path)

    cold = fonts._CachedFace(path)  # parses and fills the cache
    (written,) = _cache_files()
    assert written.stat().st_size > 0

    _forbid_parsing(monkeypatch)
    warm = fonts._CachedFace(path)
    assert _state(cold) == _state(parsed)
    assert _state(warm) == _state(parsed)
    assert warm.charToGlyph is not cold.charToGlyph  # its own, for reportlab adds to it when shaping


def test_the_font_is_reportlabs_font_but_for_the_face() -> None:
    """_SubsetFont builds its face itself, as TTFont.__init__ does (for
    reportlab's own face class): the rest must stay what TTFont makes."""
    path = str(paths.fonts_dir() / fonts._FILES[fonts.BODY])
    ours, theirs = fonts._SubsetFont("Probe", path), TTFont("Probe", path)
    assert set(vars(ours)) - {"_widths", "_identity", "_metrics_id"} == set(vars(theirs))
    assert _state(ours.face) == _state(theirs.face)
    assert type(ours.encoding) is type(theirs.encoding) and vars(ours.encoding) == vars(theirs.encoding)
    assert type(ours.state) is type(theirs.state) and dict(ours.state) == dict(theirs.state)
    others = set(vars(theirs)) - {"face", "encoding", "state"}
    assert {key: vars(ours)[key] for key in others} == {key: vars(theirs)[key] for key in others}


_RENDER = """
import hashlib, sys
from pathlib import Path
from dpa_desktop import document as d
from dpa_desktop.answers import example_answers
from dpa_desktop.assemble import build_document
from dpa_desktop.forms.loader import load_forms
from dpa_desktop.render.pdf import render_pdf

if sys.argv[2] == "no-parsing":
    from reportlab.pdfbase.ttfonts import TTFontFile
    def refuse(self, charInfo=1):
        raise SystemExit("parsed " + self.filename)
    TTFontFile.extractInfo = refuse
out = Path(sys.argv[1])
docs = {form_id: build_document(spec, example_answers(spec)) for form_id, spec in load_forms().forms.items()}
docs["all-faces"] = d.Document(title="T", subject="S", author="A", header="", blocks=(
    d.Heading("Sub", level=3), d.Paragraph((d.Span("schuin", italic=True), d.Span(" en vet", bold=True))),
    d.Paragraph(d.plain("Ελληνικά, русский, שלום")), d.NumberedParagraph("\\u2713", d.plain("punt"), level=2)))
for name, doc in docs.items():
    render_pdf(doc, out / f"{name}.pdf")
"""


def _render_all(data_dir: Path, out: Path, *, parsing: bool = True) -> dict[str, bytes]:
    """Every shipped form and a document using all five faces, rendered in a fresh process."""
    out.mkdir()
    env = {**os.environ, paths.DATA_DIR_ENV: str(data_dir)}
    subprocess.run([sys.executable, "-c", _RENDER, str(out), "parsing" if parsing else "no-parsing"],
                   env=env, check=True, timeout=300)
    return {pdf.name: pdf.read_bytes() for pdf in sorted(out.iterdir())}


def test_a_warm_cache_gives_the_bytes_of_a_cold_one(tmp_path: Path) -> None:
    data = tmp_path / "data"
    cold = _render_all(data, tmp_path / "cold")
    cached = {p.name for p in (data / "cache").iterdir() if p.name.startswith("ttf-")}
    assert len(cached) == len(fonts._FILES)
    warm = _render_all(data, tmp_path / "warm", parsing=False)
    assert len(cold) >= 6 and warm == cold


def test_without_a_usable_cache_directory_the_pdf_is_the_same(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the data directory would be", encoding="utf-8")
    unwritable = _render_all(blocker, tmp_path / "unwritable")
    assert unwritable == _render_all(tmp_path / "data", tmp_path / "cold")


def _damage(good: bytes) -> list[bytes]:
    return [
        good[: len(good) // 2],  # truncated
        good[:1],
        b"",
        b"\x00\xffgarbage, not marshal",
        marshal.dumps([1, 2]),
        marshal.dumps({"plain": {}, "names": {}}),  # no unitsPerEm
        marshal.dumps({"plain": {"unitsPerEm": 0}, "names": {}}),
        marshal.dumps({"plain": {"unitsPerEm": 2048}, "names": {"name": "str, not bytes"}}),
    ]


def test_a_damaged_cache_is_parsed_again_and_rewritten(monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(paths.fonts_dir() / fonts._FILES[fonts.BODY])
    parsed = _state(TTFontFace(path))
    fonts._CachedFace(path)
    (cache_file,) = _cache_files()
    good = marshal.loads(cache_file.read_bytes())
    for damage in _damage(cache_file.read_bytes()):
        cache_file.write_bytes(damage)
        assert _state(fonts._CachedFace(path)) == parsed
        assert _cache_files() == {cache_file}
        assert marshal.loads(cache_file.read_bytes()) == good
    _forbid_parsing(monkeypatch)
    assert _state(fonts._CachedFace(path)) == parsed


def test_an_unreadable_or_unwritable_cache_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(paths.fonts_dir() / fonts._FILES[fonts.FALLBACK])
    parsed = _state(TTFontFace(path))

    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setattr(paths, "cache_dir", lambda: blocker / "cache")
    assert _state(fonts._CachedFace(path)) == parsed

    # The cache file's name taken by a directory: neither read nor replaced.
    monkeypatch.setattr(paths, "cache_dir", lambda: tmp_path / "cache")
    fonts._CachedFace(path)
    (cache_file,) = (tmp_path / "cache").iterdir()
    cache_file.unlink()
    cache_file.mkdir()
    assert _state(fonts._CachedFace(path)) == parsed
    assert cache_file.is_dir()
