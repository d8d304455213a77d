import marshmallow as ma

from caseflow.core.fields import text
from caseflow.core.pagination import PageArgs


class AuditEntrySchema(ma.Schema):
    id = ma.fields.Integer()
    at = ma.fields.AwareDateTime()
    actor_id = ma.fields.UUID(allow_none=True)
    actor_kind = ma.fields.String()
    actor_role = ma.fields.String(allow_none=True)
    organization_id = ma.fields.UUID(allow_none=True)
    action = ma.fields.String()
    entity_type = ma.fields.String()
    entity_id = ma.fields.String(allow_none=True)
    case_id = ma.fields.UUID(allow_none=True)
    survivor_id = ma.fields.UUID(allow_none=True)
    fields = ma.fields.List(ma.fields.String(), allow_none=True)
    detail = ma.fields.Dict(allow_none=True)
    hash = ma.fields.String()


class AuditQuery(PageArgs):
    action = text(40)
    actor_id = ma.fields.UUID()
    entity_type = text(60)
    case_id = ma.fields.UUID()
    survivor_id = ma.fields.UUID()
    since = ma.fields.AwareDateTime(format="iso")
    until = ma.fields.AwareDateTime(format="iso")
