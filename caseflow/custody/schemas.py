from datetime import date

import marshmallow as ma
from flask_babel import lazy_gettext

from caseflow.consents.models import METHODS
from caseflow.core.fields import aware_datetime, choice, text
from caseflow.custody.models import (
    CUSTODY_STATUSES,
    LEGAL_RECOURSE,
    RESTRICTED_RELATIONSHIPS,
    SCREENING_AREAS,
    SUPPLY_KINDS,
)
from caseflow.visits.models import PLAN_KINDS

#: Custody dates a person could mean (a year 1 or 9999 is a typing slip, answered 422).
PLAUSIBLE_DATE = ma.validate.Range(
    min=date(1950, 1, 1), max=date(2100, 12, 31),
    error=lazy_gettext("Give a date between 1950 and 2100."))


class FollowUpSchema(ma.Schema):
    """The visits after release (Bangkok Rules 45–47): who visits her, how often."""

    assignee_id = ma.fields.UUID(required=True)
    kind = choice(PLAN_KINDS, required=True)
    cadence_days = ma.fields.Integer(validate=ma.validate.Range(min=1, max=90), load_default=None)
    count = ma.fields.Integer(validate=ma.validate.Range(min=1, max=60), load_default=None)


class CustodyCreateSchema(ma.Schema):
    status = choice(CUSTODY_STATUSES, required=True)
    facility_id = ma.fields.UUID(required=True)
    since = ma.fields.Date(required=True, validate=PLAUSIBLE_DATE)
    expected_release_on = ma.fields.Date(allow_none=True, load_default=None, validate=PLAUSIBLE_DATE)
    #: With ``released``: the follow-up plan that starts on the release date.
    follow_up = ma.fields.Nested(FollowUpSchema, allow_none=True, load_default=None)
    #: Maternity (Bangkok Rules, rule 48; INPE): pregnancy and the ages of the children
    #: living with her, in years (ages only, never names).
    pregnant = ma.fields.Boolean(allow_none=True, load_default=None)
    children_ages = ma.fields.List(ma.fields.Integer(validate=ma.validate.Range(min=0, max=5)),
                                   validate=ma.validate.Length(max=6), load_default=list)


class CustodyRecordSchema(ma.Schema):
    id = ma.fields.UUID()
    survivor_id = ma.fields.UUID()
    status = ma.fields.String()
    facility_id = ma.fields.UUID()
    since = ma.fields.Date()
    expected_release_on = ma.fields.Date(allow_none=True)
    recorded_by_id = ma.fields.UUID(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    pregnant = ma.fields.Method("_pregnant", metadata={"type": "boolean", "nullable": True})
    children_ages = ma.fields.Method("_children_ages", metadata={"type": "array", "items": {"type": "integer"}})

    def _pregnant(self, record):
        return (record.maternity or {}).get("pregnant")

    def _children_ages(self, record):
        return (record.maternity or {}).get("children_ages", [])


class CustodySchema(ma.Schema):
    """Her custody now (null: never recorded) and every change, oldest first."""

    current = ma.fields.Nested(CustodyRecordSchema, allow_none=True)
    history = ma.fields.List(ma.fields.Nested(CustodyRecordSchema))
    follow_up_plan_id = ma.fields.UUID(allow_none=True, dump_default=None)
    #: A disclosure of abuse in custody asked that she be protected from retaliation (rule 7).
    protect_from_retaliation = ma.fields.Boolean()
    #: Pregnant, or a child under three lives with her: maternity care is due (rule 48).
    maternity_care_needed = ma.fields.Boolean()
    #: Plan items this change added (maternity care), when her plan could take them.
    plan_item_ids = ma.fields.List(ma.fields.UUID(), dump_default=list)


class SupplyCreateSchema(ma.Schema):
    kind = choice(SUPPLY_KINDS, required=True)
    delivered_at = aware_datetime(required=True)


class SupplySchema(ma.Schema):
    id = ma.fields.UUID()
    case_id = ma.fields.UUID()
    kind = ma.fields.String()
    delivered_at = ma.fields.AwareDateTime()
    delivered_by_id = ma.fields.UUID(allow_none=True)
    facility_id = ma.fields.UUID(allow_none=True)
    created_at = ma.fields.AwareDateTime()


class RestrictionCreateSchema(ma.Schema):
    person_name = text(200, required=True, required_nonblank=True)
    relationship = choice(RESTRICTED_RELATIONSHIPS, required=True)
    reason = text(2000, allow_none=True, load_default=None)


class RestrictionSchema(ma.Schema):
    id = ma.fields.UUID()
    case_id = ma.fields.UUID()
    relationship = ma.fields.String()
    active = ma.fields.Boolean()
    person_name = ma.fields.String()
    reason = ma.fields.String(allow_none=True)
    created_at = ma.fields.AwareDateTime()


class ScreeningCreateSchema(ma.Schema):
    """Admission screening (rule 6): true for each area where she needs care."""

    screened_at = aware_datetime(required=True)
    findings = ma.fields.Dict(keys=choice(tuple(SCREENING_AREAS)), values=ma.fields.Boolean(), required=True)
    notes = text(5000, allow_none=True, load_default=None)


class ScreeningNeedSchema(ma.Schema):
    area = ma.fields.String()
    need = ma.fields.String()
    service_type = ma.fields.String()
    plan_item_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "null while her plan cannot take items yet (no risk assessment)"})


class ScreeningSchema(ma.Schema):
    id = ma.fields.UUID()
    case_id = ma.fields.UUID()
    screened_at = ma.fields.AwareDateTime()
    findings = ma.fields.Method("_findings", metadata={"type": "object",
                                                       "additionalProperties": {"type": "boolean"}})
    needs = ma.fields.Method("_needs", metadata={"type": "array", "items": {"type": "object"}})
    notes = ma.fields.String(allow_none=True)
    created_at = ma.fields.AwareDateTime()

    def _findings(self, screening):
        return (screening.findings or {}).get("areas", {})

    def _needs(self, screening):
        stored = screening.findings or {}
        items = stored.get("plan_items", {})
        return [{"area": area, "need": SCREENING_AREAS[area][0], "service_type": SCREENING_AREAS[area][1],
                 "plan_item_id": items.get(area)} for area, found in stored.get("areas", {}).items() if found]


class DisclosureCreateSchema(ma.Schema):
    disclosed_at = aware_datetime(required=True)
    legal_recourse = choice(LEGAL_RECOURSE, required=True)
    #: With ``wants_to_report``: the competent authority (police or justice) and how she consented.
    authority_id = ma.fields.UUID(allow_none=True, load_default=None)
    consent_method = choice(METHODS, allow_none=True, load_default=None)
    protect_from_retaliation = ma.fields.Boolean(load_default=True)
    narrative = text(20000, allow_none=True, load_default=None)


class DisclosureSchema(ma.Schema):
    id = ma.fields.UUID()
    case_id = ma.fields.UUID()
    disclosed_at = ma.fields.AwareDateTime()
    legal_recourse = ma.fields.String()
    protect_from_retaliation = ma.fields.Boolean()
    referral_id = ma.fields.UUID(allow_none=True)
    support_plan_item_id = ma.fields.UUID(allow_none=True, dump_default=None)
    narrative = ma.fields.String(allow_none=True)
    created_at = ma.fields.AwareDateTime()
