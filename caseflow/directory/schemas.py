import marshmallow as ma
from flask_babel import lazy_gettext

from caseflow.core.fields import choice, text
from caseflow.core.pagination import PageArgs
from caseflow.directory.models import DISCIPLINES, ROLES, SECTORS

SERVICE_TYPES = (
    "hiv_pep", "emergency_contraception", "medical_care", "medico_legal_exam", "mental_health",
    "complaint", "protective_measures", "legal_proceedings", "shelter", "social_support",
    "economic_support", "legal_aid", "sexual_reproductive_health", "maternity_care", "reintegration_support",
    "other",
)

UBIGEO = ma.validate.Regexp(r"^\d{6}$", error=lazy_gettext("Must be a 6-digit UBIGEO code."))
ORG_CODE = ma.validate.Regexp(
    r"^[A-Z0-9][A-Z0-9-]{1,31}$",
    error=lazy_gettext("Use 2 to 32 capital letters, digits or hyphens."),
)
USERNAME = ma.validate.Regexp(
    r"^[a-z0-9][a-z0-9._-]{2,79}$",
    error=lazy_gettext("Use 3 to 80 lower-case letters, digits, dots, hyphens or underscores."),
)


class OrganizationSchema(ma.Schema):
    id = ma.fields.UUID(dump_only=True)
    code = text(32, required=True, validate=ORG_CODE)
    name = text(200, required=True, required_nonblank=True)
    sector = choice(SECTORS, required=True)
    district = ma.fields.String(allow_none=True, validate=UBIGEO)
    service_types = ma.fields.List(choice(SERVICE_TYPES), load_default=list)
    active = ma.fields.Boolean(dump_only=True)

    @ma.pre_load
    def _normalise_code(self, data, **kwargs):
        # Codes appear in case codes and CLI flags: accept "cem-norte", store "CEM-NORTE".
        if isinstance(data, dict) and isinstance(data.get("code"), str):
            data = {**data, "code": data["code"].strip().upper()}
        return data


class OrganizationPatchSchema(ma.Schema):
    name = text(200, required_nonblank=True)
    district = ma.fields.String(allow_none=True, validate=UBIGEO)
    service_types = ma.fields.List(choice(SERVICE_TYPES))
    active = ma.fields.Boolean()


class OrganizationQuery(PageArgs):
    sector = choice(SECTORS)
    service_type = choice(SERVICE_TYPES)
    district = ma.fields.String(validate=UBIGEO)


class OrganizationRefSchema(ma.Schema):
    id = ma.fields.UUID()
    code = ma.fields.String()
    name = ma.fields.String()
    sector = ma.fields.String()


def _password_policy(password: str) -> None:
    from caseflow.auth.passwords import password_problem

    problem = password_problem(password)
    if problem:
        raise ma.ValidationError(problem)


class UserSchema(ma.Schema):
    id = ma.fields.UUID(dump_only=True)
    username = ma.fields.String(required=True, validate=USERNAME)
    full_name = text(200, allow_none=True)
    email = ma.fields.Email(allow_none=True, validate=ma.validate.Length(max=254))
    role = choice(ROLES, required=True)
    discipline = choice(DISCIPLINES, allow_none=True)
    organization_id = ma.fields.UUID(required=True)
    organization = ma.fields.Nested(OrganizationRefSchema, dump_only=True)
    active = ma.fields.Boolean(dump_only=True)
    #: False until a supervisor of her centre confirms a content role given through the API.
    role_confirmed = ma.fields.Boolean(dump_only=True)
    mfa_enabled = ma.fields.Boolean(dump_only=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)
    last_login_at = ma.fields.AwareDateTime(dump_only=True, allow_none=True)


class NewUserSchema(UserSchema):
    """An account made through the API: she chooses her password with the activation token,
    shown once in this answer (nobody else ever knows her password)."""

    activation_token = ma.fields.String(dump_only=True)
    activation_expires_at = ma.fields.AwareDateTime(dump_only=True)


class ActivationTokenSchema(ma.Schema):
    activation_token = ma.fields.String()
    activation_expires_at = ma.fields.AwareDateTime()


class OperatorUserSchema(UserSchema):
    """The server operator's ``caseflow users create --password-stdin``."""

    password = ma.fields.String(load_only=True, required=True, validate=_password_policy)


class UserPatchSchema(ma.Schema):
    full_name = text(200, allow_none=True)
    email = ma.fields.Email(allow_none=True, validate=ma.validate.Length(max=254))
    role = choice(ROLES)
    discipline = choice(DISCIPLINES, allow_none=True)
    active = ma.fields.Boolean()


class UserQuery(PageArgs):
    role = choice(ROLES)
    organization_id = ma.fields.UUID()
    active = ma.fields.Boolean()
