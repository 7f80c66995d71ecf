"""Where the data key lives between sessions: the OS keyring, behind a tiny interface.

Tests and CI must never touch a real keyring, and a headless machine may have
none; the protocol lets both swap in a file. ``DPA_DESKTOP_KEYRING=file``
selects the file backend, stored at ``DPA_DESKTOP_KEYRING_FILE`` or beside
(never inside) the data directory: a key inside it would make encryption at
rest meaningless.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from pathlib import Path
from typing import Protocol, runtime_checkable

from dpa_desktop import paths, platform
from dpa_desktop.store.errors import KeyringUnavailable, StoreError

SERVICE = "DPA Desktop register"
KEYRING_ENV = "DPA_DESKTOP_KEYRING"
KEYRING_FILE_ENV = "DPA_DESKTOP_KEYRING_FILE"


@runtime_checkable
class KeyBackend(Protocol):
    """Stores one secret per register, named by the register's id."""

    @property
    def is_system_store(self) -> bool: ...

    def get(self, name: str) -> bytes | None: ...

    def set(self, name: str, key: bytes) -> None: ...

    def delete(self, name: str) -> None: ...


class SystemKeyring:
    """Windows Credential Manager (or the platform's equivalent) via ``keyring``."""

    is_system_store = True

    def _backend(self) -> object:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring):
            raise KeyringUnavailable("geen sleutelbos gevonden")
        return backend

    def get(self, name: str) -> bytes | None:
        from keyring.errors import KeyringError

        backend = self._backend()
        try:
            value = backend.get_password(SERVICE, name)  # type: ignore[attr-defined]
        except KeyringError as exc:
            raise KeyringUnavailable(str(exc)) from exc
        return _decode(value) if value else None

    def set(self, name: str, key: bytes) -> None:
        from keyring.errors import KeyringError

        backend = self._backend()
        try:
            backend.set_password(SERVICE, name, _encode(key))  # type: ignore[attr-defined]
        except KeyringError as exc:
            raise KeyringUnavailable(str(exc)) from exc

    def delete(self, name: str) -> None:
        from keyring.errors import KeyringError, PasswordDeleteError

        backend = self._backend()
        try:
            backend.delete_password(SERVICE, name)  # type: ignore[attr-defined]
        except PasswordDeleteError:
            return
        except KeyringError as exc:
            raise KeyringUnavailable(str(exc)) from exc


class FileKeyring:
    """A JSON file of keys, for tests and CI only; it is not protected by the OS."""

    is_system_store = False

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise KeyringUnavailable(f"sleutelbestand {self.path} is onleesbaar") from exc
        if not isinstance(data, dict):
            raise KeyringUnavailable(f"sleutelbestand {self.path} is onleesbaar")
        return {str(k): str(v) for k, v in data.items()}

    def get(self, name: str) -> bytes | None:
        value = self._read().get(name)
        return _decode(value) if value else None

    def set(self, name: str, key: bytes) -> None:
        data = self._read()
        data[name] = _encode(key)
        platform.atomic_write(self.path, json.dumps(data, indent=2).encode("utf-8"))

    def delete(self, name: str) -> None:
        data = self._read()
        if data.pop(name, None) is not None:
            platform.atomic_write(self.path, json.dumps(data, indent=2).encode("utf-8"))


def default_backend(data_dir: Path | None = None) -> KeyBackend:
    """The backend the environment asks for; the system keyring unless told otherwise."""
    choice = os.environ.get(KEYRING_ENV, "").strip().lower()
    if choice in ("", "system"):
        return SystemKeyring()
    if choice != "file":
        raise StoreError(f"Onbekende waarde voor {KEYRING_ENV}: '{choice}' "
                         "(kies 'system' of 'file').")
    directory = (data_dir or paths.data_dir()).resolve()
    override = os.environ.get(KEYRING_FILE_ENV)
    path = Path(override) if override else directory.parent / f"{directory.name}.keyring.json"
    path = path.resolve()
    if path.is_relative_to(directory):
        raise StoreError(f"Het sleutelbestand ({path}) mag niet in de gegevensmap staan: dan is "
                         "de versleuteling zinloos. Kies een andere plek met "
                         f"{KEYRING_FILE_ENV}.")
    return FileKeyring(path)


def _encode(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")


def _decode(value: str) -> bytes | None:
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None
