"""Private folders and files, the set-up lock and folder renames: every branch that can
run here, the Windows ones included (``windows=True``)."""

from __future__ import annotations

import multiprocessing
import os
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from dpa_desktop import paths, platform

POSIX = os.name == "posix"
posix_only = pytest.mark.skipif(not POSIX, reason="file modes and owners are POSIX")


@posix_only
def test_a_private_dir_is_made_0700_and_an_existing_one_is_tightened(tmp_path: Path) -> None:
    new = platform.make_private_dir(tmp_path / "a" / "b")
    assert stat.S_IMODE(new.stat().st_mode) == 0o700
    loose = tmp_path / "los"
    loose.mkdir(mode=0o755)
    os.chmod(loose, 0o755)
    platform.make_private_dir(loose)
    assert stat.S_IMODE(loose.stat().st_mode) == 0o700


@posix_only
def test_a_link_or_a_file_in_place_of_a_private_dir_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "echt"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    with pytest.raises(platform.UnsafeFolder):
        platform.make_private_dir(tmp_path / "link")
    (tmp_path / "bestand").write_bytes(b"")
    with pytest.raises((platform.UnsafeFolder, FileExistsError)):
        platform.make_private_dir(tmp_path / "bestand")


@pytest.mark.skipif(not POSIX or os.geteuid() != 0, reason="needs root to give a folder away")
def test_a_private_dir_owned_by_someone_else_is_refused(tmp_path: Path) -> None:
    theirs = tmp_path / "van-een-ander"
    theirs.mkdir(mode=0o777)
    os.chown(theirs, 4242, 4242)
    with pytest.raises(platform.UnsafeFolder):
        platform.make_private_dir(theirs)


def test_windows_folders_in_the_profile_inherit_its_acl_and_others_get_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    profile = tmp_path / "Users" / "marieke"
    assert platform.windows_acl_command(profile / "AppData" / "x", profile=str(profile),
                                        user="marieke") is None
    command = platform.windows_acl_command(tmp_path / "D-schijf" / "register",
                                           profile=str(profile), user="marieke",
                                           domain="PRAKTIJK")
    assert command is not None
    assert command[:3] == ["icacls", str(tmp_path / "D-schijf" / "register"), "/inheritance:r"]
    assert "PRAKTIJK\\marieke:(OI)(CI)F" in command
    with pytest.raises(platform.UnsafeFolder):
        platform.windows_acl_command(tmp_path / "elders", profile=str(profile), user="")
    # The Windows branch of make_private_dir runs exactly that command, and no POSIX checks.
    ran: list[list[str]] = []
    monkeypatch.setattr(subprocess, "run", lambda cmd, **kw: ran.append(cmd))
    monkeypatch.setenv("USERPROFILE", str(profile))
    monkeypatch.setenv("USERNAME", "marieke")
    monkeypatch.delenv("USERDOMAIN", raising=False)
    platform.make_private_dir(profile / "AppData" / "Local" / "DPA Desktop", windows=True)
    assert ran == []
    platform.make_private_dir(tmp_path / "D-schijf" / "register", windows=True)
    assert ran and ran[0][0] == "icacls" and "marieke:(OI)(CI)F" in ran[0]
    platform.make_private_dir(tmp_path / "D-schijf" / "register", windows=True)
    assert len(ran) == 1  # a folder that exists keeps the ACL it got when it was made


def test_private_files(tmp_path: Path) -> None:
    path = tmp_path / "geheim"
    os.close(platform.create_private_file(path))
    with pytest.raises(FileExistsError):
        platform.create_private_file(path)  # a name planted beforehand is never written into
    if POSIX:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        os.chmod(path, 0o644)
        platform.make_private_file(path, windows=True)  # Windows: the folder's ACL rules
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
        platform.make_private_file(path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_rename_dir_never_replaces_and_retries_only_on_windows(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src, dst = tmp_path / "nieuw", tmp_path / "data"
    src.mkdir()
    dst.mkdir()
    with pytest.raises(FileExistsError):
        platform.rename_dir(src, dst)
    dst.rmdir()
    real = os.rename
    calls = {"n": 0}

    def flaky(a: object, b: object) -> None:
        calls["n"] += 1
        if calls["n"] < 3:
            raise PermissionError("in gebruik door de virusscanner")
        real(a, b)  # type: ignore[arg-type]

    monkeypatch.setattr(platform.os, "rename", flaky)
    monkeypatch.setattr(platform.time, "sleep", lambda s: None)
    platform.rename_dir(src, dst, windows=True)
    assert dst.is_dir() and calls["n"] == 3
    calls["n"] = 0
    with pytest.raises(PermissionError):
        platform.rename_dir(dst, tmp_path / "weer", windows=False)


def _hold(path: str, ready: str) -> None:
    with platform.exclusive_lock(Path(path), timeout=5):
        Path(ready).write_text("ja")
        time.sleep(60)


def test_the_lock_is_exclusive_between_processes_and_dies_with_its_holder(tmp_path: Path) -> None:
    lock = tmp_path / ".data.lock"
    ready = tmp_path / "klaar"
    ctx = multiprocessing.get_context("spawn")
    holder = ctx.Process(target=_hold, args=(str(lock), str(ready)))
    holder.start()
    try:
        end = time.monotonic() + 60
        while not ready.exists() and time.monotonic() < end:
            time.sleep(0.05)
        assert ready.exists()
        with pytest.raises(TimeoutError), platform.exclusive_lock(lock, timeout=0.3):
            pass
    finally:
        holder.kill()
        holder.join()
    with platform.exclusive_lock(lock, timeout=5):  # the OS dropped the dead holder's lock
        pass
    if POSIX:
        assert stat.S_IMODE(lock.stat().st_mode) == 0o600


def test_the_private_temp_folder_is_per_user_and_never_the_shared_temp_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))
    assert paths.private_temp_dir() == tmp_path / "data-geopend"
    monkeypatch.delenv(paths.DATA_DIR_ENV)
    runtime = tmp_path / "run-user-1000"
    runtime.mkdir()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setattr(sys, "platform", "linux")
    assert paths.private_temp_dir() == runtime / "dpa-desktop-geopend"
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    data = Path(platformdirs.user_data_dir(paths.APP_NAME, paths.APP_AUTHOR, roaming=False))
    beside = data.parent / f"{data.name}-geopend"  # in the profile, outside the data folder
    assert paths.private_temp_dir() == beside
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setattr(sys, "platform", "win32")
    assert paths.private_temp_dir() == beside
    cache = beside
    assert not cache.resolve().is_relative_to(Path(tempfile.gettempdir()).resolve())


def test_nothing_the_app_keeps_open_sits_inside_the_data_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A restore swaps the data folder in one rename, which Windows refuses while a file
    inside it is open: the log, the settings and the viewer copies live beside it."""
    for override in (str(tmp_path / "data"), None):
        if override is None:
            monkeypatch.delenv(paths.DATA_DIR_ENV)
            monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
            monkeypatch.setattr(sys, "platform", "win32")
        else:
            monkeypatch.setenv(paths.DATA_DIR_ENV, override)
        data = paths.data_dir().absolute()
        for path in (paths.log_dir(), paths.settings_file(), paths.private_temp_dir()):
            assert not path.is_relative_to(data), path
            assert path.parent == data.parent and path.name.startswith(f"{data.name}-")
