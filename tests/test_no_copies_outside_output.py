"""Nothing but the chosen output folder (and the encrypted register) holds an agreement.

A fill runs as the practice runs it: a fresh ``dpa-desktop`` process whose home,
cache, temp and data folders all point into one scratch folder. Afterwards
every file there outside the output folder and the register's database is
searched, decompressed where it is compressed, for what was typed and for
the agreement's own sentences. A copy there could be read, or edited to change
what the next document says.
"""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import os
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from shipped import FORM_IDS, spec

from dpa_desktop import document as d
from dpa_desktop.answers import example_answers
from dpa_desktop.assemble import build_document

STORE_FILES = ("register.sqlite",)  # with -wal, -shm and -journal beside it


def _scratch_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "DPA_DESKTOP_"))}
    folders = {"HOME": "home", "TMPDIR": "tmp", "TEMP": "tmp", "TMP": "tmp", "XDG_CACHE_HOME": "cache",
               "XDG_DATA_HOME": "share", "XDG_CONFIG_HOME": "config", "XDG_STATE_HOME": "state",
               "XDG_RUNTIME_DIR": "runtime", "DPA_DESKTOP_DATA_DIR": "data"}
    for name, folder in folders.items():
        (root / folder).mkdir(exist_ok=True)
        env[name] = str(root / folder)
    env["DPA_DESKTOP_KEYRING"] = "file"
    env["DPA_DESKTOP_KEYRING_FILE"] = str(root / "home" / "keyring.json")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _needles(form_id: str) -> list[str]:
    """Every typed value of four characters or more, and a sample of the agreement's sentences."""
    s = spec(form_id)
    answers = example_answers(s)
    typed = [v for v in answers.values.values() if isinstance(v, str) and len(v.strip()) >= 4]
    document = build_document(s, answers)
    sentences = [text[:40] for block in document.blocks if isinstance(block, d.Paragraph | d.NumberedParagraph)
                 if len(text := "".join(span.text for span in block.spans)) >= 40]
    return typed + sentences[::7]


def _contents(path: Path) -> Iterator[bytes]:
    """The file's bytes, and what they decompress to if they are compressed."""
    raw = path.read_bytes()
    yield raw
    for decompress in (zlib.decompress, gzip.decompress, bz2.decompress, lzma.decompress):
        try:
            yield decompress(raw)
        except Exception:  # not in that format
            continue


def _holders(root: Path, out: Path, needles: list[str]) -> list[str]:
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.is_relative_to(out) or path.name.startswith(STORE_FILES):
            continue
        for data in _contents(path):
            for needle in needles:
                if needle.encode("utf-8") in data or needle.encode("utf-16-le") in data:
                    found.append(f"{path.relative_to(root)}: {needle!r}")
    return found


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_a_fill_and_its_review_leave_the_agreement_only_in_the_output_folder(form_id: str, tmp_path: Path) -> None:
    env = _scratch_env(tmp_path)
    answers = tmp_path / "home" / "antwoorden.json"
    answers.write_text(json.dumps(example_answers(spec(form_id)).to_json(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "uitvoer"
    for command in (["fill", form_id, "--answers", str(answers), "--out", str(out), "--register"],
                    ["review", form_id, "--answers", str(answers), "--pdf", str(out / "aandachtspunten.pdf")]):
        proc = subprocess.run([sys.executable, "-m", "dpa_desktop", *command], env=env, cwd=tmp_path / "home",
                              capture_output=True, text=True, encoding="utf-8", timeout=300)
        assert proc.returncode == 0, proc.stderr
    answers.unlink()  # the practice's own input file, not the program's
    assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".pdf", ".pdf"]
    assert (tmp_path / "data" / "register.sqlite").is_file()  # the register was written, encrypted
    assert _holders(tmp_path, out, _needles(form_id)) == []


def test_the_search_finds_a_copy_where_there_is_one(tmp_path: Path) -> None:
    """The check above would pass on a broken search: prove it finds plain and compressed copies."""
    needles = _needles("vcare")
    out = tmp_path / "uitvoer"
    out.mkdir()
    (out / "ok.txt").write_text(needles[0], encoding="utf-8")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "plain.txt").write_text(f"x {needles[0]} y", encoding="utf-8")
    (tmp_path / "cache" / "packed.bin").write_bytes(zlib.compress(needles[-1].encode("utf-8")))
    assert _holders(tmp_path, out, needles) == [f"cache/packed.bin: {needles[-1]!r}",
                                                 f"cache/plain.txt: {needles[0]!r}"]
