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
from testkit.factories import UserFactory, make_case, make_survivor
from tests.helpers import captured_sql


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


def _plan_note(worker, case, note):
    """A record of hers in another table, written as the services write (sealing takes her lock)."""
    from caseflow.plans.models import PlanItem

    with acting_as(worker):
        item = PlanItem(case_id=case.id, survivor_id=case.survivor_id, need="safety",
                        service_type="protective_measures", decision="referred", created_by_id=worker.id)
        item.ensure_id()
        item.note = note
        db.session.add(item)
        db.session.commit()
    return item.id


def _notes(worker):
    from caseflow.plans.models import PlanItem

    with acting_as(worker):
        items = [(item.survivor_id, item.note, aead.field_key_id(item.note_ct))
                 for item in db.session.scalars(select(PlanItem))]
        db.session.rollback()
    return items


def test_a_record_written_after_her_batch_was_listed_is_resealed_with_her(app):
    """Which tables hold her rows is asked under her lock, not when the batch is listed."""
    worker = UserFactory()
    cases = [make_case(worker) for _ in range(4)]
    _plan_note(worker, cases[0], "nota antes")
    written = []

    def write_for_the_others(survivor_id):
        if not written:  # after the first survivor: her batch-mates are listed but not done
            for case in cases:
                if case.survivor_id != survivor_id:
                    _plan_note(worker, case, f"nota de {case.survivor_id}")
                    written.append(case.survivor_id)

    report = reencrypt.reencrypt_all(batch=10, grace=0, after_survivor=write_for_the_others)
    assert report.survivors == 4 and len(written) == 3
    db.session.expire_all()
    keys = dict(db.session.execute(select(Survivor.id, Survivor.data_key_id)).all())
    notes = _notes(worker)
    assert {(survivor_id, note) for survivor_id, note, _ in notes} == (
        {(cases[0].survivor_id, "nota antes")} | {(survivor_id, f"nota de {survivor_id}") for survivor_id in written})
    for survivor_id, _, key_id in notes:
        assert key_id == keys[survivor_id]  # under her new key, not the destroyed one
    result = verify()
    assert result.ok and result.fields_stale == 0 and result.superseded_data_keys == 0


def test_reencryption_reads_only_the_tables_that_hold_her_rows(app):

    worker = UserFactory()
    cases = [make_case(worker) for _ in range(3)]
    _plan_note(worker, cases[1], "una nota")
    fields = verify().fields
    with captured_sql(lambda statement, _parameters: " ".join(statement.split())) as statements:
        report = reencrypt.reencrypt_all(batch=10, grace=0)
    assert report.survivors == 3 and report.fields == fields
    tables = [m.__tablename__ for m in owned_models(encrypted_only=True)[1:]]
    row_reads = [s for s in statements for t in tables if s.startswith(f"SELECT {t}.")]
    assert len(row_reads) == 1 and row_reads[0].startswith("SELECT plan_items.")  # hers only
    per_survivor = [s for s in statements if s.startswith(("SELECT", "INSERT", "UPDATE", "SET"))]
    # Her lock, the tables holding her rows, the new key, her row, the cursor (+ SET LOCAL on
    # PostgreSQL), whatever number of tables could hold her data; plus the run's own few.
    assert len(per_survivor) <= 3 * 6 + 1 + 12


@pytest.mark.postgres
def test_a_write_racing_her_reencryption_waits_and_is_sealed_under_the_new_key(app, monkeypatch):
    import threading
    import time

    from caseflow.keys import discovery

    worker = UserFactory()
    survivor = make_survivor(worker)
    survivor_id, worker_id, old_key_id = survivor.id, worker.id, survivor.data_key_id
    locked, errors, waited = threading.Event(), [], []
    holding = discovery.models_holding_rows

    def slow_holding(her_id, models):  # called with her row locked
        locked.set()
        time.sleep(0.5)
        return holding(her_id, models)

    monkeypatch.setattr(reencrypt, "models_holding_rows", slow_holding)

    def writer():
        with app.app_context():
            try:
                user = db.session.get(type(worker), worker_id)
                with acting_as(user):
                    her = db.session.get(Survivor, survivor_id)
                    assert locked.wait(10)
                    started = time.monotonic()
                    her.phone = "+51 911111111"  # takes her lock: waits for the re-encryption
                    waited.append(time.monotonic() - started)
                    db.session.commit()
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    thread = threading.Thread(target=writer)
    thread.start()
    reencrypt.reencrypt_all(batch=10, grace=0)
    thread.join(20)
    assert not errors and waited and waited[0] > 0.3
    db.session.expire_all()
    her = db.session.get(Survivor, survivor_id)
    assert aead.field_key_id(her.phone_ct) == her.data_key_id != old_key_id
    with acting_as(worker):
        assert her.phone == "+51 911111111"
        db.session.rollback()
    result = verify()
    assert result.ok and result.fields_stale == 0 and result.superseded_data_keys == 0


@pytest.mark.postgres
def test_only_her_transactions_skip_the_wait_for_disk(app, monkeypatch):
    from sqlalchemy import text

    worker = UserFactory()
    for _ in range(2):
        make_survivor(worker)
    seen = []
    survivor_step, purge = reencrypt.reencrypt_survivor, reencrypt.purge_superseded_keys

    def checked_step(survivor_id):
        seen.append(("survivor", db.session.scalar(text("SHOW synchronous_commit"))))
        return survivor_step(survivor_id)

    def checked_purge():
        seen.append(("purge", db.session.scalar(text("SHOW synchronous_commit"))))
        return purge()

    monkeypatch.setattr(reencrypt, "reencrypt_survivor", checked_step)
    monkeypatch.setattr(reencrypt, "purge_superseded_keys", checked_purge)
    reencrypt.reencrypt_all(batch=10, grace=0)
    assert seen == [("survivor", "off"), ("survivor", "off"), ("purge", "on")]
    assert db.session.scalar(text("SHOW synchronous_commit")) == "on"
    db.session.rollback()


def test_superseded_keys_are_destroyed_in_batches_and_current_ones_kept(app):
    worker = UserFactory()
    for _ in range(5):
        make_survivor(worker)
    old_keys = set(db.session.scalars(select(DataKey.id)))
    for survivor_id in list(db.session.scalars(select(Survivor.id))):
        reencrypt.reencrypt_survivor(survivor_id)
        db.session.commit()
    assert reencrypt.purge_superseded_keys(batch=2) == 5
    current = set(db.session.scalars(select(Survivor.data_key_id)))
    assert set(db.session.scalars(select(DataKey.id))) == current and not current & old_keys
    assert reencrypt.purge_superseded_keys(batch=2) == 0
    result = verify()
    assert result.ok and result.superseded_data_keys == 0
