"""The CEM's Ficha de Registro de Casos through the API: the case's condition as her history
at the centre makes it, who informed, whether she filed a complaint, the place of violence
as a UBIGEO of INEI's catalogue, her consent to statistics, and her intersectional fields as
census codes with Spanish and English labels."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select, text, update

from caseflow.audit.models import AuditEntry
from caseflow.cases.models import Case
from caseflow.core.clock import utcnow
from caseflow.extensions import db
from testkit.api import ago, bearer, get, incident_body, patch, post
from testkit.factories import make_survivor
from testkit.factories import survivor_values as _values
from tests.helpers import assert_error
from tests.referrals.factories import Network, consent, move, refer

CHECKLIST = {"reason": "needs_met", "needs_met": True, "safety_plan_reviewed": True,
             "survivor_informed_may_return": True}


def survivor_values(**overrides) -> dict:
    values = _values(**overrides)
    return {**values, "birth_date": values["birth_date"].isoformat()}


def _open(client, user, survivor, **body):
    return post(client, user, "/cases", {"survivor_id": str(survivor.id), "intake_channel": "walk_in",
                                         "priority": "medium", **body})


def _close(client, net, case_id):
    request = post(client, net.worker, f"/cases/{case_id}/approvals", {"kind": "closure"})
    assert request.status_code == 201, request.get_json()
    decided = post(client, net.centre.supervisor, f"/approvals/{request.get_json()['id']}/decision",
                   {"decision": "approved", "note": "Cerrar."})
    assert decided.status_code == 200, decided.get_json()
    closed = post(client, net.worker, f"/cases/{case_id}/close", CHECKLIST)
    assert closed.status_code == 200, closed.get_json()


def test_condition_is_derived_from_her_history_at_the_centre(client):
    net = Network()
    survivor = make_survivor(net.worker)
    first = _open(client, net.worker, survivor)
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["condition"] == "nuevo"
    referred = _open(client, net.worker, make_survivor(net.worker), intake_channel="police").get_json()
    assert referred["condition"] == "derivado"
    by_line = _open(client, net.worker, make_survivor(net.worker), intake_channel="linea_100").get_json()
    assert by_line["condition"] == "nuevo"  # Línea 100 is the programme's own line

    _close(client, net, first.get_json()["id"])
    # She comes back ten days after that case was closed.
    db.session.execute(update(Case).where(Case.id == uuid.UUID(first.get_json()["id"]))
                       .values(closed_at=utcnow() - timedelta(days=10)))
    db.session.commit()
    second = _open(client, net.worker, survivor, intake_channel="police").get_json()
    assert second["condition"] == "reingreso"  # her history first: she returns after a closed case
    assert get(client, net.worker, f"/cases/{second['id']}").get_json()["condition"] == "reingreso"

    # An incident that happened before the earlier case closed changes nothing...
    older = post(client, net.worker, f"/cases/{second['id']}/incidents", incident_body(occurred_at=ago(days=20)))
    assert older.status_code == 201, older.get_json()
    assert get(client, net.worker, f"/cases/{second['id']}").get_json()["condition"] == "reingreso"
    # ...new violence after it makes her reincidente, as an event and an audit entry.
    newer = post(client, net.worker, f"/cases/{second['id']}/incidents", incident_body(occurred_at=ago(minutes=5)))
    assert newer.status_code == 201, newer.get_json()
    assert get(client, net.worker, f"/cases/{second['id']}").get_json()["condition"] == "reincidente"
    audited = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "cases",
                                                          AuditEntry.entity_id == second["id"],
                                                          AuditEntry.action == "update")).all()
    assert any((entry.fields or []) == ["condition"] for entry in audited)


def test_a_condition_given_by_hand_must_fit_her_history(client):
    net = Network()
    survivor = make_survivor(net.worker)
    body = assert_error(_open(client, net.worker, survivor, condition="reingreso"), 422, "condition")
    assert "reingreso" in body["errors"]["condition"][0].lower()
    assert_error(_open(client, net.worker, survivor, condition="reincidente"), 422, "condition")
    assert db.session.execute(text("SELECT count(*) FROM cases")).scalar() == 0  # nothing written

    case = _open(client, net.worker, survivor, condition="continuador", informant="family").get_json()
    assert case["condition"] == "continuador" and case["informant"] == "family"
    assert_error(_open(client, net.worker, survivor, condition="nuevo"), 422, "condition")  # she has a case here
    changed = patch(client, net.worker, f"/cases/{case['id']}", {"condition": "derivado", "informant": "institution"})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["condition"] == "derivado" and changed.get_json()["informant"] == "institution"
    assert_error(patch(client, net.worker, f"/cases/{case['id']}", {"condition": "reingreso"}), 422, "condition")
    assert_error(patch(client, net.worker, f"/cases/{case['id']}", {"condition": "otro"}), 422, "condition")
    assert_error(patch(client, net.worker, f"/cases/{case['id']}", {"informant": "aggressor"}), 422, "informant")
    assert get(client, net.worker, f"/cases/{case['id']}").get_json()["condition"] == "derivado"


def test_registered_at_another_centre_shows_on_the_case_without_naming_it(client):
    net, other = Network(), Network()
    values = survivor_values(document_type="DNI", document_number="40404040")
    assert post(client, other.worker, "/survivors", values).status_code == 201
    here = post(client, net.worker, "/survivors", values)
    assert here.status_code == 201, here.get_json()
    case = post(client, net.worker, "/cases", {"survivor_id": here.get_json()["id"], "intake_channel": "walk_in",
                                               "priority": "low"}).get_json()
    detail = get(client, net.worker, f"/cases/{case['id']}").get_json()
    assert detail["registered_elsewhere"] is True
    assert str(other.centre.org.id) not in str(detail) and other.centre.org.code not in str(detail)
    # Registered elsewhere, she may be recorded as reincidente here without a case here.
    second = post(client, net.worker, "/survivors", {**values, "document_number": "40404041"}).get_json()
    assert second["registered_elsewhere"] is False
    assert_error(post(client, net.worker, "/cases", {"survivor_id": second["id"], "intake_channel": "walk_in",
                                                     "priority": "low", "condition": "reincidente"}), 422)
    again = post(client, net.worker, "/survivors", {**values, "document_number": "40404040"})
    assert again.status_code == 409  # the same document within reach: the duplicate is refused


def test_complaint_filed_by_hand_and_by_a_completed_police_complaint(client):
    net = Network()
    case = net.centre.case()
    assert get(client, net.worker, f"/cases/{case.id}").get_json()["complaint_filed"] == "unknown"
    assert patch(client, net.worker, f"/cases/{case.id}", {"complaint_filed": "no"}).get_json()["complaint_filed"] == "no"
    assert_error(patch(client, net.worker, f"/cases/{case.id}", {"complaint_filed": "maybe"}), 422, "complaint_filed")

    consent(client, net.worker, case, sector="police")
    complaint = refer(client, net.worker, case, net.police, "complaint", priority="high")
    assert complaint.status_code == 201, complaint.get_json()
    referral_id = complaint.get_json()["id"]
    for status in ("accepted", "in_progress"):
        assert move(client, net.officer, referral_id, status).status_code == 200
    assert get(client, net.worker, f"/cases/{case.id}").get_json()["complaint_filed"] == "no"  # not yet filed
    assert move(client, net.officer, referral_id, "completed").status_code == 200
    assert get(client, net.worker, f"/cases/{case.id}").get_json()["complaint_filed"] == "yes"
    # The completed complaint is proof: nobody turns her back into a woman who did not report.
    for value in ("no", "unknown"):
        assert_error(patch(client, net.worker, f"/cases/{case.id}", {"complaint_filed": value}), 422, "complaint_filed")
    assert get(client, net.worker, f"/cases/{case.id}").get_json()["complaint_filed"] == "yes"


def test_a_failed_complaint_or_another_completed_service_leaves_it_as_it_was(client):
    net = Network()
    case = net.centre.case()
    consent(client, net.worker, case, sector="police")
    consent(client, net.worker, case, sector="social")
    support = refer(client, net.worker, case, net.shelter, "social_support", priority="low").get_json()
    complaint = refer(client, net.worker, case, net.police, "complaint", priority="high").get_json()
    for status in ("accepted", "in_progress", "completed"):
        assert move(client, net.shelter_worker, support["id"], status).status_code == 200
    for status in ("accepted", "in_progress"):
        assert move(client, net.officer, complaint["id"], status).status_code == 200
    assert move(client, net.officer, complaint["id"], "failed", reason="No se presentó").status_code == 200
    assert get(client, net.worker, f"/cases/{case.id}").get_json()["complaint_filed"] == "unknown"


def test_place_of_violence_is_a_district_of_the_catalogue(client):
    net = Network()
    case = net.centre.case()
    recorded = post(client, net.worker, f"/cases/{case.id}/incidents", incident_body(place_ubigeo="190113"))
    assert recorded.status_code == 201, recorded.get_json()
    body = recorded.get_json()
    assert body["place_ubigeo"] == "190113" and body["consent_for_statistics"] is False
    assert body["place"] == {"department_code": "19", "department": "Pasco", "province_code": "1901",
                             "province": "Pasco", "district_code": "190113", "district": "Yanacancha"}
    for wrong in ("999999", "190100", "19", "1901134", "19011x", 190113):
        assert_error(post(client, net.worker, f"/cases/{case.id}/incidents", incident_body(place_ubigeo=wrong)),
                     422, "place_ubigeo")
    assert db.session.execute(text("SELECT count(*) FROM incidents")).scalar() == 1


def test_her_consent_to_statistics_is_given_and_withdrawn_later(client):
    net = Network()
    case = net.centre.case()
    incident = post(client, net.worker, f"/cases/{case.id}/incidents", incident_body()).get_json()
    given = patch(client, net.worker, f"/incidents/{incident['id']}",
                  {"consent_for_statistics": True, "place_ubigeo": "150132"})
    assert given.status_code == 200, given.get_json()
    assert given.get_json()["consent_for_statistics"] is True
    assert given.get_json()["place"]["district"] == "San Juan de Lurigancho"
    assert_error(patch(client, net.worker, f"/incidents/{incident['id']}", {"place_ubigeo": "000000"}),
                 422, "place_ubigeo")
    _close(client, net, case.id)
    # Closed, the case takes no correction, but her withdrawal is hers to make at any time.
    assert_error(patch(client, net.worker, f"/incidents/{incident['id']}", {"place_ubigeo": "190101"}), 409)
    withdrawn = patch(client, net.worker, f"/incidents/{incident['id']}", {"consent_for_statistics": False})
    assert withdrawn.status_code == 200 and withdrawn.get_json()["consent_for_statistics"] is False
    other = Network()
    assert_error(patch(client, other.worker, f"/incidents/{incident['id']}", {"consent_for_statistics": True}), 404)


def test_intersectional_fields_are_census_codes(client):
    net = Network()
    body = {**survivor_values(), "mother_tongue": "Quechua", "ethnicity": "quechua", "interpreter_needed": True,
            "disability": "sensory"}
    created = post(client, net.worker, "/survivors", body)
    assert created.status_code == 201, created.get_json()
    survivor = created.get_json()
    assert survivor["mother_tongue"] == "quechua"  # a language's name is taken as its code
    assert survivor["ethnicity"] == "quechua" and survivor["interpreter_needed"] is True
    assert post(client, net.worker, "/survivors", {**survivor_values(), "mother_tongue": "Castellano"}
                ).get_json()["mother_tongue"] == "spanish"
    assert_error(post(client, net.worker, "/survivors", {**survivor_values(), "mother_tongue": "klingon"}),
                 422, "mother_tongue")
    assert_error(post(client, net.worker, "/survivors", {**survivor_values(), "ethnicity": "latina"}), 422, "ethnicity")
    corrected = patch(client, net.worker, f"/survivors/{survivor['id']}",
                      {"mother_tongue": "aimara", "ethnicity": "unknown", "interpreter_needed": False})
    assert corrected.status_code == 200, corrected.get_json()
    assert corrected.get_json()["mother_tongue"] == "aimara" and corrected.get_json()["interpreter_needed"] is False


def test_code_lists_in_spanish_by_default_and_english_by_choice(client):
    net = Network()
    spanish = get(client, net.worker, "/code-lists").get_json()
    labels = {entry["code"]: entry["label"] for entry in spanish["ethnicity"]}
    assert set(labels) >= {"quechua", "aimara", "amazonian_indigenous", "afroperuvian", "mestizo", "unknown"}
    assert labels["amazonian_indigenous"] == "Nativo o indígena de la Amazonía"
    assert {e["code"] for e in spanish["condition"]} == {"nuevo", "reingreso", "reincidente", "derivado", "continuador"}
    assert {e["code"]: e["label"] for e in spanish["mother_tongue"]}["spanish"] == "Castellano"
    assert "INEI" in spanish["ubigeo_source"]
    english = client.get("/api/v1/code-lists", headers={**bearer(net.worker), "Accept-Language": "en"}).get_json()
    assert {e["code"]: e["label"] for e in english["ethnicity"]}["amazonian_indigenous"] == \
        "Native or indigenous of the Amazon"
    for name, entries in spanish.items():
        if isinstance(entries, list):
            assert all(entry["label"] for entry in entries), name
