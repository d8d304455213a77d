"""Statistics routes: de-identified tables for a centre's supervisors and national oversight.

Every request is audited with what was asked (indicator, dimensions, period, scope), never
with the counts. Each route answers CSV with ``Accept: text/csv`` (or ``?format=csv``).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta, timezone

import marshmallow as ma
from flask import Response, current_app, request
from flask_babel import lazy_gettext
from flask_smorest import Blueprint

from caseflow.access.policy import may_break_down_by_place, statistics_centre
from caseflow.audit.services import record
from caseflow.cases.recording import local_zone
from caseflow.core.clock import utcnow
from caseflow.core.errors import Forbidden, NotFound, field_error
from caseflow.core.fields import choice
from caseflow.core.openapi import csv_alternative
from caseflow.statistics import accompaniment, incident_recorder, tables
from caseflow.statistics import compliance as compliance_report
from caseflow.statistics.catalogue import DIMENSIONS, INDICATORS, dimensions_of

blp = Blueprint("statistics", __name__, url_prefix="/api/v1",
                description="De-identified statistics with small cells suppressed")

DEFAULT_DAYS = 365
MAX_DAYS = 366 * 5


class PeriodQuery(ma.Schema):
    from_ = ma.fields.Date(data_key="from", metadata={"description": "First day (local); default a year ago"})
    to = ma.fields.Date(metadata={"description": "Last day, inclusive; default today"})
    format = choice(("json", "csv"), metadata={"description": "csv, or send Accept: text/csv"})


class TableQuery(PeriodQuery):
    by = ma.fields.String(load_default="", validate=ma.validate.Length(max=200), metadata={
        "description": "Up to two dimensions, comma-separated (GET /statistics lists them)"})


class DimensionSchema(ma.Schema):
    name = ma.fields.String()
    label = ma.fields.String()
    sources = ma.fields.List(ma.fields.String())
    available = ma.fields.Boolean(metadata={"description": "false while its column is not recorded yet"})
    national_only = ma.fields.Boolean()


class IndicatorSchema(ma.Schema):
    name = ma.fields.String()
    label = ma.fields.String()
    description = ma.fields.String()
    sources = ma.fields.List(ma.fields.String())
    dimensions = ma.fields.Nested(DimensionSchema, many=True)


class CatalogueSchema(ma.Schema):
    threshold = ma.fields.Integer()
    consent = ma.fields.String(metadata={"description": "consent or administrative"})
    items = ma.fields.Nested(IndicatorSchema, many=True)


class TableSchema(ma.Schema):
    indicator = ma.fields.String()
    from_ = ma.fields.Date(data_key="from")
    to = ma.fields.Date()
    scope = ma.fields.String(metadata={"description": "centre or national"})
    threshold = ma.fields.Integer()
    rows = ma.fields.List(ma.fields.Dict(), metadata={"description": (
        "One per combination: each dimension's value, `count` (null when suppressed) and `suppressed`")})
    total = ma.fields.Integer(allow_none=True)


class ComplianceRowSchema(ma.Schema):
    rule = ma.fields.String()
    hours = ma.fields.Integer()
    total = ma.fields.Integer(allow_none=True)
    met = ma.fields.Integer(allow_none=True)
    missed = ma.fields.Integer(allow_none=True)
    open = ma.fields.Integer(allow_none=True)
    share_met = ma.fields.Float(allow_none=True)
    median_hours = ma.fields.Float(allow_none=True)
    suppressed = ma.fields.Boolean()


class FirstContactSchema(ma.Schema):
    milestone = ma.fields.String(metadata={"description": "plan, referral or service"})
    from_ = ma.fields.String(data_key="from", metadata={"description": "first_contact: the case opened at intake"})
    cases = ma.fields.Integer(allow_none=True, metadata={"description": "Cases opened in the period"})
    reached = ma.fields.Integer(allow_none=True)
    not_reached = ma.fields.Integer(allow_none=True)
    median_hours = ma.fields.Float(allow_none=True, metadata={"description": "From first contact, over those reached"})
    suppressed = ma.fields.Boolean()


class ComplianceSchema(ma.Schema):
    from_ = ma.fields.Date(data_key="from")
    to = ma.fields.Date()
    scope = ma.fields.String()
    threshold = ma.fields.Integer()
    rows = ma.fields.Nested(ComplianceRowSchema, many=True)
    timelines = ma.fields.Nested(FirstContactSchema, many=True, metadata={"description": (
        "Hours from first contact to the case's first plan line, first referral, first service given")})


def period(args) -> tuple:
    """(first day, last day, start, end): the days in the deployment's zone, the instants UTC."""
    zone = local_zone()
    today = utcnow().astimezone(zone).date()
    last = args.get("to") or today
    first = args.get("from_") or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise field_error("from", lazy_gettext("Must not be after to."))
    if (last - first).days > MAX_DAYS:
        raise field_error("from", lazy_gettext("The period is too long."))

    def start_of(day):
        return datetime.combine(day, time.min, tzinfo=zone).astimezone(timezone.utc)

    return first, last, start_of(first), start_of(last + timedelta(days=1))


def wants_csv(args) -> bool:
    if "format" in args:
        return args["format"] == "csv"
    return request.accept_mimetypes.best_match(["application/json", "text/csv"]) == "text/csv"


def csv_response(columns, rows, name: str, footer: dict | None = None) -> Response:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in [*rows, *([footer] if footer else [])]:
        writer.writerow({c: "" if row.get(c) is None else row[c] for c in columns})
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={name}.csv"})


def _audit(what: str, **detail) -> None:
    record("statistics", "statistics", None, detail={"what": what, **detail})


def _threshold() -> int:
    return max(int(current_app.config["CASEFLOW_SMALL_CELL_THRESHOLD"]), 1)


@blp.get("/statistics")
@blp.response(200, CatalogueSchema)
def catalogue():
    """The indicators and, for each, the dimensions it can be broken down by."""
    statistics_centre()
    national = may_break_down_by_place()
    items = [{
        "name": i.name, "label": str(i.label), "description": str(i.description), "sources": list(i.sources),
        "dimensions": [{"name": d.name, "label": str(d.label), "sources": list(d.sources),
                        "available": tables.available(d, i.record) and (national or not d.geographic),
                        "national_only": d.geographic} for d in dimensions_of(i)],
    } for i in INDICATORS.values()]
    _audit("catalogue")
    return {"threshold": _threshold(), "consent": current_app.config["CASEFLOW_STATISTICS_CONSENT"], "items": items}


@blp.get("/statistics/compliance")
@blp.doc(responses=csv_alternative(ComplianceSchema, "Compliance per deadline rule, as JSON or CSV"))
@blp.arguments(PeriodQuery, location="query")
@blp.response(200, ComplianceSchema)
def compliance(args):
    """Per deadline rule: total, met, missed, open, share met and median hours to the milestone,
    for referrals sent in the period; and for cases opened in the period, the median hours from
    first contact to plan, to referral, to service (small counts suppressed)."""
    centre = statistics_centre()
    first, last, start, end = period(args)
    rows = compliance_report.compliance(centre, start, end, utcnow(), _threshold())
    timelines = compliance_report.timelines(centre, start, end, _threshold())
    _audit("compliance", start=first.isoformat(), end=last.isoformat(), scope="centre" if centre else "national")
    if wants_csv(args):
        # One sheet: the rules' lines, then a line per milestone (rule "first_contact_to_<milestone>").
        lines = [*rows, *({"rule": f"first_contact_to_{t['milestone']}", "total": t["cases"], **t} for t in timelines)]
        return csv_response(["rule", "hours", "total", "met", "missed", "open", "share_met", "median_hours",
                             "reached", "not_reached", "suppressed"], lines, "compliance")
    return {"from_": first, "to": last, "scope": "centre" if centre else "national",
            "threshold": _threshold(), "rows": rows, "timelines": timelines}


@blp.get("/statistics/<string:indicator>")
@blp.doc(responses=csv_alternative(TableSchema, "The table, as JSON or CSV"))
@blp.arguments(TableQuery, location="query")
@blp.response(200, TableSchema)
def indicator_table(args, indicator):
    """The indicator's counts in the period by up to two dimensions (`by=d1,d2`). Counts above
    0 and below the threshold are null with `suppressed: true`, and enough others with them
    that none can be worked out from the rest (docs/statistics.md)."""
    centre = statistics_centre()
    found = INDICATORS.get(indicator)
    if found is None:
        raise NotFound()
    by = [name.strip() for name in args["by"].split(",") if name.strip()]
    if len(by) > 2 or len(set(by)) != len(by):
        raise field_error("by", lazy_gettext("Up to two different dimensions."))
    for name in by:
        dimension = DIMENSIONS.get(name)
        if dimension is None or name not in {d.name for d in dimensions_of(found)}:
            raise field_error("by", lazy_gettext("Not a dimension of this indicator."))
        if not tables.available(dimension, found.record):
            raise field_error("by", lazy_gettext("This dimension is not recorded yet."))
        if dimension.geographic and not may_break_down_by_place():
            raise Forbidden(lazy_gettext("Breakdowns by place are for national oversight."))
    first, last, start, end = period(args)
    threshold = _threshold()
    result = tables.compute(found, by, centre, start, end, threshold)
    scope = "centre" if centre else "national"
    _audit("table", indicator=found.name, by=by, start=first.isoformat(), end=last.isoformat(), scope=scope)
    if wants_csv(args):
        return csv_response([*by, "count", "suppressed"], result["rows"], f"statistics-{found.name}",
                            footer={by[0] if by else "count": "total", "count": result["total"],
                                    "suppressed": result["total_suppressed"]} if by else
                            {"count": result["total"], "suppressed": result["total_suppressed"]})
    return {"indicator": found.name, "from_": first, "to": last, "scope": scope, "threshold": threshold,
            "rows": result["rows"], "total": result["total"]}


class AccompanimentSchema(ma.Schema):
    from_ = ma.fields.Date(data_key="from")
    to = ma.fields.Date()
    scope = ma.fields.String()
    threshold = ma.fields.Integer()
    mentors_trained = ma.fields.Integer(metadata={"description": (
        "Mentors with at least CASEFLOW_MENTOR_TRAINING_SESSIONS training sessions by the period's end")})
    training_sessions_required = ma.fields.Integer()
    accompanied_by_mentors = ma.fields.Integer(allow_none=True, metadata={"description": (
        "Women who filed a complaint with a mentor's visit done in the period")})
    accompanied_by_psychologists = ma.fields.Integer(allow_none=True, metadata={"description": (
        "Women who did not file a complaint with a community psychologist's visit done in the period")})
    complaint_filed_recorded = ma.fields.Boolean()
    by_district_available = ma.fields.Boolean()
    by_district = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.List(ma.fields.Dict()))


@blp.get("/reports/accompaniment")
@blp.doc(responses=csv_alternative(AccompanimentSchema, "The accompaniment report, as JSON or CSV"))
@blp.arguments(PeriodQuery, location="query")
@blp.response(200, AccompanimentSchema)
def accompaniment_report(args):
    """Programa Aurora's "Mujeres acompañando mujeres" for the period (small counts suppressed)."""
    centre = statistics_centre()
    first, last, start, end = period(args)
    threshold = _threshold()
    result = accompaniment.report(centre, start, end, threshold,
                                  int(current_app.config["CASEFLOW_MENTOR_TRAINING_SESSIONS"]))
    scope = "centre" if centre else "national"
    _audit("accompaniment", start=first.isoformat(), end=last.isoformat(), scope=scope)
    if wants_csv(args):
        rows = [{"line": "mentors_trained", "district": "", "count": result["mentors_trained"]}]
        for line in accompaniment.LINES:
            rows.append({"line": line, "district": "", "count": result[line]})
            rows += [{"line": line, **cell} for cell in result["by_district"][line]]
        return csv_response(["line", "district", "count", "suppressed"], rows, "accompaniment")
    return {"from_": first, "to": last, "scope": scope, "threshold": threshold, **result}


@blp.get("/exports/incident-recorder")
@blp.arguments(PeriodQuery, location="query")
@blp.response(200, description="The GBVIMS Incident Recorder (XLSX)")
@blp.doc(responses={"200": {"description": "The GBVIMS Incident Recorder (XLSX)", "content": {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "schema": {"type": "string", "format": "binary"}}}}})
def incident_recorder_export(args):
    """The GBVIMS Incident Recorder for incidents reported in the period: sheets "Incident
    Data" and "Menu Data", codes only (never names or documents). Supervisors only; audited."""
    centre = statistics_centre()
    first, last, start, end = period(args)
    workbook = incident_recorder.write(centre, start, end)
    record("export", "incident_recorder", None, detail={
        "start": first.isoformat(), "end": last.isoformat(), "scope": "centre" if centre else "national"})
    return Response(_chunks(workbook), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename=incident-recorder-{first}-{last}.xlsx"})


def _chunks(handle, size: int = 1 << 16):
    """The workbook's temporary file, read out and closed (so deleted) once sent or dropped."""
    try:
        while chunk := handle.read(size):
            yield chunk
    finally:
        handle.close()
