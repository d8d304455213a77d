"""Compliance with the deadline rules: per rule, how many clocks met, missed or still open,
and the median hours to the milestone. Computed by the database from the referrals'
clocks (PEP within 72 h and emergency contraception within 120 h of the incident,
protective measures within 24 h, acknowledgements by priority). Definitions:
docs/statistics.md."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import and_, case, func, literal, or_, select

from caseflow.extensions import db
from caseflow.referrals.models import DeadlineRule, Referral, ReferralClock
from caseflow.statistics import planning, suppression
from caseflow.statistics.models import CaseMilestones


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _hours(start, end):
    if _postgresql():
        return func.extract("epoch", end - start) / 3600.0
    return (func.julianday(end) - func.julianday(start)) * 24.0


def compliance(centre: uuid.UUID | None, start: datetime, end: datetime, now: datetime, threshold: int) -> list[dict]:
    planning.without_jit()
    clock = ReferralClock
    conditions = [Referral.sent_at >= start, Referral.sent_at < end]
    if centre is not None:
        conditions.append(Referral.from_organization_id == centre)
    met = and_(clock.met_at.is_not(None), clock.met_at <= clock.due_at)
    missed = or_(and_(clock.met_at.is_not(None), clock.met_at > clock.due_at),
                 and_(clock.met_at.is_(None), clock.stopped_at.is_(None), clock.due_at <= now),
                 and_(clock.met_at.is_(None), clock.stopped_at.is_not(None), Referral.status != "cancelled"))
    still_open = and_(clock.met_at.is_(None), clock.stopped_at.is_(None), clock.due_at > now)
    one = literal(1)
    base = (select().select_from(clock).join(Referral, Referral.id == clock.referral_id)
            .join(DeadlineRule, DeadlineRule.id == clock.rule_id).where(*conditions))
    counts = base.add_columns(
        DeadlineRule.code, func.min(DeadlineRule.hours).label("hours"),
        func.count(case((met, one))).label("met"), func.count(case((missed, one))).label("missed"),
        func.count(case((still_open, one))).label("open"),
    ).group_by(DeadlineRule.code)
    # The median of hours to the milestone, in SQL on both databases: the middle one or two
    # of each rule's clocks ranked by hours.
    hours = _hours(clock.starts_at, clock.met_at)
    if _postgresql():
        # The median in the same pass as the counts (the mean of the middle two for an even
        # count, as below): ``percentile_cont`` skips the clocks not met, whose hours are null.
        counts = counts.add_columns(func.percentile_cont(0.5).within_group(hours).label("median"))
        median_of = None
    else:
        ranked = base.where(clock.met_at.is_not(None)).add_columns(
            DeadlineRule.code.label("code"), hours.label("hours"),
            func.row_number().over(partition_by=DeadlineRule.code, order_by=hours).label("rn"),
            func.count().over(partition_by=DeadlineRule.code).label("n"),
        ).subquery()
        medians = select(ranked.c.code, func.avg(ranked.c.hours)).where(
            ranked.c.rn.in_([(ranked.c.n + 1) // 2, (ranked.c.n + 2) // 2])).group_by(ranked.c.code)
        median_of = {code: value for code, value in db.session.execute(medians)}
    rows = []
    for row in db.session.execute(counts.order_by(DeadlineRule.code)):
        line = suppression.suppress_one_way([row.met, row.missed, row.open], threshold)
        values = {name: (None if i in line.hidden else line.counts[i]) for i, name in enumerate(("met", "missed", "open"))}
        decided = row.met + row.missed
        complete = not line.hidden
        median = row.median if median_of is None else median_of.get(row.code)
        rows.append({
            "rule": row.code, "hours": row.hours,
            "total": None if line.total_hidden else line.total, **values,
            "share_met": round(row.met / decided, 4) if decided and complete else None,
            "median_hours": round(float(median), 2) if median is not None and complete else None,
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
