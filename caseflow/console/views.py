"""The console's pages. Thin: each reads or acts through the API route it shows
(:mod:`caseflow.console.bridge`); the policy and the services decide, as for the API."""

from __future__ import annotations

import uuid

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import get_locale, gettext, lazy_gettext
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from caseflow.access.policy import may
from caseflow.auth import services as auth
from caseflow.cases import services as cases
from caseflow.console import bridge, charts
from caseflow.console.forms import FormField, describe, flat_errors, form_data
from caseflow.console.labels import CODE_FIELDS, choice_label, field_label
from caseflow.console.times import local_time
from caseflow.core import unit_of_work
from caseflow.core.clock import no_contact_days
from caseflow.core.errors import ApiError, Forbidden, error_payload
from caseflow.extensions import db

bp = Blueprint("console", __name__, template_folder="templates")

STATIC = __import__("pathlib").Path(__file__).resolve().parent.parent / "static"
#: Scripts and styles from caseflow's own origin only; no inline script, no eval.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
CASE_LIST_COUNT_CAP = 1000

#: The case page's forms: section → the API endpoint it posts to.
CASE_ACTIONS = {
    "incident": "incidents.record_incident",
    "consent": "consents.record_consent",
    "risk": "risk.assess_risk",
    "session": "sessions.record_session",
    "plan": "plans.add_plan_item",
    "approval": "approvals.request_approval",
    "referral": "referrals.send_referral",
    "conference": "conferences.record_conference",
    "close": "closures.close_case",
    "reopen": "closures.reopen_case",
}
#: Actions on one record of a case: kind → (endpoint, its path argument).
RECORD_ACTIONS = {
    "withdraw": ("consents.withdraw_consent", "consent_id"),
    "decide": ("approvals.decide_approval", "approval_id"),
    "move": ("referrals.move_referral", "referral_id"),
}


# -- the frame: sign-in, idle limit, CSRF, headers ------------------------------------------
@bp.before_request
def frame():
    g.caseflow_console = True
    if request.endpoint in ("console.static", "console.login", "console.language", "console.activate"):
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("console.login", next=request.full_path if request.method == "GET" else None))
    if request.method == "POST" and unit_of_work.current().auth_method == "cookie":
        # The API's rule for cookie sessions: the session's CSRF token with every write
        # (a form field here, the X-CSRF-Token header for htmx).
        sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token")
        if not auth.csrf_valid(sent):
            raise Forbidden()
    return None


@bp.after_request
def headers(response: Response):
    response.headers["Content-Security-Policy"] = CSP
    return response


# A global, not a context value: the form macros are imported without the page's context.
bp.add_app_template_global(field_label, "field_label")
bp.add_app_template_global(choice_label, "choice_label")
bp.add_app_template_global(CODE_FIELDS, "code_fields")
#: The one filter for times on every page: the centre's wall time, in her language.
bp.add_app_template_filter(local_time, "local_time")


@bp.app_context_processor
def frame_values():
    if not g.get("caseflow_console"):
        return {}
    idle_minutes = current_app.config["CASEFLOW_SESSION_IDLE_MINUTES"]
    return {"csrf_token": auth.csrf_token(), "locale": str(get_locale()), "idle_minutes": idle_minutes,
            "user": current_user if current_user.is_authenticated else None, "may": may}


@bp.errorhandler(HTTPException)
def error_page(error):
    payload, code, _ = error_payload(error)
    return render_template("console/error.html", message=payload["message"], code=code), code


def _error_parts(error: ApiError) -> tuple[str, dict]:
    payload, _, _ = error_payload(error)
    return payload["message"], flat_errors(payload.get("errors") or {})


@bp.get("/static/<path:filename>")
def static(filename):
    return send_from_directory(STATIC, filename, max_age=3600)


def _safe_next(value: str | None) -> str:
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return url_for("console.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    schema = bridge.arguments_schema("auth.login")
    fields = describe(schema)
    if "otp" not in schema.fields:
        # The second factor's field is on the form from the start; it reaches the sign-in
        # route once that route's schema takes it (the accounts work adds its check there).
        fields.append(FormField("otp", "text", max_length=10))
    notice = lazy_gettext("Your password is set: sign in with it.") if request.args.get("activated") else None
    if request.method == "GET":
        return render_template("console/login.html", fields=fields, errors={}, message=notice)
    language = session.get("lang")
    try:
        # The API's own login route: the same sign-in service, the same second factor.
        credentials = form_data(fields, request.form)
        if "otp" not in schema.fields:
            credentials.pop("otp", None)
        bridge.call("auth.login", credentials)
    except ApiError as error:
        message, errors = _error_parts(error)
        return render_template("console/login.html", fields=fields, errors=errors, message=message,
                               values={"username": request.form.get("username", "")}), error.code
    if language:
        session["lang"] = language
    return redirect(_safe_next(request.args.get("next")))


@bp.post("/logout")
def logout():
    language = session.get("lang")
    bridge.call("auth.logout")
    if language:
        session["lang"] = language
    return redirect(url_for("console.login"))


@bp.get("/language")
def language():
    chosen = request.args.get("lang")
    if chosen in ("es", "en"):
        session["lang"] = chosen
    return redirect(_safe_next(request.args.get("next")))


# -- her pending work -------------------------------------------------------------------------
def _cases(**filters) -> list[dict]:
    """A panel's first 20 cases, by the list route's own filters, schema and item schema;
    a panel shows no total, so none is counted (the API's page counts every match)."""
    from caseflow.access.policy import require

    args = bridge.arguments_schema("cases.list_cases").load({"per_page": "20", **filters})
    require("case.read")
    return _dump_cases(db.session.scalars(cases.filtered(args).limit(args["per_page"])).all())


def _with_next_clock(items: list[dict]) -> list[dict]:
    """Each listed case's nearest running deadline, for the list's "next clock" column: one
    grouped query over the page's cases (never one per row)."""
    from datetime import timedelta

    from caseflow.core.clock import utcnow
    from caseflow.referrals.services import next_due_by_case

    due = next_due_by_case([uuid.UUID(str(item["id"])) for item in items])
    now = utcnow()
    for item in items:
        at = due.get(uuid.UUID(str(item["id"])))
        if at is None:
            item["next_clock"] = None
            continue
        state = "missed" if at < now else "due_soon" if at < now + timedelta(hours=24) else "running"
        item["next_clock"] = {"at": at, "state": state}
    return items


@bp.get("/")
def home():
    role = current_user.role
    panels = []
    if role == "caseworker":
        panels = [
            ("overdue", lazy_gettext("My cases with a missed clock"), _cases(assigned_to="me", overdue="true")),
            ("approvals", lazy_gettext("My cases waiting for a supervisor's decision"),
             _cases(assigned_to="me", awaiting_approval="true")),
            ("closure", gettext("Closure candidates (no contact for over %(days)s days)", days=no_contact_days()),
             _cases(assigned_to="me", no_contact="true")),
        ]
        due = bridge.call("review.overdue", {"within_hours": "72", "per_page": "20"}) if may(
            current_user, "report.read") else None
        return render_template("console/home.html", panels=panels, due=due, workload=None)
    if role == "supervisor":
        panels = [("approvals", lazy_gettext("Approvals to decide"), _cases(awaiting_approval="true")),
                  ("overdue", lazy_gettext("Cases with an overdue referral"), _cases(overdue="true"))]
        due = bridge.call("review.overdue", {"within_hours": "24", "per_page": "20"})
        workload = bridge.call("visits.visit_workload", {}) if may(current_user, "workload.read") else None
        return render_template("console/home.html", panels=panels, due=due, workload=workload)
    if role == "admin":
        return redirect(url_for("console.admin"))
    # Liaisons, mentors and community psychologists: what the API gives them today.
    referrals = bridge.call("referrals.list_referrals", {"per_page": "20"}) if may(
        current_user, "referral.read") else None
    visits = bridge.call("visits.list_visits", {"per_page": "20"}) if may(current_user, "visit.read") else None
    return render_template("console/home_other.html", referrals=referrals, visits=visits)


# -- survivors ----------------------------------------------------------------------------------
@bp.route("/survivors/new", methods=["GET", "POST"])
def register_survivor():
    fields = describe(bridge.arguments_schema("survivors.register_survivor"))
    open_fields = describe(bridge.arguments_schema("cases.open_case"), skip=("survivor_id",))
    context = {"fields": fields, "open_fields": open_fields, "errors": {}, "values": {}, "message": None,
               "existing_id": None}
    if request.method == "GET":
        return render_template("console/survivor_new.html", **context)
    try:
        survivor = bridge.call("survivors.register_survivor", form_data(fields, request.form))
        case_input = {**form_data(open_fields, request.form), "survivor_id": survivor["id"]}
        case = bridge.call("cases.open_case", case_input)
    except ApiError as error:
        message, errors = _error_parts(error)
        context.update(message=message, errors=errors, values=request.form,
                       existing_id=(getattr(error, "data", {}) or {}).get("existing_id"))
        return render_template("console/survivor_new.html", **context), error.code
    return redirect(url_for("console.case_page", case_id=case["id"]))


@bp.get("/survivors")
def search_survivors():
    query = {key: value for key, value in request.args.items() if value and key in (
        "document_type", "document_number", "name", "page")}
    results, message, errors = None, None, {}
    if {"document_number", "name"} & set(query):
        try:
            results = bridge.call("survivors.list_survivors", query)
        except ApiError as error:
            message, errors = _error_parts(error)
    return render_template("console/survivors.html", results=results, message=message, errors=errors,
                           values=request.args, document_types=_choices("survivors.list_survivors", "document_type"))


def _choices(endpoint: str, name: str) -> tuple:
    for item in describe(bridge.arguments_schema(endpoint)):
        if item.name == name:
            return item.choices
    return ()


# -- cases --------------------------------------------------------------------------------------
def _bounded_total(statement) -> tuple[int, bool]:
    """How many cases match, counted up to a cap: a page's total never reads every row."""
    from sqlalchemy import func, select

    capped = statement.order_by(None).limit(CASE_LIST_COUNT_CAP + 1).subquery()
    total = db.session.scalar(select(func.count()).select_from(capped))
    return min(total, CASE_LIST_COUNT_CAP), total > CASE_LIST_COUNT_CAP


@bp.get("/cases")
def case_list():
    schema = bridge.arguments_schema("cases.list_cases")
    query = {key: value for key, value in request.args.items() if value}
    filter_fields = describe(schema, skip=("page", "per_page", "no_contact_days"))
    try:
        args = schema.load(query)
    except Exception as error:  # marshmallow's ValidationError: the filters as the API refuses them
        errors = flat_errors(getattr(error, "messages", {}))
        return render_template("console/cases.html", items=[], total=0, more=False, args={}, errors=errors,
                               filter_fields=filter_fields, values=request.args), 422
    from caseflow.access.policy import require

    require("case.read")
    statement = cases.filtered(args)
    page, per_page = args["page"], args["per_page"]
    rows = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).all()
    items = _dump_cases(rows)
    total, more = _bounded_total(statement)
    return render_template("console/cases.html", items=items, total=total, more=more, args=args, errors={},
                           filter_fields=filter_fields, values=request.args)


def _dump_cases(rows) -> list[dict]:
    """Dumped by the list route's own item schema (the API's CasePage items)."""
    return _with_next_clock(
        bridge.route("cases.list_cases").response.fields["items"].inner.schema.dump(rows, many=True))


def _case_context(case_id: uuid.UUID) -> dict:
    case = bridge.call("cases.get_case", None, case_id=case_id)
    page = {"per_page": "100"}
    sections = {}
    for name, endpoint in (("incidents", "incidents.list_incidents"), ("consents", "consents.list_consents"),
                           ("risk", "risk.list_risk_assessments"), ("sessions", "sessions.list_sessions"),
                           ("plan", "plans.list_plan_items"), ("approvals", "approvals.list_approvals"),
                           ("referrals", "referrals.list_case_referrals"), ("closures", "closures.list_closures"),
                           ("conferences", "conferences.list_conferences")):
        try:
            sections[name] = bridge.call(endpoint, page, case_id=case_id)["items"]
        except ApiError:
            sections[name] = None  # not hers to read: the section says so
    forms = {}
    for action, endpoint in CASE_ACTIONS.items():
        skip = ("answers", "instrument") if action == "risk" else ()
        forms[action] = describe(bridge.arguments_schema(endpoint), skip=skip)
    instruments = bridge.call("risk.list_instruments")["items"] if may(current_user, "risk.read") else []
    organizations = bridge.call("directory.list_organizations", {"per_page": "100"})["items"]
    timeline = charts.clock_timeline(sections["referrals"] or [])
    from caseflow.console.custody import custody_summary

    return {"case": case, "custody": custody_summary(case), "sections": sections, "forms": forms, "instruments": instruments,
            "organizations": organizations, "timeline": timeline, "errors": {}, "values": {}, "failed": None,
            "message": None, "name": None, "conference": None, "record_forms": {
                kind: describe(bridge.arguments_schema(endpoint)) for kind, (endpoint, _) in RECORD_ACTIONS.items()}}


@bp.get("/cases/<uuid:case_id>")
def case_page(case_id):
    return render_template("console/case.html", **_case_context(case_id))


@bp.post("/cases/<uuid:case_id>/name")
def reveal_name(case_id):
    """Her name for this one case, on request: the read is the API's, audited as such."""
    case = bridge.call("cases.get_case", None, case_id=case_id)
    survivor = bridge.call("survivors.get_survivor", None, survivor_id=uuid.UUID(case["survivor"]["id"]))
    if request.headers.get("HX-Request"):
        return render_template("console/_name.html", survivor=survivor)
    context = _case_context(case_id)
    context["name"] = survivor
    return render_template("console/case.html", **context)


@bp.post("/cases/<uuid:case_id>/conferences/<uuid:conference_id>")
def read_conference(case_id, conference_id):
    """One conference with its decisions, on request: the API's ``GET /conferences/{id}``
    (audited there); lists never carry the decisions, as in the API."""
    conference = bridge.call("conferences.get_conference", None, conference_id=conference_id)
    if conference["case_id"] != str(case_id):
        abort(404)
    if request.headers.get("HX-Request"):
        return render_template("console/_conference.html", conference=conference)
    context = _case_context(case_id)
    context["conference"] = conference
    return render_template("console/case.html", **context)


def _risk_input(form) -> dict:
    answers = {key.removeprefix("answers."): value for key, value in form.items() if key.startswith("answers.")}
    converted = {}
    for key, value in answers.items():
        if value in ("yes", "no"):
            converted[key] = value == "yes"
        else:
            try:
                converted[key] = int(value)
            except ValueError:
                converted[key] = value
    return {"instrument": form.get("instrument", ""), "answers": converted}


@bp.post("/cases/<uuid:case_id>/<action>")
def case_action(case_id, action):
    endpoint = CASE_ACTIONS.get(action)
    if endpoint is None:
        abort(404)
    fields = describe(bridge.arguments_schema(endpoint), skip=("answers", "instrument") if action == "risk" else ())
    try:
        data = form_data(fields, request.form)
        if action == "risk":
            data.update(_risk_input(request.form))
        bridge.call(endpoint, data, case_id=case_id)
    except ApiError as error:
        return _case_failure(case_id, action, error)
    return redirect(url_for("console.case_page", case_id=case_id, _anchor=action))


@bp.post("/cases/<uuid:case_id>/records/<kind>/<uuid:record_id>")
def record_action(case_id, kind, record_id):
    if kind not in RECORD_ACTIONS:
        abort(404)
    endpoint, argument = RECORD_ACTIONS[kind]
    try:
        bridge.call(endpoint, form_data(describe(bridge.arguments_schema(endpoint)), request.form),
                    **{argument: record_id})
    except ApiError as error:
        return _case_failure(case_id, f"{kind}-{record_id}", error)
    return redirect(url_for("console.case_page", case_id=case_id))


def _case_failure(case_id, action, error: ApiError):
    message, errors = _error_parts(error)
    context = _case_context(case_id)
    context.update(errors=errors, values=request.form, failed=action, message=message)
    return render_template("console/case.html", **context), error.code


@bp.get("/cases/<uuid:case_id>/access-log")
def access_log(case_id):
    case = bridge.call("cases.get_case", None, case_id=case_id)
    entries = bridge.call("audit.case_access_log", {"per_page": "100"}, case_id=case_id)
    return render_template("console/access_log.html", case=case, entries=entries)


# -- supervision --------------------------------------------------------------------------------
@bp.get("/supervision")
def supervision():
    overdue = bridge.call("review.overdue", {"within_hours": "24", "per_page": "50"})
    period = {key: value for key, value in request.args.items() if key in ("from", "to") and value}
    report = bridge.call("review.referral_timelines", period)
    return render_template("console/supervision.html", overdue=overdue, report=report,
                           charts=charts.report_charts(report), period=period)


@bp.get("/supervision/referral-timelines.csv")
def referral_timelines_csv():
    period = {key: value for key, value in request.args.items() if key in ("from", "to") and value}
    target = bridge.route("review.referral_timelines")
    args = target.arguments.load({**period, "format": "csv"}) if "format" in target.arguments.fields else None
    if args is None:
        abort(404)
    return target.view(args)


@bp.get("/supervision/audit")
def audit_trail():
    entries = bridge.call("audit.list_audit", {"per_page": "100"})
    return render_template("console/audit.html", entries=entries)


# -- administration: caseflow.console.admin ---------------------------------------------------
from caseflow.console import admin as _admin_pages  # noqa: E402,F401  (its routes join this blueprint)
from caseflow.console import custody as _custody_pages  # noqa: E402,F401  (the same)
from caseflow.console import visit_plans as _visit_plan_pages  # noqa: E402,F401  (the same)
