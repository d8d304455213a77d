from flask import request, url_for
from flask_login import current_user
from flask_smorest import Blueprint

from caseflow.access.policy import (
    case_or_404,
    require,
    scope_visit_plans,
    scope_visitors,
    scope_visits,
    visit_or_404,
    visit_plan_or_404,
)
from caseflow.core.auth_required import public
from caseflow.core.errors import Unauthorized
from caseflow.core.pagination import PageArgs, page_schema, paginate
from caseflow.visits import calendar, services
from caseflow.visits.card import visit_card
from caseflow.visits.logs import log_visit
from caseflow.visits.models import VisitPlan
from caseflow.visits.schemas import (
    FeedTokenSchema,
    IdempotencyHeader,
    VisitDetailSchema,
    VisitLogCreateSchema,
    VisitLogSchema,
    VisitorListSchema,
    VisitorQuery,
    VisitPlanCreateSchema,
    VisitPlanPatchSchema,
    VisitPlanSchema,
    VisitQuery,
    VisitSchema,
    WorkloadQuery,
    WorkloadSchema,
)
from caseflow.visits.visitors import visitors
from caseflow.visits.workload import workload

blp = Blueprint("visits", __name__, url_prefix="/api/v1", description="Follow-up visits")

VisitPlanPage = page_schema(VisitPlanSchema, "VisitPlanPage")
VisitPage = page_schema(VisitSchema, "VisitPage")


@blp.post("/cases/<uuid:case_id>/visit-plans")
@blp.arguments(VisitPlanCreateSchema)
@blp.response(201, VisitPlanSchema)
def create_visit_plan(data, case_id):
    """Plan follow-up visits; the cadence defaults to the case's risk level."""
    return services.create_plan(case_or_404(case_id, "visit.plan"), **data)


@blp.get("/cases/<uuid:case_id>/visit-plans")
@blp.arguments(PageArgs, location="query")
@blp.response(200, VisitPlanPage)
def list_visit_plans(args, case_id):
    case = case_or_404(case_id, "visit.read")
    statement = scope_visit_plans().where(VisitPlan.case_id == case.id).order_by(VisitPlan.created_at, VisitPlan.id)
    return paginate(statement, args)


@blp.get("/visit-plans/<uuid:plan_id>")
@blp.response(200, VisitPlanSchema)
def get_visit_plan(plan_id):
    return visit_plan_or_404(plan_id)


@blp.patch("/visit-plans/<uuid:plan_id>")
@blp.arguments(VisitPlanPatchSchema)
@blp.response(200, VisitPlanSchema)
def patch_visit_plan(changes, plan_id):
    """Reassign (future visits move) or change the cadence (future visits are re-planned)."""
    plan = visit_plan_or_404(plan_id, "visit.plan")
    if "assignee_id" in changes:
        plan = services.reassign(plan, changes["assignee_id"])
    if "cadence_days" in changes:
        plan = services.change_cadence(plan, changes["cadence_days"])
    return plan


@blp.get("/visits")
@blp.arguments(VisitQuery, location="query")
@blp.response(200, VisitPage)
def list_visits(args):
    """Visits by day: `?assignee=me&from=2026-03-01&to=2026-03-07`. The whole plan: the
    visits made so far, then (`projected: true`, no `id`) those its plan will still make in
    the period beyond the scheduler's horizon."""
    require("visit.read")
    filters = {name: args.get(key) for name, key in (("assignee", "assignee"), ("from_day", "from_day"),
                                                      ("to_day", "to_day"), ("status", "status"),
                                                      ("case_id", "case_id"))}
    statement = services.visits_query(scope_visits(), **filters)
    page = paginate(statement, args)
    projected = services.projected_visits(scope_visit_plans(), **filters)
    if projected:
        per_page, stored = page["per_page"], page["total"]
        start = (page["page"] - 1) * per_page
        room = per_page - len(page["items"])
        first = max(start - stored, 0)
        page["items"] = list(page["items"]) + projected[first:first + room]
        page["total"] = stored + len(projected)
    return page


@blp.get("/visits/visitors")
@blp.arguments(VisitorQuery, location="query")
@blp.response(200, VisitorListSchema)
def list_visitors(args):
    """The mentors and community psychologists of the caller's centre she may plan visits
    for (active), with their training sessions and whether a plan may be given to them now.
    Staff names and usernames only."""
    require("visit.plan")
    return {"items": visitors(scope_visitors(), args.get("kind"))}


@blp.get("/visits/<uuid:visit_id>")
@blp.response(200, VisitDetailSchema)
def get_visit(visit_id):
    """One visit with its card (alias, safe contact, address, phone, safety flags)."""
    visit = visit_or_404(visit_id)
    visit.card = visit_card(visit)  # a plain attribute for the response, not a column
    return visit


@blp.post("/visits/<uuid:visit_id>/log")
@blp.arguments(IdempotencyHeader, location="headers")
@blp.arguments(VisitLogCreateSchema)
@blp.response(201, VisitLogSchema)
def log_a_visit(headers, data, visit_id):
    """Outcome of a visit. Send an `Idempotency-Key` header: retries create one log."""
    return log_visit(visit_or_404(visit_id, "visit.log"), data, headers.get("idempotency_key"))


@blp.get("/supervision/workload")
@blp.arguments(WorkloadQuery, location="query")
@blp.response(200, WorkloadSchema)
def visit_workload(args):
    """Each mentor's and psychologist's active caseload and visits done or missed in a period."""
    require("workload.read")
    return workload(current_user.organization_id, args.get("from_day"), args.get("to_day"))


# -- calendar ------------------------------------------------------------------------------
@blp.get("/me/visits.ics")
@blp.doc(responses={"200": {
    "description": "iCalendar (RFC 5545): case codes and times only, never her name, address or phone",
    "content": {"text/calendar": {"schema": {"type": "string"}}}}})
@blp.doc(security=[{"bearer": []}, {"cookie": []}, {}], parameters=[
    {"in": "query", "name": "token", "schema": {"type": "string"}, "description": "Feed token"}])
@public
def visits_feed():
    """The caller's visits as iCalendar, by bearer token or a feed token (`?token=`)."""
    from flask import Response

    from caseflow.auth.services import token_for

    raw = request.args.get("token")
    if raw:
        credential = token_for(raw, "feed")
        user = credential.user if credential else None
    else:
        user = current_user if current_user.is_authenticated else None
    if user is None:
        raise Unauthorized()
    require("visit.read", user)
    response = Response(calendar.visits_calendar(user), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="visits.ics"'
    return response


@blp.post("/me/feed-token")
@blp.response(201, FeedTokenSchema)
def create_feed_token():
    """A calendar feed token (replaces any earlier one). Shown once; revoke it with DELETE."""
    from caseflow.auth import services as auth

    require("visit.read")
    _revoke_feed_tokens()
    raw, _ = auth.issue_token(current_user, "feed", None)
    return {"token": raw, "url": url_for("visits.visits_feed", token=raw, _external=True)}


@blp.delete("/me/feed-token")
@blp.response(204)
def revoke_feed_token():
    _revoke_feed_tokens()


def _revoke_feed_tokens():
    from caseflow.auth import services as auth

    auth.revoke_all_tokens(current_user, kind="feed")
