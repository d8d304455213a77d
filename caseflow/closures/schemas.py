import marshmallow as ma

from caseflow.closures.models import CLOSURE_REASONS, REOPEN_REASONS
from caseflow.core.fields import choice, text


class CloseSchema(ma.Schema):
    reason = choice(CLOSURE_REASONS, required=True)
    needs_met = ma.fields.Boolean(required=True, metadata={
        "description": "Checklist: her needs in the action plan are met"})
    safety_plan_reviewed = ma.fields.Boolean(required=True, metadata={
        "description": "Checklist: the safety plan was reviewed with her (must be true)"})
    survivor_informed_may_return = ma.fields.Boolean(required=True, metadata={
        "description": "Checklist: she was told she may come back at any time (true unless she cannot be reached)"})
    note = text(5000, allow_none=True)


class ReopenSchema(ma.Schema):
    reason = choice(REOPEN_REASONS, required=True)
    note = text(5000, allow_none=True)


class ClosureSchema(ma.Schema):
    id = ma.fields.UUID()
    case_id = ma.fields.UUID()
    approval_id = ma.fields.UUID()
    reason = ma.fields.String()
    needs_met = ma.fields.Boolean()
    safety_plan_reviewed = ma.fields.Boolean()
    survivor_informed_may_return = ma.fields.Boolean()
    days_without_contact = ma.fields.Integer(allow_none=True)
    closed_at = ma.fields.AwareDateTime()
    closed_by_id = ma.fields.UUID(allow_none=True)
    reopened_at = ma.fields.AwareDateTime(allow_none=True)
    reopened_by_id = ma.fields.UUID(allow_none=True)
    reopen_reason = ma.fields.String(allow_none=True)
