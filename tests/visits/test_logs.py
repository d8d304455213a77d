"""Logging visits: outcomes, their effects, and exactly-once submissions."""

import threading
from datetime import timedelta

from sqlalchemy import func, select

from caseflow.cases.models import Case, CaseEvent
from caseflow.core.clock import frozen_time
from caseflow.extensions import db
from caseflow.scheduling.models import OutboxMessage
from caseflow.visits.models import Visit, VisitLog
from testkit.api import bearer
from tests.helpers import assert_error
from tests.visits.factories import MONDAY, NOTES_CANARY, make_case_at, make_centre, make_plan

TUESDAY = MONDAY + timedelta(days=1, hours=8)  # 17:00 in Lima


def _first_visit(plan_id):
    return db.session.scalars(select(Visit).where(Visit.plan_id == plan_id).order_by(Visit.due_on)).first()


def _setup():
    centre = make_centre()
    case = make_case_at(centre)
    plan = make_plan(centre, case)
    return centre, case, _first_visit(plan.id)


def _log(client, user, visit, body, key=None):
    headers = bearer(user)
    if key:
        headers["Idempotency-Key"] = key
    with frozen_time(TUESDAY):
        return client.post(f"/api/v1/visits/{visit.id}/log", headers=headers, json=body)


DONE = {"outcome": "done", "happened_at": "2026-03-03T10:00:00-05:00", "modality": "home_visit",
        "notes": NOTES_CANARY}


def test_a_done_visit_updates_the_last_contact(client):
    centre, case, visit = _setup()
    response = _log(client, centre.mentor, visit, DONE)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["outcome"] == "done" and body["has_notes"] and "notes" not in body
    db.session.expire_all()
    assert db.session.get(Visit, visit.id).status == "done"
    assert db.session.get(Case, case.id).last_contact_at == MONDAY + timedelta(days=1, hours=1)
    # logging it again is a conflict, not a second log
    assert_error(_log(client, centre.mentor, visit, DONE), 409)
    assert db.session.scalar(select(func.count()).select_from(VisitLog)) == 1


def test_a_missed_visit_and_a_safety_concern_escalate_at_once(client):
    centre, case, visit = _setup()
    response = _log(client, centre.mentor, visit, {"outcome": "missed", "safety_concern": True,
                                                   "happened_at": "2026-03-03T09:00:00-05:00"})
    assert response.status_code == 201
    topics = sorted(m.topic for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient_id == centre.supervisor.id)))
    assert topics == ["safety_concern", "visit_missed"]
    db.session.expire_all()
    assert db.session.get(Case, case.id).risk_reassessment_requested_at is not None
    kinds = {e.kind for e in db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id))}
    assert {"visit_missed", "risk_reassessment_requested"} <= kinds
    notes = client.get("/api/v1/notifications?unread=true", headers={**bearer(centre.supervisor),
                                                                      "Accept-Language": "en"}).get_json()
    assert notes["total"] == 2 and all(case.code in n["message"] for n in notes["items"])


def test_rescheduling_creates_a_new_visit(client):
    centre, case, visit = _setup()
    response = _log(client, centre.mentor, visit, {"outcome": "rescheduled",
                                                   "rescheduled_to": "2026-03-05T15:00:00-05:00"})
    assert response.status_code == 201
    replacement = db.session.scalars(select(Visit).where(Visit.rescheduled_from_id == visit.id)).one()
    assert replacement.status == "planned" and replacement.window_start.isoformat() == "2026-03-05T20:00:00+00:00"
    assert_error(_log(client, centre.mentor, replacement, {"outcome": "rescheduled"}), 422, "rescheduled_to")
    assert_error(_log(client, centre.mentor, replacement, {"outcome": "done", "modality": "phone",
                                                           "happened_at": "2026-04-01T10:00:00-05:00"}),
                 422, "happened_at")


def test_a_retry_with_the_same_key_returns_the_same_log(client):
    centre, case, visit = _setup()
    first = _log(client, centre.mentor, visit, DONE, key="phone-abc-0001")
    again = _log(client, centre.mentor, visit, DONE, key="phone-abc-0001")
    assert first.status_code == again.status_code == 201
    assert first.get_json()["id"] == again.get_json()["id"]
    different = _log(client, centre.mentor, visit, {**DONE, "modality": "phone"}, key="phone-abc-0001")
    assert_error(different, 422, "Idempotency-Key")
    assert NOTES_CANARY not in different.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(VisitLog)) == 1


def test_a_retry_after_the_secret_key_is_rotated_still_returns_the_same_log(app, client):
    """The digest is keyed by the keyring, not by the cookie-signing secret."""
    centre, case, visit = _setup()
    first = _log(client, centre.mentor, visit, DONE, key="phone-rot-0001")
    saved = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "a-rotated-cookie-signing-secret-0000000"
    try:
        again = _log(client, centre.mentor, visit, DONE, key="phone-rot-0001")
    finally:
        app.config["SECRET_KEY"] = saved
    assert first.status_code == again.status_code == 201, again.get_json()
    assert first.get_json()["id"] == again.get_json()["id"]


def test_twenty_concurrent_retries_create_one_log(app):
    centre, case, visit = _setup()
    url = f"/api/v1/visits/{visit.id}/log"
    # bearer() commits: this thread then holds no transaction (nor SQLite's write lock).
    headers = {**bearer(centre.mentor), "Idempotency-Key": "phone-race-0001"}
    statuses, ids, barrier = [], [], threading.Barrier(20)

    def submit():
        client = app.test_client()
        barrier.wait()
        response = client.post(url, headers=headers, json=DONE)
        statuses.append(response.status_code)
        if response.status_code == 201:
            ids.append(response.get_json()["id"])

    threads = [threading.Thread(target=submit) for _ in range(20)]
    with frozen_time(TUESDAY):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert statuses == [201] * 20
    assert len(set(ids)) == 1
    assert db.session.scalar(select(func.count()).select_from(VisitLog)) == 1


def test_only_the_assignee_or_centre_staff_log_a_visit(client):
    centre, case, visit = _setup()
    other = make_centre()
    assert_error(_log(client, other.mentor, visit, DONE), 404)
    assert_error(_log(client, centre.psychologist, visit, DONE), 404)
    assert _log(client, centre.supervisor, visit, DONE).status_code == 201
