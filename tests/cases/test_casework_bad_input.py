"""Bad input: a clear 4xx naming the field, and nothing written."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from caseflow.approvals.models import Approval
from caseflow.audit.models import AuditEntry
from caseflow.cases.models import Case, CaseEvent
from caseflow.closures.models import CaseClosure
from caseflow.consents.models import Consent
from caseflow.core.clock import utcnow
from caseflow.extensions import db
from caseflow.incidents.models import Incident
from caseflow.plans.models import PlanItem
from caseflow.risk.models import RiskAssessment
from testkit.api import ALL_NO, ago, incident_body, post
from testkit.factories import Centre
from tests.helpers import assert_error

EN = {"Accept-Language": "en"}
TABLES = (Incident, Consent, RiskAssessment, PlanItem, Approval, CaseClosure, CaseEvent)


def _snapshot(case_id):
    db.session.expire_all()
    counts = {m.__tablename__: db.session.scalar(select(func.count()).select_from(m)) for m in TABLES}
    counts["audit_writes"] = db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action != "read"))
    case = db.session.get(Case, case_id)
    counts["case"] = (case.status, case.step, case.risk_level, case.last_contact_at)
    return counts


@pytest.fixture
def setting(client):
    centre = Centre()
    return centre, centre.case()


def _refused(client, setting, path, body, status, *fields):
    centre, case = setting
    before = _snapshot(case.id)
    response = post(client, centre.admission, path.format(case=case.id), body, headers=EN)
    payload = assert_error(response, status, *fields)
    assert _snapshot(case.id) == before
    return payload


@pytest.mark.parametrize(("answers", "item", "message"), [
    ({k: v for k, v in ALL_NO.items() if k != "weapon"}, "weapon", "Missing answer."),
    ({**ALL_NO, "knife_brand": True}, "knife_brand", "Not an item of this instrument."),
    ({**ALL_NO, "jealousy_control": 7}, "jealousy_control", "Answer a whole number from 0 to 3."),
    ({**ALL_NO, "jealousy_control": True}, "jealousy_control", "Answer a whole number from 0 to 3."),
    ({**ALL_NO, "weapon": "yes"}, "weapon", "Answer true or false."),
    ({**ALL_NO, "weapon": 1}, "weapon", "Answer true or false."),
])
def test_risk_answers_missing_extra_or_out_of_range(client, setting, answers, item, message):
    payload = _refused(client, setting, "/cases/{case}/risk-assessments",
                       {"instrument": "fvr-demo-v1", "answers": answers}, 422, "answers")
    assert payload["errors"]["answers"][item] == [message]


def test_unknown_instrument(client, setting):
    _refused(client, setting, "/cases/{case}/risk-assessments",
             {"instrument": "fvr-demo-v9", "answers": ALL_NO}, 422, "instrument")


def test_incident_in_the_future(client, setting):
    future = (utcnow() + timedelta(days=1)).isoformat()
    payload = _refused(client, setting, "/cases/{case}/incidents", incident_body(occurred_at=future),
                       422, "occurred_at")
    assert payload["errors"]["occurred_at"] == ["Must not be in the future."]


def test_incident_reported_before_it_happened(client, setting):
    _refused(client, setting, "/cases/{case}/incidents",
             incident_body(occurred_at=ago(days=2), reported_at=ago(days=3)), 422, "reported_at")


def test_incident_without_offset_or_with_unknown_codes(client, setting):
    _refused(client, setting, "/cases/{case}/incidents", incident_body(occurred_at="2026-01-01T10:00:00"),
             422, "occurred_at")
    _refused(client, setting, "/cases/{case}/incidents", incident_body(violence_types=["verbal"]),
             422, "violence_types")


def test_closure_without_approval(client, setting):
    payload = _refused(client, setting, "/cases/{case}/close", {
        "reason": "needs_met", "needs_met": True, "safety_plan_reviewed": True,
        "survivor_informed_may_return": True}, 409)
    assert payload["message"] == "Closing needs a supervisor's approved closure request."


def test_closure_with_an_unknown_reason_or_missing_checklist(client, setting):
    _refused(client, setting, "/cases/{case}/close", {
        "reason": "bored", "needs_met": True, "safety_plan_reviewed": True,
        "survivor_informed_may_return": True}, 422, "reason")
    _refused(client, setting, "/cases/{case}/close", {"reason": "needs_met"}, 422,
             "needs_met", "safety_plan_reviewed", "survivor_informed_may_return")


def test_consent_for_an_unknown_organization(client, setting):
    payload = _refused(client, setting, "/cases/{case}/consents", {
        "recipient_organization_id": str(uuid.uuid4()), "given_by": "survivor", "method": "written",
        "given_at": ago(minutes=1)}, 422, "recipient_organization_id")
    assert payload["errors"]["recipient_organization_id"] == ["No such organization."]


def test_plan_item_before_any_risk_assessment(client, setting):
    _refused(client, setting, "/cases/{case}/plan-items",
             {"need": "safety", "service_type": "shelter", "decision": "referred"}, 409)


def test_a_narrative_is_never_echoed_back_in_an_error(client, setting):
    secret = "CANARY-relato-secreto"
    future = (utcnow() + timedelta(days=1)).isoformat()
    payload = _refused(client, setting, "/cases/{case}/incidents",
                       incident_body(occurred_at=future, narrative=secret), 422, "occurred_at")
    assert secret not in str(payload)
