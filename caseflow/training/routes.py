"""Training sessions of a person: recorded and listed by her centre's supervisors."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest import Blueprint

from caseflow.access.policy import user_or_404
from caseflow.core.fields import text
from caseflow.core.pagination import PageArgs, page_schema, paginate
from caseflow.training import services

blp = Blueprint("training", __name__, url_prefix="/api/v1", description="Training sessions (Programa Aurora)")


class TrainingSchema(ma.Schema):
    id = ma.fields.UUID(dump_only=True)
    user_id = ma.fields.UUID(dump_only=True)
    held_on = ma.fields.Date(required=True)
    topic = text(200, required=True)
    recorded_by_id = ma.fields.UUID(dump_only=True, allow_none=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)


TrainingPage = page_schema(TrainingSchema, "TrainingPage", sessions=ma.fields.Integer(), required=ma.fields.Integer())


def _person(user_id):
    """A person of the caller's own organization (scope_users), for its supervisors only."""
    return user_or_404(user_id, "training.record")


@blp.post("/users/<uuid:user_id>/trainings")
@blp.arguments(TrainingSchema)
@blp.response(201, TrainingSchema)
def record_training(data, user_id):
    return services.record_training(_person(user_id), **data)


@blp.get("/users/<uuid:user_id>/trainings")
@blp.arguments(PageArgs, location="query")
@blp.response(200, TrainingPage)
def list_trainings(args, user_id):
    person = _person(user_id)
    page = paginate(services.of_person(person), args)
    page.update(sessions=services.sessions_attended(person.id), required=services.sessions_required())
    return page
