"""Data keys: created per survivor, wrapped by the primary KEK, unwrapped once per request.

Unwrapped keys are cached in ``flask.g`` only, so they live for one request or command and
an erased survivor's key cannot linger in a worker.
"""

from __future__ import annotations

import secrets
import uuid

from flask import current_app, g

from caseflow.crypto import aead
from caseflow.crypto.keyring import KEY_BYTES, Keyring, KeyringError
from caseflow.crypto.models import DataKey
from caseflow.extensions import db


class DataKeyMissing(Exception):
    """The data key was destroyed (erasure) or never existed."""


def keyring() -> Keyring:
    ring = current_app.extensions.get("caseflow_keyring")
    if ring is None:
        ring = Keyring.load(
            current_app.config.get("CASEFLOW_KEYRING"), current_app.config.get("CASEFLOW_KEYRING_FILE")
        )
        current_app.extensions["caseflow_keyring"] = ring
    return ring


def set_keyring(ring: Keyring) -> None:
    current_app.extensions["caseflow_keyring"] = ring
    _cache().clear()


def _cache() -> dict[uuid.UUID, bytes]:
    if "caseflow_data_keys" not in g:
        g.caseflow_data_keys = {}
    return g.caseflow_data_keys


def create_data_key() -> DataKey:
    """A fresh data key, wrapped by the primary KEK and added to the session."""
    ring = keyring()
    kek_id, kek = ring.primary_kek
    raw = secrets.token_bytes(KEY_BYTES)
    record = DataKey(id=uuid.uuid4(), kek_id=kek_id)
    record.wrapped = aead.wrap_key(kek_id, kek, raw, record.id)
    db.session.add(record)
    _cache()[record.id] = raw
    return record


def data_key(key_id: uuid.UUID) -> bytes:
    cache = _cache()
    if key_id in cache:
        return cache[key_id]
    record = db.session.get(DataKey, key_id)
    if record is None:
        raise DataKeyMissing(str(key_id))
    ring = keyring()
    try:
        kek = ring.kek(record.kek_id)
    except KeyringError as exc:
        raise aead.DecryptionError(str(exc)) from None
    raw = aead.unwrap_key(kek, record.wrapped, record.id)
    cache[key_id] = raw
    return raw


def forget_data_key(key_id: uuid.UUID) -> None:
    _cache().pop(key_id, None)
