from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Uuid, event, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from caseflow.core.db import Timestamps, UTCDateTime, UUIDPrimaryKey
from caseflow.crypto.fields import EncryptedAttribute, Owner, encrypted_column
from caseflow.extensions import db
from caseflow.survivors import codes

DOCUMENT_TYPES = ("DNI", "CE", "PASSPORT", "OTHER", "NONE")
SEXES = ("female", "male", "intersex", "unknown")
DISABILITIES = tuple(codes.DISABILITIES)
ETHNICITIES = tuple(codes.ETHNICITIES)
MOTHER_TONGUES = tuple(codes.MOTHER_TONGUES)


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Survivor(UUIDPrimaryKey, Timestamps, db.Model):
    """A survivor. Identifying values exist only as ciphertext (``*_ct`` columns).

    Plain columns are coded values kept for statistics and routing (sex, district, mother
    tongue, ethnicity, disability, interpreter), never enough on their own to identify her.
    """

    __tablename__ = "survivors"
    __table_args__ = (
        CheckConstraint("document_type IN ('DNI', 'CE', 'PASSPORT', 'OTHER', 'NONE')", name="document_type"),
        CheckConstraint(_in("mother_tongue", MOTHER_TONGUES), name="mother_tongue"),
        CheckConstraint(_in("ethnicity", ETHNICITIES), name="ethnicity"),
        # What a search's reach asks of each candidate (her centre, erased or not) read from
        # the index, not from her row of ciphertexts (caseflow.access.policy, 0026).
        Index("ix_survivors_reach", "id", "organization_id", "erased_at"),
    )

    #: The centre that registered her.
    organization_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("organizations.id"), nullable=False, index=True)
    #: Her data key; null once erased (crypto-shredding).
    data_key_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("data_keys.id", ondelete="SET NULL"), index=True)
    document_type: Mapped[str] = mapped_column(String(10), nullable=False, default="NONE")
    sex: Mapped[str | None] = mapped_column(String(10))
    district: Mapped[str | None] = mapped_column(String(6))
    #: A code of :data:`codes.MOTHER_TONGUES` (INEI census 2017, question 24); free text
    #: before revision 0016_ficha, which mapped it to codes.
    mother_tongue: Mapped[str | None] = mapped_column(String(40))
    disability: Mapped[str | None] = mapped_column(String(20))
    #: Ethnic self-identification, a code of :data:`codes.ETHNICITIES` (census 2017, question 25).
    ethnicity: Mapped[str | None] = mapped_column(String(30))
    #: She needs an interpreter to be attended (null: not asked).
    interpreter_needed: Mapped[bool | None] = mapped_column(Boolean)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Her document was already registered at another centre when she was registered here
    #: (which centre is not kept); null for survivors registered before this was checked.
    registered_elsewhere: Mapped[bool | None] = mapped_column(Boolean)

    #: Her identity is bound to her id and to her centre: a survivor row moved to another
    #: centre by hand (``organization_id``) reads as unreadable there, not as her identity.
    __encryption_owner__ = Owner("id", also=("organization_id",))

    given_names_ct: Mapped[bytes | None] = encrypted_column()
    family_names_ct: Mapped[bytes | None] = encrypted_column()
    alias_ct: Mapped[bytes | None] = encrypted_column()
    document_number_ct: Mapped[bytes | None] = encrypted_column()
    birth_date_ct: Mapped[bytes | None] = encrypted_column()
    phone_ct: Mapped[bytes | None] = encrypted_column()
    address_ct: Mapped[bytes | None] = encrypted_column()
    safe_contact_ct: Mapped[bytes | None] = encrypted_column()
    gender_identity_ct: Mapped[bytes | None] = encrypted_column()

    given_names = EncryptedAttribute()
    family_names = EncryptedAttribute()
    alias = EncryptedAttribute()
    document_number = EncryptedAttribute()
    birth_date = EncryptedAttribute("date")
    phone = EncryptedAttribute()
    address = EncryptedAttribute()
    #: When and how she can be contacted safely (e.g. "after 18h, only by phone").
    safe_contact = EncryptedAttribute()
    gender_identity = EncryptedAttribute()

    ENCRYPTED_FIELDS = (
        "given_names", "family_names", "alias", "document_number", "birth_date", "phone",
        "address", "safe_contact", "gender_identity",
    )

    def encryption_key_id(self) -> uuid.UUID | None:
        if not inspect(self).persistent:
            return self.data_key_id  # being registered: her key is in this transaction
        return current_key_id(self.id)

    @property
    def erased(self) -> bool:
        return self.erased_at is not None


class SurvivorOwned:
    """Mixin for records holding a survivor's data: they encrypt under her data key, bound
    to her id and to the case the record belongs to (access to it goes through the case).
    A model without a ``case_id`` declares its own ``__encryption_owner__``."""

    survivor_id: Mapped[uuid.UUID]
    __encryption_owner__ = Owner("survivor_id", also=("case_id",))

    def encryption_key_id(self) -> uuid.UUID | None:
        return current_key_id(self.survivor_id)


_LOCKED_KEYS = "caseflow_locked_data_keys"


def current_key_id(survivor_id: uuid.UUID) -> uuid.UUID | None:
    """Her data key id as committed now, with her row locked until this transaction ends.

    Re-encryption and erasure lock the row too (``FOR UPDATE``), so a write can never seal
    a value under a key they have just replaced or destroyed: it either finishes before
    them (and they reseal or shred it) or waits and sees the new key. On PostgreSQL this is
    ``FOR NO KEY UPDATE`` (foreign-key checks of new child rows are not blocked); SQLite
    write transactions already begin IMMEDIATE, one writer at a time (read requests, which
    never seal anything, read in autocommit: caseflow.core.unit_of_work).
    """
    session = db.session()
    locked = session.info.setdefault(_LOCKED_KEYS, {})
    if survivor_id not in locked:
        pending = next((o for o in session.new if isinstance(o, Survivor) and o.id == survivor_id), None)
        if pending is not None:
            return pending.data_key_id
        locked[survivor_id] = session.execute(
            select(Survivor.data_key_id).where(Survivor.id == survivor_id).with_for_update(key_share=True)
        ).scalar()
    return locked[survivor_id]


@event.listens_for(Session, "after_transaction_end")
def _forget_locked_keys(session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction: its row locks are gone
        session.info.pop(_LOCKED_KEYS, None)
