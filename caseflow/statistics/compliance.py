"""Compliance with the deadline rules: per rule, how many clocks met, missed or still open,
and the median hours to the milestone. Computed by the database from the referrals'
clocks (PEP within 72 h and emergency contraception within 120 h of the incident,
protective measures within 24 h, acknowledgements by priority). Definitions:
docs/statistics.md."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import and_, case, func, literal, null, select

from caseflow.extensions import db
from caseflow.referrals.models import DeadlineRule, ReferralClock
from caseflow.statistics import planning, suppression
from caseflow.statistics.models import CaseMilestones


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


#: A clock's outcome in the period: met by its due time, missed (reached late, still running
#: past due, or stopped unmet other than by a cancellation), or open (running, not yet due).
#: A clock stopped by its referral's cancellation counts as none of them.
OUTCOMES = ("met", "missed", "open")


def _hours(start, end):
    if _postgresql():
        return func.extract("epoch", end - start) / 3600.0
    return (func.julianday(end) - func.julianday(start)) * 24.0


def compliance(centre: uuid.UUID | None, start: datetime, end: datetime, now: datetime, threshold: int) -> list[dict]:
    """Per rule: met, missed and open clocks of the referrals sent in the period, and the
    median minutes from each met clock's start to its milestone, in one statement on both
    databases over the clocks alone (each carries its referral's sending moment, centre and
    whether it was stopped by a cancellation: ``referral_clocks``, 0025).

    The median is taken over a histogram rather than by sorting every clock: the clocks are
    counted per rule and whole minute to the milestone (a hash aggregate, in parallel on
    PostgreSQL), and the middle one or two of each rule are found by a running sum over those
    few thousand minutes. It is exact to the minute (each clock's time rounded to the nearest
    minute; the mean of the middle two for an even count). Sorting a national year's 1,500,000
    clocks for ``percentile_cont`` took 0.9 s in one process (docs/performance.md)."""
    planning.without_jit(work_mem=planning.TABLE_WORK_MEM)
    clock = ReferralClock
    conditions = [clock.sent_at >= start, clock.sent_at < end]
    if centre is not None:
        conditions.append(clock.organization_id == centre)
    reached = clock.met_at.is_not(None)
    outcome = case(
        (and_(reached, clock.met_at <= clock.due_at), literal("met")),
        (reached, literal("missed")),  # reached late
        (clock.stopped_at.is_not(None), case((clock.cancelled, null()), else_=literal("missed"))),
        (clock.due_at <= now, literal("missed")),  # still running past due
        else_=literal("open"),
    )
    per_clock = (select(DeadlineRule.code.label("code"), DeadlineRule.hours.label("hours"),
                        outcome.label("outcome"), clock.minutes_to_met.label("minutes"))
                 .select_from(clock).join(DeadlineRule, DeadlineRule.id == clock.rule_id)
                 .where(*conditions).subquery())
    one = literal(1)
    histogram = (select(per_clock.c.code, per_clock.c.minutes, func.min(per_clock.c.hours).label("hours"),
                        *(func.count(case((per_clock.c.outcome == name, one))).label(name) for name in OUTCOMES),
                        func.count().label("clocks"))
                 .group_by(per_clock.c.code, per_clock.c.minutes).subquery())
    # Within each rule's met clocks (the minutes not null), ordered by minutes: how many
    # clocks up to this minute, and of how many.
    met_clocks = (histogram.c.code, histogram.c.minutes.is_(None))
    counted = select(
        histogram, func.sum(histogram.c.clocks).over(partition_by=met_clocks, order_by=histogram.c.minutes).label("upto"),
        func.sum(histogram.c.clocks).over(partition_by=met_clocks).label("of"),
    ).subquery()
    # The middle two of n clocks (one when n is odd) are the first minutes whose running
    # count reaches n/2 and passes it: 2·upto >= n, and 2·upto > n.
    lower = func.min(case((2 * counted.c.upto >= counted.c.of, counted.c.minutes)))
    upper = func.min(case((2 * counted.c.upto > counted.c.of, counted.c.minutes)))
    statement = (select(counted.c.code, func.min(counted.c.hours).label("hours"),
                        *(func.sum(counted.c[name]).label(name) for name in OUTCOMES),
                        ((lower + upper) / 2.0).label("median_minutes"))
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


def _first_at(milestone: str):
    """The kept first moment of ``milestone`` of a case (caseflow.statistics.milestones)."""
    return {"plan": CaseMilestones.first_plan_at, "referral": CaseMilestones.first_referral_at,
            "service": CaseMilestones.first_service_at}[milestone]


def timelines(centre: uuid.UUID | None, start: datetime, end: datetime, threshold: int) -> list[dict]:
    """For cases opened in the period: how many reached each milestone, how many not yet, and
    the median hours from first contact to it, in SQL from each case's kept first milestones
    (``statistics_case_milestones``: one row per case, its centre and opening moment beside
    them): one statement on PostgreSQL (``percentile_cont`` skips the cases that have not
    reached a milestone, their hours being null), two per milestone on SQLite (which has no
    ``percentile_cont``)."""
    planning.without_jit()
    conditions = [CaseMilestones.opened_at >= start, CaseMilestones.opened_at < end]
    if centre is not None:
        conditions.append(CaseMilestones.organization_id == centre)
    if _postgresql():
        columns = [func.count().label("cases")]
        for milestone in MILESTONES:
            columns.append(func.count(_first_at(milestone)))
            columns.append(func.percentile_cont(0.5).within_group(_hours(CaseMilestones.opened_at, _first_at(milestone))))
        row = db.session.execute(select(*columns).where(*conditions)).one()
        return [_timeline_line(milestone, row[0], row[1 + 2 * i], row[2 + 2 * i], threshold)
                for i, milestone in enumerate(MILESTONES)]
    rows = []
    for milestone in MILESTONES:
        first = _first_at(milestone)
        reached_count, total = db.session.execute(select(func.count(first), func.count()).where(*conditions)).one()
        hours = _hours(CaseMilestones.opened_at, first)
        ranked = select(hours.label("hours"), func.row_number().over(order_by=hours).label("rn"),
                        func.count().over().label("n")).where(*conditions, first.is_not(None)).subquery()
        median = db.session.scalar(select(func.avg(ranked.c.hours)).where(
            ranked.c.rn.in_([(ranked.c.n + 1) // 2, (ranked.c.n + 2) // 2])))
        rows.append(_timeline_line(milestone, total, reached_count, median, threshold))
    return rows


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
