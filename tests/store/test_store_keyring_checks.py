"""Keyring backends that lose the key, and scrypt settings from files, are refused in
Dutch before they can lock the register or eat the machine (issue 20, points 7 and 9)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from dpa_desktop.cli import main
from dpa_desktop.store import (
    BackupDamaged,
    FileKeyring,
    KeyringUnavailable,
    Store,
    StoreCorrupt,
    SystemKeyring,
    backend_description,
    crypto,
)
from dpa_desktop.store.keys import describe
from dpa_desktop.store.store import RECOVERY_FILE, key_name


@pytest.fixture
def system_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("DPA_DESKTOP_KEYRING", raising=False)
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


class Forgetful:
    """Accepts every key and keeps none (like a backend whose store is not persistent)."""

    is_system_store = True

    def get(self, name: str) -> bytes | None:
        return None

    def set(self, name: str, key: bytes) -> None:
        pass

    def delete(self, name: str) -> None:
        pass


class Memory(KeyringBackend):
    """A working keyring backend of keyring's own kind, in memory, for these tests only."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


# --------------------------------------------------------------------------- point 9


def test_the_null_keyring_backend_is_refused_and_nothing_is_created(
        data_dir: Path, system_keyring: None) -> None:
    keyring.set_keyring(null.Keyring())
    with pytest.raises(KeyringUnavailable) as err:
        Store.create(data_dir)
    assert "gooit sleutels weg" in str(err.value)
    assert not Store.exists(data_dir)
    assert not data_dir.exists() or not any(data_dir.iterdir())


def test_a_chain_of_unusable_backends_is_refused(data_dir: Path, system_keyring: None,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    chain = chainer.ChainerBackend()
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [null.Keyring(), fail.Keyring()])
    keyring.set_keyring(chain)
    with pytest.raises(KeyringUnavailable):
        Store.create(data_dir)
    assert not Store.exists(data_dir)


def test_a_backend_that_does_not_give_the_key_back_is_refused_before_anything_is_written(
        data_dir: Path) -> None:
    with pytest.raises(KeyringUnavailable) as err:
        Store.create(data_dir, Forgetful())  # type: ignore[arg-type]
    assert "gaf de sleutel niet terug" in str(err.value)
    assert not Store.exists(data_dir)


def test_a_working_system_backend_is_written_read_back_and_used(
        data_dir: Path, system_keyring: None) -> None:
    memory = Memory()
    keyring.set_keyring(memory)
    store, _code = Store.create(data_dir)
    with store:
        assert list(memory.items) == [("DPA Desktop register", key_name(store.store_id))]
    Store.open(data_dir).close()


def test_after_a_restore_a_forgetful_keyring_is_reported_not_trusted(
        new_store: tuple[Store, str], tmp_path: Path) -> None:
    store, code = new_store
    archive = tmp_path / "kopie.dpabackup"
    store.backup(archive)
    with Store.restore(archive, code, tmp_path / "elders" / "data",
                       Forgetful()) as restored:  # type: ignore[arg-type]
        assert not restored.key_saved


def test_the_backend_is_described_in_dutch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           system_keyring: None) -> None:
    assert describe(FileKeyring(tmp_path / "k.json")) == (
        f"bestand: {tmp_path / 'k.json'} (DPA_DESKTOP_KEYRING=file, niet beschermd door het systeem)")
    fake_windows = type("WinVaultKeyring", (), {"__module__": "keyring.backends.Windows"})
    monkeypatch.setattr(keyring, "get_keyring", lambda: fake_windows())
    assert backend_description() == "Windows Referentiebeheer (WinVaultKeyring)"
    fake_mac = type("Keyring", (), {"__module__": "keyring.backends.macOS"})
    monkeypatch.setattr(keyring, "get_keyring", lambda: fake_mac())
    assert backend_description() == "macOS-sleutelhanger (macOS Keyring)"
    monkeypatch.setattr(keyring, "get_keyring", lambda: null.Keyring())
    assert backend_description().startswith("geen: sleutels worden weggegooid")
    monkeypatch.setattr(keyring, "get_keyring", lambda: Memory())
    assert backend_description().startswith("andere sleutelbos (")
    monkeypatch.setenv("DPA_DESKTOP_KEYRING", "file")
    monkeypatch.setenv("DPA_DESKTOP_KEYRING_FILE", str(tmp_path / "sleutels.json"))
    assert backend_description().startswith(f"bestand: {tmp_path / 'sleutels.json'} (")
    monkeypatch.setenv("DPA_DESKTOP_KEYRING", "iets")
    assert backend_description().startswith("ongeldige instelling: Onbekende waarde")


def test_version_names_the_keyring(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("dpa-desktop ")
    assert out[1].startswith("Sleutelbos: bestand: ")


def test_the_system_keyring_refuses_the_null_backend_when_reading(system_keyring: None) -> None:
    keyring.set_keyring(null.Keyring())
    with pytest.raises(KeyringUnavailable):
        SystemKeyring().get("x")


# --------------------------------------------------------------------------- point 7


BAD_SETTINGS = [
    ({"n": 2**22}, "N=4194304"),
    ({"n": 2**30}, "N=1073741824"),
    ({"n": 3}, "N=3"),
    ({"n": 2**9}, "N=512"),
    ({"p": 65536}, "p=65536"),
    ({"r": 0}, "r=0"),
    ({"r": 16, "n": 2**17}, "r=16"),  # 256 MiB
    ({"n": "1024"}, "onleesbaar"),
    ({"n": True}, "onleesbaar"),
    ({"n": 2.5}, "onleesbaar"),
    ({"salt": "####"}, "onleesbaar"),
    ({"kdf": "argon2"}, "onleesbaar"),
    ({"wrapped": "AAAA"}, "verkeerde lengte"),
]


@pytest.mark.parametrize("change, expected", BAD_SETTINGS)
def test_scrypt_settings_outside_the_range_in_recovery_json_are_refused_at_once(
        new_store: tuple[Store, str], data_dir: Path, key_backend: FileKeyring,
        change: dict[str, object], expected: str) -> None:
    store, code = new_store
    store.close()
    path = data_dir / RECOVERY_FILE
    wrap = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**wrap, **change}), encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(StoreCorrupt) as err:
        Store.recover(code, data_dir, key_backend)
    assert time.monotonic() - started < 2
    assert expected in str(err.value) and "recovery.json" in str(err.value)


@pytest.mark.parametrize("change, expected", BAD_SETTINGS[:7])
def test_scrypt_settings_outside_the_range_in_a_backup_are_refused_at_once(
        new_store: tuple[Store, str], tmp_path: Path, change: dict[str, object],
        expected: str) -> None:
    import struct

    from dpa_desktop.store import backup

    store, code = new_store
    archive = tmp_path / "kopie.dpabackup"
    store.backup(archive)
    raw = archive.read_bytes()
    start = len(backup.MAGIC)
    (length,) = struct.unpack(">I", raw[start:start + 4])
    header = json.loads(raw[start + 4:start + 4 + length])
    header["recovery"] = {**header["recovery"], **change}
    body = json.dumps(header).encode()
    archive.write_bytes(backup.MAGIC + struct.pack(">I", len(body)) + body
                        + raw[start + 4 + length:])
    started = time.monotonic()
    with pytest.raises(BackupDamaged) as err:
        Store.restore(archive, code, tmp_path / "doel", FileKeyring(tmp_path / "k.json"))
    assert time.monotonic() - started < 2
    assert expected in str(err.value) and "reservekopie" in str(err.value)


def test_the_settings_this_app_writes_are_inside_the_range() -> None:
    wrap = crypto.wrap_key(crypto.new_key(), crypto.new_recovery_code(), "abc")
    assert crypto.check_wrap(wrap)["n"] == crypto.SCRYPT_N
    low, high = crypto.SCRYPT_N_RANGE
    assert low <= 2**15 <= high
