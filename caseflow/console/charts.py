"""Pictures drawn on the server as SVG geometry (the templates write the SVG): they work
offline, under the CSP, and print. Numbers only; every label is escaped by Jinja."""

from __future__ import annotations

from datetime import datetime

from caseflow.console.labels import choice_label
from caseflow.core.clock import utcnow

WIDTH = 720
ROW = 26
LEFT = 210


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def clock_timeline(referrals: list[dict]) -> dict:
    """Each clock of each referral a bar from its start to its deadline, with a mark where it
    was met (or where it ran out unmet), and a line for now."""
    clocks = []
    for referral in referrals:
        for clock in referral.get("clocks") or []:
            clocks.append((referral, clock))
    if not clocks:
        return {"bars": [], "height": 0, "width": WIDTH}
    now = utcnow()
    starts = [_when(c["starts_at"]) for _, c in clocks]
    ends = [max(_when(c["due_at"]), _when(c["met_at"]) or _when(c["due_at"])) for _, c in clocks]
    first, last = min(starts), max(max(ends), now)
    span = max((last - first).total_seconds(), 1.0)

    def x(moment: datetime) -> float:
        return round(LEFT + (WIDTH - LEFT - 10) * (moment - first).total_seconds() / span, 1)

    bars = []
    for index, (referral, clock) in enumerate(clocks):
        start, due, met = _when(clock["starts_at"]), _when(clock["due_at"]), _when(clock["met_at"])
        bars.append({
            "y": 20 + index * ROW, "x": x(start), "width": max(x(due) - x(start), 2),
            "label": f"{choice_label(referral['service_type'])} · {choice_label(clock['milestone'])}", "state": clock["state"],
            "mark": x(met) if met else (x(due) if clock["state"] == "missed" else None),
            "due_at": clock["due_at"], "met_at": clock["met_at"],
        })
    return {"bars": bars, "height": 30 + len(bars) * ROW, "width": WIDTH, "now": x(now),
            "first": first, "last": last}


def report_charts(report: dict) -> dict:
    """Share within deadline and median hours, one bar per sector and service type."""
    rows = report.get("rows") or []
    share = [{"label": f"{choice_label(r['sector'])} · {choice_label(r['service_type'])}", "value": r["share_within_deadline"],
              "width": round((WIDTH - LEFT - 60) * (r["share_within_deadline"] or 0), 1)} for r in rows]
    most = max([r["median_hours_to_acceptance"] or 0 for r in rows] + [r["median_hours_to_completion"] or 0
                                                                        for r in rows] + [1])
    hours = [{"label": f"{choice_label(r['sector'])} · {choice_label(r['service_type'])}",
              "acceptance": r["median_hours_to_acceptance"], "completion": r["median_hours_to_completion"],
              "acceptance_width": round((WIDTH - LEFT - 60) * (r["median_hours_to_acceptance"] or 0) / most, 1),
              "completion_width": round((WIDTH - LEFT - 60) * (r["median_hours_to_completion"] or 0) / most, 1)}
             for r in rows]
    return {"share": share, "hours": hours, "width": WIDTH, "left": LEFT,
            "share_height": 20 + len(share) * ROW, "hours_height": 20 + len(hours) * ROW * 2}
