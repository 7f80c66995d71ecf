"""Locked, lost and wrong keys: typed Dutch errors, and data never touched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dpa_desktop.store import (
    FileKeyring,
    KeyringUnavailable,
    Store,
    StoreError,
    StoreExists,
    StoreLocked,
    WrongRecoveryCode,
    crypto,
    default_backend,
)
from dpa_desktop.store.store import key_name


def _hashes(directory: Path) -> dict[str, str]:
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


class NoKeyring:
    """A machine without a usable keyring backend."""

    is_system_store = True

    def get(self, name: str) -> bytes | None:
        raise KeyringUnavailable("geen sleutelbos gevonden")

    def set(self, name: str, key: bytes) -> None:
        raise KeyringUnavailable("geen sleutelbos gevonden")

    def delete(self, name: str) -> None:
        raise KeyringUnavailable("geen sleutelbos gevonden")


def test_the_recovery_code_is_eight_groups_of_five_unambiguous_characters(
        new_store: tuple[Store, str]) -> None:
    _store, code = new_store
    groups = code.split("-")
    assert [len(g) for g in groups] == [5] * 8
    assert not set(code.replace("-", "")) - set(crypto.CODE_ALPHABET)
    assert not set("ILOU") & set(code)


def test_a_new_register_opens_again_with_the_key_from_the_keyring(
        new_store: tuple[Store, str], data_dir: Path, key_backend: FileKeyring) -> None:
    store, _code = new_store
    store.save_profile({"organisatie_naam": "Praktijk Zuid"})
    store.close()
    with Store.open(data_dir, key_backend) as again:
        assert again.load_profile() == {"organisatie_naam": "Praktijk Zuid"}


def test_creating_over_an_existing_register_is_refused(
        new_store: tuple[Store, str], data_dir: Path, key_backend: FileKeyring) -> None:
    before = _hashes(data_dir)
    with pytest.raises(StoreExists):
        Store.create(data_dir, key_backend)
    assert _hashes(data_dir) == before


def test_a_lost_keyring_entry_locks_the_register_and_the_recovery_code_opens_it(
        new_store: tuple[Store, str], data_dir: Path, key_backend: FileKeyring) -> None:
    store, code = new_store
    store.save_profile({"organisatie_naam": "Praktijk Noord"})
    store_id = store.store_id
    store.close()
    key_backend.delete(key_name(store_id))
    with pytest.raises(StoreLocked) as err:
        Store.open(data_dir, key_backend)
    assert "herstelcode" in str(err.value)
    typed = code.lower().replace("-", " ")
    with Store.recover(typed, data_dir, key_backend) as recovered:
        assert recovered.load_profile() == {"organisatie_naam": "Praktijk Noord"}
        assert recovered.key_saved
    with Store.open(data_dir, key_backend) as reopened:  # the key is back in the keyring
        assert reopened.load_profile()["organisatie_naam"] == "Praktijk Noord"


def test_a_wrong_key_in_the_keyring_locks_without_touching_data(
        new_store: tuple[Store, str], data_dir: Path, key_backend: FileKeyring) -> None:
    store, _code = new_store
    store_id = store.store_id
    store.close()
    key_backend.set(key_name(store_id), crypto.new_key())
    before = _hashes(data_dir)
    with pytest.raises(StoreLocked) as err:
        Store.open(data_dir, key_backend)
    assert "hoort niet bij dit register" in str(err.value)
    assert _hashes(data_dir) == before


def test_a_wrong_recovery_code_changes_nothing_on_disk(
        new_store: tuple[Store, str], data_dir: Path, key_backend: FileKeyring) -> None:
    store, code = new_store
    store.save_profile({"organisatie_naam": "Praktijk West"})
    store_id = store.store_id
    store.close()
    key_backend.delete(key_name(store_id))
    before = _hashes(data_dir)
    keyring_before = key_backend.path.read_bytes()
    wrong = ("0" if code[0] != "0" else "1") + code[1:]
    for attempt in (wrong, "kort", ""):
        with pytest.raises(WrongRecoveryCode) as err:
            Store.recover(attempt, data_dir, key_backend)
        assert "klopt niet" in str(err.value)
    assert _hashes(data_dir) == before
    assert key_backend.path.read_bytes() == keyring_before


def test_without_a_keyring_backend_nothing_is_created(data_dir: Path) -> None:
    with pytest.raises(KeyringUnavailable) as err:
        Store.create(data_dir, NoKeyring())
    assert "herstelcode" in str(err.value)
    assert not data_dir.exists() or not any(data_dir.iterdir())


def test_without_a_keyring_backend_the_recovery_code_still_opens_the_register(
        new_store: tuple[Store, str], data_dir: Path) -> None:
    store, code = new_store
    store.save_profile({"organisatie_naam": "Praktijk Oost"})
    store.close()
    with pytest.raises(KeyringUnavailable):
        Store.open(data_dir, NoKeyring())
    with Store.recover(code, data_dir, NoKeyring()) as recovered:
        assert not recovered.key_saved
        assert recovered.load_profile() == {"organisatie_naam": "Praktijk Oost"}


def test_the_file_keyring_may_not_live_inside_the_data_dir(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DPA_DESKTOP_KEYRING", "file")
    monkeypatch.setenv("DPA_DESKTOP_KEYRING_FILE", str(data_dir / "sub" / "keys.json"))
    with pytest.raises(StoreError) as err:
        default_backend(data_dir)
    assert "niet in de gegevensmap" in str(err.value)
    monkeypatch.delenv("DPA_DESKTOP_KEYRING_FILE")
    backend = default_backend(data_dir)
    assert isinstance(backend, FileKeyring)
    assert not backend.path.resolve().is_relative_to(data_dir.resolve())


def test_the_default_backend_is_the_system_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DPA_DESKTOP_KEYRING", raising=False)
    assert default_backend().is_system_store


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from([" ", "-", "", "  "]), min_size=40, max_size=40),
       st.booleans())
def test_a_recovery_code_is_accepted_however_it_is_typed(separators: list[str],
                                                        lower: bool) -> None:
    code = "7KQ0M-1XZ4A-BCDEF-GHJK0-MNPQR-STVWX-YZ123-45678"
    plain = code.replace("-", "")
    typed = "".join(ch + sep for ch, sep in zip(plain, separators, strict=True))
    typed = typed.lower() if lower else typed
    # Letters people confuse with digits are read as the digits.
    typed = typed.replace("0", "o").replace("1", "l")
    assert crypto.normalise_code(typed) == plain


def test_wrap_and_unwrap_round_trip_and_refuse_other_codes() -> None:
    key = crypto.new_key()
    code = crypto.new_recovery_code()
    wrap = crypto.wrap_key(key, code, "abc")
    assert crypto.unwrap_key(wrap, code) == key
    with pytest.raises(WrongRecoveryCode):
        crypto.unwrap_key(wrap, crypto.new_recovery_code())


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=st.text(max_size=60))
def test_whatever_is_typed_as_recovery_code_is_refused_in_dutch(
        new_store: tuple[Store, str], data_dir: Path, key_backend: FileKeyring,
        typed: str) -> None:
    _store, code = new_store
    if crypto.normalise_code(typed) == crypto.normalise_code(code):
        return
    before = _hashes(data_dir)
    with pytest.raises(WrongRecoveryCode):
        Store.recover(typed, data_dir, key_backend)
    assert _hashes(data_dir) == before
