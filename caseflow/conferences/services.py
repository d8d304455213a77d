"""Recording case conferences. Services flush; the request commits."""

from __future__ import annotations

import uuid
from datetime import timezone

from flask_babel import lazy_gettext
from flask_login import current_user
from sqlalchemy import select

from caseflow.access.policy import scope_case_records
from caseflow.audit.services import record_model_write
from caseflow.cases import steps
from caseflow.cases.models import Case
from caseflow.cases.recording import not_in_future
from caseflow.cases.services import add_event
from caseflow.cases.timeline import TimelineEntry
from caseflow.conferences.models import CaseConference
from caseflow.core.errors import field_error
from caseflow.directory.models import Organization
from caseflow.extensions import db


def _organizations(ids: list[uuid.UUID]) -> list[str]:
    unique = list(dict.fromkeys(ids))
    found = set(db.session.scalars(select(Organization.id).where(Organization.id.in_(unique))))
    if len(found) != len(unique):
        raise field_error("organization_ids", lazy_gettext("No such organization."))
    return [str(organization_id) for organization_id in unique]


def record_conference(case: Case, data: dict) -> CaseConference:
    steps.ensure_open(case)
    held_at = data["held_at"].astimezone(timezone.utc)
    not_in_future("held_at", held_at)
    conference = CaseConference(case_id=case.id, survivor_id=case.survivor_id, held_at=held_at,
                                organization_ids=_organizations(data["organization_ids"]),
                                recorded_by_id=current_user.id)
    conference.ensure_id()
    conference.decisions = data["decisions"]
    db.session.add(conference)
    db.session.flush()
    add_event(case, "conference_recorded", {"conference_id": str(conference.id),
                                            "organizations": len(conference.organization_ids)})
    record_model_write("create", conference, fields=sorted(data))
    return conference


def of_case(case: Case):
    return scope_case_records(CaseConference).where(CaseConference.case_id == case.id).order_by(
        CaseConference.held_at.desc(), CaseConference.id)


def timeline_entries(case: Case):
    """Registered by the feature's ``init_app``: when, and which organizations (ids only)."""
    conferences = db.session.scalars(select(CaseConference).where(CaseConference.case_id == case.id))
    for conference in conferences:
        yield TimelineEntry(conference.held_at, "case_conference", case.organization.sector, record_id=conference.id,
                            detail={"organization_ids": list(conference.organization_ids)})
