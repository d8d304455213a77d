"""A liaison's referral inbox (`/referrals`) and anyone's notifications (`/notifications`).

The inbox is the API's referral list for her organization (the policy scopes it: another
organization's referral is not there, and its page answers 404); a referral's page is the
API's referral read, whose note and identity fields follow her consent; each move is the
API's transition route, with its reason rules. Notifications are the API's own, polled on
screen while the inbox is open.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import lazy_gettext
from werkzeug.exceptions import HTTPException

from caseflow.access.policy import require
from caseflow.console import bridge, views
from caseflow.console.forms import describe, flat_errors, form_data
from caseflow.core.clock import utcnow
from caseflow.core.errors import ApiError, error_payload
from caseflow.referrals.models import ONWARD_FROM_STATUSES
from caseflow.referrals.services import REASON_REQUIRED, TRANSITIONS

bp = Blueprint("inbox", __name__, template_folder="templates")
bp.before_request(views.frame)
bp.register_error_handler(HTTPException, views.error_page)

#: A running clock due within this many hours is "due soon".
DUE_SOON_HOURS = 24
#: Moves the receiving organization makes (cancelling is the referring centre's).
MOVE_LABELS = {"accepted": lazy_gettext("Accept"), "rejected": lazy_gettext("Reject"),
               "in_progress": lazy_gettext("Start"), "completed": lazy_gettext("Complete"),
               "failed": lazy_gettext("Could not be provided")}
STATUS_LABELS = {"requested": lazy_gettext("Requested"), "accepted": lazy_gettext("Accepted"),
                 "rejected": lazy_gettext("Rejected"), "in_progress": lazy_gettext("In progress"),
                 "completed": lazy_gettext("Completed"), "cancelled": lazy_gettext("Cancelled"),
                 "failed": lazy_gettext("Could not be provided")}
FINAL = frozenset({"rejected", "completed", "cancelled", "failed"})


@bp.after_request
def headers(response):
    response.headers["Content-Security-Policy"] = views.CSP
    return response


@bp.app_context_processor
def inbox_labels():
    return {"referral_status_labels": STATUS_LABELS, "move_labels": MOVE_LABELS}


def _at(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def sort_inbox(items: list[dict], now: datetime) -> dict[str, list[dict]]:
    """Overdue, due soon, new, in progress, ended: each referral in the first that fits."""
    soon = now + timedelta(hours=DUE_SOON_HOURS)
    sections = {"overdue": [], "due_soon": [], "new": [], "open": [], "ended": []}
    for item in items:
        due = _at(item.get("next_due_at"))
        if item["status"] in FINAL:
            sections["ended"].append(item)
        elif item.get("overdue"):
            sections["overdue"].append(item)
        elif due is not None and due <= soon:
            sections["due_soon"].append(item)
        elif item["status"] == "requested":
            sections["new"].append(item)
        else:
            sections["open"].append(item)
    return sections


def _onward_endpoint() -> str | None:
    """The API's onward referral route, when this build has it."""
    from flask import current_app

    return "referrals.refer_onward" if "referrals.refer_onward" in current_app.view_functions else None


@bp.get("/referrals")
def referrals():
    require("referral.respond")
    listed = bridge.call("referrals.list_referrals", {"per_page": "100"})
    return render_template("inbox/referrals.html", sections=sort_inbox(listed["items"], utcnow()),
                           total=listed["total"])


@bp.get("/referrals/news")
def news():
    """Polled by the inbox: unread notifications and new referrals, announced politely."""
    require("referral.respond")
    unread = bridge.call("notifications.list_notifications", {"unread": "true", "per_page": "10"})
    new = bridge.call("referrals.list_referrals", {"status": "requested", "per_page": "1"})["total"]
    return render_template("inbox/_news.html", unread=unread, new=new)


def _referral_context(referral_id: uuid.UUID) -> dict:
    referral = bridge.call("referrals.get_referral", None, referral_id=referral_id)
    moves = sorted(TRANSITIONS.get(referral["status"], frozenset()) - {"cancelled"},
                   key=list(MOVE_LABELS).index)
    onward = _onward_endpoint()
    context = {"referral": referral, "moves": moves, "reason_required": REASON_REQUIRED, "errors": {},
               "values": {}, "message": None, "failed": None, "onward_fields": None, "organizations": []}
    if onward and referral["status"] in ONWARD_FROM_STATUSES:
        context["onward_fields"] = describe(bridge.arguments_schema(onward))
        context["organizations"] = [o for o in bridge.call("directory.list_organizations", {"per_page": "100"})[
            "items"] if o["id"] != referral["to_organization"]["id"]]
    return context


@bp.get("/referrals/<uuid:referral_id>")
def referral(referral_id):
    require("referral.respond")
    return render_template("inbox/referral.html", **_referral_context(referral_id))


@bp.post("/referrals/<uuid:referral_id>/move")
def move(referral_id):
    require("referral.respond")
    fields = describe(bridge.arguments_schema("referrals.move_referral"))
    try:
        bridge.call("referrals.move_referral", form_data(fields, request.form), referral_id=referral_id)
    except ApiError as error:
        return _failure(referral_id, "move-" + request.form.get("status", ""), error)
    return redirect(url_for("inbox.referral", referral_id=referral_id, moved=request.form.get("status")))


@bp.post("/referrals/<uuid:referral_id>/onward")
def onward(referral_id):
    require("referral.respond")
    endpoint = _onward_endpoint()
    if endpoint is None:
        from werkzeug.exceptions import NotFound

        raise NotFound()
    try:
        made = bridge.call(endpoint, form_data(describe(bridge.arguments_schema(endpoint)), request.form),
                           referral_id=referral_id)
    except ApiError as error:
        return _failure(referral_id, "onward", error)
    return redirect(url_for("inbox.referral", referral_id=referral_id, onward=made.get("id")))


def _failure(referral_id, failed: str, error: ApiError):
    payload, _, _ = error_payload(error)
    context = _referral_context(referral_id)
    context.update(errors=flat_errors(payload.get("errors") or {}), message=payload["message"], failed=failed,
                   values=request.form)
    return render_template("inbox/referral.html", **context), error.code


@bp.get("/notifications")
def notifications():
    """Her reminders and escalations (the API's list); a supervisor sees a safety concern
    reported at a visit here as soon as it is logged."""
    require("notification.read")
    listed = bridge.call("notifications.list_notifications", {"per_page": "50"})
    return render_template("inbox/notifications.html", notifications=listed)


@bp.post("/notifications/read")
def mark_read():
    bridge.call("notifications.mark_read", {})
    return redirect(url_for("inbox.notifications"))
