"""A visit cannot be logged as done or missed before its window opens; it can be moved."""

from datetime import date, timedelta

from caseflow.core.clock import utcnow
from testkit.api import get, post
from testkit.factories import Centre, UserFactory
from testkit.world import today as local_today
from tests.helpers import assert_error


def _plan(client, centre, mentor, starts_in_days):
    case = centre.case()
    plan = post(client, centre.admission, f"/cases/{case.id}/visit-plans", {
        "assignee_id": str(mentor.id), "kind": "mentor_accompaniment",
        # The centre's local date: after 19:00 in Lima the UTC date is already tomorrow.
        "starts_on": (date.fromisoformat(local_today()) + timedelta(days=starts_in_days)).isoformat(),
        "cadence_days": 7, "count": 2})
    assert plan.status_code == 201, plan.get_json()
    visits = get(client, mentor, "/visits").get_json()["items"]
    return sorted(visits, key=lambda v: v["window_start"])[0]


def test_logging_a_visit_weeks_before_its_window_is_refused(client):
    centre = Centre()
    mentor = UserFactory(role="mentor", organization=centre.org, discipline=None)
    visit = _plan(client, centre, mentor, starts_in_days=14)
    for outcome in ("done", "missed"):
        body = {"outcome": outcome, "modality": "home_visit", "notes": "Sintético."}
        assert_error(post(client, mentor, f"/visits/{visit['id']}/log", body), 422, "happened_at")
    assert get(client, mentor, f"/visits/{visit['id']}").get_json()["status"] == "planned"
    moved = post(client, mentor, f"/visits/{visit['id']}/log", {
        "outcome": "rescheduled", "rescheduled_to": (utcnow() + timedelta(days=20)).isoformat()})
    assert moved.status_code in (200, 201), moved.get_json()


def test_a_visit_due_today_logs_as_before(client):
    centre = Centre()
    mentor = UserFactory(role="mentor", organization=centre.org, discipline=None)
    visit = _plan(client, centre, mentor, starts_in_days=0)
    logged = post(client, mentor, f"/visits/{visit['id']}/log", {"outcome": "done", "modality": "phone"})
    assert logged.status_code in (200, 201), logged.get_json()
