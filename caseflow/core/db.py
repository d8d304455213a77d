"""Column types and mixins shared by every model."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from functools import cache

from sqlalchemy import DateTime, TypeDecorator, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.core.clock import utcnow


class UTCDateTime(TypeDecorator):
    """Timezone-aware datetimes stored as UTC on every backend.

    SQLite has no time zone type; without this, values would come back naive and compare
    wrongly with aware ones.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class UUIDPrimaryKey:
    """UUIDs assigned in Python before insert, so ciphertexts can be bound to the row id."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)

    def ensure_id(self) -> uuid.UUID:
        if self.id is None:
            self.id = uuid.uuid4()
        return self.id


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


@cache
def mapped(name: str):
    """The mapped class called ``name``, found in the models' registry.

    The kernel (the access policy, authentication) governs records that the features define.
    It names them the way ``relationship("Case")`` does, by their class name resolved once
    every model is loaded, so that the import arrows point from the features to the kernel
    and never back.
    """
    from caseflow.extensions import db

    for mapper in db.Model.registry.mappers:
        if mapper.class_.__name__ == name:
            return mapper.class_
    raise LookupError(f"no mapped class named {name!r}")
