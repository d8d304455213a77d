"""Encrypted model attributes.

A model declares the ciphertext column and the attribute side by side::

    phone_ct: Mapped[bytes | None] = encrypted_column()
    phone = EncryptedAttribute()

Assigning ``record.phone = "..."`` stores only ciphertext, bound to the table, column and
row id, under the survivor's data key. Reading ``record.phone`` decrypts and notes the read
for the audit log, so no code path can read a sensitive value without it being recorded.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import date
from functools import cache

from flask import current_app, has_request_context
from sqlalchemy import LargeBinary
from sqlalchemy.orm import mapped_column

from caseflow.core.unit_of_work import current
from caseflow.crypto import aead
from caseflow.crypto.keys import DataKeyMissing, data_key


class ErasedDataError(Exception):
    """The survivor's data key was destroyed: her data cannot be read or written."""


#: Set on a record one of whose fields could not be decrypted during this request.
UNREADABLE_FLAG = "_caseflow_unreadable"


def is_unreadable(instance) -> bool:
    return bool(getattr(instance, UNREADABLE_FLAG, False))


def _owner_erased(instance) -> bool:
    owner = instance if instance.__tablename__ == "survivors" else getattr(instance, "survivor", None)
    return bool(owner is not None and getattr(owner, "erased_at", None) is not None)


def _unreadable(instance, column: str):
    """Degrade to the record, not the list: the field reads as null and the record is
    marked, so a list, a search or a visit card goes on without her value instead of
    answering 500 to everyone. Logged by row id, never a value; ``crypto verify`` counts it."""
    setattr(instance, UNREADABLE_FLAG, True)
    current_app.logger.critical("unreadable ciphertext: %s.%s of row %s (tampered, moved or another keyring)",
                                instance.__tablename__, column, instance.id)
    return None


def encrypted_column():
    return mapped_column(LargeBinary, nullable=True)


@contextlib.contextmanager
def unaudited_reads():
    """For system operations (verify, re-encrypt, export builders) that audit themselves once."""
    unit = current()
    previous, unit.unaudited_reads = unit.unaudited_reads, True
    try:
        yield
    finally:
        unit.unaudited_reads = previous


class EncryptedAttribute:
    """Descriptor over ``<name>_ct``; ``kind`` is ``str``, ``date`` or ``json``."""

    def __init__(self, kind: str = "str"):
        if kind not in ("str", "date", "json"):
            raise ValueError(kind)
        self.kind = kind

    def __set_name__(self, owner, name):
        self.name = name
        self.column = f"{name}_ct"

    # -- serialisation ---------------------------------------------------------------
    def _encode(self, value) -> bytes:
        if self.kind == "date":
            if not isinstance(value, date):
                raise TypeError(f"{self.name} must be a date")
            return value.isoformat().encode()
        if self.kind == "json":
            import json

            return json.dumps(value, sort_keys=True, ensure_ascii=False).encode()
        if not isinstance(value, str):
            raise TypeError(f"{self.name} must be a string")
        return value.encode("utf-8")

    def _decode(self, raw: bytes):
        text = raw.decode("utf-8")
        if self.kind == "date":
            return date.fromisoformat(text)
        if self.kind == "json":
            import json

            return json.loads(text)
        return text

    # -- descriptor ------------------------------------------------------------------
    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        ciphertext = getattr(instance, self.column)
        if ciphertext is None:
            return None
        try:
            key_id = aead.field_key_id(ciphertext)
            context = aead.field_context(instance.__tablename__, self.column, instance.id)
            try:
                key = data_key(key_id)
            except DataKeyMissing:
                if _owner_erased(instance):
                    raise ErasedDataError(instance.__tablename__) from None
                raise aead.DecryptionError("unknown data key") from None
            plaintext = aead.open_field(key, ciphertext, context)
        except aead.DecryptionError:
            if not has_request_context():
                raise  # commands (verify, re-encryption) stop loudly on damaged data
            return _unreadable(instance, self.column)
        if not current().unaudited_reads:
            from caseflow.audit.services import note_read

            note_read(instance, self.name)
        return self._decode(plaintext)

    def __set__(self, instance, value):
        if value is None:
            setattr(instance, self.column, None)
            return
        key_id = instance.encryption_key_id()
        if key_id is None:
            raise ErasedDataError(instance.__tablename__)
        row_id = instance.ensure_id()
        context = aead.field_context(instance.__tablename__, self.column, row_id)
        setattr(instance, self.column, aead.seal_field(data_key(key_id), key_id, self._encode(value), context))


def encrypted_attributes(model) -> list[EncryptedAttribute]:
    """The model's encrypted attributes (looked up once per class: re-encryption asks per row)."""
    return list(_encrypted_attributes(model))


@cache
def _encrypted_attributes(model) -> tuple[EncryptedAttribute, ...]:
    return tuple(attr for klass in type.mro(model) for attr in vars(klass).values()
                 if isinstance(attr, EncryptedAttribute))


def reseal(instance, new_key_id: uuid.UUID) -> int:
    """Re-encrypt every encrypted attribute of ``instance`` under ``new_key_id``.

    Used by re-encryption; returns the number of fields rewritten.
    """
    count = 0
    with unaudited_reads():
        for attr in encrypted_attributes(type(instance)):
            ciphertext = getattr(instance, attr.column)
            if ciphertext is None:
                continue
            value = attr.__get__(instance)
            context = aead.field_context(instance.__tablename__, attr.column, instance.id)
            setattr(instance, attr.column, aead.seal_field(data_key(new_key_id), new_key_id, attr._encode(value), context))
            count += 1
    return count
