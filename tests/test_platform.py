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


def _fake_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, default_app: str,
                opener: str = "xdg-open") -> Path:
    """xdg-mime answering ``default_app`` and an opener that notes what it was asked."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    log = tmp_path / "geopend.txt"
    for tool, script in (("xdg-mime", f'if [ "$2" = default ]; then echo "{default_app}"; '
                                      'else echo application/pdf; fi\n'),
                         (opener, f'echo "$@" >> {log}\n')):
        (bin_dir / tool).write_text(f"#!/bin/sh\n{script}", encoding="utf-8")
        (bin_dir / tool).chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    return log


@pytest.mark.skipif(sys.platform == "win32", reason="runs shell scripts as fake tools")
def test_open_on_linux_asks_xdg_mime_first_and_says_when_no_program_is_set(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    target = tmp_path / "a.pdf"
    target.write_bytes(b"%PDF-")
    log = _fake_tools(tmp_path, monkeypatch, default_app="")
    with pytest.raises(platform.NoDefaultApp):
        platform.open_with_default_app(target, platform="linux")
    assert not log.exists()
    _fake_tools(tmp_path, monkeypatch, default_app="org.gnome.Evince.desktop")
    platform.open_with_default_app(target, platform="linux")
    deadline = time.monotonic() + 10
    while not log.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert log.read_text(encoding="utf-8").strip() == str(target)
    monkeypatch.setenv("PATH", str(tmp_path / "leeg"))
    with pytest.raises(platform.NoDefaultApp):  # no xdg-open at all
        platform.open_with_default_app(target, platform="linux")


@pytest.mark.skipif(sys.platform == "win32", reason="runs shell scripts as fake tools")
def test_open_on_macos_uses_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    log = _fake_tools(tmp_path, monkeypatch, default_app="", opener="open")
    platform.open_with_default_app(tmp_path, platform="darwin")
    deadline = time.monotonic() + 10
    while not log.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert log.read_text(encoding="utf-8").strip() == str(tmp_path)


def test_open_on_windows_names_a_missing_association(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def no_association(path: Path) -> None:
        raise OSError(22, "Er is geen toepassing gekoppeld", str(path), 1155)

    monkeypatch.setattr(os, "startfile", no_association, raising=False)
    with pytest.raises(platform.NoDefaultApp):
        platform.open_with_default_app(tmp_path / "a.docx", platform="win32")

    def gone(path: Path) -> None:
        raise FileNotFoundError(2, "niet gevonden", str(path))

    monkeypatch.setattr(os, "startfile", gone, raising=False)
    with pytest.raises(FileNotFoundError):
        platform.open_with_default_app(tmp_path / "weg.docx", platform="win32")
    opened: list[Path] = []
    monkeypatch.setattr(os, "startfile", opened.append, raising=False)
    platform.open_with_default_app(tmp_path / "a.docx", platform="win32")
    assert opened == [tmp_path / "a.docx"]
