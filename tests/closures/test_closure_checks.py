"""Closing a case checks nothing is left open: referrals not ended refuse it; closing ends
its visit plans and stops its clocks."""

import uuid
from datetime import timedelta

from caseflow.core.clock import utcnow
from caseflow.extensions import db
from caseflow.referrals.models import ReferralClock
from testkit.api import get, post
from testkit.factories import UserFactory
from tests.helpers import assert_error
from tests.referrals.factories import Network, consent, move, refer

CHECKLIST = {"reason": "needs_met", "needs_met": True, "safety_plan_reviewed": True,
             "survivor_informed_may_return": True}


def _approve_closure(client, net, case):
    request = post(client, net.worker, f"/cases/{case.id}/approvals", {"kind": "closure"})
    assert request.status_code == 201, request.get_json()
    decided = post(client, net.centre.supervisor, f"/approvals/{request.get_json()['id']}/decision",
                   {"decision": "approved", "note": "Cerrar."})
    assert decided.status_code == 200, decided.get_json()


def test_a_referral_not_ended_refuses_closure_naming_it(client):
    net = Network()
    case = net.centre.case()
    consent(client, net.worker, case, sector="social")
    shelter = refer(client, net.worker, case, net.shelter, "shelter", priority="high")
    assert shelter.status_code == 201, shelter.get_json()
    shelter = shelter.get_json()
    support = refer(client, net.worker, case, net.shelter, "social_support", priority="low").get_json()
    assert move(client, net.shelter_worker, support["id"], "accepted").status_code == 200
    assert move(client, net.shelter_worker, support["id"], "in_progress").status_code == 200
    assert move(client, net.shelter_worker, support["id"], "completed").status_code == 200
    _approve_closure(client, net, case)

    body = assert_error(post(client, net.worker, f"/cases/{case.id}/close", CHECKLIST), 409)
    assert [r["id"] for r in body["open_referrals"]] == [shelter["id"]]
    assert body["open_referrals"][0]["status"] == "requested"
    assert shelter["id"] in str(body["errors"])
    assert get(client, net.worker, f"/cases/{case.id}").get_json()["status"] == "open"

    assert move(client, net.worker, shelter["id"], "cancelled", reason="Ya no lo necesita").status_code == 200
    closed = post(client, net.worker, f"/cases/{case.id}/close", CHECKLIST)
    assert closed.status_code == 200, closed.get_json()
    assert closed.get_json()["status"] == "closed"


def test_closing_ends_visit_plans_and_leaves_no_clock_running(client):
    net = Network()
    case = net.centre.case()
    mentor = UserFactory(role="mentor", organization=net.centre.org, discipline=None)
    plan = post(client, net.worker, f"/cases/{case.id}/visit-plans", {
        "assignee_id": str(mentor.id), "kind": "mentor_accompaniment",
        "starts_on": (utcnow() + timedelta(days=1)).date().isoformat(), "cadence_days": 7, "count": 4})
    assert plan.status_code == 201, plan.get_json()
    consent(client, net.worker, case, sector="social")
    referral = refer(client, net.worker, case, net.shelter, "shelter", priority="high").get_json()
    assert move(client, net.shelter_worker, referral["id"], "rejected", reason="Sin cupo").status_code == 200
    # A clock its rule still counts after the referral ended stops with the case.
    clock = db.session.query(ReferralClock).filter_by(referral_id=uuid.UUID(referral["id"])).first()
    clock.stopped_at = None
    clock.met_at = None
    db.session.commit()
    _approve_closure(client, net, case)
    assert post(client, net.worker, f"/cases/{case.id}/close", CHECKLIST).status_code == 200

    db.session.expire_all()
    assert all(not c.running for c in db.session.query(ReferralClock).filter_by(referral_id=uuid.UUID(referral["id"])))
    overdue = get(client, net.centre.supervisor, "/supervision/overdue").get_json()
    assert referral["id"] not in str(overdue)
    plans = get(client, net.worker, f"/cases/{case.id}/visit-plans").get_json()["items"]
    assert [p["status"] for p in plans] == ["ended"]
    visits = get(client, mentor, "/visits").get_json()["items"]
    assert {v["status"] for v in visits} <= {"cancelled"}
