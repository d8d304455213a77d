"""``crypto verify``: decrypt everything and count what each key version still protects.

An operator retires a KEK version when no data key is wrapped by it, and knows a
re-encryption is complete when every field is sealed under its owner's current data key
("fresh") and bound to its owner (``fields_old_binding`` 0: none left in the format from
before revision 0015_owner_binding). Failures are counted by table and column and named by
table, column and row id, never with values.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from caseflow.core.batching import keyset_batches
from caseflow.crypto import aead
from caseflow.crypto.fields import open_ciphertext
from caseflow.crypto.keys import keyring
from caseflow.crypto.models import BlindIndexState, DataKey, SurvivorSearchTerm
from caseflow.extensions import db
from caseflow.keys.discovery import ciphertext_columns, owned_models, owner_id, unowned_encrypted_models
from caseflow.survivors.models import Survivor


@dataclass
class VerifyReport:
    data_keys_by_kek: Counter = field(default_factory=Counter)
    data_keys_unreadable: int = 0
    superseded_data_keys: int = 0
    fields: int = 0
    fields_fresh: int = 0
    fields_stale: int = 0
    fields_old_binding: int = 0
    field_failures: Counter = field(default_factory=Counter)
    #: Each field that failed, as {"table", "column", "id"} (no value, ever).
    unreadable: list = field(default_factory=list)
    index_terms: dict = field(default_factory=dict)
    unowned_models: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.data_keys_unreadable and not self.field_failures

    def as_dict(self) -> dict:
        ring = keyring()
        return {
            "ok": self.ok,
            "primary_kek": ring.primary_kek_id,
            "retired_keks": sorted(ring.retired_keks),
            "data_keys_by_kek": {k: self.data_keys_by_kek.get(k, 0) for k in sorted(set(ring.keks) | set(self.data_keys_by_kek))},
            "data_keys_unreadable": self.data_keys_unreadable,
            "superseded_data_keys": self.superseded_data_keys,
            "fields": self.fields,
            "fields_fresh": self.fields_fresh,
            "fields_stale": self.fields_stale,
            "fields_old_binding": self.fields_old_binding,
            "field_failures": dict(self.field_failures),
            "unreadable": self.unreadable,
            "index_terms": self.index_terms,
            "unowned_encrypted_tables": self.unowned_models,
        }


def verify(batch: int = 1000) -> VerifyReport:
    report = VerifyReport()
    ring = keyring()
    current_keys = set(db.session.scalars(select(Survivor.data_key_id).where(Survivor.data_key_id.is_not(None))))
    for keys in keyset_batches(select(DataKey), [DataKey.id], batch, scalars=True):
        for key in keys:
            report.data_keys_by_kek[key.kek_id] += 1
            if key.id not in current_keys:
                report.superseded_data_keys += 1
            try:
                aead.unwrap_key(ring.kek(key.kek_id), key.wrapped, key.id)
            except Exception:  # DecryptionError or a KEK missing from the keyring
                report.data_keys_unreadable += 1
    for model in owned_models(encrypted_only=True):
        _verify_model(model, report, batch)
    for state in db.session.scalars(select(BlindIndexState)):
        versions = [state.active_version] + ([state.building_version] if state.building_version else [])
        report.index_terms[state.name] = {
            str(v): db.session.scalar(select(db.func.count()).select_from(SurvivorSearchTerm).where(
                SurvivorSearchTerm.index_name == state.name, SurvivorSearchTerm.version == v))
            for v in versions
        }
    report.unowned_models = [m.__tablename__ for m in unowned_encrypted_models()]
    return report


def _verify_model(model, report: VerifyReport, batch: int) -> None:
    columns = ciphertext_columns(model)
    owners: dict = {}
    for rows in keyset_batches(select(model), [model.id], batch, scalars=True):
        for row in rows:
            survivor_id = owner_id(row)
            if survivor_id not in owners:
                owners[survivor_id] = db.session.scalar(select(Survivor.data_key_id).where(Survivor.id == survivor_id))
            for column in columns:
                ciphertext = getattr(row, column)
                if ciphertext is None:
                    continue
                report.fields += 1
                try:
                    # The same check a read makes: row, column, owner, and her data key.
                    open_ciphertext(row, column, ciphertext)
                    key_id = aead.field_key_id(ciphertext)
                except Exception:
                    report.field_failures[f"{model.__tablename__}.{column}"] += 1
                    report.unreadable.append({"table": model.__tablename__, "column": column, "id": str(row.id)})
                    continue
                if aead.field_format(ciphertext) == aead.LEGACY_FORMAT:
                    report.fields_old_binding += 1
                if key_id == owners[survivor_id]:
                    report.fields_fresh += 1
                else:
                    report.fields_stale += 1
