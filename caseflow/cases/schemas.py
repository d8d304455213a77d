import marshmallow as ma

from caseflow.cases.models import INTAKE_CHANNELS, PRIORITIES, RISK_LEVELS, STATUSES, STEPS
from caseflow.core.fields import choice
from caseflow.core.pagination import PageArgs


class CaseCreateSchema(ma.Schema):
    survivor_id = ma.fields.UUID(required=True)
    intake_channel = choice(INTAKE_CHANNELS, required=True)
    priority = choice(PRIORITIES, required=True)


class CasePatchSchema(ma.Schema):
    intake_channel = choice(INTAKE_CHANNELS)
    priority = choice(PRIORITIES)
    step = choice(STEPS, metadata={"description": (
        "Move the case among the six steps: forward within the entry rules, or back; "
        "closure only through POST /cases/{id}/close")})


class AssigneeSchema(ma.Schema):
    id = ma.fields.UUID()
    username = ma.fields.String()
    full_name = ma.fields.String(allow_none=True)
    role = ma.fields.String()
    discipline = ma.fields.String(allow_none=True)


class _Assignees(ma.fields.Nested):
    """The case's assigned staff, through its assignments (a typed array in the description)."""

    def get_value(self, obj, attr, accessor=None, default=ma.missing):
        return [a.user for a in obj.assignments]


class SurvivorRefSchema(ma.Schema):
    id = ma.fields.UUID()
    erased = ma.fields.Boolean()


SURVIVOR_REF = SurvivorRefSchema()


class CaseSchema(ma.Schema):
    id = ma.fields.UUID()
    code = ma.fields.String()
    status = ma.fields.String()
    step = ma.fields.String()
    priority = ma.fields.String()
    intake_channel = ma.fields.String()
    organization_id = ma.fields.UUID()
    survivor_id = ma.fields.UUID()
    opened_at = ma.fields.AwareDateTime()
    closed_at = ma.fields.AwareDateTime(allow_none=True)
    closure_reason = ma.fields.String(allow_none=True)
    risk_level = ma.fields.String(allow_none=True)
    last_contact_at = ma.fields.AwareDateTime(allow_none=True)
    assigned_to = _Assignees(AssigneeSchema, many=True, metadata={"description": "The assigned staff"})
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()


class CaseDetailSchema(CaseSchema):
    #: Who the case is about, without decrypting anything: reading her identity is a
    #: separate, audited request (``GET /survivors/{id}``), made only when it is needed.
    survivor = ma.fields.Method("_survivor", metadata={"type": "object"})

    def _survivor(self, case):
        return SURVIVOR_REF.dump({"id": case.survivor_id, "erased": case.survivor.erased})


class CaseQuery(PageArgs):
    status = choice(STATUSES)
    step = choice(STEPS)
    risk_level = choice(RISK_LEVELS)
    priority = choice(PRIORITIES)
    assigned_to = ma.fields.String(
        # The UUID's exact shape: 36 hex digits and hyphens in any order used to pass here and
        # fail in uuid.UUID() with a 500 (found by the API fuzzer).
        validate=ma.validate.Regexp(r"^(me|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"),
        metadata={"description": "`me` or a user id"},
    )
    awaiting_approval = ma.fields.Boolean(metadata={
        "description": "true: cases with a request waiting for a supervisor's decision"})
    no_contact = ma.fields.Boolean(metadata={
        "description": "true: open cases without contact for over the no-contact days "
                       "(`CASEFLOW_NO_CONTACT_DAYS`; closure candidates)"})
    overdue = ma.fields.Boolean(metadata={
        "description": "true: cases with a referral whose deadline has run out"})
    no_contact_days = ma.fields.Integer(validate=ma.validate.Range(min=1, max=3650), metadata={
        "description": "Open cases without contact for over this many days"})


class AssignSchema(ma.Schema):
    user_id = ma.fields.UUID(required=True)
