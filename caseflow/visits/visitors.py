"""Whom a caseworker or supervisor may assign a visit plan to (``GET /visits/visitors``).

The people come from the access policy (:func:`caseflow.access.policy.scope_visitors`: the
active mentors and community psychologists of her centre); each carries the plan kind her
role takes and, for a mentor, the training sessions she has attended against
``CASEFLOW_MENTOR_TRAINING_SESSIONS`` (the rule :func:`caseflow.visits.services.create_plan`
applies). Staff names and usernames only: nothing of any survivor.
"""

from __future__ import annotations

from caseflow.access.policy import VISIT_KINDS_BY_ROLE
from caseflow.directory.models import User
from caseflow.extensions import db
from caseflow.training import services as training


def visitors(statement, kind: str | None = None) -> list[dict]:
    if kind is not None:
        roles = [role for role, carried in VISIT_KINDS_BY_ROLE.items() if carried == kind]
        statement = statement.where(User.role.in_(roles))
    people = db.session.scalars(statement.order_by(User.role, User.username, User.id)).all()
    attended = training.sessions_attended_by(p.id for p in people)
    required = training.sessions_required()
    rows = []
    for person in people:
        needed = required if person.role == "mentor" else 0
        rows.append({"id": person.id, "username": person.username, "full_name": person.full_name,
                     "role": person.role, "kind": VISIT_KINDS_BY_ROLE[person.role],
                     "training_sessions": attended[person.id], "training_required": needed,
                     "assignable": attended[person.id] >= needed})
    return rows
