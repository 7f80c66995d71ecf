"""AES-256-GCM for everything personal, and the recovery code that wraps the data key.

One random data key encrypts every blob. The recovery code is the only other
way to that key: it is stretched with scrypt, so a stolen data directory
plus guessing does not open the register. Each blob carries its table,
column and row as associated data, so a blob cannot be moved to another
column or row unnoticed. The plain columns (status, dates, processor names)
are authenticated by a MAC over the whole row, with a key derived from the
data key (HKDF): an edit without the key is refused, naming the row.

The scrypt parameters of a wrap come from a file (``recovery.json`` or a
backup), so they are checked before use against a fixed range: N a power of
two from 2**10 to 2**17, r from 1 to 16, p from 1 to 4, and at most 128 MiB
of memory (128 * N * r bytes). Wraps made by this app use N=2**15, r=8, p=1.
"""

from __future__ import annotations

import base64
import functools
import hmac
import os
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher as _BlockCipher
from cryptography.hazmat.primitives.ciphers import algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from dpa_desktop.store.errors import StoreCorrupt, StoreError, StoreLocked, WrongRecoveryCode

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
BLOB_VERSION = b"\x01"
# Crockford base32: no I, L, O, U, so the code survives being read aloud or typed.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_GROUPS = 8
CODE_GROUP_LEN = 5
# scrypt cost: ~0.1 s and 32 MiB per attempt, paid once per recovery.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
# The accepted range for wraps read from a file (see the module docstring).
SCRYPT_N_RANGE = (2**10, 2**17)
SCRYPT_R_RANGE = (1, 16)
SCRYPT_P_RANGE = (1, 4)
SCRYPT_MAX_MEMORY = 128 * 2**20
KEY_CHECK = b"dpa-desktop key check"
MAC_INFO = b"dpa-desktop row mac v1"
_STORE_ID = re.compile(r"[0-9a-z]{1,64}")
_PACK = msgspec.msgpack.Encoder()


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


@dataclass(frozen=True)
class Cipher:
    """The open data key; the only object that can read the register."""

    key: bytes

    @functools.cached_property
    def _aead(self) -> AESGCM:
        return AESGCM(self.key)

    @functools.cached_property
    def _mac_key(self) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None,
                    info=MAC_INFO).derive(self.key)

    def encrypt(self, plaintext: bytes, purpose: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return BLOB_VERSION + nonce + self._aead.encrypt(nonce, plaintext, purpose.encode())

    def decrypt(self, blob: object, purpose: str, what: str = "") -> bytes:
        """The plaintext of a blob; StoreCorrupt naming ``what`` (or the purpose) otherwise."""
        name = what or f"het versleutelde gegeven ({purpose})"
        if not isinstance(blob, bytes):
            raise StoreCorrupt(f"{name} staat in een kolom van het verkeerde soort (geen "
                               "versleuteld gegeven)")
        if len(blob) < 1 + NONCE_BYTES + TAG_BYTES or blob[:1] != BLOB_VERSION:
            raise StoreCorrupt(f"{name} is onleesbaar")
        nonce = blob[1:1 + NONCE_BYTES]
        try:
            return self._aead.decrypt(nonce, blob[1 + NONCE_BYTES:], purpose.encode())
        except InvalidTag as exc:
            raise StoreCorrupt(f"{name} kan niet worden ontsleuteld (gewijzigd of verplaatst)") \
                from exc

    def blob_encryptor(self, purpose: str) -> tuple[bytes, Any]:
        """The start of a blob (version, nonce) and an encryptor for its body.

        For blobs too large to hold twice in memory (scans): the caller feeds
        ``update`` in pieces and appends ``finalize()`` and ``tag``. The result
        is byte for byte what ``encrypt`` would give, so ``decrypt`` reads it.
        """
        nonce = os.urandom(NONCE_BYTES)
        encryptor = _BlockCipher(algorithms.AES(self.key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(purpose.encode())
        return BLOB_VERSION + nonce, encryptor

    def blob_decryptor(self, head: bytes, tag: bytes, purpose: str, what: str) -> Any:
        """A decryptor for a blob read in pieces; ``finalize()`` raises InvalidTag if it was changed.

        Until ``finalize`` succeeds the plaintext is unauthenticated: the caller
        keeps it where nobody uses it (a temp file it deletes on failure).
        """
        if len(head) != 1 + NONCE_BYTES or head[:1] != BLOB_VERSION or len(tag) != TAG_BYTES:
            raise StoreCorrupt(f"{what} is onleesbaar")
        decryptor = _BlockCipher(algorithms.AES(self.key),
                                 modes.GCM(head[1:], tag)).decryptor()
        decryptor.authenticate_additional_data(purpose.encode())
        return decryptor

    def mac(self, parts: Sequence[object]) -> bytes:
        """A MAC over a row's values (str, int, None, bytes); the order matters.

        The values are packed with MessagePack, which keeps their types apart
        (None from "", 1 from "1", text from bytes), so two different rows
        never give the same message.
        """
        return hmac.digest(self._mac_key, _PACK.encode(list(parts)), "sha256")

    def mac_ok(self, parts: Sequence[object], mac: object) -> bool:
        return isinstance(mac, bytes) and hmac.compare_digest(self.mac(parts), mac)

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
        "salt": b64(salt), "nonce": b64(nonce), "wrapped": b64(sealed),
    }


def check_wrap(wrap: object, source: str = "het herstelbestand",
               error: Callable[[str], StoreError] = StoreCorrupt) -> dict[str, Any]:
    """The fields of a wrap read from a file, checked; StoreCorrupt naming ``source`` otherwise.

    Runs before scrypt: parameters outside the documented range would cost
    gigabytes or minutes (or crash the KDF), so they are refused, not tried.
    """
    if not isinstance(wrap, dict):
        raise error(f"{source} is onleesbaar")
    try:
        if wrap.get("format") != 1 or wrap.get("kdf") != "scrypt":
            raise ValueError("format")
        salt = unb64(wrap["salt"])
        nonce = unb64(wrap["nonce"])
        sealed = unb64(wrap["wrapped"])
        n, r, p = wrap["n"], wrap["r"], wrap["p"]
        store_id = wrap["store_id"]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (n, r, p)):
            raise ValueError("n, r, p")
        if not isinstance(store_id, str) or not _STORE_ID.fullmatch(store_id):
            raise ValueError("store_id")
    except (KeyError, TypeError, ValueError, UnicodeEncodeError) as exc:
        raise error(f"{source} is onleesbaar") from exc
    if not (16 <= len(salt) <= 64 and len(nonce) == NONCE_BYTES
            and len(sealed) == KEY_BYTES + TAG_BYTES):
        raise error(f"{source} is onleesbaar (sleutelgegevens hebben de verkeerde lengte)")
    in_range = (SCRYPT_N_RANGE[0] <= n <= SCRYPT_N_RANGE[1] and n & (n - 1) == 0
                and SCRYPT_R_RANGE[0] <= r <= SCRYPT_R_RANGE[1]
                and SCRYPT_P_RANGE[0] <= p <= SCRYPT_P_RANGE[1]
                and 128 * n * r <= SCRYPT_MAX_MEMORY)
    if not in_range:
        raise error(f"{source} vraagt om ongeldige scrypt-instellingen (N={n}, r={r}, "
                           f"p={p}); toegestaan zijn N een macht van 2 van 2^10 tot 2^17, r van "
                           "1 tot 16, p van 1 tot 4 en ten hoogste 128 MiB geheugen. Het bestand "
                           "is niet door DPA Desktop gemaakt of is gewijzigd")
    return {"salt": salt, "nonce": nonce, "sealed": sealed, "n": n, "r": r, "p": p,
            "store_id": store_id}


def unwrap_key(wrap: object, code: str, source: str = "het herstelbestand",
               error: Callable[[str], StoreError] = StoreCorrupt) -> bytes:
    fields = check_wrap(wrap, source, error)
    if len(normalise_code(code)) != CODE_GROUPS * CODE_GROUP_LEN:
        raise WrongRecoveryCode()
    salt, nonce, sealed = fields["salt"], fields["nonce"], fields["sealed"]
    store_id = fields["store_id"]
    kek = _kek(code, salt, fields["n"], fields["r"], fields["p"])
    try:
        return AESGCM(kek).decrypt(nonce, sealed, f"recovery:{store_id}".encode())
    except InvalidTag as exc:
        raise WrongRecoveryCode() from exc


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)
