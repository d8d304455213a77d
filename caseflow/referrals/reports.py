"""The referral-timelines report: per sector and service type, how long acceptance and
completion took and how many met their deadline. Computed by the database (grouping,
counting, percentiles), never by loading referrals into Python; only one row per group
comes back. Definitions: docs/referrals.md, "The report"."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime

from sqlalchemy import Integer, and_, case, cast, exists, func, literal, or_, select
from sqlalchemy.orm import aliased

from caseflow.extensions import db
from caseflow.referrals.models import Referral, ReferralClock

PERCENTILES = {"median": 0.5, "p90": 0.9}
CSV_COLUMNS = (
    "sector", "service_type", "count", "accepted", "completed",
    "median_hours_to_acceptance", "p90_hours_to_acceptance",
    "median_hours_to_completion", "p90_hours_to_completion",
    "with_deadline", "within_deadline", "share_within_deadline", "onward", "sent_on",
)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def hours_between(start, end):
    """Elapsed hours between two timestamp columns, in SQL."""
    if _dialect() == "postgresql":
        return func.extract("epoch", end - start) / 3600.0
    # SQLite stores UTC timestamps as text; julianday() reads them as days.
    return (func.julianday(end) - func.julianday(start)) * 24.0


def _filters(centre_id: uuid.UUID | None, start: datetime, end: datetime) -> list:
    conditions = [Referral.sent_at >= start, Referral.sent_at < end]
    if centre_id is not None:
        conditions.append(Referral.from_organization_id == centre_id)
    return conditions


def _counts(conditions: list, now: datetime, *extra_columns):
    """Counts and deadline outcomes per group, from the referral's governing clock (and
    ``extra_columns``, aggregates over the same rows). Every column read is in the period
    indexes and the clocks' (referral, rule) index: the database reads indexes, in order."""
    clock = ReferralClock
    # due_at is never null on a clock: a null one here means no governing clock joined.
    has_clock = clock.due_at.is_not(None)
    decided = or_(
        clock.met_at.is_not(None),
        and_(clock.stopped_at.is_not(None), Referral.status != "cancelled"),
        and_(clock.met_at.is_(None), clock.stopped_at.is_(None), clock.due_at <= now),
    )
    within = and_(clock.met_at.is_not(None), clock.met_at <= clock.due_at)
    one = literal(1)
    child = aliased(Referral)
    sent_on = exists().where(child.parent_referral_id == Referral.id)
    statement = (
        select(
            Referral.sector, Referral.service_type, func.count().label("count"),
            func.count(Referral.accepted_at).label("accepted"),
            func.count(Referral.completed_at).label("completed"),
            func.count(case((and_(has_clock, decided), one))).label("with_deadline"),
            func.count(case((and_(has_clock, within), one))).label("within_deadline"),
            # The chain: referrals a receiving organization sent on, and those it sent on from.
            func.count(Referral.parent_referral_id).label("onward"),
            func.count(case((sent_on, one))).label("sent_on"),
            *extra_columns,
        )
        .select_from(Referral)
        .outerjoin(clock, and_(clock.referral_id == Referral.id, clock.rule_id == Referral.deadline_rule_id))
        .where(*conditions)
        .group_by(Referral.sector, Referral.service_type)
    )
    return {(row.sector, row.service_type): row._asdict() for row in db.session.execute(statement)}


def _percentile_cont_columns() -> list:
    """PostgreSQL: the four percentiles as aggregates of the counting statement itself.
    Ordered-set aggregates skip nulls, so each is over the referrals that reached its
    milestone, exactly as a separate ``WHERE reached IS NOT NULL`` statement would be."""
    columns = []
    for reached, prefix in ((Referral.accepted_at, "hours_to_acceptance"), (Referral.completed_at, "hours_to_completion")):
        hours = hours_between(Referral.sent_at, reached)
        columns += [func.percentile_cont(p).within_group(hours).label(f"{name}_{prefix}")
                    for name, p in PERCENTILES.items()]
    return columns


def _percentiles(conditions: list, reached_column, prefix: str) -> dict:
    """SQLite: median and 90th percentile of hours from sending to ``reached_column`` per
    group. SQLite has no percentile function: the same continuous percentile as
    PostgreSQL's ``percentile_cont`` (linear interpolation between the two nearest ranks) is
    computed in SQL from ``ROW_NUMBER()`` and ``COUNT(*)`` windows over the group.
    """
    hours = hours_between(Referral.sent_at, reached_column)
    conditions = [*conditions, reached_column.is_not(None)]
    ranked = select(
        Referral.sector, Referral.service_type, hours.label("hours"),
        func.row_number().over(partition_by=(Referral.sector, Referral.service_type), order_by=hours).label("rn"),
        func.count().over(partition_by=(Referral.sector, Referral.service_type)).label("n"),
    ).where(*conditions).subquery()
    columns = []
    for name, p in PERCENTILES.items():
        position = p * (ranked.c.n - 1)  # zero-based, fractional
        lower = cast(position, Integer)  # floor: positions are never negative
        fraction = position - lower
        columns.append(func.sum(case(
            (ranked.c.rn - 1 == lower, ranked.c.hours * (1 - fraction)),
            (ranked.c.rn - 1 == lower + 1, ranked.c.hours * fraction),
            else_=0.0,
        )).label(f"{name}_{prefix}"))
    statement = select(ranked.c.sector, ranked.c.service_type, *columns).group_by(
        ranked.c.sector, ranked.c.service_type)
    return {(row[0], row[1]): row._asdict() for row in db.session.execute(statement)}


def _hours(value) -> float | None:
    return None if value is None else round(float(value), 2)


def referral_timelines(centre_id: uuid.UUID | None, start: datetime, end: datetime, now: datetime) -> list[dict]:
    """One row per sector and service type for referrals sent in ``[start, end)``."""
    conditions = _filters(centre_id, start, end)
    if _dialect() == "postgresql":  # one statement: counts and percentiles in one pass
        counts = _counts(conditions, now, *_percentile_cont_columns())
        extras = ()
    else:
        counts = _counts(conditions, now)
        extras = (_percentiles(conditions, Referral.accepted_at, "hours_to_acceptance"),
                  _percentiles(conditions, Referral.completed_at, "hours_to_completion"))
    rows = []
    for key in sorted(counts):
        row = counts[key]
        for extra in extras:
            row.update(extra.get(key, {}))
        for name in PERCENTILES:  # None where nothing reached the milestone
            for prefix in ("hours_to_acceptance", "hours_to_completion"):
                row[f"{name}_{prefix}"] = _hours(row.get(f"{name}_{prefix}"))
        decided = row["with_deadline"]
        row["share_within_deadline"] = round(row["within_deadline"] / decided, 4) if decided else None
        rows.append(row)
    return rows


def as_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: "" if row.get(name) is None else row[name] for name in CSV_COLUMNS})
    return buffer.getvalue()
