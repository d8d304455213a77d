"""What mentors and community psychologists may see; the calendar feed; supervisors' workload."""

from datetime import timedelta

from sqlalchemy import select

from caseflow.core.clock import frozen_time
from caseflow.extensions import db
from caseflow.scheduling.models import OutboxMessage
from caseflow.scheduling.runner import run_pass
from caseflow.visits.models import Visit
from testkit.api import bearer
from tests.helpers import assert_error
from tests.visits.factories import CANARIES, MONDAY, NOTES_CANARY, make_case_at, make_centre, make_plan


def _visit(plan_id):
    return db.session.scalars(select(Visit).where(Visit.plan_id == plan_id).order_by(Visit.due_on)).first()


def test_a_mentor_sees_the_visit_card_and_nothing_else_of_the_case(client):
    centre = make_centre()
    case = make_case_at(centre, **CANARIES)
    other_case = make_case_at(centre)
    plan = make_plan(centre, case)
    visit = _visit(plan.id)
    headers = bearer(centre.mentor)
    body = client.get(f"/api/v1/visits/{visit.id}", headers=headers).get_json()
    card = body["card"]
    assert card["alias"] == CANARIES["alias"] and card["address"] == CANARIES["address"]
    assert card["phone"] == CANARIES["phone"] and card["safe_contact"] == CANARIES["safe_contact"]
    assert isinstance(card["safety_flags"], list)
    assert CANARIES["given_names"] not in str(body) and CANARIES["document_number"] not in str(body)
    # the case, her survivor record and anyone else's: not found
    for url in (f"/api/v1/cases/{case.id}", f"/api/v1/survivors/{case.survivor_id}",
                f"/api/v1/cases/{other_case.id}", f"/api/v1/survivors/{other_case.survivor_id}",
                f"/api/v1/cases/{case.id}/visit-plans"):
        assert_error(client.get(url, headers=headers), 404)
    assert client.get("/api/v1/cases", headers=headers).status_code == 403
    # another mentor sees neither the visit nor the card
    from testkit.factories import UserFactory

    stranger = UserFactory(role="mentor", organization=centre.organization)
    assert_error(client.get(f"/api/v1/visits/{visit.id}", headers=bearer(stranger)), 404)


def test_the_card_closes_when_the_plan_ends(client):
    from caseflow.cases.services import update_case
    from caseflow.core.acting import acting_as

    centre = make_centre()
    case = make_case_at(centre)
    plan = make_plan(centre, case)
    visit_id = _visit(plan.id).id
    with acting_as(centre.caseworker):
        update_case(case, {"status": "closed"})
        db.session.commit()
    body = client.get(f"/api/v1/visits/{visit_id}", headers=bearer(centre.mentor)).get_json()
    assert body["status"] == "cancelled" and body["card"] is None


def test_calendar_feed_by_bearer_and_by_revocable_feed_token(client):
    centre = make_centre()
    case = make_case_at(centre, **CANARIES)
    make_plan(centre, case)
    with frozen_time(MONDAY):
        by_bearer = client.get("/api/v1/me/visits.ics", headers=bearer(centre.mentor))
    assert by_bearer.status_code == 200 and by_bearer.mimetype == "text/calendar"
    text = by_bearer.get_data(as_text=True)
    assert text.count("BEGIN:VEVENT") == 5 and case.code in text
    created = client.post("/api/v1/me/feed-token", headers=bearer(centre.mentor))
    assert created.status_code == 201
    token = created.get_json()["token"]
    with frozen_time(MONDAY):
        by_token = client.get(f"/api/v1/me/visits.ics?token={token}")
    assert by_token.status_code == 200 and by_token.get_data(as_text=True).count("BEGIN:VEVENT") == 5
    assert client.delete("/api/v1/me/feed-token", headers=bearer(centre.mentor)).status_code == 204
    assert_error(client.get(f"/api/v1/me/visits.ics?token={token}"), 401)
    assert_error(client.get("/api/v1/me/visits.ics"), 401)
    assert_error(client.get("/api/v1/me/visits.ics?token=cff_not-a-real-token"), 401)
    for value in CANARIES.values():
        assert value not in text


def test_no_canary_in_the_feed_or_any_outbox_message(client):
    centre = make_centre()
    case = make_case_at(centre, **CANARIES)
    plan = make_plan(centre, case)
    visit = _visit(plan.id)
    with frozen_time(MONDAY + timedelta(hours=8)):
        client.post(f"/api/v1/visits/{visit.id}/log", headers=bearer(centre.mentor), json={
            "outcome": "missed", "safety_concern": True, "notes": NOTES_CANARY})
    for days in (0, 6, 20, 40):
        moment = MONDAY + timedelta(days=days)
        with frozen_time(moment):
            run_pass(moment)
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert {m.topic for m in messages} >= {"visit_due", "visit_missed", "safety_concern", "visit_overdue", "no_contact"}
    texts = []
    for user in (centre.mentor, centre.supervisor):
        for lang in ("en", "es"):
            texts.append(client.get("/api/v1/notifications?per_page=100",
                                    headers={**bearer(user), "Accept-Language": lang}).get_data(as_text=True))
    texts.append(client.get("/api/v1/me/visits.ics", headers=bearer(centre.mentor)).get_data(as_text=True))
    texts.extend(repr((m.dedupe_key, m.detail, m.case_code)) for m in messages)
    for text in texts:
        for value in (*CANARIES.values(), NOTES_CANARY):
            assert value not in text


def test_supervisors_see_each_visitors_workload(client):
    centre = make_centre()
    first = make_plan(centre, make_case_at(centre))
    make_plan(centre, make_case_at(centre), assignee=centre.psychologist, kind="psychological_followup")
    visit = _visit(first.id)
    with frozen_time(MONDAY + timedelta(hours=8)):
        client.post(f"/api/v1/visits/{visit.id}/log", headers=bearer(centre.mentor),
                    json={"outcome": "done", "modality": "phone"})
        response = client.get("/api/v1/supervision/workload?from=2026-03-01&to=2026-03-31",
                              headers=bearer(centre.supervisor))
    assert response.status_code == 200
    rows = {row["username"]: row for row in response.get_json()["items"]}
    mentor = rows[centre.mentor.username]
    assert (mentor["active_plans"], mentor["active_cases"], mentor["visits_done"], mentor["visits_missed"]) == (1, 1, 1, 0)
    assert rows[centre.psychologist.username]["active_plans"] == 1
    assert client.get("/api/v1/supervision/workload", headers=bearer(centre.mentor)).status_code == 403
    assert client.get("/api/v1/supervision/workload", headers=bearer(centre.caseworker)).status_code == 403
