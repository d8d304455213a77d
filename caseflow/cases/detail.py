"""The case detail (``GET /cases/{id}``) read in one statement and built straight from its rows.

It is the read a caseworker makes most, and loading it as entities (the case, its
assignments, their users, her survivor row) and dumping them field by field cost as much
as authenticating the request. The rows give exactly what :class:`CaseDetailSchema` dumps
for the loaded case (a test compares the two for every shape of case), and a field added to
that schema fails that test until it is added here.
"""

from __future__ import annotations

import uuid
from functools import cache

from sqlalchemy import and_, select

from caseflow.access.policy import case_lookup, case_within_reach
from caseflow.cases.models import Case, CaseAssignment
from caseflow.core.errors import NotFound
from caseflow.core.rows import iso
from caseflow.directory.models import User
from caseflow.extensions import db
from caseflow.survivors.models import Survivor

#: The case's own columns; :func:`_item` reads them by name.
CASE_COLUMNS = (
    Case.id, Case.code, Case.status, Case.step, Case.priority, Case.intake_channel, Case.organization_id,
    Case.survivor_id, Case.opened_at, Case.closed_at, Case.closure_reason, Case.risk_level,
    Case.last_contact_at, Case.condition, Case.informant, Case.complaint_filed, Case.created_at, Case.updated_at,
)
#: Labelled so that they do not shadow the case's own ``id``.
ASSIGNEE_COLUMNS = (User.id.label("assignee_id"), User.username, User.full_name, User.role, User.discipline)


@cache
def _statement():
    """One row per current assignee (one row with nulls when nobody carries the case), the
    case within the caller's reach by the policy's own clause. Built once, on first use,
    when every model is mapped."""
    return (
        select(*CASE_COLUMNS, Survivor.erased_at, Survivor.registered_elsewhere, *ASSIGNEE_COLUMNS)
        .join(Survivor, Survivor.id == Case.survivor_id)
        .outerjoin(CaseAssignment, and_(CaseAssignment.case_id == Case.id, CaseAssignment.ended_at.is_(None)))
        .outerjoin(User, User.id == CaseAssignment.user_id)
        .where(case_within_reach())
        .order_by(CaseAssignment.assigned_at, CaseAssignment.id)
    )


def case_detail(case_id: uuid.UUID) -> dict:
    """The case as ``CaseDetailSchema`` gives it, if the caller may read it; else 404."""
    params = case_lookup(case_id, "case.read")
    # On the connection: plain rows, without the session's entity machinery around them.
    rows = db.session.connection().execute(_statement(), params).all()
    if not rows:
        raise NotFound()
    return _item(rows)


def _item(rows) -> dict:
    case = rows[0]
    return {
        "id": str(case.id), "code": case.code, "status": case.status, "step": case.step,
        "priority": case.priority, "intake_channel": case.intake_channel,
        "organization_id": str(case.organization_id), "survivor_id": str(case.survivor_id),
        "opened_at": iso(case.opened_at), "closed_at": iso(case.closed_at), "closure_reason": case.closure_reason,
        "risk_level": case.risk_level, "last_contact_at": iso(case.last_contact_at),
        "condition": case.condition, "informant": case.informant, "complaint_filed": case.complaint_filed,
        "assigned_to": [
            {"id": str(row.assignee_id), "username": row.username, "full_name": row.full_name, "role": row.role,
             "discipline": row.discipline}
            for row in rows if row.assignee_id is not None
        ],
        "created_at": iso(case.created_at), "updated_at": iso(case.updated_at),
        "survivor": {"id": str(case.survivor_id), "erased": case.erased_at is not None},
        "registered_elsewhere": case.registered_elsewhere,
    }
