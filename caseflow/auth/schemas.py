import marshmallow as ma

from caseflow.core.fields import text
from caseflow.directory.schemas import OrganizationRefSchema


class CredentialsSchema(ma.Schema):
    username = text(80, required=True)
    password = text(200, required=True, load_only=True)


class MeSchema(ma.Schema):
    id = ma.fields.UUID()
    username = ma.fields.String()
    full_name = ma.fields.String(allow_none=True)
    role = ma.fields.String()
    discipline = ma.fields.String(allow_none=True)
    organization = ma.fields.Nested(OrganizationRefSchema)
    #: Send it back as ``X-CSRF-Token`` on state-changing requests made with the cookie.
    csrf_token = ma.fields.String(allow_none=True)


class TokenSchema(ma.Schema):
    token = ma.fields.String()
    expires_at = ma.fields.AwareDateTime()
