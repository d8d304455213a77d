"""The custody workflow of a case (docs/custody.md): her custody and release, admission
screening, abuse disclosed in custody, the people she refuses as visitors, and supplies
handed to her; each form posts to the custody feature's own API route."""

from __future__ import annotations

import uuid

from flask import abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext
from flask_login import current_user

from caseflow.access.policy import may
from caseflow.console import bridge
from caseflow.console.forms import describe, form_data
from caseflow.console.views import _error_parts, bp
from caseflow.console.visit_plans import echoed, visitor_names, visitors
from caseflow.core.errors import ApiError, Unprocessable
from caseflow.custody.models import SCREENING_AREAS

_NOT_A_CHOICE = lazy_gettext("Not a valid choice.")

#: The page's forms: action → (endpoint, what the console leaves to the API alone).
CUSTODY_ACTIONS = {
    # A release's follow-up plan (its visitor chosen from GET /visits/visitors), pregnancy
    # and the children's ages are drawn by console/_custody_release.html and read by
    # _release_extras; the rest of the form is described from the schema.
    "custody": ("custody.record_custody", ("follow_up", "pregnant", "children_ages")),
    "screening": ("custody.record_screening", ("findings",)),
    "disclosure": ("custody.record_disclosure", ()),
    "restriction": ("custody.add_restriction", ()),
    "supply": ("custody.record_supply", ()),
}
SECTIONS = {"screenings": "custody.list_screenings", "disclosures": "custody.list_disclosures",
            "restrictions": "custody.list_restrictions", "supplies": "custody.list_supplies"}


def custody_summary(case: dict) -> dict | None:
    """Her custody now, for the case page's banner (None: not hers to read)."""
    if not may(current_user, "custody.read"):
        return None
    try:
        return bridge.call("custody.get_custody", None, survivor_id=uuid.UUID(case["survivor"]["id"]))
    except ApiError:
        return None


def _forms() -> dict:
    return {action: describe(bridge.arguments_schema(endpoint), skip=skip)
            for action, (endpoint, skip) in CUSTODY_ACTIONS.items()}


def _context(case_id, **overrides) -> dict:
    case = bridge.call("cases.get_case", None, case_id=case_id)
    custody = bridge.call("custody.get_custody", None, survivor_id=uuid.UUID(case["survivor"]["id"]))
    sections = {name: bridge.call(endpoint, {"per_page": "100"}, case_id=case_id)["items"]
                for name, endpoint in SECTIONS.items()}
    organizations = bridge.call("directory.list_organizations", {"per_page": "100"})["items"]
    names = {o["id"]: o["name"] for o in organizations}
    context = {"case": case, "custody": custody, "sections": sections, "forms": _forms(),
               "areas": tuple(SCREENING_AREAS), "organization_names": names, "organizations": organizations,
               "org_choices": {"facility_id": [o for o in organizations if o["sector"] == "penitentiary"],
                               "authority_id": [o for o in organizations if o["sector"] in ("police", "justice")]},
               "visitors": visitors(), "kinds": ("mentor_accompaniment", "psychological_followup"),
               "errors": {}, "values": {}, "failed": None, "message": None}
    context["visitor_names"] = visitor_names(context["visitors"])
    context.update(overrides)
    return context


FOLLOW_UP = ("assignee_id", "kind", "cadence_days", "count")


def _release_extras(form) -> dict:
    """The follow-up plan and maternity as the custody route's input: a follow-up only when
    a part of it is given, pregnancy only when answered, ages as a list of numbers."""
    data = {}
    follow_up = {key: form.get(f"follow_up.{key}", "") for key in FOLLOW_UP}
    if any(follow_up.values()):
        data["follow_up"] = {key: value for key, value in follow_up.items() if value != ""}
    if form.get("pregnant") in ("true", "false"):
        data["pregnant"] = form["pregnant"]
    elif form.get("pregnant"):
        raise Unprocessable(errors={"pregnant": [_NOT_A_CHOICE]})
    ages = form.get("children_ages", "").replace(",", " ").split()
    if ages:
        data["children_ages"] = ages
    return data


def _release_errors(errors: dict) -> dict:
    """The plan's own 422s (the visitor, her training, the kind) belong beside the follow-up's
    fields; an age's error beside the ages."""
    placed = {}
    for key, messages in errors.items():
        if key in FOLLOW_UP:
            key = f"follow_up.{key}"
        elif key.startswith("children_ages."):
            key = "children_ages"
        placed.setdefault(key, []).extend(messages)
    return placed


@bp.get("/cases/<uuid:case_id>/custody")
def custody_page(case_id):
    return render_template("console/custody.html", **_context(case_id))


@bp.post("/cases/<uuid:case_id>/custody/<action>")
def custody_action(case_id, action):
    if action not in CUSTODY_ACTIONS:
        abort(404)
    endpoint, _ = CUSTODY_ACTIONS[action]
    try:
        data = form_data(_forms()[action], request.form)
        if action == "screening":
            data["findings"] = {area: request.form.get(f"findings.{area}") == "on" for area in SCREENING_AREAS}
        if action == "custody":
            data.update(_release_extras(request.form))
            case = bridge.call("cases.get_case", None, case_id=case_id)
            bridge.call(endpoint, data, survivor_id=uuid.UUID(case["survivor"]["id"]))
        else:
            bridge.call(endpoint, data, case_id=case_id)
    except ApiError as error:
        message, errors = _error_parts(error)
        if action == "custody":
            errors = _release_errors(errors)
        return render_template("console/custody.html", **_context(
            case_id, errors=errors, values=echoed(request.form), failed=action, message=message)), error.code
    return redirect(url_for("console.custody_page", case_id=case_id, _anchor=action))
