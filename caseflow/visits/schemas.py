import marshmallow as ma
from flask_babel import lazy_gettext

from caseflow.access.policy import readable_value
from caseflow.core.fields import aware_datetime, choice, text
from caseflow.core.pagination import PageArgs
from caseflow.visits.models import MODALITIES, OUTCOMES, PLAN_KINDS, VISIT_STATUSES

Range = ma.validate.Range


class VisitPlanCreateSchema(ma.Schema):
    assignee_id = ma.fields.UUID(required=True, metadata={"description": "A mentor or community psychologist"})
    kind = choice(PLAN_KINDS, required=True)
    starts_on = ma.fields.Date(required=True)
    cadence_days = ma.fields.Integer(
        validate=Range(min=1, max=365), allow_none=True,
        metadata={"description": "Days between visits; default from the case's risk level"},
    )
    count = ma.fields.Integer(validate=Range(min=1, max=500), allow_none=True,
                              metadata={"description": "Number of visits (or give ends_on)"})
    ends_on = ma.fields.Date(allow_none=True, metadata={"description": "Last day of the plan (or give count); "
                                                                       "neither: 48 weekly visits for a mentor (Programa Aurora), one year otherwise"})


class VisitPlanPatchSchema(ma.Schema):
    assignee_id = ma.fields.UUID(metadata={"description": "Reassign: future visits move to this person"})
    cadence_days = ma.fields.Integer(validate=Range(min=1, max=365),
                                     metadata={"description": "Re-plan future visits at this cadence"})


class VisitPlanSchema(ma.Schema):
    id = ma.fields.UUID()
    case_id = ma.fields.UUID()
    assignee_id = ma.fields.UUID()
    kind = ma.fields.String()
    status = ma.fields.String()
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date(allow_none=True)
    count = ma.fields.Integer(attribute="planned_count", allow_none=True)
    cadence_days = ma.fields.Integer()
    window_days = ma.fields.Integer()
    cadence_from_risk = ma.fields.Boolean()
    risk_level = ma.fields.String(allow_none=True)
    next_due_on = ma.fields.Date(allow_none=True)
    ended_at = ma.fields.AwareDateTime(allow_none=True)
    end_reason = ma.fields.String(allow_none=True)
    created_at = ma.fields.AwareDateTime()


class VisitSchema(ma.Schema):
    id = ma.fields.UUID(allow_none=True, metadata={"description": "Null for a projected visit"})
    plan_id = ma.fields.UUID()
    case_id = ma.fields.UUID()
    case_code = ma.fields.Function(lambda visit: visit.case.code)
    assignee_id = ma.fields.UUID()
    kind = ma.fields.String()
    status = ma.fields.String()
    sequence = ma.fields.Integer(allow_none=True)
    due_on = ma.fields.Date()
    window_start = ma.fields.AwareDateTime()
    window_end = ma.fields.AwareDateTime()
    rescheduled_from_id = ma.fields.UUID(allow_none=True)
    projected = ma.fields.Function(lambda visit: getattr(visit, "projected", False), metadata={
        "type": "boolean", "description": "A later visit of the plan, beyond the scheduler's horizon: not made yet"})


class VisitCardSchema(ma.Schema):
    """Only what a visit needs."""

    alias = ma.fields.String(allow_none=True)
    safe_contact = ma.fields.String(allow_none=True)
    address = ma.fields.String(allow_none=True)
    phone = ma.fields.String(allow_none=True)
    unreadable = ma.fields.Boolean(metadata={"description": "Her data could not be decrypted: the fields are null"})
    safety_flags = ma.fields.List(ma.fields.String())


class VisitLogSchema(ma.Schema):
    id = ma.fields.UUID()
    visit_id = ma.fields.UUID()
    case_id = ma.fields.UUID()
    outcome = ma.fields.String()
    happened_at = ma.fields.AwareDateTime()
    modality = ma.fields.String(allow_none=True)
    safety_concern = ma.fields.Boolean()
    rescheduled_to = ma.fields.AwareDateTime(allow_none=True)
    has_notes = ma.fields.Function(lambda log: log.notes_ct is not None)
    logged_by_id = ma.fields.UUID()
    created_at = ma.fields.AwareDateTime()


class VisitLogReadSchema(VisitLogSchema):
    notes = ma.fields.Method("_notes", metadata={"type": "string", "nullable": True, "description": (
        "For the person who wrote them and the case's centre team (access.policy FIELD_RULES); "
        "null for anyone else, and for a visitor of another organization once no consent covers it")})

    def _notes(self, log):
        return readable_value(log, "notes")


class _VisitLogs(ma.fields.Nested):
    def get_value(self, obj, attr, accessor=None, default=ma.missing):
        from caseflow.visits.logs import logs_of

        return logs_of(obj)


class VisitDetailSchema(VisitSchema):
    card = ma.fields.Nested(VisitCardSchema, allow_none=True, metadata={
        "description": "For the person visiting her (active plan) and centre staff; null otherwise"})
    logs = _VisitLogs(VisitLogReadSchema, many=True, metadata={"description": "What was logged, oldest first"})


class VisitQuery(PageArgs):
    # A user id in its canonical 8-4-4-4-12 form: 36 hyphens or 36 hex digits are not one.
    assignee = ma.fields.String(validate=ma.validate.Regexp(
                                    r"^(me|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"),
                                metadata={"description": "`me` or a user id"})
    from_day = ma.fields.Date(data_key="from", metadata={"description": "First local day (inclusive)"})
    to_day = ma.fields.Date(data_key="to", metadata={"description": "Last local day (inclusive)"})
    status = choice(VISIT_STATUSES)
    case_id = ma.fields.UUID()


class VisitLogCreateSchema(ma.Schema):
    outcome = choice(OUTCOMES, required=True)
    happened_at = aware_datetime(metadata={"description": "Default: now"})
    modality = choice(MODALITIES, allow_none=True)
    notes = text(4000, allow_none=True, metadata={"description": "Encrypted; never shown in messages"})
    safety_concern = ma.fields.Boolean(load_default=False)
    rescheduled_to = aware_datetime(allow_none=True)


class IdempotencyHeader(ma.Schema):
    idempotency_key = ma.fields.String(
        data_key="Idempotency-Key", validate=[
            ma.validate.Length(min=8, max=100, error=lazy_gettext("Between {min} and {max} characters.")),
            ma.validate.Regexp(r"^[A-Za-z0-9._:-]+$", error=lazy_gettext("Letters, digits and . _ : - only.")),
        ],
        metadata={"description": "Names this submission; a retry with the same key creates no second log"},
    )


class WorkloadQuery(ma.Schema):
    from_day = ma.fields.Date(data_key="from")
    to_day = ma.fields.Date(data_key="to")


class WorkloadRowSchema(ma.Schema):
    user_id = ma.fields.UUID()
    username = ma.fields.String()
    full_name = ma.fields.String(allow_none=True)
    role = ma.fields.String()
    active = ma.fields.Boolean()
    active_plans = ma.fields.Integer()
    active_cases = ma.fields.Integer()
    visits_due = ma.fields.Integer()
    visits_done = ma.fields.Integer()
    visits_missed = ma.fields.Integer()
    visits_overdue = ma.fields.Integer()


class WorkloadSchema(ma.Schema):
    from_day = ma.fields.Date(data_key="from")
    to_day = ma.fields.Date(data_key="to")
    items = ma.fields.List(ma.fields.Nested(WorkloadRowSchema))


class VisitorQuery(ma.Schema):
    kind = choice(PLAN_KINDS, metadata={"description": "Only those who carry this kind of plan"})


class VisitorSchema(ma.Schema):
    """A mentor or community psychologist who may be given a plan: staff data only."""

    id = ma.fields.UUID()
    username = ma.fields.String()
    full_name = ma.fields.String(allow_none=True)
    role = ma.fields.String()
    kind = ma.fields.String(metadata={"description": "The plan kind her role carries"})
    training_sessions = ma.fields.Integer(metadata={"description": "Training sessions she has attended"})
    training_required = ma.fields.Integer(metadata={
        "description": "Sessions her role needs before a plan (CASEFLOW_MENTOR_TRAINING_SESSIONS for a mentor)"})
    assignable = ma.fields.Boolean(metadata={"description": "False: a plan given to her is answered 422"})


class VisitorListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(VisitorSchema))


class FeedTokenSchema(ma.Schema):
    token = ma.fields.String()
    url = ma.fields.String()
