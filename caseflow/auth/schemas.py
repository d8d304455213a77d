import marshmallow as ma
from flask_babel import lazy_gettext

from caseflow.auth.passwords import MAX_PASSWORD_LENGTH, password_problem
from caseflow.core.fields import text
from caseflow.directory.schemas import OrganizationRefSchema

#: A TOTP code (6 digits) or a recovery code (xxxxx-xxxxx).
OTP = ma.validate.Regexp(r"^[0-9A-Za-z -]{6,20}$", error=lazy_gettext("Send a 6-digit code or a recovery code."))


def _policy(password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise ma.ValidationError(problem)


def new_password(**kwargs):
    """A password she chooses: the one policy (caseflow.auth.passwords) decides."""
    return ma.fields.String(load_only=True, validate=[
        ma.validate.Length(max=MAX_PASSWORD_LENGTH), _policy], **kwargs)


class CredentialsSchema(ma.Schema):
    username = text(80, required=True)
    password = text(200, required=True, load_only=True)
    otp = ma.fields.String(load_only=True, allow_none=True, validate=OTP)


class IdentitySchema(ma.Schema):
    """Her password and second factor again, for an operation that asks for them."""

    password = text(200, required=True, load_only=True)
    otp = ma.fields.String(load_only=True, allow_none=True, validate=OTP)


class MeSchema(ma.Schema):
    id = ma.fields.UUID()
    username = ma.fields.String()
    full_name = ma.fields.String(allow_none=True)
    role = ma.fields.String()
    discipline = ma.fields.String(allow_none=True)
    organization = ma.fields.Nested(OrganizationRefSchema)
    #: Send it back as ``X-CSRF-Token`` on state-changing requests made with the cookie.
    csrf_token = ma.fields.String(allow_none=True)
    mfa_enabled = ma.fields.Boolean()
    #: Her role requires a second factor and she has none yet: only enrolment is open.
    mfa_enrollment_required = ma.fields.Boolean()
    #: Her content role waits for a supervisor of her centre to confirm it.
    role_confirmed = ma.fields.Boolean()


class TokenSchema(ma.Schema):
    token = ma.fields.String()
    expires_at = ma.fields.AwareDateTime()


class EnrolmentSchema(ma.Schema):
    #: Shown once, for an app that cannot read the QR code; never returned afterwards.
    secret = ma.fields.String()
    otpauth_uri = ma.fields.String()
    qr_svg = ma.fields.String()


class CodeSchema(ma.Schema):
    code = ma.fields.String(required=True, validate=ma.validate.Regexp(
        r"^\d{6}$", error=lazy_gettext("Send the 6-digit code your app shows.")))


class RecoveryCodesSchema(ma.Schema):
    recovery_codes = ma.fields.List(ma.fields.String())


class ActivationSchema(ma.Schema):
    token = text(100, required=True, load_only=True)
    password = new_password(required=True)


class PasswordChangeSchema(ma.Schema):
    current_password = text(200, required=True, load_only=True)
    otp = ma.fields.String(load_only=True, allow_none=True, validate=OTP)
    new_password = new_password(required=True)


class SignedInSessionSchema(ma.Schema):
    id = ma.fields.UUID()
    kind = ma.fields.String()
    created_at = ma.fields.AwareDateTime()
    expires_at = ma.fields.AwareDateTime(allow_none=True)
    last_used_at = ma.fields.AwareDateTime(allow_none=True)
    current = ma.fields.Boolean()


class SignedInSessionListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(SignedInSessionSchema))
