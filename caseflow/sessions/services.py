"""Recording attention sessions; each one is contact with her (the 30-day clock restarts)."""

from __future__ import annotations

from datetime import timezone

from flask_babel import lazy_gettext
from flask_login import current_user

from caseflow.access.policy import may_hold_session, scope_case_records
from caseflow.audit.services import record_model_write
from caseflow.cases import steps
from caseflow.cases.models import Case
from caseflow.cases.recording import not_in_future, touch_contact
from caseflow.cases.services import add_event
from caseflow.core.errors import Forbidden
from caseflow.extensions import db
from caseflow.sessions.models import AttentionSession

NOTE_FIELDS = ("summary", "next_steps")


def record_session(case: Case, data: dict) -> AttentionSession:
    if not may_hold_session(data["discipline"]):
        raise Forbidden(lazy_gettext("You record sessions of your own discipline only."))
    steps.ensure_open(case)
    not_in_future("started_at", data["started_at"])
    session = AttentionSession(
        case_id=case.id, survivor_id=case.survivor_id, discipline=data["discipline"],
        started_at=data["started_at"].astimezone(timezone.utc), duration_minutes=data["duration_minutes"],
        held_by_id=current_user.id,
    )
    session.ensure_id()
    for name in NOTE_FIELDS:
        if data.get(name):
            setattr(session, name, data[name])
    db.session.add(session)
    db.session.flush()
    touch_contact(case, session.started_at)
    add_event(case, "session_recorded", {"session_id": str(session.id), "discipline": session.discipline})
    record_model_write("create", session, fields=sorted(data))
    return session


def of_case(case: Case):
    return scope_case_records(AttentionSession).where(AttentionSession.case_id == case.id).order_by(
        AttentionSession.started_at.desc(), AttentionSession.id)
