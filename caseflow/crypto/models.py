"""Tables of the crypto layer: wrapped data keys and blind-index terms."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, LargeBinary, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.core.clock import utcnow
from caseflow.core.db import UTCDateTime, UUIDPrimaryKey
from caseflow.extensions import db


class DataKey(UUIDPrimaryKey, db.Model):
    """A survivor's data key, only ever stored wrapped by a KEK.

    Deleting the row shreds every ciphertext made with it.
    """

    __tablename__ = "data_keys"

    #: The survivor whose key it is (no foreign key: her row points here). A field's header
    #: names its data key, and the key must belong to the field's owner (caseflow.crypto.fields).
    #: Null only for keys superseded before revision 0015_owner_binding.
    survivor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    #: Which KEK version wraps this key; rotation rewrites it.
    kek_id: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    rewrapped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class BlindIndexState(db.Model):
    """Which version of each blind index answers searches, and how many bits it keeps."""

    __tablename__ = "blind_index_states"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    active_version: Mapped[int] = mapped_column(Integer, nullable=False)
    active_bits: Mapped[int] = mapped_column(Integer, nullable=False)
    #: A version being filled beside the active one (``crypto rebuild-index``), else null.
    building_version: Mapped[int | None] = mapped_column(Integer)
    building_bits: Mapped[int | None] = mapped_column(Integer)


class SurvivorSearchTerm(db.Model):
    """One truncated HMAC of a normalised value; shared by a few survivors on purpose."""

    __tablename__ = "survivor_search_terms"
    # A term's survivors read from the index alone (0026): a family-name search touches each
    # candidate's id, not her row.
    __table_args__ = (Index("ix_survivor_search_terms_lookup", "index_name", "version", "term", "survivor_id"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    survivor_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("survivors.id", ondelete="CASCADE"), nullable=False, index=True
    )
    index_name: Mapped[str] = mapped_column(String(40), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    term: Mapped[int] = mapped_column(BigInteger, nullable=False)
