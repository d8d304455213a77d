"""Erasure by crypto-shredding: two supervisors, 410 afterwards, and nothing recoverable."""

from __future__ import annotations

from sqlalchemy import func, select

from caseflow.audit.models import AuditEntry
from caseflow.cases.models import Case
from caseflow.crypto.keys import keyring
from caseflow.crypto.models import DataKey, SurvivorSearchTerm
from caseflow.extensions import db
from caseflow.keys import backup, rotation
from caseflow.rights.models import ErasureRequest
from testkit.api import bearer
from testkit.factories import OrganizationFactory, UserFactory, make_case
from tests.helpers import assert_error
from tests.keys.factories import (
    backup_bytes,
    canary_survivor,
    live_rows,
    raw_database_bytes,
    recover_plaintexts,
)

EN = {"Accept-Language": "en"}


def _centre():
    centre = OrganizationFactory()
    return (UserFactory(role="supervisor", organization=centre), UserFactory(role="supervisor", organization=centre),
            UserFactory(role="caseworker", organization=centre))


def _erase(client, user, survivor_id, reason="survivor_request"):
    return client.post(f"/api/v1/survivors/{survivor_id}/erase", json={"reason": reason},
                       headers={**bearer(user), **EN})


def _counts():
    db.session.rollback()
    return {
        "keys": db.session.scalar(select(func.count()).select_from(DataKey)),
        "terms": db.session.scalar(select(func.count()).select_from(SurvivorSearchTerm)),
    }


def test_two_supervisors_erase_and_reads_then_answer_410(app, client):
    first, second, worker = _centre()
    survivor, canary = canary_survivor(worker, "A")
    other, _ = canary_survivor(worker, "B")
    case = make_case(worker, survivor=survivor)
    survivor_id, case_id = survivor.id, case.id
    assert _erase(client, worker, survivor_id).status_code == 403  # caseworkers cannot
    pending = _erase(client, first, survivor_id)
    assert pending.status_code == 202 and pending.get_json()["status"] == "pending"
    assert client.get(f"/api/v1/survivors/{survivor_id}", headers=bearer(worker)).status_code == 200
    before = _counts()
    body = assert_error(_erase(client, first, survivor_id), 409)  # the same supervisor again
    assert "second supervisor" in body["message"]
    assert _counts() == before
    done = _erase(client, second, survivor_id)
    assert done.status_code == 200, done.get_data(as_text=True)
    assert done.get_json()["status"] == "carried_out"
    # Reads now say the data was erased.
    assert_error(client.get(f"/api/v1/survivors/{survivor_id}", headers=bearer(worker)), 410)
    assert_error(client.get(f"/api/v1/survivors/{survivor_id}/export", headers=bearer(worker)), 410)
    detail = client.get(f"/api/v1/cases/{case_id}", headers=bearer(worker)).get_json()
    assert detail["survivor"] == {"id": str(survivor_id), "erased": True}
    assert detail["status"] == "open" and detail["intake_channel"] == "walk_in"  # de-identified facts stay
    # Her key and index terms are gone; the other survivor is untouched.
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(DataKey)) == 1
    assert set(db.session.scalars(select(SurvivorSearchTerm.survivor_id))) == {other.id}
    assert client.get(f"/api/v1/survivors/{other.id}", headers=bearer(worker)).status_code == 200
    # Erasing twice: a clear 409 and nothing changes.
    before = _counts()
    body = assert_error(_erase(client, first, survivor_id), 409)
    assert "already erased" in body["message"]
    assert _erase(client, second, survivor_id).status_code == 409
    assert _counts() == before
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.survivor_id == survivor_id)))
    assert {"erase_requested", "erase"} <= actions
    assert db.session.get(Case, case_id).survivor_id == survivor_id


def test_confirmation_must_come_from_the_same_centre(app, client):
    first, _, worker = _centre()
    survivor, _ = canary_survivor(worker, "C")
    elsewhere = UserFactory(role="supervisor")
    # She also has a case at another centre (say, transferred there).
    db.session.add(Case(code="X-2026-00001", survivor_id=survivor.id, organization_id=elsewhere.organization_id,
                        priority="high", intake_channel="walk_in", status="open", step="engagement"))
    db.session.commit()
    assert _erase(client, first, survivor.id).status_code == 202
    assert_error(_erase(client, elsewhere, survivor.id), 403)
    assert _erase(client, first, survivor.id, reason="").status_code == 422
    db.session.rollback()
    assert db.session.get(type(survivor), survivor.id).erased_at is None


def test_nothing_of_hers_is_recoverable_after_erasure(app, client, ring_file, tmp_path, db_kind):
    first, second, worker = _centre()
    survivor, canary = canary_survivor(worker, "D")
    make_case(worker, survivor=survivor)
    keeper, keeper_canary = canary_survivor(worker, "E")
    survivor_id = survivor.id
    wrapped = db.session.get(DataKey, survivor.data_key_id).wrapped
    ciphertext = survivor.phone_ct
    before_erasure = tmp_path / "before.backup"
    backup.create(before_erasure)
    # The proof has teeth: with today's keyring the old backup gives her data back.
    assert any(canary.encode() in p for p in recover_plaintexts(live_rows(), keyring()))

    assert _erase(client, first, survivor_id).status_code == 202
    assert _erase(client, second, survivor_id).status_code == 200

    # 1. The live database: no plaintext, no ciphertext of hers, no wrapped key, on disk.
    raw = raw_database_bytes(app, db_kind, tmp_path)
    for needle in (canary.encode(), ciphertext, wrapped, wrapped.hex().encode(), ciphertext.hex().encode()):
        assert needle not in raw
    recovered = recover_plaintexts(live_rows(), keyring())
    assert not any(canary.encode() in p for p in recovered)
    assert any(keeper_canary.encode() in p for p in recovered)  # the scan does find live data

    # 2. A backup taken after the erasure.
    after_erasure = tmp_path / "after.backup"
    backup.create(after_erasure)
    content = backup_bytes(after_erasure, db_kind)
    assert canary.encode() not in content and wrapped.hex().encode() not in content and wrapped not in content

    # 3. The backup taken before, once her old KEK version is rotated out, retired, destroyed.
    rotation.rotate(grace=0)
    rotation.retire("k1")
    rotation.destroy("k1")
    db.session.commit()
    backup.restore(before_erasure)  # an attacker with the old backup and today's keyring
    recovered = recover_plaintexts(live_rows(), keyring())
    assert not any(canary.encode() in p for p in recovered)


def test_the_erasure_reason_is_a_code_never_free_text(app, client):
    """The reason outlives her shredded data: free text about her would outlive it too."""
    first, _, worker = _centre()
    survivor, canary = canary_survivor(worker, "R")
    refused = _erase(client, first, survivor.id, reason=f"{canary} lo pidió tras la agresión")
    assert_error(refused, 422, "reason")
    assert canary not in refused.get_data(as_text=True)
    assert _erase(client, first, survivor.id, reason="court_order").status_code == 202
    stored = db.session.scalars(select(ErasureRequest.reason)).all()
    assert stored == ["court_order"]
