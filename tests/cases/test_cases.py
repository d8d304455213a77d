"""Registering survivors and opening, listing, updating and assigning cases over HTTP."""

import re

from testkit.api import bearer
from testkit.factories import UserFactory, make_case, make_survivor, survivor_values
from tests.helpers import assert_error


def test_register_survivor_then_open_case_round_trip(client):
    worker = UserFactory()
    headers = bearer(worker)
    values = survivor_values(given_names="Flor Sintética", gender_identity="mujer trans")
    values["birth_date"] = values["birth_date"].isoformat()
    created = client.post("/api/v1/survivors", json=values, headers=headers)
    assert created.status_code == 201
    survivor = created.get_json()
    assert survivor["given_names"] == "Flor Sintética" and survivor["gender_identity"] == "mujer trans"
    assert client.get(f"/api/v1/survivors/{survivor['id']}", headers=headers).get_json() == survivor

    opened = client.post("/api/v1/cases", json={"survivor_id": survivor["id"], "intake_channel": "linea_100",
                                                "priority": "high"}, headers=headers)
    assert opened.status_code == 201
    case = opened.get_json()
    assert case["status"] == "open" and case["step"] == "engagement"
    assert re.fullmatch(r"ORG-\d{4}-\d{4}-\d{5}", case["code"])
    assert "Flor" not in case["code"]
    assert [a["id"] for a in case["assigned_to"]] == [str(worker.id)]
    # The case says who it is about without decrypting her identity (no audited read).
    assert case["survivor"] == {"id": survivor["id"], "erased": False}
    assert client.get(f"/api/v1/cases/{case['id']}", headers=headers).get_json()["code"] == case["code"]


def test_case_codes_count_up_per_centre(client):
    worker = UserFactory()
    codes = [make_case(worker).code for _ in range(3)]
    assert [c[-5:] for c in codes] == ["00001", "00002", "00003"]
    other = make_case(UserFactory())
    assert other.code.endswith("-00001")


def test_case_list_paginates_and_filters(client):
    worker = UserFactory()
    colleague = UserFactory(organization=worker.organization)
    mine = [make_case(worker, priority="high") for _ in range(3)]
    theirs = make_case(colleague, priority="low")
    headers = bearer(worker)
    page = client.get("/api/v1/cases?per_page=2&page=2", headers=headers).get_json()
    assert page["total"] == 4 and page["page"] == 2 and page["per_page"] == 2 and len(page["items"]) == 2
    assigned = client.get("/api/v1/cases?assigned_to=me&per_page=100", headers=headers).get_json()
    assert {c["id"] for c in assigned["items"]} == {str(c.id) for c in mine}
    low = client.get("/api/v1/cases?priority=low", headers=headers).get_json()
    assert [c["id"] for c in low["items"]] == [str(theirs.id)]
    assert client.get("/api/v1/cases?status=closed", headers=headers).get_json()["total"] == 0


def test_assigning_a_case(client):
    worker = UserFactory()
    case = make_case(worker)
    colleague = UserFactory(organization=worker.organization, discipline="legal")
    headers = bearer(worker)
    response = client.post(f"/api/v1/cases/{case.id}/assign", json={"user_id": str(colleague.id)}, headers=headers)
    assert response.status_code == 200
    assert {a["id"] for a in response.get_json()["assigned_to"]} == {str(worker.id), str(colleague.id)}
    assert_error(client.post(f"/api/v1/cases/{case.id}/assign", json={"user_id": str(colleague.id)},
                             headers=headers), 409)
    outsider = UserFactory()
    assert_error(client.post(f"/api/v1/cases/{case.id}/assign", json={"user_id": str(outsider.id)},
                             headers=headers), 422, "user_id")
    inactive = UserFactory(organization=worker.organization, active=False)
    assert_error(client.post(f"/api/v1/cases/{case.id}/assign", json={"user_id": str(inactive.id)},
                             headers=headers), 422, "user_id")
    mentor = UserFactory(organization=worker.organization, role="mentor", discipline=None)
    assert_error(client.post(f"/api/v1/cases/{case.id}/assign", json={"user_id": str(mentor.id)},
                             headers=headers), 422, "user_id")


def test_opening_a_case_for_an_unknown_or_foreign_survivor_is_404(client):
    worker = UserFactory()
    foreign = make_survivor(UserFactory())
    for survivor_id in (foreign.id, "00000000-0000-4000-8000-000000000000"):
        assert_error(client.post("/api/v1/cases", json={"survivor_id": str(survivor_id), "intake_channel": "walk_in",
                                                        "priority": "high"}, headers=bearer(worker)), 404)


def test_updating_a_case_records_an_event(client):
    from caseflow.cases.models import CaseEvent
    from caseflow.extensions import db

    worker = UserFactory()
    case = make_case(worker)
    response = client.patch(f"/api/v1/cases/{case.id}", json={"priority": "medium"}, headers=bearer(worker))
    assert response.get_json()["priority"] == "medium"
    kinds = [e.kind for e in db.session.query(CaseEvent).filter_by(case_id=case.id).order_by(CaseEvent.id)]
    assert kinds == ["case_opened", "assigned", "case_updated"]


def test_the_case_detail_is_what_the_case_schema_gives_for_every_shape_of_case(client):
    """GET /cases/{id} is built from rows (caseflow.cases.detail), not by the schema: it must
    give exactly the schema's output for the loaded case, field for field."""
    from datetime import timedelta

    from caseflow.cases.models import Case, CaseAssignment
    from caseflow.cases.schemas import CaseDetailSchema
    from caseflow.core.clock import utcnow
    from caseflow.extensions import db

    worker = UserFactory()
    colleague = UserFactory(organization=worker.organization, discipline="legal")
    former = UserFactory(organization=worker.organization, full_name=None, discipline="psychology")
    headers = bearer(worker)
    carried_by_two = make_case(worker)
    for user in (colleague, former):
        assert client.post(f"/api/v1/cases/{carried_by_two.id}/assign", json={"user_id": str(user.id)},
                           headers=headers).status_code == 200
    db.session.execute(CaseAssignment.__table__.update().where(
        CaseAssignment.case_id == carried_by_two.id, CaseAssignment.user_id == former.id).values(ended_at=utcnow()))
    carried_by_nobody = make_case(worker)
    db.session.execute(CaseAssignment.__table__.update().where(
        CaseAssignment.case_id == carried_by_nobody.id).values(ended_at=utcnow()))
    closed_and_erased = make_case(worker)
    closed_and_erased.status, closed_and_erased.closure_reason = "closed", "needs_met"
    closed_and_erased.closed_at = utcnow()
    closed_and_erased.risk_level, closed_and_erased.last_contact_at = "severo", utcnow() - timedelta(days=3)
    closed_and_erased.survivor.erased_at = utcnow()
    db.session.commit()

    for case in (carried_by_two, carried_by_nobody, closed_and_erased):
        response = client.get(f"/api/v1/cases/{case.id}", headers=headers)
        assert response.status_code == 200
        db.session.expire_all()
        assert response.get_json() == CaseDetailSchema().dump(db.session.get(Case, case.id))
    shown = client.get(f"/api/v1/cases/{carried_by_two.id}", headers=headers).get_json()
    assert [a["id"] for a in shown["assigned_to"]] == [str(worker.id), str(colleague.id)]
    assert client.get(f"/api/v1/cases/{carried_by_nobody.id}", headers=headers).get_json()["assigned_to"] == []
    erased = client.get(f"/api/v1/cases/{closed_and_erased.id}", headers=headers).get_json()
    assert erased["survivor"]["erased"] is True and erased["closed_at"] is not None
