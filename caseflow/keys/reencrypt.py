"""Re-encryption: a new data key per survivor and fresh ciphertexts for all her fields.

One transaction per survivor: her row is locked (writers take the same lock, see
``caseflow.survivors.models.current_key_id``), every field of every table that holds her
data is resealed under a new data key, and her key pointer moves. The old data key is kept
until the end of the run, so a request that read her old ciphertexts a moment earlier can
still decrypt them; then keys no survivor points to are destroyed.

Progress is a cursor in ``key_operations`` moved in the same transaction, so a crash
resumes at the next survivor and a finished survivor is never redone.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from sqlalchemy import delete, select

from caseflow.audit.services import record
from caseflow.core.clock import utcnow
from caseflow.crypto.fields import reseal
from caseflow.crypto.keys import create_data_key, forget_data_key
from caseflow.crypto.models import DataKey
from caseflow.extensions import db
from caseflow.keys.discovery import owned_models, rows_of
from caseflow.keys.models import KeyOperation
from caseflow.survivors.models import Survivor

OPERATION = "reencrypt"


@dataclass
class ReencryptReport:
    survivors: int = 0
    fields: int = 0
    purged_keys: int = 0
    seconds: float = 0.0


def lock_survivor(survivor_id: uuid.UUID) -> Survivor | None:
    """Her row, locked until the transaction ends and read fresh (not from the identity map)."""
    return db.session.scalars(
        select(Survivor).where(Survivor.id == survivor_id).with_for_update().execution_options(populate_existing=True)
    ).first()


def reencrypt_survivor(survivor_id: uuid.UUID) -> int:
    """Reseal all her fields under a new data key (no commit). Returns fields rewritten."""
    survivor = lock_survivor(survivor_id)
    if survivor is None or survivor.erased or survivor.data_key_id is None:
        return 0
    new_key = create_data_key()
    db.session.flush()
    fields = 0
    for model in owned_models(encrypted_only=True):
        for row in db.session.scalars(rows_of(model, survivor_id)):
            fields += reseal(row, new_key.id)
    survivor.data_key_id = new_key.id
    db.session.flush()
    return fields


def _operation(restart: bool) -> KeyOperation:
    operation = db.session.get(KeyOperation, OPERATION)
    if operation is None or operation.finished_at is not None or restart:
        if operation is None:
            operation = KeyOperation(name=OPERATION)
            db.session.add(operation)
        operation.started_at, operation.cursor, operation.finished_at = utcnow(), None, None
        operation.detail = {"survivors": 0, "fields": 0}
        db.session.commit()
    return operation


def reencrypt_all(*, batch: int = 200, restart: bool = False, grace: float = 2.0,
                  after_survivor=None) -> ReencryptReport:
    """Every survivor whose data key predates the run; resumes an unfinished run."""
    started = time.monotonic()
    report = ReencryptReport()
    operation = _operation(restart)
    cutoff = operation.started_at
    while True:
        statement = (
            select(Survivor.id).join(DataKey, DataKey.id == Survivor.data_key_id)
            .where(Survivor.erased_at.is_(None), DataKey.created_at < cutoff)
            .order_by(Survivor.id).limit(batch)
        )
        if operation.cursor:
            statement = statement.where(Survivor.id > uuid.UUID(operation.cursor))
        ids = list(db.session.scalars(statement))
        if not ids:
            break
        for survivor_id in ids:
            fields = reencrypt_survivor(survivor_id)
            operation = db.session.get(KeyOperation, OPERATION)
            operation.cursor = str(survivor_id)
            operation.detail = {"survivors": operation.detail["survivors"] + 1,
                                "fields": operation.detail["fields"] + fields}
            db.session.commit()
            report.survivors += 1
            report.fields += fields
            if after_survivor:
                after_survivor(survivor_id)
    time.sleep(grace)  # requests that read old ciphertexts just before a switch finish
    report.purged_keys = purge_superseded_keys()
    operation = db.session.get(KeyOperation, OPERATION)
    operation.finished_at = utcnow()
    record("reencrypt", "data_keys", None, detail={"survivors": report.survivors, "fields": report.fields,
                                                    "purged_keys": report.purged_keys})
    db.session.commit()
    report.seconds = time.monotonic() - started
    return report


def reencrypt_one(survivor_id: uuid.UUID, grace: float = 0.0) -> ReencryptReport:
    report = ReencryptReport(survivors=1)
    report.fields = reencrypt_survivor(survivor_id)
    record("reencrypt", "survivors", survivor_id, survivor_id=survivor_id, detail={"fields": report.fields})
    db.session.commit()
    time.sleep(grace)
    report.purged_keys = purge_superseded_keys()
    db.session.commit()
    return report


def purge_superseded_keys() -> int:
    """Destroy data keys no survivor points to any more (replaced by re-encryption)."""
    referenced = select(Survivor.data_key_id).where(Survivor.data_key_id.is_not(None))
    orphans = list(db.session.scalars(select(DataKey.id).where(DataKey.id.not_in(referenced))))
    if orphans:
        db.session.execute(delete(DataKey).where(DataKey.id.in_(orphans), DataKey.id.not_in(referenced)))
        for key_id in orphans:
            forget_data_key(key_id)
    db.session.commit()
    return len(orphans)
