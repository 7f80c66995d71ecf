"""Each branch of the platform module that can run here, Windows branches included."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from dpa_desktop import platform


@pytest.mark.parametrize("name, expected", [
    ("Verwerkersovereenkomst: A/B?", "Verwerkersovereenkomst- A-B-"),
    ("CON", "_CON"),
    ("nul.docx", "_nul.docx"),
    ("  punt. ", "punt"),
    ("", "verwerkersovereenkomst"),
])
def test_safe_filename_is_valid_on_windows(name: str, expected: str) -> None:
    assert platform.safe_filename(name) == expected


def test_atomic_write_replaces_whole_files(tmp_path: Path) -> None:
    target = tmp_path / "a.bin"
    platform.atomic_write(target, b"one")
    platform.atomic_write(target, b"two")
    assert target.read_bytes() == b"two"
    assert os.listdir(tmp_path) == ["a.bin"]


def test_atomic_write_windows_branch(tmp_path: Path) -> None:
    target = tmp_path / "a.bin"
    platform.atomic_write(target, b"data", windows=True)
    assert target.read_bytes() == b"data"


def test_replace_retries_while_windows_holds_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src, dst = tmp_path / "src", tmp_path / "dst"
    src.write_bytes(b"new")
    real_replace = os.replace
    calls = {"n": 0}

    def flaky(a: Path, b: Path) -> None:
        calls["n"] += 1
        if calls["n"] < 3:
            raise PermissionError("in use")
        real_replace(a, b)

    monkeypatch.setattr(platform.os, "replace", flaky)
    monkeypatch.setattr(platform.time, "sleep", lambda s: None)
    platform.replace_file(src, dst, windows=True)
    assert dst.read_bytes() == b"new" and calls["n"] == 3


def test_replace_does_not_retry_off_windows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(a: Path, b: Path) -> None:
        raise PermissionError("in use")

    monkeypatch.setattr(platform.os, "replace", refuse)
    with pytest.raises(PermissionError):
        platform.replace_file(tmp_path / "a", tmp_path / "b", windows=False)


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.bin"
    target.write_bytes(b"old")

    def crash(a: Path, b: Path, **kw: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(platform, "replace_file", crash)
    with pytest.raises(OSError):
        platform.atomic_write(target, b"new")
    assert target.read_bytes() == b"old" and os.listdir(tmp_path) == ["a.bin"]


@pytest.mark.parametrize("plat, expected", [
    ("win32", None), ("darwin", ["open", "x.pdf"]), ("linux", ["xdg-open", "x.pdf"]),
])
def test_open_command_per_platform(plat: str, expected: list[str] | None) -> None:
    assert platform.open_command(Path("x.pdf"), platform=plat) == expected


def test_forms_and_resources_come_from_the_bundle_when_frozen_and_the_source_tree_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dpa_desktop import paths

    monkeypatch.delattr(sys, "frozen", raising=False)
    source = Path(paths.__file__).resolve().parent.parent
    assert paths.bundle_root() is None
    assert paths.install_root() == source and (source / "forms").is_dir()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.bundle_root() == tmp_path
    assert paths.resources_dir() == tmp_path / "resources"
