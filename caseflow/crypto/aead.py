"""AES-256-GCM with a versioned header and associated data.

Field ciphertext::

    0x02 | data key id (16 bytes, UUID) | nonce (12) | ciphertext || tag (16)

Associated data is the header plus ``table.column:row-id`` and the record's owner (her
survivor id and the columns through which the record is reached, declared once per model:
``caseflow.crypto.fields.Owner``), so a ciphertext moved to another row or column, a row
moved to another survivor, case or centre, or a header pointing at another key, fails to
decrypt. Format 0x01 (no owner in the associated data) is still read, until
``caseflow crypto reencrypt`` re-seals it; nothing writes it any more.

Wrapped data key::

    0x01 | len(kek id) (1) | kek id (ascii) | nonce (12) | wrapped key || tag
"""

from __future__ import annotations

import os
import uuid
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

#: Field ciphertexts bound to table, column and row only (read, never written).
LEGACY_FORMAT = 1
#: Field ciphertexts bound to their owner too.
FORMAT_VERSION = 2
FIELD_FORMATS = (LEGACY_FORMAT, FORMAT_VERSION)
#: Wrapped data keys (their own format, unchanged).
WRAP_FORMAT = 1
NONCE_BYTES = 12
_FIELD_HEADER = 1 + 16


class DecryptionError(Exception):
    """A ciphertext was tampered with, moved, or belongs to another keyring."""


def field_context(table: str, column: str, row_id: uuid.UUID, owner=None) -> bytes:
    """The associated data after the header. ``owner`` is the record's bound columns as
    ``(name, value)`` pairs (format 2); ``None`` gives the legacy context of format 1."""
    context = f"caseflow:{table}.{column}:{row_id}"
    if owner is not None:
        context += _owner_text(owner)
    return context.encode()


@lru_cache(maxsize=4096)
def _owner_text(owner: tuple) -> str:
    """Formatted once per owner: a request reads several fields of each of her records."""
    return "|owner:" + ";".join(f"{name}={'' if value is None else value}" for name, value in owner)


def field_format(ciphertext: bytes) -> int:
    field_key_id(ciphertext)  # validates the header
    return ciphertext[0]


def seal_field(key: bytes, key_id: uuid.UUID, plaintext: bytes, context: bytes,
               version: int = FORMAT_VERSION) -> bytes:
    if version not in FIELD_FORMATS:
        raise ValueError(version)
    header = bytes([version]) + key_id.bytes
    nonce = os.urandom(NONCE_BYTES)
    return header + nonce + AESGCM(key).encrypt(nonce, plaintext, header + context)


def field_key_id(ciphertext: bytes) -> uuid.UUID:
    _check_header(ciphertext)
    return _key_id(bytes(ciphertext[1:_FIELD_HEADER]))


def _check_header(ciphertext: bytes) -> None:
    if len(ciphertext) < _FIELD_HEADER + NONCE_BYTES + 16 or ciphertext[0] not in FIELD_FORMATS:
        raise DecryptionError("unknown ciphertext format")


@lru_cache(maxsize=4096)
def _key_id(raw: bytes) -> uuid.UUID:
    """One UUID per data key named in a request's ciphertexts, not one per field read (a
    search answering a page of women read hundreds)."""
    return uuid.UUID(bytes=raw)


def open_field(key: bytes, ciphertext: bytes, context: bytes) -> bytes:
    _check_header(ciphertext)
    header = bytes(ciphertext[:_FIELD_HEADER])
    nonce = bytes(ciphertext[_FIELD_HEADER:_FIELD_HEADER + NONCE_BYTES])
    try:
        return AESGCM(key).decrypt(nonce, bytes(ciphertext[_FIELD_HEADER + NONCE_BYTES:]), header + context)
    except InvalidTag:
        raise DecryptionError("ciphertext failed authentication") from None


def wrap_key(kek_id: str, kek: bytes, data_key: bytes, data_key_id: uuid.UUID) -> bytes:
    kid = kek_id.encode("ascii")
    header = bytes([WRAP_FORMAT, len(kid)]) + kid
    nonce = os.urandom(NONCE_BYTES)
    aad = header + b"caseflow:data-key:" + data_key_id.bytes
    return header + nonce + AESGCM(kek).encrypt(nonce, data_key, aad)


def wrapped_kek_id(wrapped: bytes) -> str:
    if len(wrapped) < 2 or wrapped[0] != WRAP_FORMAT:
        raise DecryptionError("unknown wrapped-key format")
    return bytes(wrapped[2:2 + wrapped[1]]).decode("ascii")


def unwrap_key(kek: bytes, wrapped: bytes, data_key_id: uuid.UUID) -> bytes:
    wrapped = bytes(wrapped)
    header_len = 2 + wrapped[1]
    header = wrapped[:header_len]
    nonce = wrapped[header_len:header_len + NONCE_BYTES]
    aad = header + b"caseflow:data-key:" + data_key_id.bytes
    try:
        return AESGCM(kek).decrypt(nonce, wrapped[header_len + NONCE_BYTES:], aad)
    except InvalidTag:
        raise DecryptionError("data key failed authentication (wrong keyring?)") from None
