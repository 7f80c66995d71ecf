"""The backup archive: one file, useless without the recovery code.

Layout: a magic line, a JSON header (the recovery wrap of the data key, which
is not personal) and the AES-GCM ciphertext of a zip holding the database
snapshot and the wrap. On a new laptop the recovery code unwraps the key
from the header, so the old keyring is not needed.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from dpa_desktop import __version__, platform
from dpa_desktop.store import crypto, db
from dpa_desktop.store.crypto import Cipher
from dpa_desktop.store.errors import StoreCorrupt, StoreExists

MAGIC = b"DPA-DESKTOP-BACKUP\n"
FORMAT = 1
RECOVERY_FILE = "recovery.json"


def archive_bytes(snapshot: bytes, wrap: dict[str, Any], cipher: Cipher, store_id: str,
                  schema: int) -> bytes:
    manifest = {"format": FORMAT, "store_id": store_id, "schema": schema,
                "created": datetime.now().replace(microsecond=0).isoformat(),
                "app": __version__}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr(db.DB_NAME, snapshot)
        zf.writestr(RECOVERY_FILE, json.dumps(wrap, indent=2))
    header = json.dumps({"format": FORMAT, "store_id": store_id, "recovery": wrap}).encode()
    body = cipher.encrypt(buffer.getvalue(), f"backup:{store_id}")
    return MAGIC + struct.pack(">I", len(header)) + header + body


def _parse(raw: bytes) -> tuple[dict[str, Any], bytes]:
    if not raw.startswith(MAGIC):
        raise StoreCorrupt("dit bestand is geen reservekopie van DPA Desktop")
    try:
        (length,) = struct.unpack(">I", raw[len(MAGIC):len(MAGIC) + 4])
        start = len(MAGIC) + 4
        header = json.loads(raw[start:start + length])
        body = raw[start + length:]
    except (struct.error, ValueError) as exc:
        raise StoreCorrupt("de reservekopie is onvolledig") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise StoreCorrupt("de reservekopie heeft een onbekend formaat")
    return header, body


def restore(archive: Path, code: str, directory: Path) -> tuple[str, bytes]:
    """Unpack into an empty directory; returns the register id and its data key.

    Everything is checked before the first byte is written, so a wrong code or
    a damaged archive leaves the target as it was.
    """
    if (directory / db.DB_NAME).exists() or (directory.exists() and any(directory.iterdir())):
        raise StoreExists(str(directory))
    try:
        raw = archive.read_bytes()
    except OSError as exc:
        raise StoreCorrupt(f"de reservekopie is niet te lezen ({exc.strerror})") from exc
    header, body = _parse(raw)
    wrap = header.get("recovery")
    store_id = str(header.get("store_id", ""))
    if not isinstance(wrap, dict) or not store_id:
        raise StoreCorrupt("de reservekopie mist de sleutelgegevens")
    data_key = crypto.unwrap_key(wrap, code)
    plain = Cipher(data_key).decrypt(body, f"backup:{store_id}")
    try:
        with zipfile.ZipFile(io.BytesIO(plain)) as zf:
            manifest = json.loads(zf.read("manifest.json"))
            snapshot = zf.read(db.DB_NAME)
            wrap_text = zf.read(RECOVERY_FILE)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise StoreCorrupt("de inhoud van de reservekopie is onvolledig") from exc
    if manifest.get("store_id") != store_id:
        raise StoreCorrupt("de reservekopie is samengesteld uit verschillende registers")
    directory.mkdir(parents=True, exist_ok=True)
    platform.atomic_write(directory / RECOVERY_FILE, wrap_text)
    platform.atomic_write(directory / db.DB_NAME, snapshot)
    return store_id, data_key
