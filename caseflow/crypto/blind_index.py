"""Blind indexes: exact search over encrypted values without decrypting every row.

A term is HMAC-SHA256 of the normalised value under a per-index subkey of the blind-index
key, truncated to a few bits so that each term is shared by several survivors (an observer
of the index learns little; CipherSweet's planner rule). Searches fetch the candidates for
a term and keep only those whose decrypted value really matches.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, delete, select

from caseflow.crypto.keys import keyring
from caseflow.crypto.models import BlindIndexState, SurvivorSearchTerm
from caseflow.crypto.signals import terms_changed
from caseflow.extensions import db

INDEX_NAMES = ("document", "name")


def term_for(name: str, version: int, bits: int, normalised: str) -> int:
    subkey = hmac.new(keyring().index_key(version), b"caseflow-blind-index:" + name.encode(), hashlib.sha256).digest()
    digest = hmac.new(subkey, normalised.encode("utf-8"), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") >> (64 - bits)


def _initial_state(name: str) -> BlindIndexState:
    return BlindIndexState(name=name, active_version=1, active_bits=current_app.config["CASEFLOW_BLIND_INDEX_BITS"])


def state(name: str) -> BlindIndexState:
    """The index's stored state, stored now if nothing was indexed yet (for writers)."""
    current = db.session.get(BlindIndexState, name)
    if current is None:
        current = _initial_state(name)
        db.session.add(current)
        db.session.flush()
    return current


def read_state(name: str):
    """The index's active version and width for a search, as a row: before anything was
    indexed, the initial ones, not stored (a search runs in a read request, which must not
    write)."""
    row = db.session.connection().execute(_active_state(), {"name": name}).first()
    return row or _initial_state(name)


@cache
def _active_state():
    return select(BlindIndexState.active_version, BlindIndexState.active_bits).where(
        BlindIndexState.name == bindparam("name"))


def _live_versions(name: str) -> list[tuple[int, int]]:
    # Read under a share lock: ``crypto rebuild-index`` switches versions under an update
    # lock, so a write never lands terms for a version set that has just been replaced.
    current = db.session.get(BlindIndexState, name, with_for_update={"read": True}, populate_existing=True)
    if current is None:
        current = state(name)
    versions = [(current.active_version, current.active_bits)]
    if current.building_version is not None:
        versions.append((current.building_version, current.building_bits))
    return versions


def write_terms(survivor_id: uuid.UUID, values: dict[str, str | list[str] | None]) -> None:
    """Replace the survivor's terms for each index in ``values``: a normalised value, or
    several (the name index holds one term per form of her name a search may take)."""
    for name, normalised in values.items():
        db.session.execute(
            delete(SurvivorSearchTerm).where(
                SurvivorSearchTerm.survivor_id == survivor_id, SurvivorSearchTerm.index_name == name
            )
        )
        forms = [normalised] if isinstance(normalised, str) else list(normalised or ())
        forms = [form for form in forms if form]
        if not forms:
            continue
        for version, bits in _live_versions(name):
            for term in sorted({term_for(name, version, bits, form) for form in forms}):
                db.session.add(
                    SurvivorSearchTerm(survivor_id=survivor_id, index_name=name, version=version, term=term)
                )
    terms_changed.send(survivor_id)


def clear_terms(survivor_id: uuid.UUID) -> None:
    db.session.execute(delete(SurvivorSearchTerm).where(SurvivorSearchTerm.survivor_id == survivor_id))
    terms_changed.send(survivor_id)


def candidate_params(name: str, normalised: str) -> dict:
    """The parameters of :func:`candidates` for a normalised value."""
    current = read_state(name)
    return {"index_name": name, "index_version": current.active_version,
            "index_term": term_for(name, current.active_version, current.active_bits, normalised)}


@cache
def candidates():
    """A subquery of the survivor ids whose term matches (callers keep only true matches),
    its value from :func:`candidate_params`; built once, for statements built once."""
    return select(SurvivorSearchTerm.survivor_id).where(
        SurvivorSearchTerm.index_name == bindparam("index_name"),
        SurvivorSearchTerm.version == bindparam("index_version"),
        SurvivorSearchTerm.term == bindparam("index_term"),
    )
