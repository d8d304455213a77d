"""A visitor's phone view (`/visits`): her visits of today and this week, the visit card on a
tap, the visit log, her calendar link; installable, and usable without signal.

Every read and write is the API's own route through :mod:`caseflow.console.bridge` (the
card read is audited there). The page's script (``static/field/field.js``) keeps her visit
list and the logs she saves without a connection encrypted on the phone and sends the logs
to ``POST /api/v1/visits/{id}/log`` with their ``Idempotency-Key`` once the connection is back.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import marshmallow as ma
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext
from werkzeug.exceptions import HTTPException

from caseflow.access.policy import require
from caseflow.console import bridge, views
from caseflow.console.forms import describe, form_data
from caseflow.core.clock import local_date, local_zone_name, utcnow
from caseflow.core.errors import ApiError, error_payload
from caseflow.extensions import db

bp = Blueprint("field", __name__, template_folder="templates")
bp.before_request(views.frame)
bp.register_error_handler(HTTPException, views.error_page)

#: The console's policy, and the web app's manifest and service worker from the same origin.
CSP = views.CSP + "; manifest-src 'self'; worker-src 'self'"
SERVICE_WORKER = "/static/field/sw.js"
#: The service worker serves these paths (its scope is set by the header below).
SCOPE = "/visits"
LATE_DAYS = 14  # planned visits whose day passed this recently are listed as late
WEEK_DAYS = 7

OUTCOME_LABELS = {"done": lazy_gettext("Done"), "missed": lazy_gettext("Missed"),
                  "rescheduled": lazy_gettext("Rescheduled")}
MODALITY_LABELS = {"home_visit": lazy_gettext("Home visit"), "phone": lazy_gettext("Phone call"),
                   "meeting": lazy_gettext("Meeting elsewhere"), "accompaniment": lazy_gettext("Accompaniment"),
                   "in_facility": lazy_gettext("In the facility")}
STATUS_LABELS = {"planned": lazy_gettext("To do"), "done": lazy_gettext("Done"), "missed": lazy_gettext("Missed"),
                 "rescheduled": lazy_gettext("Rescheduled"), "cancelled": lazy_gettext("Cancelled")}
FLAG_LABELS = {"high_risk": lazy_gettext("High risk"),
               "risk_reassessment_requested": lazy_gettext("Risk reassessment requested"),
               "safety_concern_reported": lazy_gettext("A safety concern was reported recently")}
KIND_LABELS = {"mentor_accompaniment": lazy_gettext("Mentor accompaniment"),
               "psychological_followup": lazy_gettext("Psychological follow-up")}


@bp.after_request
def headers(response):
    response.headers["Content-Security-Policy"] = CSP
    return response


@bp.after_app_request
def field_app_headers(response):
    """The service worker lives under /static but serves the visitor's view; signing out
    clears what the phone keeps (the visit list, unsent logs, the service worker)."""
    if request.path == SERVICE_WORKER:
        response.headers["Service-Worker-Allowed"] = SCOPE
        response.headers["Cache-Control"] = "no-cache"
    elif request.endpoint in ("console.logout", "auth.logout") and response.status_code < 400:
        response.headers["Clear-Site-Data"] = '"storage"'
    return response


@bp.app_context_processor
def field_labels():
    return {"outcome_labels": OUTCOME_LABELS, "modality_labels": MODALITY_LABELS, "status_labels": STATUS_LABELS,
            "flag_labels": FLAG_LABELS, "kind_labels": KIND_LABELS}


def _log_fields():
    _, body = _log_schemas()
    return describe(body)


def _log_schemas() -> tuple[ma.Schema, ma.Schema]:
    """The log route's header schema and body schema, as the route declares them."""
    view = current_app.view_functions["visits.log_a_visit"]
    schemas = {}
    for parameter in view._apidoc["arguments"]["parameters"]:
        schema = parameter["schema"]
        schemas[parameter["in"]] = schema() if isinstance(schema, type) else schema
    return schemas["headers"], schemas["json"]


def _sections(items: list[dict]) -> dict[str, list[dict]]:
    today = local_date(utcnow()).isoformat()
    sections = {"late": [], "today": [], "week": []}
    for item in items:
        if not item.get("id"):
            continue  # a visit projected beyond the scheduler's horizon: nothing to open or log yet
        if item["due_on"] < today:
            if item["status"] == "planned":
                sections["late"].append(item)
        elif item["due_on"] == today:
            sections["today"].append(item)
        else:
            sections["week"].append(item)
    return sections


def _visits() -> list[dict]:
    today = local_date(utcnow())
    return bridge.call("visits.list_visits", {
        "assignee": "me", "from": (today - timedelta(days=LATE_DAYS)).isoformat(),
        "to": (today + timedelta(days=WEEK_DAYS - 1)).isoformat(), "per_page": "100"})["items"]


def _page(**context):
    context.setdefault("errors", {})
    context.setdefault("failed", None)
    context.setdefault("values", {})
    context.setdefault("calendar_url", None)
    today = local_date(utcnow())
    return render_template("field/visits.html", fields=_log_fields(), new_key=lambda: uuid.uuid4().hex,
                           cache_hours=current_app.config["CASEFLOW_FIELD_CACHE_HOURS"], zone=local_zone_name(),
                           list_from=(today - timedelta(days=LATE_DAYS)).isoformat(),
                           list_to=(today + timedelta(days=WEEK_DAYS - 1)).isoformat(), **context)


@bp.get("/visits")
def visits():
    """Her visits: late, today, this week (the API's list, her own)."""
    require("visit.log")
    return _page(sections=_sections(_visits()), shell=False)


@bp.get("/visits/shell")
def shell():
    """The page without a single visit: what the service worker keeps and shows offline,
    where the script fills it from the phone's encrypted copy."""
    require("visit.log")
    return _page(sections={"late": [], "today": [], "week": []}, shell=True)


@bp.get("/visits/<uuid:visit_id>/card")
def card(visit_id):
    """The visit card, on her tap: the API's visit read (which decrypts and audits the card)."""
    visit = bridge.call("visits.get_visit", None, visit_id=visit_id)
    if request.headers.get("HX-Request"):
        return render_template("field/_card.html", visit=visit)
    return render_template("field/card.html", visit=visit)


@bp.post("/visits/<uuid:visit_id>/log")
def log(visit_id):
    """The form's own post (a phone without the script): the API's log route, with the
    Idempotency-Key the page was rendered with, so a second tap sends no second log."""
    header_schema, body_schema = _log_schemas()
    target = bridge.route("visits.log_a_visit")
    try:
        data = body_schema.load(form_data(describe(body_schema), request.form))
        key = header_schema.load({"Idempotency-Key": request.form.get("idempotency_key", "")})
        target.view(key, data, visit_id=visit_id)
    except ma.ValidationError as error:
        return _failed(visit_id, error.messages, None, 422)
    except ApiError as error:
        db.session.rollback()
        payload = error_payload(error)[0]
        return _failed(visit_id, payload.get("errors") or {}, payload["message"], error.code)
    return redirect(url_for("field.visits", logged=str(visit_id), _anchor=f"visit-{visit_id}"))


def _failed(visit_id, messages, message, code):
    from caseflow.console.forms import flat_errors

    return _page(sections=_sections(_visits()), shell=False, errors=flat_errors(messages), failed=str(visit_id),
                 values=request.form, message=message), code


@bp.post("/visits/calendar")
def calendar_link():
    """Her calendar link (the API's feed token: a new one replaces the old, shown once)."""
    made = bridge.call("visits.create_feed_token")
    return _page(sections=_sections(_visits()), shell=False, calendar_url=made["url"])
