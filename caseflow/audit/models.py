from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, BigInteger, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.core.db import UTCDateTime
from caseflow.extensions import db


class AuditEntry(db.Model):
    """Who did or read what, to which record, when. Never a sensitive value.

    ``hash`` is HMAC-SHA256 (audit key) over ``prev_hash`` and this entry's canonical JSON,
    so changing, deleting or reordering an entry breaks every later link. Database
    triggers also refuse UPDATE and DELETE (see the migration).
    """

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    #: ``user`` or ``system:<command>`` for CLI and scheduler work.
    actor_kind: Mapped[str] = mapped_column(String(60), nullable=False)
    actor_role: Mapped[str | None] = mapped_column(String(20))
    organization_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    #: ``read``, ``create``, ``update``, ``login``, ``login_failed``, ...
    action: Mapped[str] = mapped_column(String(40), nullable=False)
    entity_type: Mapped[str] = mapped_column(String(60), nullable=False)
    entity_id: Mapped[str | None] = mapped_column(String(64))
    case_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    survivor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    #: Names of the fields read or changed, never their values.
    fields: Mapped[list | None] = mapped_column(JSON)
    detail: Mapped[dict | None] = mapped_column(JSON)
    request_id: Mapped[str | None] = mapped_column(String(40))
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)

    def canonical(self) -> dict:
        return canonical({name: getattr(self, name) for name in CHAINED_COLUMNS})


#: The columns an entry's hash covers (all but its id and the links themselves).
CHAINED_COLUMNS = ("at", "actor_id", "actor_kind", "actor_role", "organization_id", "action", "entity_type",
                   "entity_id", "case_id", "survivor_id", "fields", "detail", "request_id")


def canonical(values) -> dict:
    """An entry's chained content in the one form its hash is computed over, from its
    column values (an entry being appended is hashed before it is a row)."""
    def text(value):
        return str(value) if value else None

    return {
        "at": values["at"].isoformat(),
        "actor_id": text(values["actor_id"]),
        "actor_kind": values["actor_kind"],
        "actor_role": values["actor_role"],
        "organization_id": text(values["organization_id"]),
        "action": values["action"],
        "entity_type": values["entity_type"],
        "entity_id": values["entity_id"],
        "case_id": text(values["case_id"]),
        "survivor_id": text(values["survivor_id"]),
        "fields": sorted(values["fields"]) if values["fields"] else None,
        "detail": values["detail"],
        "request_id": values["request_id"],
    }
