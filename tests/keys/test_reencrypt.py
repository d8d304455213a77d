"""Re-encryption and blind-index rebuilds, including runs interrupted midway."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from caseflow.core.acting import acting_as
from caseflow.crypto import aead
from caseflow.crypto.models import DataKey, SurvivorSearchTerm
from caseflow.extensions import db
from caseflow.keys import reencrypt
from caseflow.keys.discovery import owned_models
from caseflow.keys.index_rebuild import rebuild
from caseflow.keys.models import KeyOperation
from caseflow.keys.verify import verify
from caseflow.survivors import services
from caseflow.survivors.models import Survivor
from tests.factories import UserFactory, make_case, make_survivor


class Interrupted(Exception):
    pass


def _interrupt_after(n):
    seen = []

    def hook(_survivor_id):
        seen.append(_survivor_id)
        if len(seen) == n:
            raise Interrupted()
    return hook


def _snapshot(worker):
    with acting_as(worker):
        values = {
            s.id: {name: getattr(s, name) for name in Survivor.ENCRYPTED_FIELDS}
            for s in db.session.scalars(select(Survivor))
        }
        db.session.rollback()
    return values


def test_discovery_finds_every_table_that_holds_her_data(app):
    tables = [m.__tablename__ for m in owned_models()]
    assert tables[0] == "survivors"
    assert {"cases", "case_events", "case_assignments"} <= set(tables)
    assert "audit_entries" not in tables and "survivor_search_terms" not in tables
    assert [m.__tablename__ for m in owned_models(encrypted_only=True)][0] == "survivors"


def test_reencrypt_interrupted_midway_then_run_again(app, runner):
    worker = UserFactory()
    for _ in range(6):
        make_case(worker)
    before = _snapshot(worker)
    old_keys = set(db.session.scalars(select(DataKey.id)))
    with pytest.raises(Interrupted):
        reencrypt.reencrypt_all(batch=4, grace=0, after_survivor=_interrupt_after(3))
    db.session.rollback()
    operation = db.session.get(KeyOperation, "reencrypt")
    assert operation.finished_at is None and operation.detail["survivors"] == 3
    # Half-done: three survivors on new keys, three on old; everything still decrypts.
    report = verify()
    assert report.ok and report.fields_stale == 0 and report.superseded_data_keys == 3
    assert _snapshot(worker) == before
    result = runner.invoke(args=["crypto", "reencrypt", "--grace", "0"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("3 survivors")  # the first three were not redone
    assert _snapshot(worker) == before
    keys_now = set(db.session.scalars(select(DataKey.id)))
    assert not keys_now & old_keys and len(keys_now) == 6  # old keys destroyed
    report = verify()
    assert report.ok and report.fields == report.fields_fresh and report.superseded_data_keys == 0
    # Every ciphertext names its owner's new key.
    for survivor in db.session.scalars(select(Survivor)):
        assert aead.field_key_id(survivor.phone_ct) == survivor.data_key_id
    assert db.session.get(KeyOperation, "reencrypt").finished_at is not None


def test_reencrypt_one_survivor(app, runner):
    worker = UserFactory()
    first, second = make_survivor(worker), make_survivor(worker)
    keys = {first.id: first.data_key_id, second.id: second.data_key_id}
    before = _snapshot(worker)
    result = runner.invoke(args=["crypto", "reencrypt", "--survivor", str(first.id), "--grace", "0"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(Survivor, first.id).data_key_id != keys[first.id]
    assert db.session.get(Survivor, second.id).data_key_id == keys[second.id]
    assert _snapshot(worker) == before and db.session.get(DataKey, keys[first.id]) is None


def test_rebuild_index_interrupted_then_run_again_without_missing_anyone(app, ring_file, runner):
    worker = UserFactory()
    people = [make_survivor(worker, given_names=f"Rosa{i}", family_names="Quispe") for i in range(5)]

    def found_all():
        with acting_as(worker):
            ok = all(services.find_by_name(f"rosa{i} QUISPE") == [people[i]] for i in range(5))
            db.session.rollback()
        return ok

    assert found_all()
    with pytest.raises(Interrupted):
        rebuild("name", batch=2, after_survivor=_interrupt_after(3))
    db.session.rollback()
    assert found_all()  # the old version still answers, complete
    # Someone registered while the rebuild is half done gets terms in both versions.
    late = make_survivor(worker, given_names="Rosa5", family_names="Quispe")
    people.append(late)
    assert json.loads(ring_file.read_text())["index_keys"].keys() == {"1", "2"}
    result = runner.invoke(args=["crypto", "rebuild-index", "name"])
    assert result.exit_code == 0, result.output
    assert "version 2 active" in result.output
    with acting_as(worker):
        assert all(services.find_by_name(f"Rosa{i} Quispe") == [people[i]] for i in range(6))
        db.session.rollback()
    versions = set(db.session.scalars(select(SurvivorSearchTerm.version).where(SurvivorSearchTerm.index_name == "name")))
    assert versions == {2}
    # The document index was untouched and still works.
    with acting_as(worker):
        assert services.find_by_document("DNI", people[0].document_number) == [people[0]]
        db.session.rollback()
    assert runner.invoke(args=["crypto", "rebuild-index", "nonsense"]).exit_code == 1
