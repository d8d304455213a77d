"""Visit plans: dates by risk level, horizon, re-planning, reassignment, closure."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from caseflow.core.acting import acting_as
from caseflow.core.clock import frozen_time
from caseflow.extensions import db
from caseflow.scheduling.runner import run_pass
from caseflow.visits.models import Visit
from testkit.api import bearer
from testkit.factories import OrganizationFactory, UserFactory
from tests.helpers import assert_error
from tests.visits.factories import MONDAY, MONDAY_DATE, make_case_at, make_centre, make_plan


def _due_dates(plan_id, status="planned"):
    return [v.due_on for v in db.session.scalars(
        select(Visit).where(Visit.plan_id == plan_id, Visit.status == status).order_by(Visit.due_on))]


@pytest.mark.parametrize("kind, risk_level, step", [
    # Community psychologists follow the risk level; mentors visit weekly (Programa Aurora).
    ("psychological_followup", None, 14), ("psychological_followup", "leve", 28),
    ("psychological_followup", "moderado", 14), ("psychological_followup", "severo", 7),
    ("mentor_accompaniment", "leve", 7), ("mentor_accompaniment", "severo", 7)])
def test_a_plan_by_risk_level_produces_the_right_dates(app, kind, risk_level, step):
    centre = make_centre()
    case = make_case_at(centre, risk_level=risk_level)
    assignee = centre.mentor if kind == "mentor_accompaniment" else centre.psychologist
    plan = make_plan(centre, case, assignee=assignee, kind=kind)
    horizon = MONDAY_DATE + timedelta(days=app.config["CASEFLOW_VISIT_HORIZON_DAYS"])
    expected = [MONDAY_DATE + timedelta(days=step * k) for k in range(0, 400)
                if MONDAY_DATE + timedelta(days=step * k) <= horizon]
    assert _due_dates(plan.id) == expected
    assert plan.cadence_days == step


def test_the_scheduler_extends_the_horizon_as_time_passes(app):
    centre = make_centre()
    plan = make_plan(centre, make_case_at(centre), count=10)
    assert len(_due_dates(plan.id)) == 5  # day 0..28 at 7 days
    later = MONDAY + timedelta(days=21)
    with frozen_time(later):
        run_pass(later)
        run_pass(later)
    dates = _due_dates(plan.id)
    assert dates == [MONDAY_DATE + timedelta(days=7 * k) for k in range(8)]  # through day 49
    far = MONDAY + timedelta(days=200)
    with frozen_time(far):
        run_pass(far)
    assert len(_due_dates(plan.id)) == 10  # the count is the limit


def test_create_and_list_plans_over_http(client):
    centre = make_centre()
    case = make_case_at(centre, risk_level="severo")
    with frozen_time(MONDAY):
        response = client.post(f"/api/v1/cases/{case.id}/visit-plans", headers=bearer(centre.caseworker), json={
            "assignee_id": str(centre.mentor.id), "kind": "mentor_accompaniment", "starts_on": "2026-03-03",
            "count": 4})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["cadence_days"] == 7 and body["cadence_from_risk"] and body["count"] == 4  # mentors: weekly
    listed = client.get(f"/api/v1/cases/{case.id}/visit-plans", headers=bearer(centre.supervisor)).get_json()
    assert [p["id"] for p in listed["items"]] == [body["id"]]
    visits = client.get("/api/v1/visits?assignee=me&from=2026-03-01&to=2026-03-31",
                        headers=bearer(centre.mentor)).get_json()
    assert [v["due_on"] for v in visits["items"]] == ["2026-03-03", "2026-03-10", "2026-03-17", "2026-03-24"]
    assert visits["items"][0]["case_code"] == case.code


def test_plan_input_is_checked(client):
    centre = make_centre()
    case = make_case_at(centre)
    headers = bearer(centre.caseworker)
    inactive = UserFactory(role="mentor", organization=centre.organization, active=False)
    elsewhere = UserFactory(role="mentor", organization=OrganizationFactory())
    base = {"kind": "mentor_accompaniment", "starts_on": "2026-03-02"}
    with frozen_time(MONDAY):
        url = f"/api/v1/cases/{case.id}/visit-plans"
        assert_error(client.post(url, headers=headers, json={**base, "assignee_id": str(inactive.id)}),
                     422, "assignee_id")
        assert_error(client.post(url, headers=headers, json={**base, "assignee_id": str(elsewhere.id)}),
                     422, "assignee_id")
        assert_error(client.post(url, headers=headers, json={**base, "assignee_id": str(centre.caseworker.id)}),
                     422, "assignee_id")
        assert_error(client.post(url, headers=headers, json={**base, "assignee_id": str(centre.psychologist.id)}),
                     422, "kind")
        assert_error(client.post(url, headers=headers, json={**base, "assignee_id": str(centre.mentor.id),
                                                              "count": 3, "ends_on": "2026-06-01"}), 422, "count")
        assert_error(client.post(url, headers=headers, json={**base, "assignee_id": str(centre.mentor.id),
                                                              "starts_on": "2026-02-01"}), 422, "starts_on")
        assert_error(client.post(url, headers=headers, json={**base, "assignee_id": str(centre.mentor.id),
                                                              "cadence_days": 0}), 422, "cadence_days")
        assert_error(client.post(url, headers=bearer(centre.mentor), json={**base, "assignee_id": str(centre.mentor.id)}),
                     404)
    assert db.session.scalar(select(Visit.id).limit(1)) is None


def test_a_new_risk_level_replans_future_visits(app):
    from caseflow.cases.services import update_case

    centre = make_centre()
    case = make_case_at(centre, risk_level="moderado")
    plan = make_plan(centre, case, assignee=centre.psychologist, kind="psychological_followup")
    assert _due_dates(plan.id) == [MONDAY_DATE, MONDAY_DATE + timedelta(days=14), MONDAY_DATE + timedelta(days=28)]
    wednesday = MONDAY + timedelta(days=2)
    with frozen_time(wednesday), acting_as(centre.caseworker):
        update_case(case, {"risk_level": "severo"})
        db.session.commit()
    kept_and_new = _due_dates(plan.id)
    assert kept_and_new[0] == MONDAY_DATE  # the past visit stays
    assert kept_and_new[1] == date(2026, 3, 9)  # Monday + 7: the first at the new cadence
    assert all(b - a == timedelta(days=7) for a, b in zip(kept_and_new[1:], kept_and_new[2:]))
    assert len(_due_dates(plan.id, "cancelled")) == 2


def test_closing_the_case_stops_its_visits(app):
    from caseflow.cases.services import update_case

    centre = make_centre()
    case = make_case_at(centre)
    plan = make_plan(centre, case)
    with frozen_time(MONDAY), acting_as(centre.caseworker):
        update_case(case, {"status": "closed"})
        db.session.commit()
    assert _due_dates(plan.id) == []
    assert plan.status == "ended" and plan.end_reason == "case_closed"
    later = MONDAY + timedelta(days=60)
    with frozen_time(later):
        counts = run_pass(later)
    assert counts["outbox_added"] == 0 and _due_dates(plan.id) == []


def test_reassignment_moves_future_visits(client):
    centre = make_centre()
    other_mentor = UserFactory(role="mentor", organization=centre.organization)
    plan = make_plan(centre, make_case_at(centre))
    tuesday = MONDAY + timedelta(days=1, hours=10)  # Monday's window (3 days) is still open
    with frozen_time(tuesday):
        response = client.patch(f"/api/v1/visit-plans/{plan.id}", headers=bearer(centre.supervisor),
                                json={"assignee_id": str(other_mentor.id)})
    assert response.status_code == 200 and response.get_json()["assignee_id"] == str(other_mentor.id)
    owners = {v.assignee_id for v in db.session.scalars(select(Visit).where(Visit.plan_id == plan.id))}
    assert owners == {other_mentor.id}
    assert client.get("/api/v1/visits?assignee=me", headers=bearer(centre.mentor)).get_json()["total"] == 0


def test_a_plan_changed_since_it_was_read_gets_no_visits_from_a_stale_batch(app):
    from sqlalchemy import update

    from caseflow.visits import services
    from caseflow.visits.models import VisitPlan

    centre = make_centre()
    kept, changed = (make_plan(centre, make_case_at(centre)) for _ in range(2))
    read = db.session.execute(select(*services.GENERATOR_COLUMNS)
                              .where(VisitPlan.id.in_([kept.id, changed.id]))).all()
    # Re-planned by someone else after the batch was read: its generator state moved on.
    db.session.execute(update(VisitPlan).where(VisitPlan.id == changed.id)
                       .values(generation=VisitPlan.generation + 1, next_sequence=1))
    through = MONDAY_DATE + timedelta(days=42)
    with frozen_time(MONDAY):
        assert services.extend_plans(read, through) == 2  # 6 and 13 April, for the kept plan only
        db.session.commit()
        assert services.extend_plans(read, through) == 0  # the same stale batch again: nothing
        db.session.commit()

    def dates(plan):
        return [v.due_on.isoformat() for v in db.session.scalars(
            select(Visit).where(Visit.plan_id == plan.id).order_by(Visit.due_on))]

    assert dates(kept) == ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30",
                           "2026-04-06", "2026-04-13"]
    assert dates(changed) == dates(kept)[:5]
    db.session.expire_all()
    assert (kept.next_sequence, kept.next_due_on, kept.visits_generated) == (8, date(2026, 4, 20), 7)
    assert (changed.generation, changed.next_sequence, changed.next_due_on) == (2, 1, date(2026, 4, 6))


def test_a_mentors_plan_is_weekly_for_a_year_by_default(client):
    centre = make_centre()
    case = make_case_at(centre, risk_level="severo")
    with frozen_time(MONDAY):
        response = client.post(f"/api/v1/cases/{case.id}/visit-plans", headers=bearer(centre.caseworker), json={
            "assignee_id": str(centre.mentor.id), "kind": "mentor_accompaniment", "starts_on": "2026-03-02"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["cadence_days"] == 7 and body["count"] == 48
    with frozen_time(MONDAY):
        visits = client.get("/api/v1/visits?from=2026-03-01&to=2027-03-31&per_page=100",
                            headers=bearer(centre.mentor)).get_json()
        second = client.get("/api/v1/visits?from=2026-03-01&to=2027-03-31&per_page=20&page=3",
                            headers=bearer(centre.mentor)).get_json()
    # The whole year is listed: the weeks the scheduler made, then the later ones projected.
    assert visits["total"] == 48
    dues = [v["due_on"] for v in visits["items"]]
    assert dues == [(MONDAY_DATE + timedelta(days=7 * k)).isoformat() for k in range(48)]
    made = [v for v in visits["items"] if not v["projected"]]
    assert made and all(v["id"] for v in made)
    assert all(v["id"] is None and v["case_code"] == case.code for v in visits["items"] if v["projected"])
    assert [v["due_on"] for v in second["items"]] == dues[40:]
    # A community psychologist's plan keeps the risk level's cadence and runs a year.
    with frozen_time(MONDAY):
        other = client.post(f"/api/v1/cases/{case.id}/visit-plans", headers=bearer(centre.caseworker), json={
            "assignee_id": str(centre.psychologist.id), "kind": "psychological_followup", "starts_on": "2026-03-02"})
    assert other.status_code == 201, other.get_json()
    assert other.get_json()["cadence_days"] == 7 and other.get_json()["ends_on"] == "2027-03-02"
