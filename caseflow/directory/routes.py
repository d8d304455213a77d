from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from caseflow.access.policy import require, scope_users, user_or_404
from caseflow.audit.services import record
from caseflow.auth import accounts
from caseflow.auth.services import require_recent_authentication
from caseflow.core.errors import Forbidden, NotFound
from caseflow.core.pagination import page_schema, paginate
from caseflow.directory import services
from caseflow.directory.models import Organization, User
from caseflow.directory.schemas import (
    ActivationTokenSchema,
    NewUserSchema,
    OrganizationPatchSchema,
    OrganizationQuery,
    OrganizationSchema,
    UserPatchSchema,
    UserQuery,
    UserSchema,
)
from caseflow.extensions import db

blp = Blueprint("directory", __name__, url_prefix="/api/v1", description="Organizations and staff accounts")

OrganizationPage = page_schema(OrganizationSchema, "OrganizationPage")
UserPage = page_schema(UserSchema, "UserPage")


@blp.get("/organizations")
@blp.arguments(OrganizationQuery, location="query")
@blp.response(200, OrganizationPage)
def list_organizations(args):
    """The service directory: where a case can be referred (by sector, service, district)."""
    require("directory.read")
    statement = select(Organization).order_by(Organization.code)
    if "sector" in args:
        statement = statement.where(Organization.sector == args["sector"])
    if "district" in args:
        statement = statement.where(Organization.district == args["district"])
    if "service_type" in args:
        # JSON containment differs per backend; the directory is small, so filter here.
        ids = [o.id for o in db.session.scalars(statement) if args["service_type"] in (o.service_types or [])]
        statement = statement.where(Organization.id.in_(ids))
    return paginate(statement, args)


@blp.post("/organizations")
@blp.arguments(OrganizationSchema)
@blp.response(201, OrganizationSchema)
def create_organization(data):
    require("directory.write")
    return services.create_organization(**data)


@blp.get("/organizations/<uuid:organization_id>")
@blp.response(200, OrganizationSchema)
def get_organization(organization_id):
    require("directory.read")
    return _organization_or_404(organization_id)


@blp.patch("/organizations/<uuid:organization_id>")
@blp.arguments(OrganizationPatchSchema)
@blp.response(200, OrganizationSchema)
def patch_organization(changes, organization_id):
    require("directory.write")
    return services.update_organization(_organization_or_404(organization_id), changes)


def _organization_or_404(organization_id) -> Organization:
    """Organizations are public within the service directory: any reader finds any of them."""
    organization = db.session.get(Organization, organization_id)
    if organization is None:
        raise NotFound()
    return organization


@blp.get("/users")
@blp.arguments(UserQuery, location="query")
@blp.response(200, UserPage)
def list_users(args):
    """Administrators list every account, supervisors those of their centre; nobody else
    (a list of usernames is half of a guessing attack)."""
    require("account.list")
    statement = scope_users().order_by(User.username)
    for name in ("role", "organization_id", "active"):
        if name in args:
            statement = statement.where(getattr(User, name) == args[name])
    return paginate(statement, args)


@blp.post("/users")
@blp.arguments(UserSchema)
@blp.response(201, NewUserSchema)
def create_user(data):
    """No password: the answer carries her activation token (72 h, single use, shown once)."""
    require("directory.write")
    user = services.create_user(**data)
    # Shown in this answer only (an attribute of this object, not of the table).
    user.activation_token = accounts.issue_activation(user)
    record("activation_issued", "users", user.id)
    return user


@blp.get("/users/<uuid:user_id>")
@blp.response(200, UserSchema)
def get_user(user_id):
    return user_or_404(user_id)


@blp.patch("/users/<uuid:user_id>")
@blp.arguments(UserPatchSchema)
@blp.response(200, UserSchema)
def patch_user(changes, user_id):
    require("directory.write")
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    return services.update_user(user, changes, by=current_user)


@blp.post("/users/<uuid:user_id>/reset")
@blp.response(200, ActivationTokenSchema)
def reset_user(user_id):
    """A new activation token; her password stops working and every session of hers ends.
    Asks the administrator to have signed in again within five minutes."""
    require("directory.write")
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    if user.id == current_user.id:
        raise Forbidden(services.SELF_CHANGE)
    require_recent_authentication()
    token = accounts.reset(user)
    return {"activation_token": token, "activation_expires_at": user.activation_expires_at}


@blp.post("/users/<uuid:user_id>/confirm")
@blp.response(200, UserSchema)
def confirm_user(user_id):
    """Four eyes: a supervisor of her centre confirms the content role she was given."""
    require("account.confirm")
    return services.confirm_role(user_or_404(user_id, "account.confirm"), by=current_user)
