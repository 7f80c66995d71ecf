"""AES-256-GCM for everything personal, and the recovery code that wraps the data key.

One random data key encrypts every blob. The recovery code is the only other
way to that key: it is stretched with scrypt, so a stolen data directory
plus guessing does not open the register. Each blob carries a purpose string
as associated data, so a blob cannot be moved to another column unnoticed.
"""

from __future__ import annotations

import base64
import functools
import os
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from dpa_desktop.store.errors import StoreCorrupt, StoreLocked, WrongRecoveryCode

KEY_BYTES = 32
NONCE_BYTES = 12
BLOB_VERSION = b"\x01"
# Crockford base32: no I, L, O, U, so the code survives being read aloud or typed.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_GROUPS = 8
CODE_GROUP_LEN = 5
# scrypt cost: ~0.1 s and 32 MiB per attempt, paid once per recovery.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
KEY_CHECK = b"dpa-desktop key check"


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


@dataclass(frozen=True)
class Cipher:
    """The open data key; the only object that can read the register."""

    key: bytes

    @functools.cached_property
    def _aead(self) -> AESGCM:
        return AESGCM(self.key)

    def encrypt(self, plaintext: bytes, purpose: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return BLOB_VERSION + nonce + self._aead.encrypt(nonce, plaintext, purpose.encode())

    def decrypt(self, blob: bytes, purpose: str) -> bytes:
        if len(blob) < 1 + NONCE_BYTES + 16 or blob[:1] != BLOB_VERSION:
            raise StoreCorrupt(f"onleesbaar versleuteld gegeven ({purpose})")
        nonce = blob[1:1 + NONCE_BYTES]
        try:
            return self._aead.decrypt(nonce, blob[1 + NONCE_BYTES:], purpose.encode())
        except InvalidTag as exc:
            raise StoreCorrupt(f"versleuteld gegeven klopt niet ({purpose})") from exc

    def key_check(self, store_id: str) -> bytes:
        return self.encrypt(KEY_CHECK, f"keycheck:{store_id}")

    def verify(self, check: bytes, store_id: str) -> None:
        """Raise StoreLocked when this key is not the register's key."""
        nonce = check[1:1 + NONCE_BYTES]
        try:
            plain = AESGCM(self.key).decrypt(nonce, check[1 + NONCE_BYTES:],
                                             f"keycheck:{store_id}".encode())
        except (InvalidTag, ValueError) as exc:
            raise StoreLocked("De sleutel in de sleutelbos hoort niet bij dit register.") from exc
        if plain != KEY_CHECK:
            raise StoreLocked("De sleutel in de sleutelbos hoort niet bij dit register.")


def new_recovery_code() -> str:
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LEN))
    return "-".join(chars[i:i + CODE_GROUP_LEN] for i in range(0, len(chars), CODE_GROUP_LEN))


def normalise_code(code: str) -> str:
    """Accept what people type: any case, spaces or dashes, O for 0 and I/L for 1."""
    out = []
    for ch in code.upper():
        if ch in " -_\t\r\n.":
            continue
        ch = {"O": "0", "I": "1", "L": "1", "U": "V"}.get(ch, ch)
        out.append(ch)
    return "".join(out)


def _kek(code: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=KEY_BYTES, n=n, r=r, p=p).derive(normalise_code(code).encode())


def wrap_key(data_key: bytes, code: str, store_id: str) -> dict[str, Any]:
    """The data key sealed with the recovery code, as JSON-ready data (nothing personal)."""
    salt = os.urandom(16)
    kek = _kek(code, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(kek).encrypt(nonce, data_key, f"recovery:{store_id}".encode())
    return {
        "format": 1, "store_id": store_id, "kdf": "scrypt",
        "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
        "salt": _b64(salt), "nonce": _b64(nonce), "wrapped": _b64(sealed),
    }


def unwrap_key(wrap: dict[str, Any], code: str) -> bytes:
    try:
        salt = _unb64(wrap["salt"])
        nonce = _unb64(wrap["nonce"])
        sealed = _unb64(wrap["wrapped"])
        n, r, p = int(wrap["n"]), int(wrap["r"]), int(wrap["p"])
        store_id = str(wrap["store_id"])
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreCorrupt("het herstelbestand is onleesbaar") from exc
    if len(normalise_code(code)) != CODE_GROUPS * CODE_GROUP_LEN:
        raise WrongRecoveryCode()
    kek = _kek(code, salt, n, r, p)
    try:
        return AESGCM(kek).decrypt(nonce, sealed, f"recovery:{store_id}".encode())
    except InvalidTag as exc:
        raise WrongRecoveryCode() from exc


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
