import marshmallow as ma

from caseflow.consents.models import GIVEN_BY, METHODS
from caseflow.core.fields import aware_datetime, choice, text
from caseflow.directory.models import SECTORS
from caseflow.directory.schemas import OrganizationRefSchema


class ConsentCreateSchema(ma.Schema):
    recipient_sector = choice(SECTORS, metadata={
        "description": "Required unless a recipient organization is named (its sector is then used)"})
    recipient_organization_id = ma.fields.UUID(allow_none=True)
    given_by = choice(GIVEN_BY, required=True)
    child_assent = ma.fields.Boolean(allow_none=True, metadata={
        "description": "Under 15: the child's assent beside the guardian's consent"})
    best_interest_exception = ma.fields.Boolean(load_default=False, metadata={
        "description": "Under 15 with the guardian as aggressor: the child's assent under the best-interest exception"})
    method = choice(METHODS, required=True)
    given_at = aware_datetime(required=True)
    note = text(2000, allow_none=True)


class WithdrawSchema(ma.Schema):
    note = text(2000, allow_none=True)


class ConsentSchema(ma.Schema):
    id = ma.fields.UUID()
    case_id = ma.fields.UUID()
    recipient_sector = ma.fields.String()
    recipient_organization = ma.fields.Nested(OrganizationRefSchema, allow_none=True)
    given_by = ma.fields.String()
    child_assent = ma.fields.Boolean(allow_none=True)
    best_interest_exception = ma.fields.Boolean()
    method = ma.fields.String()
    given_at = ma.fields.AwareDateTime()
    in_effect = ma.fields.Boolean()
    withdrawn_at = ma.fields.AwareDateTime(allow_none=True)
    recorded_by_id = ma.fields.UUID(allow_none=True)
    withdrawn_by_id = ma.fields.UUID(allow_none=True)
    created_at = ma.fields.AwareDateTime()


class ConsentDetailSchema(ConsentSchema):
    note = ma.fields.String(allow_none=True)
    withdrawal_note = ma.fields.String(allow_none=True)


class CoverageQuery(ma.Schema):
    organization_id = ma.fields.UUID(required=True)


class ConsentDecisionSchema(ma.Schema):
    allowed = ma.fields.Boolean()
    reason = ma.fields.String(metadata={"description": "consent_in_effect, no_consent, consent_withdrawn"})
    consent = ma.fields.Nested(ConsentSchema, allow_none=True)
