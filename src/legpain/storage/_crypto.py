"""Encryption at rest, keyed by what only the person holds: the interview's link.

- The database keys an interview by ``lookup_key(id)``, a one-way hash of the id;
  the id (128 random bits) is never stored, so it cannot be read back from a row.
- Everything said in an interview is sealed with AES-256-GCM under a key derived by
  HKDF-SHA256 from the id. Each row has a fresh 96-bit nonce and is bound (as
  associated data) to its interview and its place, so rows cannot be swapped.
- An idempotency record is sealed under a key derived from the idempotency key's
  hash (which the client's key and, for answers, the interview's id go into): the
  server can give a retry its response, a database dump cannot.

So whatever is left of a row (a WAL frame, a free page, a PostgreSQL file, a backup)
is unreadable without the link, and a deleted interview's link is known only to the
person who had it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_VERSION = b"\x01"
_SALT = b"legpain storage v1"
_LOOKUP = b"legpain/v1/lookup\x00"


class SealBroken(ValueError):
    """A sealed blob did not open with this key (wrong link, or altered)."""


def lookup_key(secret: str, kind: str = "interview") -> str:
    """The 32 characters stored in place of ``secret``: SHA-256, 192 bits kept."""
    digest = hashlib.sha256(_LOOKUP + kind.encode() + b"\x00" + secret.encode()).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def lookup_hex(secret: str, kind: str) -> str:
    """The same, as 64 hex characters (for columns that held a SHA-256 before)."""
    return hashlib.sha256(_LOOKUP + kind.encode() + b"\x00" + secret.encode()).hexdigest()


class Sealer:
    """AES-GCM under a key derived (HKDF-SHA256) from ``secret`` for ``purpose``."""

    __slots__ = ("_aead", "_bound")

    def __init__(self, secret: str, purpose: str = "interview") -> None:
        key = HKDF(
            algorithm=hashes.SHA256(),
            length=32,
            salt=_SALT,
            info=b"legpain/v1/aes-256-gcm/" + purpose.encode(),
        ).derive(secret.encode())
        self._aead = AESGCM(key)
        self._bound = lookup_key(secret, purpose)

    def seal(self, value: Any, place: str) -> bytes:
        nonce = os.urandom(12)
        plain = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
        return _VERSION + nonce + self._aead.encrypt(nonce, plain, self._aad(place))

    def open(self, blob: bytes, place: str) -> Any:
        blob = bytes(blob)
        if not blob.startswith(_VERSION) or len(blob) < 29:
            raise SealBroken("not a sealed value")
        try:
            plain = self._aead.decrypt(blob[1:13], blob[13:], self._aad(place))
        except InvalidTag:
            raise SealBroken("the value does not open with this key") from None
        return json.loads(plain)

    def _aad(self, place: str) -> bytes:
        return f"{self._bound}/{place}".encode()
