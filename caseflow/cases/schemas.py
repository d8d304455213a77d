import marshmallow as ma

from caseflow.cases.models import (
    COMPLAINT_FILED,
    CONDITIONS,
    INFORMANTS,
    INTAKE_CHANNELS,
    PRIORITIES,
    RISK_LEVELS,
    STATUSES,
    STEPS,
)
from caseflow.core.fields import choice
from caseflow.core.pagination import PageArgs

CONDITION_DESCRIPTION = ("The Ficha de Registro's case condition; derived when the case is opened unless given "
                         "(docs/casework.md gives the rules)")
COMPLAINT_DESCRIPTION = "Whether she filed a police complaint; set to yes when a police complaint referral completes"


class CaseCreateSchema(ma.Schema):
    survivor_id = ma.fields.UUID(required=True)
    intake_channel = choice(INTAKE_CHANNELS, required=True)
    priority = choice(PRIORITIES, required=True)
    condition = choice(CONDITIONS, metadata={"description": CONDITION_DESCRIPTION})
    informant = choice(INFORMANTS, allow_none=True, metadata={"description": "Who informed the centre"})
    complaint_filed = choice(COMPLAINT_FILED, metadata={"description": COMPLAINT_DESCRIPTION})


class CasePatchSchema(ma.Schema):
    intake_channel = choice(INTAKE_CHANNELS)
    priority = choice(PRIORITIES)
    condition = choice(CONDITIONS, metadata={"description": CONDITION_DESCRIPTION})
    informant = choice(INFORMANTS, allow_none=True, metadata={"description": "Who informed the centre"})
    complaint_filed = choice(COMPLAINT_FILED, metadata={"description": COMPLAINT_DESCRIPTION})
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
    condition = ma.fields.String(metadata={"enum": list(CONDITIONS)})
    informant = ma.fields.String(allow_none=True)
    complaint_filed = ma.fields.String(metadata={"enum": list(COMPLAINT_FILED)})
    assigned_to = _Assignees(AssigneeSchema, many=True, metadata={"description": "The assigned staff"})
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()


class CaseDetailSchema(CaseSchema):
    #: Who the case is about, without decrypting anything: reading her identity is a
    #: separate, audited request (``GET /survivors/{id}``), made only when it is needed.
    survivor = ma.fields.Method("_survivor", metadata={"type": "object"})
    registered_elsewhere = ma.fields.Method("_registered_elsewhere", metadata={
        "type": "boolean", "nullable": True,
        "description": "She is registered at another centre too (which one is not said); null: not checked"})

    def _survivor(self, case):
        return SURVIVOR_REF.dump({"id": case.survivor_id, "erased": case.survivor.erased})

    def _registered_elsewhere(self, case):
        return case.survivor.registered_elsewhere


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
    custody = choice(("in_custody", "released"), metadata={
        "description": "her current custody state at the case's centre (docs/custody.md)"})
    no_contact_days = ma.fields.Integer(validate=ma.validate.Range(min=1, max=3650), metadata={
        "description": "Open cases without contact for over this many days"})


class AssignSchema(ma.Schema):
    user_id = ma.fields.UUID(required=True)


class CodeLabelSchema(ma.Schema):
    code = ma.fields.String()
    label = ma.fields.String()


def _code_list(description: str):
    return ma.fields.List(ma.fields.Nested(CodeLabelSchema), metadata={"description": description})


class CodeListsSchema(ma.Schema):
    condition = _code_list("The case's condition (Ficha de Registro de Casos)")
    informant = _code_list("Who informed the centre")
    complaint_filed = _code_list("Whether she filed a police complaint")
    ethnicity = _code_list("Ethnic self-identification (INEI census 2017, question 25)")
    mother_tongue = _code_list("Mother tongue (INEI census 2017, question 24)")
    disability = _code_list("Disability")
    ubigeo_source = ma.fields.String(metadata={"description": "The UBIGEO catalogue place_ubigeo is checked against"})
