"""Data keys: created per survivor, wrapped by the primary KEK, unwrapped once per request.

Each key records the survivor it belongs to; a field names its key in its header, and
``caseflow.crypto.fields`` refuses a key that belongs to someone other than the field's owner.

Unwrapped keys are cached in ``flask.g`` only, so they live for one request or command and
an erased survivor's key cannot linger in a worker.
"""

from __future__ import annotations

import os
import secrets
import time
import uuid

from flask import current_app

from caseflow.core.unit_of_work import current
from caseflow.crypto import aead
from caseflow.crypto.keyring import KEY_BYTES, Keyring, KeyringError
from caseflow.crypto.models import DataKey
from caseflow.extensions import db


class DataKeyMissing(Exception):
    """The data key was destroyed (erasure) or never existed."""


#: How often (seconds) a worker looks at the keyring file for a new version. A rotation
#: run by another process is picked up within this delay; ``crypto rotate-kek`` waits longer.
KEYRING_RECHECK_SECONDS = 1.0


def _file_stamp(path: str | None):
    try:
        stat = os.stat(path) if path else None
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino) if stat else None


def keyring() -> Keyring:
    ring = current_app.extensions.get("caseflow_keyring")
    if ring is None:
        return reload_keyring()
    if not current_app.config.get("CASEFLOW_KEYRING"):
        # A keyring file may be rotated by another process while this one serves requests:
        # look at it now and then so new data keys are wrapped by the new primary KEK.
        checked = current_app.extensions.get("caseflow_keyring_checked", 0.0)
        if time.monotonic() - checked > KEYRING_RECHECK_SECONDS:
            current_app.extensions["caseflow_keyring_checked"] = time.monotonic()
            stamp = current_app.extensions.get("caseflow_keyring_stamp")
            if stamp is not None and stamp != _file_stamp(current_app.config.get("CASEFLOW_KEYRING_FILE")):
                return reload_keyring()
    return ring


def reload_keyring() -> Keyring:
    """Read the keyring again (a worker meeting a KEK id it does not know yet)."""
    path = current_app.config.get("CASEFLOW_KEYRING_FILE")
    inline = current_app.config.get("CASEFLOW_KEYRING")
    stamp = None if inline else _file_stamp(path)
    ring = Keyring.load(inline, path)
    current_app.extensions["caseflow_keyring"] = ring
    current_app.extensions["caseflow_keyring_stamp"] = stamp
    current_app.extensions["caseflow_keyring_checked"] = time.monotonic()
    return ring


def set_keyring(ring: Keyring) -> None:
    current_app.extensions["caseflow_keyring"] = ring
    if not current_app.config.get("CASEFLOW_KEYRING"):
        current_app.extensions["caseflow_keyring_stamp"] = _file_stamp(current_app.config.get("CASEFLOW_KEYRING_FILE"))
    _cache().clear()


def _cache() -> dict[uuid.UUID, tuple[bytes, uuid.UUID | None]]:
    """Unwrapped keys of this request or command: key id -> (key, the survivor it belongs to)."""
    return current().data_keys


def create_data_key(survivor_id: uuid.UUID | None) -> DataKey:
    """A fresh data key of this survivor, wrapped by the primary KEK and added to the session."""
    ring = keyring()
    kek_id, kek = ring.primary_kek
    raw = secrets.token_bytes(KEY_BYTES)
    record = DataKey(id=uuid.uuid4(), kek_id=kek_id, survivor_id=survivor_id)
    record.wrapped = aead.wrap_key(kek_id, kek, raw, record.id)
    db.session.add(record)
    _cache()[record.id] = (raw, survivor_id)
    return record


def data_key_entry(key_id: uuid.UUID) -> tuple[bytes, uuid.UUID | None]:
    """The key and the survivor it belongs to (``DataKeyMissing`` if it does not exist)."""
    cache = _cache()
    if key_id in cache:
        return cache[key_id]
    record = db.session.get(DataKey, key_id)
    if record is None:
        raise DataKeyMissing(str(key_id))
    entry = cache[key_id] = (_unwrap(keyring(), record.id, record.kek_id, record.wrapped), record.survivor_id)
    return entry


def data_key(key_id: uuid.UUID) -> bytes:
    return data_key_entry(key_id)[0]


def data_key_owner(key_id: uuid.UUID) -> uuid.UUID | None:
    """The survivor the key belongs to (``DataKeyMissing`` if it does not exist)."""
    return data_key_entry(key_id)[1]


def _unwrap(ring, key_id: uuid.UUID, kek_id: str, wrapped: bytes) -> bytes:
    if kek_id not in ring.keks and not current_app.config.get("CASEFLOW_KEYRING"):
        ring = reload_keyring()  # rotated by another process since this one loaded it
    try:
        kek = ring.kek(kek_id)
    except KeyringError as exc:
        raise aead.DecryptionError(str(exc)) from None
    return aead.unwrap_key(kek, wrapped, key_id)


def unwrap_data_keys(rows) -> None:
    """Cache data keys from (id, kek_id, wrapped, survivor_id) rows already read, e.g. a
    batch's in one query.

    The material under a data key id never changes (a rotation rewraps the same key), so a
    key unwrapped here decrypts exactly what ``data_key`` would have fetched one by one.
    """
    cache = _cache()
    for key_id, kek_id, wrapped, survivor_id in rows:
        if key_id not in cache:
            cache[key_id] = (_unwrap(keyring(), key_id, kek_id, wrapped), survivor_id)


def forget_data_key(key_id: uuid.UUID) -> None:
    _cache().pop(key_id, None)
