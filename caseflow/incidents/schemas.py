import marshmallow as ma

from caseflow.core.fields import aware_datetime, choice, text
from caseflow.core.pagination import PageArgs
from caseflow.core.ubigeo import District, place
from caseflow.crypto.fields import is_unreadable
from caseflow.incidents.classification import AGE_GROUPS
from caseflow.incidents.models import LOCATION_TYPES, PERPETRATOR_RELATIONSHIPS, VIOLENCE_TYPES


class ActsSchema(ma.Schema):
    """The six GBVIMS questions; an unanswered question counts as "no"."""

    penetration = ma.fields.Boolean(load_default=False)
    sexual_contact = ma.fields.Boolean(load_default=False, metadata={
        "description": "Unwanted sexual contact, including attempted rape and female genital mutilation"})
    physical_assault = ma.fields.Boolean(load_default=False)
    forced_marriage = ma.fields.Boolean(load_default=False)
    denial_of_resources = ma.fields.Boolean(load_default=False, metadata={
        "description": "Denial of resources, opportunities or services (not general poverty)"})
    psychological_abuse = ma.fields.Boolean(load_default=False)


class IncidentCreateSchema(ma.Schema):
    occurred_at = aware_datetime(required=True)
    occurred_time_known = ma.fields.Boolean(load_default=True, metadata={
        "description": "false when only the day is known; the time of day is then ignored"})
    reported_at = aware_datetime(metadata={"description": "Defaults to now"})
    acts = ma.fields.Nested(ActsSchema, required=True)
    goods_or_money_exchanged = ma.fields.Boolean(load_default=False)
    survivor_age = ma.fields.Integer(
        validate=ma.validate.Range(min=0, max=120),
        metadata={"description": "Her age at the incident when her birth date is not recorded"})
    violence_types = ma.fields.List(choice(VIOLENCE_TYPES), load_default=list,
                                    validate=ma.validate.Length(max=len(VIOLENCE_TYPES)))
    perpetrator_relationship = choice(PERPETRATOR_RELATIONSHIPS, allow_none=True)
    perpetrator_age_group = choice(AGE_GROUPS, allow_none=True)
    perpetrator_count = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(min=1, max=50))
    location_type = choice(LOCATION_TYPES, allow_none=True)
    place_ubigeo = ma.fields.String(allow_none=True, validate=District(), metadata={
        "description": "The district where it happened: its 6-digit UBIGEO in INEI's catalogue"})
    consent_for_statistics = ma.fields.Boolean(load_default=False, metadata={
        "description": "She agrees that this incident be counted in statistics (de-identified)"})
    narrative = text(20000, allow_none=True)


class IncidentPatchSchema(ma.Schema):
    """What may be corrected or given later: the place, and her consent to statistical use
    (given or withdrawn)."""

    place_ubigeo = ma.fields.String(allow_none=True, validate=District(), metadata={
        "description": "The district where it happened: its 6-digit UBIGEO in INEI's catalogue"})
    consent_for_statistics = ma.fields.Boolean()


class FlagsSchema(ma.Schema):
    early_marriage = ma.fields.Boolean()
    possible_sexual_exploitation = ma.fields.Boolean()
    child_sexual_abuse = ma.fields.Boolean()


class IncidentSchema(ma.Schema):
    """An incident without its narrative (lists)."""

    id = ma.fields.UUID()
    case_id = ma.fields.UUID()
    occurred_at = ma.fields.AwareDateTime()
    occurred_time_known = ma.fields.Boolean()
    reported_at = ma.fields.AwareDateTime()
    acts = ma.fields.Nested(ActsSchema)
    goods_or_money_exchanged = ma.fields.Boolean()
    gbv_type = ma.fields.String(metadata={"description": "Derived; for statistics only"})
    flags = ma.fields.Method("_flags", metadata={"type": "object"})
    reporting_delay = ma.fields.String()
    survivor_age_group = ma.fields.String()
    violence_types = ma.fields.List(ma.fields.String())
    perpetrator_relationship = ma.fields.String(allow_none=True)
    perpetrator_age_group = ma.fields.String(allow_none=True)
    perpetrator_count = ma.fields.Integer(allow_none=True)
    location_type = ma.fields.String(allow_none=True)
    place_ubigeo = ma.fields.String(allow_none=True)
    place = ma.fields.Method("_place", metadata={
        "type": "object", "nullable": True,
        "description": "department, province and district (codes and names) of place_ubigeo"})
    consent_for_statistics = ma.fields.Boolean()
    recorded_by_id = ma.fields.UUID(allow_none=True)
    created_at = ma.fields.AwareDateTime()

    def _flags(self, incident):
        return FlagsSchema().dump(incident)

    def _place(self, incident):
        found = place(incident.place_ubigeo)
        if found is None:
            return None
        return {"department_code": found.department_code, "department": found.department,
                "province_code": found.province_code, "province": found.province,
                "district_code": found.ubigeo, "district": found.district}


class IncidentDetailSchema(IncidentSchema):
    narrative = ma.fields.String(allow_none=True)
    #: Last: it is known once the narrative has been decrypted.
    unreadable = ma.fields.Function(is_unreadable, metadata={
        "description": "True when the narrative could not be decrypted (damaged data, or a record "
                       "moved to another survivor or case): it is null; the operator is alerted"})


class IncidentQuery(PageArgs):
    pass
