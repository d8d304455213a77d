"""The demo's casework: records that make each demo login show something real.

Built through the same schemas and services as the API, so demo data obeys every rule
(consent before referral, clocks from the incident, visits from the risk level). All values
are synthetic.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from caseflow.core.acting import acting_as
from caseflow.core.clock import utcnow
from caseflow.directory.models import Organization, User
from caseflow.extensions import db

#: A severe FVR-style profile (the demo instrument's cut-offs are placeholders).
SEVERE_ANSWERS = {"escalation": True, "weapon": True, "threats_to_kill": True, "strangulation": True,
                  "forced_sex": True, "stalking": False, "jealousy_control": 2, "separation": True,
                  "pregnancy": False, "threats_to_children": False}


def _user(username: str) -> User:
    return db.session.scalars(select(User).where(User.username == username)).one()


def _org(code: str) -> Organization:
    return db.session.scalars(select(Organization).where(Organization.code == code)).one()


def load_demo_casework(cases) -> None:
    """``cases``: the demo cases in order (Rosa, María, Lucía)."""
    from caseflow.approvals.services import request as request_approval
    from caseflow.consents.schemas import ConsentCreateSchema
    from caseflow.consents.services import record_consent
    from caseflow.incidents.schemas import IncidentCreateSchema
    from caseflow.incidents.services import record_incident
    from caseflow.plans.services import add_item
    from caseflow.referrals.schemas import ReferralCreateSchema
    from caseflow.referrals.services import send
    from caseflow.risk.services import assess
    from caseflow.sessions.schemas import SessionCreateSchema
    from caseflow.sessions.services import record_session
    from caseflow.training.services import record_training, sessions_required
    from caseflow.visits.services import create_plan

    now = utcnow()
    rosa, maria, _lucia = cases
    hospital, court = _org("HOSP-LIMA"), _org("JUZGADO-FAM-LIMA")
    # The demo mentor has had her training (a mentor is assigned visits only after it).
    with acting_as(_user("supervisora")):
        for number in range(1, sessions_required() + 1):
            record_training(_user("mentora"), held_on=(now - timedelta(days=7 * number)).date(),
                            topic=f"Formación de mentoras, sesión {number} (demostración)")
    with acting_as(_user("admision")):
        # Rosa: raped last night; PEP and protective measures are on the clock.
        record_incident(rosa, IncidentCreateSchema().load({
            "occurred_at": (now - timedelta(hours=14)).isoformat(), "acts": {"penetration": True},
            "violence_types": ["sexual", "fisica"], "perpetrator_relationship": "former_partner",
            "location_type": "home", "narrative": "Relato sintético de demostración."}))
        record_session(rosa, SessionCreateSchema().load({
            "discipline": "admission", "started_at": (now - timedelta(hours=2)).isoformat(), "duration_minutes": 50,
            "summary": "Primera entrevista (demostración).", "next_steps": "Derivar a salud y al juzgado."}))
        for organization in (hospital, court):
            record_consent(rosa, ConsentCreateSchema().load({
                "recipient_organization_id": str(organization.id), "given_by": "survivor", "method": "written",
                "given_at": (now - timedelta(hours=1)).isoformat()}))
        assess(rosa, "fvr-demo-v1", SEVERE_ANSWERS)
        send(rosa, ReferralCreateSchema().load({
            "to_organization_id": str(hospital.id), "service_type": "hiv_pep", "priority": "high",
            "note": "Profilaxis post exposición (demostración)."}))
        send(rosa, ReferralCreateSchema().load({
            "to_organization_id": str(court.id), "service_type": "protective_measures", "priority": "high"}))
        create_plan(rosa, assignee_id=_user("mentora").id, kind="mentor_accompaniment", starts_on=now.date(),
                    count=12, now=now)
        # María: psychological violence; her action plan waits for the supervisor.
        record_incident(maria, IncidentCreateSchema().load({
            "occurred_at": (now - timedelta(days=20)).isoformat(), "occurred_time_known": False,
            "acts": {"psychological_abuse": True, "denial_of_resources": True},
            "violence_types": ["psicologica", "economica_patrimonial"], "perpetrator_relationship": "partner"}))
        assess(maria, "fvr-demo-v1", {**SEVERE_ANSWERS, "weapon": False, "threats_to_kill": False,
                                      "strangulation": False, "forced_sex": False, "escalation": False})
        add_item(maria, {"need": "psychosocial", "service_type": "mental_health", "decision": "own_agency",
                         "note": "Acompañamiento psicológico en el CEM (demostración)."})
        request_approval(maria, "action_plan", "Plan inicial (demostración).")
    db.session.flush()
