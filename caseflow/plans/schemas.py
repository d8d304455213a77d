import marshmallow as ma

from caseflow.core.fields import choice, text
from caseflow.directory.schemas import SERVICE_TYPES
from caseflow.plans.models import DECISIONS, GOAL_STATUSES, NEEDS


class PlanItemCreateSchema(ma.Schema):
    need = choice(NEEDS, required=True)
    service_type = choice(SERVICE_TYPES, required=True)
    decision = choice(DECISIONS, required=True)
    goal_status = choice(GOAL_STATUSES, load_default="in_progress")
    note = text(5000, allow_none=True)


class PlanItemPatchSchema(ma.Schema):
    decision = choice(DECISIONS)
    goal_status = choice(GOAL_STATUSES)
    note = text(5000, allow_none=True)


class PlanItemSchema(ma.Schema):
    id = ma.fields.UUID()
    case_id = ma.fields.UUID()
    need = ma.fields.String()
    service_type = ma.fields.String()
    decision = ma.fields.String()
    goal_status = ma.fields.String()
    created_by_id = ma.fields.UUID(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()


class PlanItemDetailSchema(PlanItemSchema):
    note = ma.fields.String(allow_none=True)
