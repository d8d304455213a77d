"""Encrypted model attributes.

A model declares its owner once, then each ciphertext column and its attribute side by side::

    __encryption_owner__ = Owner("survivor_id", also=("case_id",))

    phone_ct: Mapped[bytes | None] = encrypted_column()
    phone = EncryptedAttribute()

Assigning ``record.phone = "..."`` stores only ciphertext under the survivor's data key,
bound to the table, column and row id and to the owner: the column naming her survivor id
and the ``also`` columns through which the record is reached (its case, its centre). A row
moved to another survivor, case or centre, or whose header names a data key that is not
hers, fails closed. Reading ``record.phone`` decrypts and notes the read for the audit log,
so no code path can read a sensitive value without it being recorded.

``caseflow.survivors.models.SurvivorOwned`` declares ``Owner("survivor_id",
also=("case_id",))`` for every record of hers: a new model inheriting it needs nothing
more; one without a ``case_id`` declares its own owner. A model with an encrypted attribute
and no owner is refused when the class is defined.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from datetime import date
from functools import cache

from flask import current_app, has_request_context
from sqlalchemy import LargeBinary
from sqlalchemy.orm import mapped_column

from caseflow.core.unit_of_work import current
from caseflow.crypto import aead
from caseflow.crypto.keys import DataKeyMissing, data_key, data_key_entry


@dataclass(frozen=True)
class Owner:
    """Whom a model's encrypted values belong to, declared once as ``__encryption_owner__``.

    ``survivor`` names the attribute holding her survivor id (``"id"`` on the survivor
    herself): its value is bound into every ciphertext of the record, and the data key named
    by a ciphertext's header must be hers. ``also`` names more columns bound the same way,
    those through which others reach the record (``case_id``, an organization id), so that
    moving the row there is detected too. Changing any of them by hand makes the record
    unreadable; code that moves a record on purpose must re-seal its values.
    """

    survivor: str
    also: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.survivor, *self.also)

    def bound(self, instance) -> tuple[tuple[str, object], ...]:
        return tuple((name, getattr(instance, name)) for name in self.columns)


def owner_of(model) -> Owner:
    return model.__encryption_owner__


def context_for(instance, column: str, version: int = aead.FORMAT_VERSION, row_id=None) -> bytes:
    """The associated data of ``instance``'s ``column`` in that ciphertext format."""
    owner = owner_of(type(instance)).bound(instance) if version != aead.LEGACY_FORMAT else None
    return aead.field_context(instance.__tablename__, column, instance.id if row_id is None else row_id, owner)


class ErasedDataError(Exception):
    """The survivor's data key was destroyed: her data cannot be read or written."""


#: Set on a record one of whose fields could not be decrypted during this request.
UNREADABLE_FLAG = "_caseflow_unreadable"


#: On a record, the values already decrypted from its ciphertexts, per column, each with the
#: ciphertext and owner it came from: a field read twice in a request (checked, then shown)
#: is opened once. Keyed by that very ciphertext object and the owner's bound values, so a
#: new value, a refresh or an expiry (each a new bytes object), or a record moved to another
#: survivor, case or centre, opens again (and fails closed). Every read is still noted for
#: the audit.
OPENED = "_caseflow_opened"


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
        if not isinstance(getattr(owner, "__encryption_owner__", None), Owner):
            raise TypeError(f"{owner.__name__}.{name}: a model with encrypted attributes declares "
                            "__encryption_owner__ = Owner(...) (caseflow.crypto.fields)")

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
        unit = current()
        opened = instance.__dict__.get(OPENED)
        bound = owner_of(type(instance)).bound(instance)
        if opened is not None and (hit := opened.get(self.column)) is not None \
                and hit[0] is ciphertext and hit[1] == bound:
            value = hit[2]
        else:
            try:
                plaintext = open_ciphertext(instance, self.column, ciphertext, bound)
            except aead.DecryptionError:
                if not has_request_context():
                    raise  # commands (verify, re-encryption) stop loudly on damaged data
                return _unreadable(instance, self.column)
            value = self._decode(plaintext)
            if self.kind != "json":  # a dict or list could be changed by whoever reads it
                instance.__dict__.setdefault(OPENED, {})[self.column] = (ciphertext, bound, value)
        if not unit.unaudited_reads:
            from caseflow.audit.services import note_read

            note_read(instance, self.name, unit)
        return value

    def __set__(self, instance, value):
        if value is None:
            setattr(instance, self.column, None)
            return
        key_id = instance.encryption_key_id()
        if key_id is None:
            raise ErasedDataError(instance.__tablename__)
        row_id = instance.ensure_id()
        context = context_for(instance, self.column, row_id=row_id)
        setattr(instance, self.column, aead.seal_field(data_key(key_id), key_id, self._encode(value), context))


def open_ciphertext(instance, column: str, ciphertext: bytes, bound=None) -> bytes:
    """The plaintext of ``instance``'s ``column``, checked against the row and its owner.

    ``DecryptionError`` when it fails authentication (tampered, moved to another row,
    column, survivor, case or centre, another keyring) or when its header names a data key
    that is not its owner's; ``ErasedDataError`` when she was erased. ``bound``, the owner's
    bound values, when the caller has computed them already.
    """
    key_id = aead.field_key_id(ciphertext)  # validates the header
    try:
        key, key_owner = data_key_entry(key_id)
    except DataKeyMissing:
        if _owner_erased(instance):
            raise ErasedDataError(instance.__tablename__) from None
        raise aead.DecryptionError("unknown data key") from None
    owner = owner_of(type(instance))
    if key_owner is None or key_owner != getattr(instance, owner.survivor):
        raise aead.DecryptionError("the data key belongs to another survivor")
    if ciphertext[0] == aead.LEGACY_FORMAT:
        bound = None
    elif bound is None:
        bound = owner.bound(instance)
    return aead.open_field(key, ciphertext, aead.field_context(instance.__tablename__, column, instance.id, bound))


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
            try:
                value = attr.__get__(instance)
            except aead.DecryptionError:
                # Not re-sealed (that would launder a moved row into its new owner's data):
                # the run stops here, naming the row, before any key is destroyed.
                raise aead.DecryptionError(
                    f"unreadable ciphertext: {instance.__tablename__}.{attr.column} of row {instance.id} "
                    "(tampered or moved; see `caseflow crypto verify`)") from None
            context = context_for(instance, attr.column)
            setattr(instance, attr.column, aead.seal_field(data_key(new_key_id), new_key_id, attr._encode(value), context))
            count += 1
    return count
