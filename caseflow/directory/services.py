"""Directory operations: they flush and audit; the request or command commits."""

from __future__ import annotations

from flask_babel import lazy_gettext
from sqlalchemy import func, select

from caseflow.audit.services import record_model_write
from caseflow.auth.passwords import hash_password
from caseflow.core.errors import Conflict, field_error
from caseflow.directory.models import Organization, User
from caseflow.extensions import db

#: Roles that work inside a women's emergency centre (CEM).
CENTRE_ROLES = {"caseworker"}
#: Liaisons act for the receiving organization of a referral, never a CEM.
RECEIVING_ROLES = {"liaison"}


def create_organization(*, code, name, sector, district=None, service_types=()) -> Organization:
    code = code.strip().upper()
    if db.session.scalar(select(Organization.id).where(Organization.code == code)):
        raise Conflict(lazy_gettext("An organization with this code already exists."))
    organization = Organization(
        code=code, name=name.strip(), sector=sector, district=district,
        service_types=sorted(set(service_types)),
    )
    organization.ensure_id()
    db.session.add(organization)
    db.session.flush()
    record_model_write("create", organization, fields=["code", "name", "sector", "district", "service_types"])
    return organization


def update_organization(organization: Organization, changes: dict) -> Organization:
    for name, value in changes.items():
        if name == "service_types":
            value = sorted(set(value))
        setattr(organization, name, value)
    db.session.flush()
    record_model_write("update", organization, fields=list(changes))
    return organization


def organization_by_code(code: str) -> Organization | None:
    return db.session.scalars(select(Organization).where(Organization.code == code.strip().upper())).first()


def _check_role_fits(role: str, discipline: str | None, organization: Organization) -> None:
    if role == "caseworker" and not discipline:
        raise field_error("discipline", lazy_gettext("Caseworkers need a discipline."))
    if discipline and role not in ("caseworker", "supervisor"):
        raise field_error("discipline", lazy_gettext("Only caseworkers and supervisors have a discipline."))
    if role in CENTRE_ROLES and organization.sector != "cem":
        raise field_error("organization_id", lazy_gettext("Caseworkers belong to a women's emergency centre."))
    if role in RECEIVING_ROLES and organization.sector == "cem":
        raise field_error("organization_id", lazy_gettext("Liaisons belong to a receiving organization, not a centre."))


def create_user(*, username, password, role, organization_id, discipline=None, full_name=None, email=None) -> User:
    organization = db.session.get(Organization, organization_id)
    if organization is None:
        raise field_error("organization_id", lazy_gettext("Unknown organization."))
    username = username.strip().lower()
    if db.session.scalar(select(User.id).where(func.lower(User.username) == username)):
        raise Conflict(lazy_gettext("This username is taken."))
    _check_role_fits(role, discipline, organization)
    user = User(
        username=username, password_hash=hash_password(password), role=role,
        discipline=discipline, organization_id=organization.id, full_name=full_name, email=email,
    )
    user.ensure_id()
    db.session.add(user)
    db.session.flush()
    record_model_write("create", user, fields=["username", "role", "discipline", "organization_id"])
    return user


def update_user(user: User, changes: dict) -> User:
    changes = dict(changes)
    fields = sorted(changes)
    password = changes.pop("password", None)
    if changes.pop("unlock", False):
        user.locked_until, user.failed_logins = None, 0
    role = changes.get("role", user.role)
    discipline = changes.get("discipline", user.discipline)
    _check_role_fits(role, discipline, user.organization)
    for name, value in changes.items():
        setattr(user, name, value)
    if password:
        user.password_hash = hash_password(password)
    if changes.get("active") is False or password:
        from caseflow.auth.services import revoke_all_tokens

        revoke_all_tokens(user)
    db.session.flush()
    record_model_write("update", user, fields=fields)
    return user
