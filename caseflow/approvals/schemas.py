import marshmallow as ma

from caseflow.approvals.models import DECISIONS, KINDS, STATUSES
from caseflow.core.fields import choice, text
from caseflow.core.pagination import PageArgs


class ApprovalRequestSchema(ma.Schema):
    kind = choice(KINDS, required=True)
    note = text(5000, allow_none=True)


class DecisionSchema(ma.Schema):
    decision = choice(DECISIONS, required=True)
    note = text(5000, required=True, required_nonblank=True)


class ApprovalQuery(PageArgs):
    kind = choice(KINDS)
    status = choice(STATUSES)


class ApprovalSchema(ma.Schema):
    id = ma.fields.UUID()
    case_id = ma.fields.UUID()
    kind = ma.fields.String()
    status = ma.fields.String()
    requested_by_id = ma.fields.UUID(allow_none=True)
    requested_at = ma.fields.AwareDateTime()
    decided_by_id = ma.fields.UUID(allow_none=True)
    decided_at = ma.fields.AwareDateTime(allow_none=True)
    used_at = ma.fields.AwareDateTime(allow_none=True)


class ApprovalDetailSchema(ApprovalSchema):
    request_note = ma.fields.String(allow_none=True)
    decision_note = ma.fields.String(allow_none=True)
