"""Access and portability: everything held about her, decrypted, audited."""

from __future__ import annotations

from sqlalchemy import select

from caseflow.audit.models import AuditEntry
from caseflow.extensions import db
from testkit.api import bearer
from testkit.factories import OrganizationFactory, UserFactory, make_case
from tests.helpers import assert_error
from tests.keys.factories import canary_survivor


def test_export_json_has_every_record_decrypted_and_is_audited(app, client):
    centre = OrganizationFactory()
    worker = UserFactory(organization=centre)
    survivor, canary = canary_survivor(worker, "X")
    case = make_case(worker, survivor=survivor)
    response = client.get(f"/api/v1/survivors/{survivor.id}/export", headers=bearer(worker))
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["survivor"]["phone"] == f"{canary}Phone"
    assert body["survivor"]["given_names"] == f"{canary}Given"
    assert not any(k.endswith("_ct") for k in body["survivor"]) and "data_key_id" not in body["survivor"]
    assert [c["code"] for c in body["records"]["cases"]] == [case.code]
    assert {e["kind"] for e in body["records"]["case_events"]} >= {"case_opened"}
    assert "audit_entries" not in body["records"]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert entry.survivor_id == survivor.id and "cases" in entry.fields
    assert canary not in str(entry.detail) + str(entry.fields)


def test_export_as_printable_html(app, client):
    worker = UserFactory()
    survivor, canary = canary_survivor(worker, "<b>")
    for query, headers in (("?format=html", {}), ("", {"Accept": "text/html"})):
        response = client.get(f"/api/v1/survivors/{survivor.id}/export{query}", headers={**bearer(worker), **headers})
        assert response.status_code == 200 and response.mimetype == "text/html"
        page = response.get_data(as_text=True)
        assert "<script" not in page and "&lt;b&gt;" in page and "<b>" not in page.split("<body>")[1]


def test_export_is_need_to_know(app, client):
    worker = UserFactory()
    survivor, _ = canary_survivor(worker, "Y")
    stranger = UserFactory()  # another centre
    mentor = UserFactory(role="mentor", organization=worker.organization)
    assert_error(client.get(f"/api/v1/survivors/{survivor.id}/export", headers=bearer(stranger)), 404)
    assert_error(client.get(f"/api/v1/survivors/{survivor.id}/export", headers=bearer(mentor)), 404)  # mentors see visit cards only; her record does not exist for them
    assert_error(client.get(f"/api/v1/survivors/{survivor.id}/export?format=pdf", headers=bearer(worker)), 422)
