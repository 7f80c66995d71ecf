"""The data folder under concurrency, kills and other users (issue 20, points 2, 6, 11).

- Eight processes set up a register on one empty folder at once: one recovery
  code, and every process ends with the store open or a Dutch message.
- A restore is killed at every file operation in turn; the next start always
  finds the old register or the new one, never a mix, and nothing left over.
- The folder is 0700 and its files 0600.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import restore_victim

from dpa_desktop.answers import example_answers
from dpa_desktop.forms.model import FormSpec
from dpa_desktop.store import FileKeyring, Store, StoreExists, db
from dpa_desktop.store import folder as store_folder

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
POSIX = os.name == "posix"


def _leftovers(data_dir: Path) -> list[str]:
    """Anything a set-up or restore leaves beside or in the data folder when it is done."""
    beside = [p.name for p in data_dir.parent.iterdir()
              if p.name.startswith((f".{data_dir.name}.nieuw-", f".{data_dir.name}.oud-"))]
    inside = [p.name for p in data_dir.iterdir()
              if p.name.startswith((".backup-", store_folder.COMPLETE))] if data_dir.exists() else []
    return beside + inside


# --------------------------------------------------------------------------- point 2


def test_eight_processes_setting_up_at_once_give_one_recovery_code(tmp_path: Path) -> None:
    data_dir = tmp_path / "leeg" / "data"
    env = {**os.environ, "DPA_DESKTOP_DATA_DIR": str(data_dir), "DPA_DESKTOP_KEYRING": "file",
           "DPA_DESKTOP_KEYRING_FILE": str(tmp_path / "keyring.json"),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    start_at = time.time() + 8.0  # after every interpreter has started and imported
    racers = [subprocess.Popen([sys.executable, str(HERE / "setup_racer.py"), str(start_at)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, cwd=tmp_path)
              for _ in range(8)]
    results = [(r.wait(timeout=300), r.stdout.read().decode(), r.stderr.read().decode())
               for r in racers if r.stdout and r.stderr]
    for r in racers:
        assert r.stdout is not None and r.stderr is not None
        r.stdout.close()
        r.stderr.close()
    codes = [err.split("HERSTELCODE:")[1].split()[0] for _rc, _out, err in results
             if "HERSTELCODE:" in err]
    assert len(codes) == 1, [err for _rc, _out, err in results]
    for rc, out, err in results:
        assert "Traceback" not in err, err
        if rc == 0:  # the store was open: it listed the (empty) register
            assert "geen overeenkomsten" in out
        else:
            assert rc == 2 and err.strip(), err  # a Dutch message, e.g. that it was busy
    assert sum(rc == 0 for rc, _out, _err in results) >= 1
    keys = FileKeyring(tmp_path / "keyring.json")
    with Store.open(data_dir, keys) as store:
        store_id = store.store_id
    assert list(keys._read()) == [f"register-{store_id}"]  # one key: one register was made
    with Store.recover(codes[0], data_dir, keys):
        pass  # the one code printed opens the register that exists
    assert _leftovers(data_dir) == []


def test_a_zero_byte_register_left_by_a_crashed_set_up_is_cleared_at_the_next_start(
        data_dir: Path, key_backend: FileKeyring) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / db.DB_NAME).write_bytes(b"")
    (data_dir / f".{db.DB_NAME}.new").write_bytes(b"half")
    assert not Store.exists(data_dir)
    assert sorted(p.name for p in data_dir.iterdir()) == []
    store, _code = Store.create(data_dir, key_backend)
    store.close()
    assert Store.exists(data_dir)


def test_opening_never_creates_an_empty_database(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    from dpa_desktop.store import StoreMissing

    with pytest.raises(StoreMissing):
        Store.open(data_dir, FileKeyring(data_dir.parent / "k.json"))
    assert not (data_dir / db.DB_NAME).exists()


def test_an_interrupted_set_up_never_leaves_a_half_made_register(
        data_dir: Path, key_backend: FileKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    def power_cut(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_folder, "mark_complete", power_cut)
    from dpa_desktop.store import StoreIOError

    with pytest.raises(StoreIOError) as err:
        Store.create(data_dir, key_backend)
    assert "Het instellen van het register" in str(err.value)
    assert not Store.exists(data_dir)
    assert _leftovers(data_dir) == []


# --------------------------------------------------------------------------- point 6


def _make_archive(tmp_path: Path, vcare: FormSpec, documents: tuple[Path, Path],
                  agreements: int) -> tuple[Path, str]:
    source = tmp_path / "bron" / "data"
    keys = FileKeyring(tmp_path / "bron" / "keys.json")
    store, code = Store.create(source, keys)
    with store:
        for _ in range(agreements):
            store.record_agreement(vcare, example_answers(vcare), *documents)
        store.save_profile({"organisatie_naam": "Praktijk Nieuw"})
        archive = tmp_path / "nieuw.dpabackup"
        store.backup(archive)
    return archive, code


def _old_register(data_dir: Path, keys: FileKeyring) -> None:
    store, _code = Store.create(data_dir, keys)
    with store:
        store.save_profile({"organisatie_naam": "Praktijk Oud"})


def _state(data_dir: Path, keys: FileKeyring) -> str:
    """What the next start finds: 'leeg', 'oud' or 'nieuw'."""
    if not Store.exists(data_dir):
        return "leeg"
    with Store.open(data_dir, keys) as store:
        name = store.load_profile()["organisatie_naam"]
        count = len(store.list_agreements())
        assert not store.damaged_records()
    assert (name, count) in (("Praktijk Oud", 0), ("Praktijk Nieuw", 2)), (name, count)
    return "oud" if name == "Praktijk Oud" else "nieuw"


@pytest.mark.slow
@pytest.mark.parametrize("replace", [False, True], ids=["lege-map", "vervangen"])
def test_killing_a_restore_at_every_file_operation_leaves_the_old_or_the_new_register(
        tmp_path: Path, vcare: FormSpec, documents: tuple[Path, Path], replace: bool) -> None:
    archive, code = _make_archive(tmp_path, vcare, documents, 2)
    pristine = tmp_path / "uitgangspunt"
    pristine_keys = tmp_path / "uitgangspunt-keys.json"
    if replace:
        _old_register(pristine / "data", FileKeyring(pristine_keys))
    else:
        (pristine / "data" / "cache").mkdir(parents=True)  # a folder without a register
        (pristine / "data" / "cache" / "iets").write_bytes(b"x")
        FileKeyring(pristine_keys).set("niets", b"\0" * 32)
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods()
                                      else "spawn")
    seen: dict[str, int] = {}
    kill_at = 0
    total: int | None = None
    while total is None:
        kill_at += 1
        work = tmp_path / f"ronde-{kill_at}"
        shutil.copytree(pristine, work)
        keys_file = work.parent / f"ronde-{kill_at}-keys.json"
        shutil.copyfile(pristine_keys, keys_file)
        count_file = work.parent / f"ronde-{kill_at}.aantal"
        child = ctx.Process(target=restore_victim.run,
                            args=(str(archive), code, str(work / "data"), str(keys_file),
                                  kill_at, replace, str(count_file)))
        child.start()
        child.join(120)
        assert child.exitcode in (restore_victim.KILLED, restore_victim.DONE), child.exitcode
        if child.exitcode == restore_victim.DONE:
            total = int(count_file.read_text())
        state = _state(work / "data", FileKeyring(keys_file))
        if child.exitcode == restore_victim.DONE:
            assert state == "nieuw"
        assert state in (("oud", "nieuw") if replace else ("leeg", "nieuw"))
        assert _leftovers(work / "data") == []
        if replace and state == "nieuw":  # the replaced register was kept, not deleted
            [kept] = [p for p in work.iterdir() if p.name.startswith("data (vervangen ")]
            with Store.open(kept, FileKeyring(keys_file)) as old:
                assert old.load_profile() == {"organisatie_naam": "Praktijk Oud"}
        seen[state] = seen.get(state, 0) + 1
        shutil.rmtree(work)
    assert total >= 20, total  # the restore really did that many file operations
    assert kill_at == total + 1
    assert seen.get("nieuw", 0) >= 2 and sum(seen.values()) == kill_at
    print(f"restore killed at each of {total} file operations: {seen}")


def test_a_restore_works_beside_a_cache_folder_and_leftovers_of_an_old_crash(
        tmp_path: Path, vcare: FormSpec, documents: tuple[Path, Path], data_dir: Path) -> None:
    archive, code = _make_archive(tmp_path, vcare, documents, 2)
    (data_dir / "cache").mkdir(parents=True)
    (data_dir / store_folder.RECOVERY_FILE).write_text("{}", encoding="utf-8")  # old half-restore
    keys = FileKeyring(tmp_path / "keys.json")
    with Store.restore(archive, code, data_dir, keys) as store:
        assert len(store.list_agreements()) == 2
        kept = store.replaced_folder
    assert kept is not None and (kept / store_folder.RECOVERY_FILE).exists()  # kept, not lost


def test_restoring_over_a_register_keeps_the_old_one_beside_it(
        tmp_path: Path, vcare: FormSpec, documents: tuple[Path, Path], data_dir: Path) -> None:
    archive, code = _make_archive(tmp_path, vcare, documents, 2)
    keys = FileKeyring(tmp_path / "keys.json")
    _old_register(data_dir, keys)
    with pytest.raises(StoreExists):
        Store.restore(archive, code, data_dir, keys)
    with Store.restore(archive, code, data_dir, keys, replace=True) as store:
        assert store.load_profile() == {"organisatie_naam": "Praktijk Nieuw"}
        kept = store.replaced_folder
    assert kept is not None and kept.parent == data_dir.parent
    assert kept.name.startswith(f"{data_dir.name} (vervangen ")
    with Store.open(kept, keys) as old:
        assert old.load_profile() == {"organisatie_naam": "Praktijk Oud"}


def test_a_complete_staging_folder_is_swapped_in_at_the_next_start(
        tmp_path: Path, vcare: FormSpec, documents: tuple[Path, Path], data_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed between marking the new register complete and the rename."""
    archive, code = _make_archive(tmp_path, vcare, documents, 2)
    keys = FileKeyring(tmp_path / "keys.json")

    class Killed(BaseException):
        pass

    def killed(*args: object) -> None:
        raise Killed

    monkeypatch.setattr(store_folder, "install", killed)
    monkeypatch.setattr(store_folder, "remove_tree", lambda path: None)  # no clean-up: a kill
    with pytest.raises(Killed):
        Store.restore(archive, code, data_dir, keys)
    monkeypatch.undo()
    assert not data_dir.exists()
    assert Store.exists(data_dir)  # the next start finishes the swap
    assert _state(data_dir, keys) == "nieuw"


# --------------------------------------------------------------------------- point 11


@pytest.mark.skipif(not POSIX, reason="file modes are POSIX; Windows uses the profile's ACL")
def test_the_register_is_readable_by_its_user_only(store: Store, data_dir: Path) -> None:
    store.save_profile({"organisatie_naam": "Praktijk Privé"})  # the WAL exists now
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    for name in (db.DB_NAME, f"{db.DB_NAME}-wal", f"{db.DB_NAME}-shm", "recovery.json"):
        assert stat.S_IMODE((data_dir / name).stat().st_mode) == 0o600, name


@pytest.mark.skipif(not POSIX, reason="file modes are POSIX; Windows uses the profile's ACL")
def test_an_existing_open_register_is_made_private_when_opened(
        store: Store, data_dir: Path, key_backend: FileKeyring) -> None:
    store.close()
    os.chmod(data_dir, 0o755)
    os.chmod(data_dir / db.DB_NAME, 0o644)
    os.chmod(data_dir / "recovery.json", 0o644)
    Store.open(data_dir, key_backend).close()
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / db.DB_NAME).stat().st_mode) == 0o600
    assert stat.S_IMODE((data_dir / "recovery.json").stat().st_mode) == 0o600


@pytest.mark.skipif(not POSIX, reason="file modes are POSIX; Windows uses the profile's ACL")
def test_a_restored_register_and_a_backup_are_private_too(
        tmp_path: Path, vcare: FormSpec, documents: tuple[Path, Path], data_dir: Path) -> None:
    archive, code = _make_archive(tmp_path, vcare, documents, 1)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with Store.restore(archive, code, data_dir, FileKeyring(tmp_path / "keys.json")):
        pass
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / db.DB_NAME).stat().st_mode) == 0o600
