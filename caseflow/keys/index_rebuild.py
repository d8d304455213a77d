"""Rebuilding a blind index under a new key version, without a window where search misses.

1. The keyring file gets a new index-key version; the index state names it as
   ``building_version``. From then on every write (``write_terms``) fills both versions.
2. Survivors registered before are filled in batches; the cursor moves in the same
   transaction, so an interrupted run resumes.
3. One transaction switches searches to the new version and drops the old terms.
Searches use the active version throughout, which stays complete until the switch.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, select

from caseflow.audit.services import record
from caseflow.core.batching import keyset_batches
from caseflow.core.clock import utcnow
from caseflow.crypto import blind_index
from caseflow.crypto.fields import unaudited_reads
from caseflow.crypto.keys import keyring
from caseflow.crypto.models import BlindIndexState, SurvivorSearchTerm
from caseflow.crypto.signals import index_switched
from caseflow.extensions import db
from caseflow.keys.models import KeyOperation
from caseflow.keys.rotation import KeyOperationError, ensure_index_key
from caseflow.survivors.models import Survivor


@dataclass
class RebuildReport:
    name: str
    version: int
    survivors: int = 0


def _start(name: str) -> tuple[int, KeyOperation]:
    state = blind_index.state(name)
    operation = db.session.get(KeyOperation, f"rebuild-index:{name}")
    if state.building_version is None:
        used = [state.active_version, *keyring().index_keys]
        version = max(used) + 1
        ensure_index_key(version)  # the key exists before any term uses it
        state.building_version = version
        state.building_bits = current_app.config["CASEFLOW_BLIND_INDEX_BITS"]
        if operation is None:
            operation = KeyOperation(name=f"rebuild-index:{name}")
            db.session.add(operation)
        operation.started_at, operation.cursor, operation.finished_at = utcnow(), None, None
        operation.detail = {"version": version, "survivors": 0}
        db.session.commit()
    else:
        ensure_index_key(state.building_version)
    return state.building_version, db.session.get(KeyOperation, f"rebuild-index:{name}")


def rebuild(name: str, *, batch: int = 200, after_survivor=None) -> RebuildReport:
    if name not in blind_index.INDEX_NAMES:
        raise KeyOperationError(f"unknown index {name!r}; known: {', '.join(blind_index.INDEX_NAMES)}")
    from caseflow.survivors.services import index_values

    version, operation = _start(name)
    report = RebuildReport(name, version)
    # Resumed from the last survivor done (the cursor each commit stores).
    after = uuid.UUID(operation.cursor) if operation.cursor else None
    living = select(Survivor.id).where(Survivor.erased_at.is_(None))
    for ids in keyset_batches(living, [Survivor.id], batch, after=after, scalars=True):
        for survivor_id in ids:
            survivor = db.session.get(Survivor, survivor_id)
            with unaudited_reads():
                values = index_values(survivor)
            # Rewrites her terms of this index for every live version (old and new).
            blind_index.write_terms(survivor_id, {name: values[name]})
            operation = db.session.get(KeyOperation, f"rebuild-index:{name}")
            operation.cursor = str(survivor_id)
            operation.detail = {**operation.detail, "survivors": operation.detail["survivors"] + 1}
            db.session.commit()
            report.survivors += 1
            if after_survivor:
                after_survivor(survivor_id)
    _switch(name, version)
    return report


def _switch(name: str, version: int) -> None:
    from caseflow.survivors.services import index_values

    state = db.session.get(BlindIndexState, name, with_for_update=True, populate_existing=True)
    old = state.active_version
    # Anyone written between the fill and this lock with old terms only gets new ones now.
    missing = select(SurvivorSearchTerm.survivor_id).where(
        SurvivorSearchTerm.index_name == name, SurvivorSearchTerm.version == old
    ).except_(select(SurvivorSearchTerm.survivor_id).where(
        SurvivorSearchTerm.index_name == name, SurvivorSearchTerm.version == version))
    for survivor_id in list(db.session.scalars(missing)):
        survivor = db.session.get(Survivor, survivor_id)
        with unaudited_reads():
            blind_index.write_terms(survivor_id, {name: index_values(survivor)[name]})
    state.active_version, state.active_bits = version, state.building_bits
    state.building_version = state.building_bits = None
    db.session.execute(delete(SurvivorSearchTerm).where(
        SurvivorSearchTerm.index_name == name, SurvivorSearchTerm.version != version))
    index_switched.send(name)
    operation = db.session.get(KeyOperation, f"rebuild-index:{name}")
    operation.finished_at = utcnow()
    record("rebuild_index", "blind_index_states", name, detail={"from": old, "to": version})
    db.session.commit()
