"""Moving among the six steps by hand, and the case list filters caseworkers use daily."""

from datetime import timedelta

from caseflow.core.clock import frozen_time, utcnow
from testkit.api import get, patch, post, risk_body
from testkit.factories import Centre, make_case
from tests.helpers import assert_error


def test_forward_moves_respect_the_entry_rules(client):
    centre = Centre()
    case = centre.case()
    path = f"/cases/{case.id}"
    assert_error(patch(client, centre.admission, path, {"step": "action_plan"}), 409)
    assert_error(patch(client, centre.admission, path, {"step": "implementation"}), 409)
    assert_error(patch(client, centre.admission, path, {"step": "closure"}), 409)
    assert patch(client, centre.admission, path, {"step": "assessment"}).get_json()["step"] == "assessment"
    post(client, centre.admission, f"{path}/risk-assessments", risk_body())
    assert patch(client, centre.admission, path, {"step": "action_plan"}).get_json()["step"] == "action_plan"
    assert patch(client, centre.admission, path, {"step": "engagement"}).get_json()["step"] == "engagement"


def test_requests_need_a_plan_and_wait_one_at_a_time(client):
    centre = Centre()
    case = centre.case()
    assert_error(post(client, centre.admission, f"/cases/{case.id}/approvals", {"kind": "action_plan"}), 409)
    assert post(client, centre.admission, f"/cases/{case.id}/approvals", {"kind": "closure"}).status_code == 201
    assert_error(post(client, centre.admission, f"/cases/{case.id}/approvals", {"kind": "closure"}), 409)


def _ids(client, user, query):
    response = get(client, user, f"/cases?{query}")
    assert response.status_code == 200, response.get_json()
    return {item["id"] for item in response.get_json()["items"]}


def test_case_list_filters(client):
    centre = Centre()
    me, colleague = centre.admission, centre.legal
    long_ago = utcnow() - timedelta(days=45)
    with frozen_time(long_ago):
        quiet = make_case(me)
    mine = make_case(me)
    theirs = make_case(colleague)
    post(client, me, f"/cases/{mine.id}/risk-assessments", risk_body(strangulation=True))
    post(client, colleague, f"/cases/{theirs.id}/approvals", {"kind": "closure"})
    post(client, me, f"/cases/{quiet.id}/sessions",
         {"discipline": "admission", "started_at": (long_ago + timedelta(days=1)).isoformat(), "duration_minutes": 10})

    assert _ids(client, me, "assigned_to=me") == {str(quiet.id), str(mine.id)}
    assert _ids(client, me, "risk_level=severo") == {str(mine.id)}
    assert _ids(client, me, "step=assessment") == {str(mine.id)}
    assert _ids(client, me, "step=engagement&status=open") == {str(quiet.id), str(theirs.id)}
    assert _ids(client, me, "awaiting_approval=true") == {str(theirs.id)}
    assert _ids(client, me, "no_contact=true") == {str(quiet.id)}
    assert _ids(client, me, "no_contact_days=50") == set()
    assert _ids(client, me, "no_contact_days=40") == {str(quiet.id)}
    assert _ids(client, me, "status=closed") == set()
    assert_error(get(client, me, "/cases?no_contact_days=0"), 422, "no_contact_days")


def test_no_contact_closure_is_checked_against_the_last_contact(client):
    centre = Centre()
    case = centre.case()
    request = post(client, centre.admission, f"/cases/{case.id}/approvals", {"kind": "closure"}).get_json()
    post(client, centre.supervisor, f"/approvals/{request['id']}/decision", {"decision": "approved", "note": "ok"})
    body = {"reason": "no_contact", "needs_met": False, "safety_plan_reviewed": True,
            "survivor_informed_may_return": False}
    assert_error(post(client, centre.admission, f"/cases/{case.id}/close", body), 422, "reason")
    with frozen_time(utcnow() + timedelta(days=31)):
        closed = post(client, centre.admission, f"/cases/{case.id}/close", body)
    assert closed.status_code == 200, closed.get_json()
    # A closed case takes no new records.
    assert_error(post(client, centre.admission, f"/cases/{case.id}/risk-assessments", risk_body()), 409)
