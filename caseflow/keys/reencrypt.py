"""Re-encryption: a new data key per survivor and fresh ciphertexts for all her fields.

One transaction per survivor: her row is locked (writers take the same lock, see
``caseflow.survivors.models.current_key_id``), every field of every table that holds her
data is resealed under a new data key, and her key pointer moves. The old data key is kept
until the end of the run, so a request that read her old ciphertexts a moment earlier can
still decrypt them; then keys no survivor points to are destroyed.

Progress is a cursor in ``key_operations`` moved in the same transaction, so a crash
resumes at the next survivor and a finished survivor is never redone.

What a survivor's transaction costs is what makes a run over 100,000 of them take minutes
rather than an hour: her locked row, one statement naming the tables that hold rows of hers
(asked after the lock, so no row can slip in unseen), reads of those tables only, the new
key, her row and the cursor written, the commit. Old data keys come unwrapped with the
batch's survivor ids, in the same query.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from sqlalchemy import delete, exists, select, text, update
from sqlalchemy.orm import lazyload

from caseflow.audit.services import record
from caseflow.core.batching import keyset_batches, keyset_page
from caseflow.core.clock import utcnow
from caseflow.crypto.fields import reseal
from caseflow.crypto.keys import create_data_key, forget_data_key, unwrap_data_keys
from caseflow.crypto.models import DataKey
from caseflow.extensions import db
from caseflow.keys.discovery import models_holding_rows, owned_models, rows_of
from caseflow.keys.models import KeyOperation
from caseflow.keys.throttle import FLAT_OUT, Throttle
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
    with db.session.no_autoflush:
        # Asked under her lock: a writer sealing a value of hers waits for it, so the rows
        # found here are all the rows of hers that hold ciphertext.
        rows = [row for model in models_holding_rows(survivor_id, owned_models(encrypted_only=True)[1:])
                for row in db.session.scalars(rows_of(model, survivor_id).options(lazyload("*")))]
    new_key = create_data_key(survivor_id)
    db.session.flush()  # the key row before the rows that name it
    fields = reseal(survivor, new_key.id)
    for row in rows:
        fields += reseal(row, new_key.id)
    old_key_id, survivor.data_key_id = survivor.data_key_id, new_key.id
    db.session.flush()
    # Every ciphertext is sealed: neither key is needed in this process any more (a run
    # over 100,000 survivors would otherwise keep 200,000 keys in memory to the end).
    forget_data_key(old_key_id)
    forget_data_key(new_key.id)
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


def _commit_without_waiting_for_disk() -> None:
    """On PostgreSQL, this survivor's commit returns before its WAL record is on disk.

    Safe for this transaction only, and why: PostgreSQL may then lose the last few commits
    (well under a second of them) if the database server itself crashes, but never part of
    a transaction and never out of order. A lost one leaves her wholly on her old key and
    the cursor before her, and the old key still exists (keys are destroyed only by the
    purge at the end of the run, whose commit does wait, and makes everything before it
    durable with it), so the next run redoes her. A writer or an erasure that waited for
    her lock commits normally, which flushes this commit first: nothing durable can rest
    on a re-encryption that was lost. Spares one disk flush per survivor; other
    transactions, and SQLite (WAL with synchronous=NORMAL), are unchanged.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL synchronous_commit = off"))


def _next_batch(cutoff, cursor: str | None, batch: int) -> list[uuid.UUID]:
    """The next survivors whose data key predates the run, with their old keys unwrapped."""
    statement = (
        select(Survivor.id, DataKey.id, DataKey.kek_id, DataKey.wrapped, DataKey.survivor_id)
        .join(DataKey, DataKey.id == Survivor.data_key_id)
        .where(Survivor.erased_at.is_(None), DataKey.created_at < cutoff)
    )
    rows = db.session.execute(keyset_page(statement, [Survivor.id], uuid.UUID(cursor) if cursor else None, batch)).all()
    unwrap_data_keys(key for _, *key in rows)
    return [row[0] for row in rows]


def reencrypt_all(*, batch: int = 200, restart: bool = False, grace: float = 2.0,
                  throttle: Throttle = FLAT_OUT, after_survivor=None) -> ReencryptReport:
    """Every survivor whose data key predates the run; resumes an unfinished run.
    ``throttle`` rests after each survivor so that live requests keep the database."""
    started = time.monotonic()
    report = ReencryptReport()
    operation = _operation(restart)
    cutoff, cursor = operation.started_at, operation.cursor
    done = dict(operation.detail)
    progress = update(KeyOperation).where(KeyOperation.name == OPERATION).execution_options(
        synchronize_session=False)
    while True:
        survivors = _next_batch(cutoff, cursor, batch)
        if not survivors:
            break
        for survivor_id in survivors:
            with throttle.step():
                _commit_without_waiting_for_disk()
                fields = reencrypt_survivor(survivor_id)
                cursor = str(survivor_id)
                done = {"survivors": done["survivors"] + 1, "fields": done["fields"] + fields}
                db.session.execute(progress.values(cursor=cursor, detail=done))
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


def purge_superseded_keys(batch: int = 1000) -> int:
    """Destroy data keys no survivor points to any more (replaced by re-encryption).

    In batches, each its own transaction, and as an anti-join (``NOT EXISTS`` over the
    index on ``survivors.data_key_id``): after a run over 100,000 survivors there are
    100,000 keys to destroy, which as one ``NOT IN`` list would be one huge statement and
    one long write lock. The delete checks again that nobody points to a key.
    """
    unreferenced = ~exists().where(Survivor.data_key_id == DataKey.id)
    purged = 0
    # On from the last id seen: the batches before left dead rows that would be read again.
    for orphans in keyset_batches(select(DataKey.id).where(unreferenced), [DataKey.id], batch, scalars=True,
                                  until_short=True):
        db.session.execute(delete(DataKey).where(DataKey.id.in_(orphans), unreferenced)
                           .execution_options(synchronize_session=False))
        db.session.commit()
        for key_id in orphans:
            forget_data_key(key_id)
        purged += len(orphans)
    db.session.commit()
    return purged
