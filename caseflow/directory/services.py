"""Directory operations: they flush and audit; the request or command commits."""

from __future__ import annotations

from flask_babel import lazy_gettext
from sqlalchemy import func, select

from caseflow.audit.services import record, record_model_write
from caseflow.auth.passwords import hash_password
from caseflow.core.clock import utcnow
from caseflow.core.errors import Conflict, Forbidden, field_error
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


#: Roles that read case content: given through the API, they wait for a supervisor of the
#: centre to confirm them (four eyes: an administrator alone cannot make a case reader).
CONTENT_ROLES = frozenset({"caseworker", "supervisor"})
SELF_CHANGE = lazy_gettext("You cannot change your own role, organization or active flag.")


def create_user(*, username, role, organization_id, password=None, discipline=None, full_name=None,
                email=None) -> User:
    """Add an account. The server operator's paths (the CLI, the demo) give a password and
    need no confirmation: it is how a centre's first supervisor is made. The API takes no
    password (its schema has none): she gets an activation token instead
    (:func:`caseflow.auth.accounts.issue_activation`), and a content role waits for a
    supervisor's confirmation."""
    by_operator = password is not None
    organization = db.session.get(Organization, organization_id)
    if organization is None:
        raise field_error("organization_id", lazy_gettext("Unknown organization."))
    username = username.strip().lower()
    if db.session.scalar(select(User.id).where(func.lower(User.username) == username)):
        raise Conflict(lazy_gettext("This username is taken."))
    _check_role_fits(role, discipline, organization)
    user = User(
        username=username, password_hash=hash_password(password) if password else None, role=role,
        discipline=discipline, organization_id=organization.id, full_name=full_name, email=email,
        role_confirmed=by_operator or role not in CONTENT_ROLES,
    )
    if password:
        user.password_changed_at = utcnow()
    user.ensure_id()
    db.session.add(user)
    db.session.flush()
    record_model_write("create", user, fields=["username", "role", "discipline", "organization_id"],
                       detail={"role_confirmed": user.role_confirmed, "by_operator": by_operator})
    return user


def update_user(user: User, changes: dict, by=None) -> User:
    """An administrator's change. Her own role, organization and active flag are not hers
    to change (an administrator who could make herself a supervisor could read every case);
    a content role given here waits for confirmation again."""
    changes = dict(changes)
    if by is not None and by.id == user.id and {"role", "active", "organization_id"} & set(changes):
        raise Forbidden(SELF_CHANGE)
    fields = sorted(changes)
    role = changes.get("role", user.role)
    discipline = changes.get("discipline", user.discipline)
    _check_role_fits(role, discipline, user.organization)
    role_changed = "role" in changes and changes["role"] != user.role
    for name, value in changes.items():
        setattr(user, name, value)
    detail = None
    if role_changed:
        user.role_confirmed = role not in CONTENT_ROLES
        detail = {"role_confirmed": user.role_confirmed}
    if changes.get("active") is False or (role_changed and not user.role_confirmed):
        from caseflow.auth.services import revoke_all_tokens

        revoke_all_tokens(user)
    db.session.flush()
    record_model_write("update", user, fields=fields, detail=detail)
    return user


NOT_CONFIRMABLE = lazy_gettext("This account has no role waiting for confirmation.")


def confirm_role(user: User, by) -> User:
    """A supervisor of her centre (not she herself) confirms a content role."""
    if by.id == user.id:
        raise Forbidden(lazy_gettext("Another supervisor of the centre must confirm your role."))
    if by.role != "supervisor" or by.organization_id != user.organization_id \
            or not getattr(by, "role_confirmed", True):
        raise Forbidden()
    if user.role_confirmed or user.role not in CONTENT_ROLES:
        raise Conflict(NOT_CONFIRMABLE)
    user.role_confirmed = True
    db.session.flush()
    record("role_confirmed", "users", user.id, detail={"role": user.role})
    return user
