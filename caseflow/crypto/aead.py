"""AES-256-GCM with a versioned header and associated data.

Field ciphertext::

    0x01 | data key id (16 bytes, UUID) | nonce (12) | ciphertext || tag (16)

Associated data is the header plus ``table.column:row-id``, so a ciphertext moved to
another row or column, or a header pointing at another key, fails to decrypt.

Wrapped data key::

    0x01 | len(kek id) (1) | kek id (ascii) | nonce (12) | wrapped key || tag
"""

from __future__ import annotations

import os
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMAT_VERSION = 1
NONCE_BYTES = 12
_FIELD_HEADER = 1 + 16


class DecryptionError(Exception):
    """A ciphertext was tampered with, moved, or belongs to another keyring."""


def field_context(table: str, column: str, row_id: uuid.UUID) -> bytes:
    return f"caseflow:{table}.{column}:{row_id}".encode()


def seal_field(key: bytes, key_id: uuid.UUID, plaintext: bytes, context: bytes) -> bytes:
    header = bytes([FORMAT_VERSION]) + key_id.bytes
    nonce = os.urandom(NONCE_BYTES)
    return header + nonce + AESGCM(key).encrypt(nonce, plaintext, header + context)


def field_key_id(ciphertext: bytes) -> uuid.UUID:
    if len(ciphertext) < _FIELD_HEADER + NONCE_BYTES + 16 or ciphertext[0] != FORMAT_VERSION:
        raise DecryptionError("unknown ciphertext format")
    return uuid.UUID(bytes=bytes(ciphertext[1:_FIELD_HEADER]))


def open_field(key: bytes, ciphertext: bytes, context: bytes) -> bytes:
    field_key_id(ciphertext)  # validates the header
    header = bytes(ciphertext[:_FIELD_HEADER])
    nonce = bytes(ciphertext[_FIELD_HEADER:_FIELD_HEADER + NONCE_BYTES])
    try:
        return AESGCM(key).decrypt(nonce, bytes(ciphertext[_FIELD_HEADER + NONCE_BYTES:]), header + context)
    except InvalidTag:
        raise DecryptionError("ciphertext failed authentication") from None


def wrap_key(kek_id: str, kek: bytes, data_key: bytes, data_key_id: uuid.UUID) -> bytes:
    kid = kek_id.encode("ascii")
    header = bytes([FORMAT_VERSION, len(kid)]) + kid
    nonce = os.urandom(NONCE_BYTES)
    aad = header + b"caseflow:data-key:" + data_key_id.bytes
    return header + nonce + AESGCM(kek).encrypt(nonce, data_key, aad)


def wrapped_kek_id(wrapped: bytes) -> str:
    if len(wrapped) < 2 or wrapped[0] != FORMAT_VERSION:
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
