"""Which tables hold a survivor's data, found from the mapped models themselves.

Re-encryption, erasure, verification and export walk these lists, so a table added later
(incidents, sessions, visit notes...) is covered as soon as it is mapped: a model belongs
to her when it is the Survivor, carries ``survivor_id``, or carries ``case_id`` of one of
her cases.
"""

from __future__ import annotations

import uuid
from functools import cache

from sqlalchemy import Uuid, bindparam, exists, literal_column, select, union_all

from caseflow.crypto import aead
from caseflow.crypto.fields import encrypted_attributes
from caseflow.extensions import db

#: Tables with a survivor_id that are not "data about her": the audit trail (append-only,
#: names and codes only), blind-index terms (cleared by erasure), erasure bookkeeping.
NOT_HER_DATA = frozenset({"audit_entries", "survivor_search_terms", "erasure_requests"})


def _base_models():
    for mapper in db.Model.registry.mappers:
        if mapper.inherits is None and getattr(mapper.class_, "__tablename__", None):
            yield mapper.class_


def _has_column(model, name: str) -> bool:
    return name in model.__mapper__.columns


def _encrypted(model) -> bool:
    return any(encrypted_attributes(m.class_) for m in model.__mapper__.self_and_descendants)


def owned_models(encrypted_only: bool = False) -> list[type]:
    """The Survivor first, then every model holding a survivor's data, by table name."""
    from caseflow.survivors.models import Survivor

    found = []
    for model in _base_models():
        if model is Survivor or model.__tablename__ in NOT_HER_DATA:
            continue
        if not (_has_column(model, "survivor_id") or _has_column(model, "case_id")):
            continue
        if encrypted_only and not _encrypted(model):
            continue
        found.append(model)
    return [Survivor] + sorted(found, key=lambda m: m.__tablename__)


def unowned_encrypted_models() -> list[type]:
    """Encrypted models we cannot tie to a survivor (verify warns about them)."""
    owned = set(owned_models(encrypted_only=True))
    return [m for m in _base_models() if _encrypted(m) and m not in owned]


def rows_of(model, survivor_id: uuid.UUID):
    """A select of the model's rows that belong to this survivor."""
    from caseflow.survivors.models import Survivor

    if model is Survivor:
        return select(Survivor).where(Survivor.id == survivor_id)
    return select(model).where(_owned_by(model, survivor_id))


def _owned_by(model, survivor_id):
    """The WHERE clause of ``rows_of`` (``survivor_id`` may be a bound parameter)."""
    from caseflow.cases.models import Case

    if _has_column(model, "survivor_id"):
        return model.survivor_id == survivor_id
    return model.case_id.in_(select(Case.id).where(Case.survivor_id == survivor_id))


def models_holding_rows(survivor_id: uuid.UUID, models: list[type]) -> list[type]:
    """Which of ``models`` hold at least one row of hers, asked in one statement.

    Whoever acts on the answer must hold her row lock before asking (re-encryption does):
    a writer sealing a value of hers takes that lock first, so no ciphertext of hers can
    appear in a table after the answer said it held none.
    """
    models = tuple(models)
    if not models:
        return []
    found = {int(position) for position in db.session.scalars(_holding(models), {"survivor_id": survivor_id})}
    return [model for position, model in enumerate(models) if position in found]


@cache
def _holding(models: tuple[type, ...]):
    """Built once per set of models: one ``SELECT <position> WHERE EXISTS (her rows)`` each."""
    her = bindparam("survivor_id", type_=Uuid)
    return union_all(*(
        select(literal_column(str(position))).where(exists().where(_owned_by(model, her)))
        for position, model in enumerate(models)
    ))


def owner_id(instance) -> uuid.UUID | None:
    """The survivor a row belongs to."""
    from caseflow.cases.models import Case

    if instance.__tablename__ == "survivors":
        return instance.id
    if _has_column(type(instance), "survivor_id"):
        return instance.survivor_id
    return db.session.scalar(select(Case.survivor_id).where(Case.id == instance.case_id))


def ciphertext_columns(model) -> list[str]:
    return sorted({attr.column for m in model.__mapper__.self_and_descendants for attr in encrypted_attributes(m.class_)})


def key_ids_of(instance) -> set[uuid.UUID]:
    """Data key ids named by the headers of the row's ciphertexts."""
    ids = set()
    for column in ciphertext_columns(type(instance)):
        ciphertext = getattr(instance, column, None)
        if ciphertext is not None:
            ids.add(aead.field_key_id(ciphertext))
    return ids


def her_rows(survivor_id: uuid.UUID, encrypted_only: bool = True):
    """Every (model, row) holding her data."""
    for model in owned_models(encrypted_only=encrypted_only):
        for row in db.session.scalars(rows_of(model, survivor_id)):
            yield model, row
