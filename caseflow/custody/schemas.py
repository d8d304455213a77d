from datetime import date

import marshmallow as ma
from flask_babel import lazy_gettext

from caseflow.core.fields import aware_datetime, choice, text
from caseflow.custody.models import CUSTODY_STATUSES, RESTRICTED_RELATIONSHIPS, SUPPLY_KINDS
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


class CustodyRecordSchema(ma.Schema):
    id = ma.fields.UUID()
    survivor_id = ma.fields.UUID()
    status = ma.fields.String()
    facility_id = ma.fields.UUID()
    since = ma.fields.Date()
    expected_release_on = ma.fields.Date(allow_none=True)
    recorded_by_id = ma.fields.UUID(allow_none=True)
    created_at = ma.fields.AwareDateTime()


class CustodySchema(ma.Schema):
    """Her custody now (null: never recorded) and every change, oldest first."""

    current = ma.fields.Nested(CustodyRecordSchema, allow_none=True)
    history = ma.fields.List(ma.fields.Nested(CustodyRecordSchema))
    follow_up_plan_id = ma.fields.UUID(allow_none=True, dump_default=None)


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
