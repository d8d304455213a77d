"""The console's statistics page (``/statistics``): an indicator by one dimension as bars, the
same indicator by month as a line, and compliance, for a centre's supervisors (their centre)
and national oversight (every centre, and the place breakdowns). Everything is read through
the statistics API's routes (:mod:`caseflow.console.bridge`): the same tables, the same
suppression, the same audit; a suppressed cell is drawn as suppressed, never as a number.
Charts are SVG geometry computed here and written by the template (no script)."""

from __future__ import annotations

import marshmallow as ma
from flask import abort, render_template, request

from caseflow.console import bridge
from caseflow.console.views import bp
from caseflow.core.errors import ApiError, Unprocessable, error_payload

WIDTH, LEFT, ROW = 720, 210, 26
LINE_HEIGHT, LINE_TOP, LINE_BOTTOM = 220, 20, 40
PERIOD_NAMES = ("month", "quarter", "year")


def bars(rows: list[dict], dimension: str) -> dict:
    """One bar per value; a suppressed count a grey stub marked as suppressed."""
    most = max([r["count"] or 0 for r in rows] + [1])
    span = WIDTH - LEFT - 90
    items = [{"label": str(r[dimension]), "count": r["count"], "suppressed": r["suppressed"],
              "y": 5 + i * ROW, "width": 6 if r["suppressed"] else round(span * (r["count"] or 0) / most, 1)}
             for i, r in enumerate(rows)]
    return {"bars": items, "width": WIDTH, "left": LEFT, "height": 10 + len(items) * ROW}


def month_line(rows: list[dict]) -> dict:
    """The counts by month as a line; it breaks at a suppressed month, which is marked."""
    rows = sorted(rows, key=lambda r: r["month"])
    if not rows:
        return {"points": [], "segments": []}
    most = max([r["count"] or 0 for r in rows] + [1])
    step = (WIDTH - 60) / max(len(rows) - 1, 1)
    bottom = LINE_HEIGHT - LINE_BOTTOM
    points, segments, current = [], [], []
    for i, r in enumerate(rows):
        x = round(40 + i * step, 1)
        y = round(bottom - (bottom - LINE_TOP) * (r["count"] or 0) / most, 1)
        points.append({"x": x, "y": bottom if r["suppressed"] else y, "month": r["month"], "count": r["count"],
                       "suppressed": r["suppressed"]})
        if r["suppressed"]:
            if current:
                segments.append(current)
            current = []
        else:
            current.append(f"{x},{y}")
    if current:
        segments.append(current)
    return {"points": points, "segments": [" ".join(s) for s in segments], "width": WIDTH,
            "height": LINE_HEIGHT, "bottom": bottom, "most": most}


def _period() -> dict:
    return {key: value for key, value in request.args.items() if key in ("from", "to") and value}


@bp.get("/statistics")
def statistics_page():
    catalogue = bridge.call("statistics.catalogue")
    indicators = {i["name"]: i for i in catalogue["items"]}
    name = request.args.get("indicator") or "incidents"
    indicator = indicators.get(name)
    if indicator is None:
        abort(404)
    choices = [d for d in indicator["dimensions"] if d["available"] and d["name"] not in PERIOD_NAMES]
    by = request.args.get("by")
    if by not in {d["name"] for d in choices}:
        by = choices[0]["name"] if choices else None
    period, message = _period(), None
    table = monthly = compliance = None
    try:
        table = bridge.call("statistics.indicator_table", {"by": by or "", **period, "format": "json"}, indicator=name)
        monthly = bridge.call("statistics.indicator_table", {"by": "month", **period, "format": "json"},
                              indicator=name)
        compliance = bridge.call("statistics.compliance", {**period, "format": "json"})
    except ApiError as error:
        # Bad dates: the form again with the API's message, nothing drawn.
        payload, _, _ = error_payload(error)
        message = payload["message"]
    return render_template(
        "console/statistics.html", catalogue=catalogue, indicators=catalogue["items"], indicator=indicator,
        choices=choices, by=by, period=period, message=message, table=table, monthly=monthly,
        compliance=compliance, chart=bars(table["rows"], by) if table and by else None,
        line=month_line(monthly["rows"]) if monthly else None), 422 if message else 200


@bp.get("/statistics/<string:indicator>.csv")
def statistics_csv(indicator):
    """The table the page draws, as the API's CSV (same suppression, same audit)."""
    args = {**_period(), "format": "csv"}
    endpoint = "statistics.compliance" if indicator == "compliance" else "statistics.indicator_table"
    target = bridge.route(endpoint)
    if endpoint == "statistics.indicator_table":
        args["by"] = request.args.get("by", "")
    try:
        loaded = target.arguments.load(args)
    except ma.ValidationError as error:
        raise Unprocessable(errors=error.messages) from None
    if endpoint == "statistics.compliance":
        return target.view(loaded)
    return target.view(loaded, indicator=indicator)
