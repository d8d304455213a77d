"""The FHIR Task states: who moves a referral where, reasons, immutable events, races."""

import threading
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from caseflow.core.acting import acting_as
from caseflow.core.clock import utcnow
from caseflow.extensions import db
from caseflow.referrals.models import ImmutableRecordError, Referral, ReferralEvent
from testkit.api import bearer
from tests.helpers import assert_error
from tests.referrals.factories import Network, consent, move, rape_incident, read, refer


@pytest.fixture
def sent(client):
    net = Network()
    case = net.centre.case()
    rape_incident(client, net.worker, case, utcnow() - timedelta(hours=3))
    consent(client, net.worker, case, sector="health")
    referral = refer(client, net.worker, case, net.hospital, "hiv_pep", priority="high").get_json()
    return net, case, referral


def test_the_full_path_records_every_step(client, sent):
    net, _case, referral = sent
    for status in ("accepted", "in_progress", "completed"):
        moved = move(client, net.nurse, referral["id"], status)
        assert moved.status_code == 200 and moved.get_json()["status"] == status
    body = read(client, net.worker, f"/referrals/{referral['id']}").get_json()
    assert [(e["from_status"], e["to_status"]) for e in body["events"]] == [
        (None, "requested"), ("requested", "accepted"), ("accepted", "in_progress"), ("in_progress", "completed")]
    assert [e["organization_id"] for e in body["events"]] == [str(net.centre.org.id)] + [str(net.hospital.id)] * 3
    assert body["events"][1]["actor_id"] == str(net.nurse.id)
    assert body["closed_at"] and body["completed_at"] and body["next_due_at"] is None
    assert {c["state"] for c in body["clocks"]} == {"met"}


@pytest.mark.parametrize(("path", "status"), [
    ((), "completed"), ((), "in_progress"), ((), "requested"), (("accepted",), "accepted"),
    (("accepted",), "completed"), (("accepted", "in_progress"), "accepted"),
    (("rejected",), "accepted"),
])
def test_an_invalid_transition_is_409(client, sent, path, status):
    net, _case, referral = sent
    for step in path:
        assert move(client, net.nurse, referral["id"], step, reason="Sin cupo.").status_code == 200
    assert_error(move(client, net.nurse, referral["id"], status, reason="x"), 409)


def test_cancelling_after_progress_is_409(client, sent):
    net, _case, referral = sent
    move(client, net.nurse, referral["id"], "accepted")
    move(client, net.nurse, referral["id"], "in_progress")
    assert_error(move(client, net.worker, referral["id"], "cancelled", reason="Ya no."), 409)


@pytest.mark.parametrize("status", ["rejected", "cancelled", "failed"])
def test_a_reason_is_required_where_listed(client, sent, status):
    net, _case, referral = sent
    actor = net.worker if status == "cancelled" else net.nurse
    if status == "failed":
        move(client, net.nurse, referral["id"], "accepted")
        move(client, net.nurse, referral["id"], "in_progress")
    for missing in (None, "", "   "):
        assert_error(move(client, actor, referral["id"], status, reason=missing), 422, "reason")
    moved = move(client, actor, referral["id"], status, reason="No acudió a la cita.")
    assert moved.status_code == 200
    assert moved.get_json()["events"][-1]["reason"] == "No acudió a la cita."
    assert moved.get_json()["next_due_at"] is None


def test_only_the_receiver_responds_and_only_the_referrer_cancels(client, sent):
    net, _case, referral = sent
    assert_error(move(client, net.worker, referral["id"], "accepted"), 403)
    assert_error(move(client, net.centre.supervisor, referral["id"], "rejected", reason="x"), 403)
    assert_error(move(client, net.nurse, referral["id"], "cancelled", reason="x"), 403)
    assert move(client, net.centre.supervisor, referral["id"], "cancelled", reason="Otra sede.").status_code == 200


def test_rejection_answers_the_acknowledgement_clock(client, sent):
    net, _case, referral = sent
    body = move(client, net.nurse, referral["id"], "rejected", reason="Sin cupo.").get_json()
    states = {c["rule"]["code"]: (c["state"], c["met"]) for c in body["clocks"]}
    assert states == {"acknowledge_high": ("met", True), "hiv_pep": ("missed", False)}


def test_events_are_immutable(client, sent):
    _net, _case, referral = sent
    event = db.session.scalars(select(ReferralEvent)).first()
    event.to_status = "completed"
    with pytest.raises(ImmutableRecordError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.scalars(select(ReferralEvent)).first())
    with pytest.raises(ImmutableRecordError):
        db.session.flush()
    db.session.rollback()


def test_a_stale_transition_loses_the_compare_and_set(client, sent):
    """Another request moved the referral between our read and our write: 409."""
    from caseflow.core.errors import Conflict
    from caseflow.referrals import services

    net, _case, referral = sent
    with acting_as(net.nurse):
        loaded = db.session.get(Referral, uuid.UUID(referral["id"]))
        db.session.execute(update(Referral).where(Referral.id == loaded.id).values(status="accepted")
                           .execution_options(synchronize_session=False))
        with pytest.raises(Conflict):
            services.transition(loaded, "rejected", "Sin cupo.")
        db.session.rollback()


def test_concurrent_transitions_exactly_one_wins(app, sent):
    net, _case, referral = sent
    nurse = net.nurse.id
    headers = {nurse: bearer(net.nurse)}
    db.session.remove()
    # Whichever wins, each of the others is then an impossible move.
    attempts = [(nurse, {"status": "accepted"}), (nurse, {"status": "rejected", "reason": "Sin cupo."})] * 2
    barrier = threading.Barrier(len(attempts))
    results = []

    def attempt(user_id, body):
        client = app.test_client()
        barrier.wait()
        response = client.post(f"/api/v1/referrals/{referral['id']}/transitions", json=body, headers=headers[user_id])
        results.append(response.status_code)

    threads = [threading.Thread(target=attempt, args=item) for item in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [200, 409, 409, 409], results
    events = db.session.scalars(select(ReferralEvent).where(
        ReferralEvent.referral_id == uuid.UUID(referral["id"]), ReferralEvent.from_status.is_not(None))).all()
    assert len(events) == 1
