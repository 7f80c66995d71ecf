"""Where the data key lives between sessions: the OS keyring, behind a tiny interface.

Tests and CI must never touch a real keyring, and a headless machine may have
none; the protocol lets both swap in a file. ``DPA_DESKTOP_KEYRING=file``
selects the file backend, stored at ``DPA_DESKTOP_KEYRING_FILE`` or beside
(never inside) the data directory: a key inside it would make encryption at
rest meaningless.

A backend that throws keys away (keyring's ``null`` backend) or cannot keep
them would create a register that is locked at the next start: the key is
written, read back and compared before a register is created
(``save_and_check``), and the backends known not to keep keys are refused
outright.
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

        backend = keyring.get_keyring()
        problem = _unusable(backend)
        if problem:
            raise KeyringUnavailable(problem)
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


def _unusable(backend: object) -> str:
    """Why a keyring backend cannot keep the register's key, or "" when it may."""
    from keyring.backends import chainer, fail, null

    if isinstance(backend, fail.Keyring):
        return "geen sleutelbos gevonden"
    if isinstance(backend, null.Keyring):
        return ("de ingestelde sleutelbos (null) gooit sleutels weg; kies een echte sleutelbos "
                "of zet PYTHON_KEYRING_BACKEND en keyringrc.cfg terug")
    if isinstance(backend, chainer.ChainerBackend):
        usable = [b for b in backend.backends if not _unusable(b)]
        if not usable:
            return "geen sleutelbos gevonden"
    return ""


_KNOWN_BACKENDS = {
    "keyring.backends.Windows.WinVaultKeyring": "Windows Referentiebeheer",
    "keyring.backends.macOS.Keyring": "macOS-sleutelhanger",
    "keyring.backends.SecretService.Keyring": "Secret Service (GNOME-sleutelbos of KWallet)",
    "keyring.backends.libsecret.Keyring": "libsecret (GNOME-sleutelbos)",
    "keyring.backends.kwallet.DBusKeyring": "KWallet",
    "keyring.backends.kwallet.DBusKeyringKWallet4": "KWallet 4",
    "keyring.backends.fail.Keyring": "geen sleutelbos gevonden",
    "keyring.backends.null.Keyring": "geen: sleutels worden weggegooid, niet bruikbaar",
}


def _system_description(backend: object) -> str:
    from keyring.backends import chainer

    if isinstance(backend, chainer.ChainerBackend):
        parts = [_system_description(b) for b in backend.backends]
        return "keten: " + ("; ".join(parts) if parts else "geen sleutelbos gevonden")
    cls = type(backend)
    full = f"{cls.__module__}.{cls.__qualname__}"
    short = f"{cls.__module__.rsplit('.', 1)[-1]} {cls.__qualname__}"
    label = _KNOWN_BACKENDS.get(full)
    if label is None:
        return f"andere sleutelbos ({full})"
    return f"{label} ({cls.__qualname__ if cls.__qualname__ != 'Keyring' else short})"


def describe(keys: KeyBackend) -> str:
    """A short, Dutch-readable name of where ``keys`` keeps the register's key."""
    if isinstance(keys, FileKeyring):
        return f"bestand: {keys.path} (DPA_DESKTOP_KEYRING=file, niet beschermd door het systeem)"
    if isinstance(keys, SystemKeyring):
        try:
            import keyring

            return _system_description(keyring.get_keyring())
        except Exception as exc:  # a broken keyring set-up is reported, not raised
            return f"niet beschikbaar ({exc})"
    return f"andere sleutelbewaring ({type(keys).__qualname__})"


def backend_description() -> str:
    """The backend this environment uses for the register's key, e.g.
    "Windows Referentiebeheer (WinVaultKeyring)" or "bestand: <pad> (DPA_DESKTOP_KEYRING=file, …)".

    For the "Over DPA Desktop" dialog and ``dpa-desktop --version``; never raises.
    """
    try:
        return describe(default_backend())
    except Exception as exc:  # an invalid setting is what the user must see
        return f"ongeldige instelling: {exc}"


def save_and_check(keys: KeyBackend, name: str, key: bytes) -> None:
    """Save ``key`` and read it back; KeyringUnavailable when the backend did not keep it.

    Run before anything of a new register is written: a key that is not
    really kept would lock the register at the next start.
    """
    keys.set(name, key)
    try:
        back = keys.get(name)
    except KeyringUnavailable:
        back = None
    if back != key:
        raise KeyringUnavailable(f"de sleutelbos ({describe(keys)}) gaf de sleutel niet terug "
                                 "na het bewaren; met deze sleutelbos zou het register bij de "
                                 "volgende start op slot zitten")


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
