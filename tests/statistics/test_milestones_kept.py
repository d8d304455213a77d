"""Each case's first milestones are kept (caseflow.statistics.milestones), not searched for
at each request: after every kind of write a milestone depends on (the case opened, a plan
line, a referral sent, an onward referral, a referral accepted, completed or rejected, the
case reassigned), the kept row is the rule's, the same as a recomputation from scratch, and
the first-contact lines a supervisor reads follow it. Unhook any of the receivers in
caseflow.statistics.init_app and these fail."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from caseflow.core.clock import frozen_time
from caseflow.extensions import db
from caseflow.statistics import milestones
from caseflow.statistics.models import CaseMilestones
from testkit.api import get, post, risk_body
from testkit.factories import UserFactory, make_case
from tests.referrals.factories import consent, move, rape_incident, refer

UTC = timezone.utc
T0 = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
H = timedelta(hours=1)
PERIOD = "from=2026-03-01&to=2026-03-31"



def kept(case) -> tuple:
    """(first plan line, first referral, first service) kept for the case, checked against
    every row recomputed from scratch by the rule."""
    db.session.expire_all()
    rows = {r.case_id: _kept_row(r) for r in db.session.scalars(select(CaseMilestones))}
    milestones.refresh_all()
    db.session.expire_all()
    again = {r.case_id: _kept_row(r) for r in db.session.scalars(select(CaseMilestones))}
    db.session.rollback()  # the recomputation was only to compare with
    assert rows == again
    assert rows[case.id][:2] == (case.organization_id, case.opened_at)
    # The minutes kept to each milestone are its moment's, from first contact.
    for at, minutes in zip(rows[case.id][2:5], rows[case.id][5:], strict=True):
        assert minutes == (None if at is None else round((at - case.opened_at).total_seconds() / 60))
    return rows[case.id][2:5]


def _kept_row(r) -> tuple:
    return (r.organization_id, r.opened_at, r.first_plan_at, r.first_referral_at, r.first_service_at,
            r.plan_minutes, r.referral_minutes, r.service_minutes)


def lines(client, net) -> dict:
    with frozen_time(T0 + 200 * H):
        body = get(client, net.centre.supervisor, f"/statistics/compliance?{PERIOD}").get_json()
    return {t["milestone"]: (t["cases"], t["reached"], t["median_hours"]) for t in body["timelines"]}


def test_the_kept_first_milestones_follow_every_write(client, net):
    with frozen_time(T0):
        case = make_case(net.worker, priority="high")
        consent(client, net.worker, case, sector="health")
        consent(client, net.worker, case, sector="police")
        rape_incident(client, net.worker, case, T0 - 20 * H)
    assert kept(case) == (None, None, None)
    assert lines(client, net) == {"plan": (1, 0, None), "referral": (1, 0, None), "service": (1, 0, None)}

    with frozen_time(T0 + 2 * H):
        pep = refer(client, net.worker, case, net.hospital, "hiv_pep", priority="high").get_json()
    assert kept(case) == (None, T0 + 2 * H, None)
    with frozen_time(T0 + 3 * H):
        assert post(client, net.worker, f"/cases/{case.id}/risk-assessments", risk_body()).status_code == 201
        response = post(client, net.worker, f"/cases/{case.id}/plan-items",
                        {"need": "health", "service_type": "hiv_pep", "decision": "referred"})
        assert response.status_code == 201, response.get_json()
    assert kept(case) == (T0 + 3 * H, T0 + 2 * H, None)
    with frozen_time(T0 + 4 * H):  # a later plan line and a later referral: the first ones stay
        post(client, net.worker, f"/cases/{case.id}/plan-items",
             {"need": "justice", "service_type": "complaint", "decision": "referred"})
        complaint = refer(client, net.worker, case, net.police, "complaint", priority="high").get_json()
    assert kept(case) == (T0 + 3 * H, T0 + 2 * H, None)

    with frozen_time(T0 + 5 * H):  # accepted: no service yet
        assert move(client, net.nurse, pep["id"], "accepted").status_code == 200
        assert move(client, net.officer, complaint["id"], "accepted").status_code == 200
    assert kept(case) == (T0 + 3 * H, T0 + 2 * H, None)
    with frozen_time(T0 + 6 * H):  # the police send it on to the court: a referral of her case
        onward = post(client, net.officer, f"/referrals/{complaint['id']}/onward",
                      {"to_organization_id": str(net.court.id), "service_type": "protective_measures"})
        assert onward.status_code == 201, onward.get_json()
    assert kept(case) == (T0 + 3 * H, T0 + 2 * H, None)
    with frozen_time(T0 + 9 * H):  # the court's measures are the first service given
        onward_id = onward.get_json()["id"]
        for status in ("accepted", "in_progress", "completed"):
            assert move(client, net.clerk, onward_id, status).status_code == 200
    assert kept(case) == (T0 + 3 * H, T0 + 2 * H, T0 + 9 * H)
    with frozen_time(T0 + 12 * H):  # a later completion leaves the first service
        for status in ("in_progress", "completed"):
            assert move(client, net.nurse, pep["id"], status).status_code == 200
    assert kept(case) == (T0 + 3 * H, T0 + 2 * H, T0 + 9 * H)
    assert lines(client, net) == {"plan": (1, 1, 3.0), "referral": (1, 1, 2.0), "service": (1, 1, 9.0)}

    # Reassigned to another caseworker of the centre: same case, same centre, same milestones.
    other = UserFactory(role="caseworker", organization=net.centre.org, discipline="psychology")
    response = post(client, net.centre.supervisor, f"/cases/{case.id}/assign", {"user_id": str(other.id)})
    assert response.status_code == 200, response.get_json()
    assert kept(case) == (T0 + 3 * H, T0 + 2 * H, T0 + 9 * H)


def test_a_case_whose_only_referral_was_rejected_reached_referral_not_service(client, net):
    with frozen_time(T0):
        case = make_case(net.worker, priority="high")
        consent(client, net.worker, case, sector="health")
        rape_incident(client, net.worker, case, T0 - 20 * H)
    with frozen_time(T0 + H):
        pep = refer(client, net.worker, case, net.hospital, "hiv_pep", priority="high").get_json()
    with frozen_time(T0 + 2 * H):
        assert move(client, net.nurse, pep["id"], "rejected", reason="Sin stock").status_code == 200
    assert kept(case) == (None, T0 + H, None)
    with frozen_time(T0 + 2 * H):
        make_case(net.worker, priority="high")  # a second case, opened later, nothing yet
    assert lines(client, net) == {"plan": (2, 0, None), "referral": (2, 1, 1.0), "service": (2, 0, None)}


def test_an_incident_keeps_her_cases_centre_and_is_counted_there(client, net):
    """The incident's centre (``incidents.organization_id``) is her case's, written when it is
    recorded: the national table by centre and a centre's own table count it there, without
    reading the case; reassigning the case to another caseworker changes neither."""
    from caseflow.incidents.models import Incident
    from testkit.factories import Centre, OrganizationFactory

    other_centre = Centre()
    with frozen_time(T0):
        case = make_case(net.worker, priority="high")
        rape_incident(client, net.worker, case, T0 - 20 * H)
        elsewhere = make_case(other_centre.admission, priority="high")
        rape_incident(client, other_centre.admission, elsewhere, T0 - 30 * H)
    incidents = {i.case_id: i.organization_id for i in db.session.scalars(select(Incident))}
    assert incidents == {case.id: case.organization_id, elsewhere.id: elsewhere.organization_id}
    other = UserFactory(role="caseworker", organization=net.centre.org, discipline="psychology")
    assert post(client, net.centre.supervisor, f"/cases/{case.id}/assign",
                {"user_id": str(other.id)}).status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(Incident.organization_id).where(Incident.case_id == case.id)) == net.centre.org.id
    ministry = OrganizationFactory(sector="cem", code="MIMP-NACIONAL")
    national = UserFactory(role="supervisor", organization=ministry, discipline=None)
    client.application.config.update(CASEFLOW_STATISTICS_CONSENT="administrative",
                                      CASEFLOW_NATIONAL_ORGANIZATIONS=("MIMP-NACIONAL",))
    with frozen_time(T0 + H):
        body = get(client, national, f"/statistics/incidents?by=centre&{PERIOD}").get_json()
        own = get(client, net.centre.supervisor, f"/statistics/incidents?{PERIOD}").get_json()
    assert {r["centre"]: r["count"] for r in body["rows"]} == {net.centre.org.code: 1, other_centre.org.code: 1}
    assert own["total"] == 1
