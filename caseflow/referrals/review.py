"""Supervisor review: referrals overdue or due soon, and the referral-timelines report."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import marshmallow as ma
from flask import Response, jsonify, request
from flask_babel import lazy_gettext
from flask_smorest import Blueprint

from caseflow.access.policy import oversight_centre, require
from caseflow.cases.recording import local_zone
from caseflow.core.clock import utcnow
from caseflow.core.errors import field_error
from caseflow.core.fields import choice
from caseflow.core.openapi import csv_alternative
from caseflow.core.pagination import PageArgs, page_schema
from caseflow.referrals import breaches, reports
from caseflow.referrals.schemas import ReferralSchema

blp = Blueprint("review", __name__, url_prefix="/api/v1", description="Supervisor review of referral deadlines")

OverduePage = page_schema(
    ReferralSchema, "OverdueReferralPage",
    total=ma.fields.Integer(metadata={"description": (
        f"Referrals in the view, counted up to {breaches.COUNT_LIMIT:,}; see total_exact")}),
    total_exact=ma.fields.Boolean(metadata={"description": (
        f"false when more than {breaches.COUNT_LIMIT:,} referrals are in the view: total is then that bound")}),
    next_cursor=ma.fields.String(allow_none=True, metadata={"description": (
        "Pass as `cursor` for the next page (null on the last page)")}),
)
DEFAULT_REPORT_DAYS = 30
MAX_REPORT_DAYS = 366 * 3


class OverdueQuery(PageArgs):
    within_hours = ma.fields.Integer(load_default=24, validate=ma.validate.Range(min=0, max=24 * 14), metadata={
        "description": "Also list referrals whose next deadline falls within this many hours"})
    cursor = ma.fields.String(validate=ma.validate.Length(max=200), metadata={
        "description": "The previous page's `next_cursor`: the page after it (instead of `page`)"})

    @ma.validates_schema
    def _one_way_of_paging(self, data, **_kwargs):
        if data.get("cursor") is not None and data.get("page", 1) != 1:
            raise ma.ValidationError(lazy_gettext("Page by cursor or by page number, not both."), "cursor")


class ReportQuery(ma.Schema):
    from_ = ma.fields.Date(data_key="from", metadata={
        "description": "First day (in the deployment's zone) of sending; default 30 days ago"})
    to = ma.fields.Date(metadata={"description": "Last day, inclusive; default today"})
    format = choice(("json", "csv"), metadata={"description": "csv, or send Accept: text/csv"})


class ReportRowSchema(ma.Schema):
    sector = ma.fields.String()
    service_type = ma.fields.String()
    count = ma.fields.Integer(metadata={"description": "Referrals sent in the period"})
    accepted = ma.fields.Integer()
    completed = ma.fields.Integer()
    median_hours_to_acceptance = ma.fields.Float(allow_none=True)
    p90_hours_to_acceptance = ma.fields.Float(allow_none=True)
    median_hours_to_completion = ma.fields.Float(allow_none=True)
    p90_hours_to_completion = ma.fields.Float(allow_none=True)
    with_deadline = ma.fields.Integer(metadata={"description": "Referrals whose deadline has a result"})
    within_deadline = ma.fields.Integer()
    share_within_deadline = ma.fields.Float(allow_none=True)
    onward = ma.fields.Integer(metadata={
        "description": "Of these, referrals a receiving organization sent on (parent_referral_id set)"})
    sent_on = ma.fields.Integer(metadata={
        "description": "Of these, referrals whose receiving organization sent the case on"})


class ReportSchema(ma.Schema):
    start = ma.fields.AwareDateTime(data_key="from")
    end = ma.fields.AwareDateTime(data_key="to", metadata={"description": "Exclusive"})
    scope = ma.fields.String(metadata={"description": "centre or national"})
    rows = ma.fields.Nested(ReportRowSchema, many=True)


@blp.get("/supervision/overdue")
@blp.arguments(OverdueQuery(), location="query")
@blp.response(200, OverduePage)
def overdue(args):
    """Referrals of the supervisor's centre (every centre for a national supervisor) whose
    next deadline has passed or falls within `within_hours` (24 by default), soonest first.
    Follow `next_cursor` with `?cursor=` for the next page (or use `page`)."""
    centre = oversight_centre()
    try:
        page = breaches.overdue_page(centre, utcnow(), timedelta(hours=args["within_hours"]),
                                     per_page=args["per_page"], page=args["page"], cursor=args.get("cursor"))
    except breaches.BadCursor:
        raise field_error("cursor", lazy_gettext("Not a cursor given by this list.")) from None
    # Already in ReferralSchema's shape (breaches.overdue_page): answered as is.
    return jsonify(page)


def _period(args) -> tuple[datetime, datetime]:
    zone = local_zone()
    today = utcnow().astimezone(zone).date()
    last = args.get("to") or today
    first = args.get("from_") or last - timedelta(days=DEFAULT_REPORT_DAYS - 1)
    if first > last:
        raise field_error("from", lazy_gettext("Must not be after to."))
    if (last - first).days > MAX_REPORT_DAYS:
        raise field_error("from", lazy_gettext("The period is too long."))

    def start_of(day):
        return datetime.combine(day, time.min, tzinfo=zone).astimezone(timezone.utc)

    return start_of(first), start_of(last + timedelta(days=1))


def _wants_csv(args) -> bool:
    if "format" in args:
        return args["format"] == "csv"
    return request.accept_mimetypes.best_match(["application/json", "text/csv"]) == "text/csv"


@blp.get("/reports/referral-timelines")
@blp.arguments(ReportQuery, location="query")
@blp.response(200, ReportSchema)
@blp.doc(responses=csv_alternative(ReportSchema, "The report, as JSON or CSV"))
def referral_timelines(args):
    """Per sector and service type: count, median and 90th-percentile hours to acceptance
    and to completion, and the share within deadline (definitions: docs/referrals.md).
    `?format=csv` or `Accept: text/csv` gives the same rows as CSV."""
    require("report.read")
    centre = oversight_centre()
    start, end = _period(args)
    rows = reports.referral_timelines(centre, start, end, utcnow())
    if _wants_csv(args):
        return Response(reports.as_csv(rows), mimetype="text/csv", headers={
            "Content-Disposition": "attachment; filename=referral-timelines.csv"})
    return {"start": start, "end": end, "scope": "centre" if centre else "national", "rows": rows}
