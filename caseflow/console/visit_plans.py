"""A case's visit plans in the console: start one (a mentor's accompaniment, a community
psychologist's follow-up) for a visitor chosen from ``GET /visits/visitors``, and list the
case's plans with their next visits. Every read and write is the API's route (bridge)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from caseflow.access.policy import may
from caseflow.console import bridge
from caseflow.console.forms import describe, form_data
from caseflow.console.views import _error_parts, bp
from caseflow.core.clock import local_date, local_zone_name, utcnow
from caseflow.core.errors import ApiError

CREATE = "visits.create_visit_plan"
#: How many of each plan's coming visits the page shows.
NEXT_VISITS = 3


def visitors() -> list[dict]:
    """Whom this person may give a plan (empty for anyone who plans no visits)."""
    if not may(current_user, "visit.plan"):
        return []
    return bridge.call("visits.list_visitors", {})["items"]


def echoed(form: MultiDict) -> MultiDict:
    """The posted form to fill the re-rendered page with, control characters dropped (a NUL
    byte is refused beside its field, and never sent back)."""
    return MultiDict([(key, "".join(ch for ch in value if ord(ch) >= 32 or ch in "\t\r\n"))
                      for key, value in form.items(multi=True)])


def visitor_names(people: list[dict]) -> dict:
    return {person["id"]: person["full_name"] or person["username"] for person in people}


def _next_visits(case_id) -> dict:
    today = local_date(utcnow(), local_zone_name()).isoformat()
    page = bridge.call("visits.list_visits", {"case_id": str(case_id), "status": "planned", "from": today,
                                              "per_page": "100"})
    by_plan: dict = {}
    for visit in page["items"]:
        coming = by_plan.setdefault(visit["plan_id"], [])
        if len(coming) < NEXT_VISITS:
            coming.append(visit)
    return by_plan


def _kinds() -> tuple:
    return next(f.choices for f in describe(bridge.arguments_schema(CREATE)) if f.name == "kind")


def _context(case_id, **overrides) -> dict:
    case = bridge.call("cases.get_case", None, case_id=case_id)
    plans = bridge.call("visits.list_visit_plans", {"per_page": "100"}, case_id=case_id)["items"]
    people = visitors()
    context = {"case": case, "plans": plans, "next_visits": _next_visits(case_id), "visitors": people,
               "names": visitor_names(people), "kinds": _kinds(),
               "today": local_date(utcnow(), local_zone_name()).isoformat(),
               "errors": {}, "values": {}, "message": None}
    context.update(overrides)
    return context


@bp.get("/cases/<uuid:case_id>/visit-plans")
def visit_plans_page(case_id):
    return render_template("console/visit_plans.html", **_context(case_id))


@bp.post("/cases/<uuid:case_id>/visit-plans")
def start_visit_plan(case_id):
    try:
        data = form_data(describe(bridge.arguments_schema(CREATE)), request.form)
        bridge.call(CREATE, data, case_id=case_id)
    except ApiError as error:
        message, errors = _error_parts(error)
        return render_template("console/visit_plans.html", **_context(
            case_id, errors=errors, values=echoed(request.form), message=message)), error.code
    return redirect(url_for("console.visit_plans_page", case_id=case_id, _anchor="plans"))
