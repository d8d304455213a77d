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

#: The case's own columns, in the order :func:`_item` unpacks them.
CASE_COLUMNS = (
    Case.id, Case.code, Case.status, Case.step, Case.priority, Case.intake_channel, Case.organization_id,
    Case.survivor_id, Case.opened_at, Case.closed_at, Case.closure_reason, Case.risk_level,
    Case.last_contact_at, Case.created_at, Case.updated_at,
)
ASSIGNEE_COLUMNS = (User.id, User.username, User.full_name, User.role, User.discipline)


@cache
def _statement():
    """One row per current assignee (one row with nulls when nobody carries the case), the
    case within the caller's reach by the policy's own clause. Built once, on first use,
    when every model is mapped."""
    return (
        select(*CASE_COLUMNS, Survivor.erased_at, *ASSIGNEE_COLUMNS)
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
    (id_, code, status, step, priority, intake_channel, organization_id, survivor_id, opened_at, closed_at,
     closure_reason, risk_level, last_contact_at, created_at, updated_at, erased_at, *_) = rows[0]
    return {
        "id": str(id_), "code": code, "status": status, "step": step, "priority": priority,
        "intake_channel": intake_channel, "organization_id": str(organization_id),
        "survivor_id": str(survivor_id), "opened_at": iso(opened_at), "closed_at": iso(closed_at),
        "closure_reason": closure_reason, "risk_level": risk_level, "last_contact_at": iso(last_contact_at),
        "assigned_to": [
            {"id": str(user_id), "username": username, "full_name": full_name, "role": role, "discipline": discipline}
            for (*_case, user_id, username, full_name, role, discipline) in rows if user_id is not None
        ],
        "created_at": iso(created_at), "updated_at": iso(updated_at),
        "survivor": {"id": str(survivor_id), "erased": erased_at is not None},
    }
