"""Compliance with the deadline rules: per rule, how many clocks met, missed or still open,
and the median hours to the milestone. Computed by the database from the referrals'
clocks (PEP within 72 h and emergency contraception within 120 h of the incident,
protective measures within 24 h, acknowledgements by priority). Definitions:
docs/statistics.md."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import and_, case, func, literal, or_, select, union_all

from caseflow.extensions import db
from caseflow.referrals.models import DeadlineRule, ReferralClock
from caseflow.statistics import medians, planning, suppression
from caseflow.statistics.models import CaseMilestones

#: A clock's outcome in the period: met by its due time, missed (reached late, still running
#: past due, or stopped unmet other than by a cancellation), or open (running, not yet due).
#: A clock stopped by its referral's cancellation counts as none of them.
OUTCOMES = ("met", "missed", "open")


def compliance(centre: uuid.UUID | None, start: datetime, end: datetime, now: datetime, threshold: int) -> list[dict]:
    """Per rule: met, missed and open clocks of the referrals sent in the period, and the
    median minutes from each met clock's start to its milestone, in one statement on both
    databases over the clocks alone (each carries its referral's sending moment, centre and
    whether it was stopped by a cancellation: ``referral_clocks``, 0025).

    The median is to the minute, from each clock's kept ``minutes_to_met`` counted per rule
    (caseflow.statistics.medians): sorting a national year's 1,500,000 clocks for
    ``percentile_cont`` took 0.9 s in one process (docs/performance.md)."""
    planning.for_aggregation()
    clock = ReferralClock
    conditions = [clock.sent_at >= start, clock.sent_at < end]
    if centre is not None:
        conditions.append(clock.organization_id == centre)
    reached, unmet = clock.met_at.is_not(None), clock.met_at.is_(None)
    outcomes = {
        "met": and_(reached, clock.met_at <= clock.due_at),
        "missed": or_(and_(reached, clock.met_at > clock.due_at),  # reached late
                      and_(unmet, clock.stopped_at.is_not(None), clock.cancelled.is_(False)),
                      and_(unmet, clock.stopped_at.is_(None), clock.due_at <= now)),  # running past due
        "open": and_(unmet, clock.stopped_at.is_(None), clock.due_at > now),
    }
    one = literal(1)
    # Counted per rule version and minute, the clocks alone; then a few thousand rows joined
    # to their rules, whose versions count together under their code.
    per_version = (select(clock.rule_id, clock.minutes_to_met.label("minutes"),
                          *(func.count(case((outcomes[name], one))).label(name) for name in OUTCOMES),
                          func.count().label("n"))
                   .where(*conditions).group_by(clock.rule_id, clock.minutes_to_met).subquery())
    histogram = (select(DeadlineRule.code, DeadlineRule.hours, per_version.c.minutes,
                        *(per_version.c[name] for name in OUTCOMES), per_version.c.n)
                 .join_from(per_version, DeadlineRule, DeadlineRule.id == per_version.c.rule_id).subquery())
    counted = medians.running_counts(histogram, (histogram.c.code,))
    statement = (select(counted.c.code, func.min(counted.c.hours).label("hours"),
                        *(func.sum(counted.c[name]).label(name) for name in OUTCOMES),
                        medians.median_minutes(counted).label("median_minutes"))
                 .group_by(counted.c.code).order_by(counted.c.code))
    rows = []
    for row in db.session.execute(statement):
        met, missed, still_open = (int(row.met), int(row.missed), int(row.open))
        line = suppression.suppress_one_way([met, missed, still_open], threshold)
        values = {name: (None if i in line.hidden else line.counts[i]) for i, name in enumerate(OUTCOMES)}
        decided = met + missed
        complete = not line.hidden
        median = row.median_minutes
        rows.append({
            "rule": row.code, "hours": row.hours,
            "total": None if line.total_hidden else line.total, **values,
            "share_met": round(met / decided, 4) if decided and complete else None,
            "median_hours": round(float(median) / 60, 2) if median is not None and complete else None,
            "suppressed": bool(line.hidden or line.total_hidden),
        })
    return rows


#: From first contact (the case opened at intake) to each first milestone of the case.
MILESTONES = ("plan", "referral", "service")


def _minutes_to(milestone: str):
    """The kept whole minutes from first contact to ``milestone`` of a case
    (caseflow.statistics.milestones)."""
    return {"plan": CaseMilestones.plan_minutes, "referral": CaseMilestones.referral_minutes,
            "service": CaseMilestones.service_minutes}[milestone]


def timelines(centre: uuid.UUID | None, start: datetime, end: datetime, threshold: int) -> list[dict]:
    """For cases opened in the period: how many reached each milestone, how many not yet, and
    the median hours from first contact to it, from each case's kept first milestones
    (``statistics_case_milestones``: one row per case, its centre, opening moment and minutes
    to each milestone beside them). One statement on both databases: each milestone's cases
    counted per minute (null: not reached), and the median found in those counts
    (caseflow.statistics.medians)."""
    planning.for_aggregation()
    conditions = [CaseMilestones.opened_at >= start, CaseMilestones.opened_at < end]
    if centre is not None:
        conditions.append(CaseMilestones.organization_id == centre)
    histogram = union_all(*(
        select(literal(milestone).label("milestone"), _minutes_to(milestone).label("minutes"),
               func.count().label("n")).where(*conditions).group_by(_minutes_to(milestone))
        for milestone in MILESTONES)).subquery()
    counted = medians.running_counts(histogram, (histogram.c.milestone,))
    statement = select(counted.c.milestone, func.sum(counted.c.n).label("cases"),
                       func.sum(case((counted.c.minutes.is_not(None), counted.c.n), else_=0)).label("reached"),
                       medians.median_minutes(counted).label("median_minutes")).group_by(counted.c.milestone)
    found = {row.milestone: row for row in db.session.execute(statement)}
    lines = []
    for milestone in MILESTONES:
        row = found.get(milestone)
        median = None if row is None or row.median_minutes is None else float(row.median_minutes) / 60
        lines.append(_timeline_line(milestone, int(row.cases) if row else 0, int(row.reached) if row else 0,
                                    median, threshold))
    return lines


def _timeline_line(milestone: str, total: int, reached_count: int, median, threshold: int) -> dict:
    line = suppression.suppress_one_way([reached_count, total - reached_count], threshold)
    reached_hidden = 0 in line.hidden
    return {
        "milestone": milestone, "from_": "first_contact",
        "cases": None if line.total_hidden else total,
        "reached": None if reached_hidden else reached_count,
        "not_reached": None if 1 in line.hidden else total - reached_count,
        # A median over counts that are shown (and so at least the threshold).
        "median_hours": round(float(median), 2) if median is not None and not reached_hidden else None,
        "suppressed": bool(line.hidden or line.total_hidden),
    }
