"""Erasure by crypto-shredding (Ley 29733, cancellation).

Her data keys are destroyed, the ciphertexts of every table that holds her data are cleared
and her blind-index terms deleted, all in one transaction. What remains are coded facts for
statistics (case status, channels, dates, district, sex) that no longer point to a person.
Copies of her wrapped data key left in old backups or freed database pages stay readable
only while the KEK that wrapped it exists: rotate, then retire and destroy old KEK versions
once the backup retention period has passed (docs/operations.md).

From the API it takes two supervisors of the centre: the first call asks, a second
supervisor's call carries it out.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask_babel import lazy_gettext
from flask_login import current_user
from sqlalchemy import delete, event, select

from caseflow.audit.services import record
from caseflow.core.clock import utcnow
from caseflow.core.errors import Conflict, Forbidden
from caseflow.crypto import blind_index
from caseflow.crypto.keys import forget_data_key
from caseflow.crypto.models import DataKey
from caseflow.extensions import db
from caseflow.keys.discovery import ciphertext_columns, her_rows, key_ids_of
from caseflow.keys.reencrypt import lock_survivor
from caseflow.rights.models import ErasureRequest

#: A request not confirmed within this time lapses; a new call starts over.
CONFIRM_WITHIN = timedelta(days=7)

ALREADY_ERASED = lazy_gettext("This survivor's data was already erased.")
SAME_SUPERVISOR = lazy_gettext("A second supervisor must confirm the erasure; you already asked for it.")
OTHER_CENTRE = lazy_gettext("Only a supervisor of the centre that asked for the erasure can confirm it.")


class AlreadyErased(Conflict):
    def __init__(self):
        super().__init__(ALREADY_ERASED)


def request_or_confirm(survivor, reason: str) -> tuple[ErasureRequest, bool]:
    """First supervisor: a pending request. Second supervisor: the erasure. Returns (request, done)."""
    if survivor.erased:
        raise AlreadyErased()
    now = utcnow()
    pending = db.session.scalars(
        select(ErasureRequest).where(ErasureRequest.survivor_id == survivor.id, ErasureRequest.status == "pending")
        .order_by(ErasureRequest.requested_at.desc())
    ).first()
    if pending is not None and pending.requested_at < now - CONFIRM_WITHIN:
        pending.status, pending = "expired", None
    if pending is None:
        request = ErasureRequest(
            survivor_id=survivor.id, organization_id=current_user.organization_id, status="pending",
            reason=reason, requested_by_id=current_user.id, requested_at=now,
        )
        request.ensure_id()
        db.session.add(request)
        db.session.flush()
        record("erase_requested", "survivors", survivor.id, survivor_id=survivor.id,
               detail={"request_id": str(request.id)})
        return request, False
    if pending.requested_by_id == current_user.id:
        raise Conflict(SAME_SUPERVISOR)
    if pending.organization_id != current_user.organization_id:
        raise Forbidden(OTHER_CENTRE)
    erase_survivor(survivor.id, detail={"request_id": str(pending.id), "requested_by": str(pending.requested_by_id)})
    pending.status, pending.confirmed_by_id, pending.confirmed_at = "carried_out", current_user.id, now
    db.session.flush()
    return pending, True


def erase_survivor(survivor_id: uuid.UUID, detail: dict | None = None) -> dict:
    """Shred her data (no commit). Raises AlreadyErased when there is nothing left to erase."""
    survivor = lock_survivor(survivor_id)
    if survivor is None or survivor.erased:
        raise AlreadyErased()
    key_ids = {survivor.data_key_id} - {None}
    rows = 0
    for model, row in list(her_rows(survivor_id)):
        key_ids |= key_ids_of(row)
        for column in ciphertext_columns(model):
            setattr(row, column, None)
        rows += 1
    blind_index.clear_terms(survivor_id)
    survivor.data_key_id = None
    survivor.erased_at = utcnow()
    db.session.flush()
    db.session.execute(delete(DataKey).where(DataKey.id.in_(key_ids)))
    for key_id in key_ids:
        forget_data_key(key_id)
    summary = {"keys_destroyed": len(key_ids), "rows_cleared": rows}
    record("erase", "survivors", survivor_id, survivor_id=survivor_id, detail={**(detail or {}), **summary})
    _checkpoint_after_commit()
    return summary


def _checkpoint_after_commit() -> None:
    """SQLite keeps old page images in the WAL until a checkpoint: fold it in and truncate
    it once the erasure is committed, so the wrapped key is gone from the files too."""
    if db.engine.dialect.name != "sqlite":
        return
    session = db.session()

    def checkpoint(_session):
        raw = db.engine.raw_connection()
        try:
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()

    event.listen(session, "after_commit", checkpoint, once=True)
