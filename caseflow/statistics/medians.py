"""Medians to the minute, found in a histogram rather than by sorting every record.

A national year holds 500,000 cases and 1,500,000 deadline clocks; sorting them for
``percentile_cont`` takes one process most of a second per median (docs/performance.md).
Counted instead per whole minute (a hash aggregate, in parallel on PostgreSQL: the minutes
are kept in columns, whose statistics tell the planner how few distinct values there are),
the middle one or two of each group are found by a running sum over those few thousand
minutes. Exact to the minute; the mean of the middle two for an even count; the same
statements on both databases.
"""

from __future__ import annotations

from sqlalchemy import Integer, case, cast, func, select

from caseflow.extensions import db


def whole_minutes(start, end):
    """Minutes from ``start`` to ``end`` to the nearest whole minute, half up (each database
    rounds a half its own way, so neither's ``round`` is used), as SQL."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(func.floor(func.extract("epoch", end - start) / 60.0 + 0.5), Integer)
    return cast((func.julianday(end) - func.julianday(start)) * 1440.0 + 0.5, Integer)


def running_counts(histogram, group):
    """``histogram``: a subquery with a ``minutes`` column (null for records that have not
    reached the milestone) and an ``n`` column, one row per group and minute. Adds, within
    each group's minutes not null, how many records up to this minute (``upto``) and of how
    many (``of``)."""
    partition = (*group, histogram.c.minutes.is_(None))
    return select(
        histogram,
        func.sum(histogram.c.n).over(partition_by=partition, order_by=histogram.c.minutes).label("upto"),
        func.sum(histogram.c.n).over(partition_by=partition).label("of"),
    ).subquery()


def median_minutes(counted):
    """The aggregate giving a group's median minutes over :func:`running_counts`: the middle
    two of n (one when n is odd) are the first minutes whose running count reaches n/2 and
    the first that passes it (2·upto >= n, 2·upto > n). Null for a group none reached."""
    lower = func.min(case((2 * counted.c.upto >= counted.c.of, counted.c.minutes)))
    upper = func.min(case((2 * counted.c.upto > counted.c.of, counted.c.minutes)))
    return (lower + upper) / 2.0
