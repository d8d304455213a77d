"""Administration pages: organizations with their service types, accounts (activation shown
once, confirmation of a content role, reset after re-authentication, deactivation), and the
mentors' training sessions a supervisor records.

Every write is the API's own route through :mod:`caseflow.console.bridge`: an administrator
reaches the directory and nothing of any case, a supervisor confirms and trains only the
people of her own centre (``scope_users``), as by the API.
"""

from __future__ import annotations

import uuid

from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from caseflow.access.policy import may, require
from caseflow.console import bridge
from caseflow.console.forms import describe, form_data
from caseflow.console.views import _error_parts, bp
from caseflow.core.errors import ApiError

#: Shown once, never stored by the console: the page that carries an activation token is not
#: cached, and its link sends no referrer.
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _forms() -> dict:
    return {"organization": describe(bridge.arguments_schema("directory.create_organization")),
            "organization_edit": describe(bridge.arguments_schema("directory.patch_organization")),
            "account": describe(bridge.arguments_schema("directory.create_user")),
            "reset": describe(bridge.arguments_schema("auth.reauthenticate")),
            "training": describe(bridge.arguments_schema("training.record_training"))}


def _mentors(users: list[dict]) -> list[dict]:
    """Each mentor of her centre with the sessions she has had, against the number required."""
    if not may(current_user, "training.record"):
        return []
    mentors = []
    for person in users:
        if person["role"] != "mentor":
            continue
        page = bridge.call("training.list_trainings", {"per_page": "5"}, user_id=uuid.UUID(person["id"]))
        mentors.append({**person, "sessions": page["sessions"], "required": page["required"],
                        "recent": page["items"]})
    return mentors


def _context(**overrides) -> dict:
    require("account.list")
    organizations = bridge.call("directory.list_organizations", {"per_page": "100"})["items"]
    users = bridge.call("directory.list_users", {"per_page": "100"})["items"]
    context = {"organization_list": organizations, "organizations": organizations, "users": users,
               "mentors": _mentors(users), "forms": _forms(), "errors": {}, "values": MultiDict(),
               "failed": None, "message": None, "issued": None, "notice": None,
               "may_write": may(current_user, "directory.write"),
               "may_confirm": may(current_user, "account.confirm")}
    context.update(overrides)
    return context


def _render(status: int = 200, **overrides):
    headers = NO_STORE if overrides.get("issued") else {}
    return render_template("console/admin.html", **_context(**overrides)), status, headers


def _failure(form: str, error: ApiError):
    message, errors = _error_parts(error)
    return _render(error.code, failed=form, errors=errors, values=request.form, message=message)


@bp.get("/admin")
def admin():
    return _render(notice=request.args.get("done"))


def _done(what: str):
    return redirect(url_for("console.admin", done=what, _anchor=what))


@bp.post("/admin/organizations")
def create_organization():
    try:
        bridge.call("directory.create_organization", form_data(_forms()["organization"], request.form))
    except ApiError as error:
        return _failure("organization", error)
    return _done("organizations")


@bp.route("/admin/organizations/<uuid:organization_id>", methods=["GET", "POST"])
def edit_organization(organization_id):
    organization = bridge.call("directory.get_organization", None, organization_id=organization_id)
    fields = _forms()["organization_edit"]
    if request.method == "GET":
        values = MultiDict([("name", organization["name"]), ("district", organization.get("district") or "")]
                           + [("service_types", code) for code in organization.get("service_types") or []]
                           + ([("active", "on")] if organization.get("active") else []))
        return render_template("console/organization.html", organization=organization, fields=fields,
                               errors={}, values=values, message=None)
    try:
        bridge.call("directory.patch_organization", form_data(fields, request.form), organization_id=organization_id)
    except ApiError as error:
        message, errors = _error_parts(error)
        return render_template("console/organization.html", organization=organization, fields=fields,
                               errors=errors, values=request.form, message=message), error.code
    return _done("organizations")


@bp.post("/admin/users")
def create_account():
    try:
        user = bridge.call("directory.create_user", form_data(_forms()["account"], request.form))
    except ApiError as error:
        return _failure("account", error)
    return _render(201, issued=_issued(user["username"], user), notice="account_created")


def _issued(username: str, answer: dict) -> dict:
    return {"username": username, "token": answer["activation_token"],
            "expires_at": answer["activation_expires_at"],
            "link": url_for("console.activate", token=answer["activation_token"], _external=True)}


def _user(user_id) -> dict:
    return bridge.call("directory.get_user", None, user_id=user_id)


@bp.post("/admin/users/<uuid:user_id>/reset")
def reset_account(user_id):
    """Her password and sessions end and a new activation is issued; the API asks the
    administrator to have proved herself within five minutes, so the form asks her password
    again and the console re-authenticates her first (``POST /auth/reauthenticate``)."""
    person = _user(user_id)
    form = f"reset-{user_id}"
    try:
        bridge.call("auth.reauthenticate", form_data(_forms()["reset"], request.form))
        answer = bridge.call("directory.reset_user", None, user_id=user_id)
    except ApiError as error:
        return _failure(form, error)
    return _render(issued=_issued(person["username"], answer), notice="account_reset")


@bp.post("/admin/users/<uuid:user_id>/active")
def set_account_active(user_id):
    active = request.form.get("active") == "true"
    try:
        bridge.call("directory.patch_user", {"active": active}, user_id=user_id)
    except ApiError as error:
        return _failure(f"active-{user_id}", error)
    return _done("accounts")


@bp.post("/admin/users/<uuid:user_id>/confirm")
def confirm_account(user_id):
    try:
        bridge.call("directory.confirm_user", None, user_id=user_id)
    except ApiError as error:
        return _failure(f"confirm-{user_id}", error)
    return _done("accounts")


@bp.post("/admin/users/<uuid:user_id>/trainings")
def record_training(user_id):
    try:
        bridge.call("training.record_training", form_data(_forms()["training"], request.form), user_id=user_id)
    except ApiError as error:
        return _failure(f"training-{user_id}", error)
    return _done("training")


# -- her own activation (public: the token is what proves it is her) ----------------------------
@bp.route("/activate", methods=["GET", "POST"])
def activate():
    fields = describe(bridge.arguments_schema("auth.activate"))
    if request.method == "GET":
        values = MultiDict({"token": request.args.get("token", "")})
        return render_template("console/activate.html", fields=fields, errors={}, values=values,
                               message=None), 200, NO_STORE
    try:
        bridge.call("auth.activate", form_data(fields, request.form))
    except ApiError as error:
        message, errors = _error_parts(error)
        return render_template("console/activate.html", fields=fields, errors=errors,
                               values=MultiDict({"token": request.form.get("token", "")}),
                               message=message), error.code, NO_STORE
    return redirect(url_for("console.login", activated=1))


NOTICES = {"account_created": lazy_gettext("The account was created. Give her the activation below: it is shown once."),
           "account_reset": lazy_gettext("Her password and sessions have ended. Give her the new activation below: "
                                         "it is shown once."),
           "organizations": lazy_gettext("The organization was saved."),
           "accounts": lazy_gettext("The account was changed."),
           "training": lazy_gettext("The training session was recorded.")}
bp.add_app_template_global(NOTICES, "admin_notices")
