"""Computing an indicator's table, by the database: one GROUP BY of the cells (the margins
and the total are summed from them), two when a dimension is multi-valued; only one row per
group comes back, never the records themselves. Then small cells are suppressed
(caseflow.statistics.suppression)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from flask import current_app
from sqlalchemy import DateTime, Integer, String, and_, cast, func, literal, select, true, type_coerce, values
from sqlalchemy import column as column_
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import aliased

from caseflow.cases.models import Case
from caseflow.core.clock import local_zone
from caseflow.custody.models import SupplyDelivery
from caseflow.directory.models import Organization
from caseflow.extensions import db
from caseflow.incidents.models import VIOLENCE_TYPES, Incident
from caseflow.referrals.models import Referral
from caseflow.statistics import duplicates, indexes, planning, suppression  # noqa: F401 - indexes: declared with the tables
from caseflow.statistics.catalogue import DIMENSIONS, Dimension, Indicator
from caseflow.survivors.models import Survivor

#: The facility where she was held when a supply was handed over (an organization).
Facility = aliased(Organization, name="facilities")
MODELS = {"incidents": Incident, "cases": Case, "survivors": Survivor, "referrals": Referral,
          "organizations": Organization, "supply_deliveries": SupplyDelivery, "facilities": Facility}
UNKNOWN = "unknown"
#: The values a multi-valued column may hold (its vocabulary): on PostgreSQL such a table is
#: counted by one flag per value (``_with_one_multi_by_values``) instead of expanding the lists.
VOCABULARIES = {"incidents.violence_types": VIOLENCE_TYPES}


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def column_of(dimension: Dimension, record: str):
    """The model attribute a dimension reads for a kind of record, or None while the column
    does not exist (the dimension is then unavailable)."""
    reference = dimension.columns.get(record)
    if reference is None:
        return None
    if dimension.period:
        return RECORDS[record]["date"]
    table, name = reference.split(".")
    return getattr(MODELS[table], name, None)


def available(dimension: Dimension, record: str) -> bool:
    return column_of(dimension, record) is not None


def consent_column():
    return getattr(Incident, "consent_for_statistics", None)


RECORDS = {
    # The incident keeps her case's centre (migration 0024_stats_columns): no join to the case.
    "incident": {"date": Incident.reported_at, "centre": Incident.organization_id},
    "case": {"date": Case.opened_at, "centre": Case.organization_id},
    "referral": {"date": Referral.sent_at, "centre": Referral.from_organization_id},
    "supply": {"date": SupplyDelivery.delivered_at, "centre": Case.organization_id},
}


def tables_read(dimensions: list[Dimension], record: str) -> set[str]:
    """The tables the dimensions read for a kind of record (``"table.column"``)."""
    return {d.columns[record].split(".")[0] for d in dimensions if not d.period and d.columns.get(record)}


def _base(record: str, centre: uuid.UUID | None, start: datetime, end: datetime, needed: set[str] = frozenset()):
    """FROM, joins and WHERE of a kind of record in a period (and centre). Only the tables
    the count needs are joined (``needed``: those its dimensions read): every join is a
    lookup per record, and at national scale the joins are most of a table's cost."""
    date, centre_column = RECORDS[record]["date"], RECORDS[record]["centre"]
    if record == "incident":
        statement = select().select_from(Incident)
        if "cases" in needed:
            statement = statement.join(Case, Case.id == Incident.case_id)
        if "survivors" in needed:
            statement = statement.join(Survivor, Survivor.id == Incident.survivor_id)
    elif record == "case":
        statement = select().select_from(Case)
        if "survivors" in needed:
            statement = statement.join(Survivor, Survivor.id == Case.survivor_id)
    elif record == "supply":
        statement = select().select_from(SupplyDelivery).join(Case, Case.id == SupplyDelivery.case_id)
        if "facilities" in needed:
            statement = statement.outerjoin(Facility, Facility.id == SupplyDelivery.facility_id)
        if "survivors" in needed:
            statement = statement.join(Survivor, Survivor.id == SupplyDelivery.survivor_id)
    else:
        statement = select().select_from(Referral)
        if "cases" in needed:
            statement = statement.join(Case, Case.id == Referral.case_id)
        if "incidents" in needed:
            statement = statement.outerjoin(Incident, Incident.id == Referral.incident_id)
        if "survivors" in needed:
            statement = statement.join(Survivor, Survivor.id == Referral.survivor_id)
    if "organizations" in needed:
        statement = statement.join(Organization, Organization.id == centre_column)
    conditions = [date >= start, date < end]
    if centre is not None:
        conditions.append(centre_column == centre)
    if record == "incident" and current_app.config["CASEFLOW_STATISTICS_CONSENT"] != "administrative":
        consent = consent_column()
        # Until incidents record her consent, none counts without the administrative setting.
        conditions.append(consent.is_(True) if consent is not None else literal(False))
    if record == "incident":
        conditions.append(duplicates.counted_once(_other_report_counts))
    return statement.where(and_(*conditions))


def _other_report_counts(incident):
    """The consent rule for the other report of a duplicate (caseflow.statistics.duplicates):
    the same as for the incident counted, read on its alias."""
    if current_app.config["CASEFLOW_STATISTICS_CONSENT"] == "administrative":
        return []
    consent = consent_column()
    return [getattr(incident, consent.key).is_(True) if consent is not None else literal(False)]


def _offset_modifier(moment: datetime) -> str:
    zone = local_zone()
    minutes = int(moment.astimezone(zone).utcoffset().total_seconds() // 60)
    return f"{minutes:+d} minutes"


def _period_starts(period: str, start: datetime, end: datetime) -> list[datetime]:
    """The local starts of every period (month, quarter, year) that meets [start, end), as
    aware moments in the deployment's zone (its offsets and any daylight saving time)."""
    zone = local_zone()
    first = start.astimezone(zone)
    month = {"month": first.month, "quarter": 3 * ((first.month - 1) // 3) + 1, "year": 1}[period]
    step = {"month": 1, "quarter": 3, "year": 12}[period]
    year, starts = first.year, []
    while True:
        moment = datetime(year, month, 1, tzinfo=zone)
        if moment >= end and starts:
            return starts
        starts.append(moment)
        month += step
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1


def _period_label(moment: datetime, period: str) -> str:
    if period == "month":
        return f"{moment.year:04d}-{moment.month:02d}"
    if period == "quarter":
        return f"{moment.year:04d}-Q{(moment.month - 1) // 3 + 1}"
    return f"{moment.year:04d}"


def _period_join(statement, column, period: str, start: datetime, end: datetime):
    """PostgreSQL: (statement joined to the period's list, the label). The period's local
    starts are computed here once; each record finds its own by a binary search over them
    (``width_bucket``) on the stored UTC moment and is joined, by that number, to a ``VALUES``
    list of the labels: the same label as ``to_char(timezone(zone, moment))`` without
    converting and formatting every record, and a grouping column whose few distinct values
    the planner knows (it estimates an expression of a timestamp at one group per moment, and
    then sorts a year's records on disk rather than hashing a few dozen groups:
    docs/performance.md)."""
    starts = _period_starts(period, start, end)
    periods = values(column_("n", Integer), column_("label", String), name=f"{period}_periods").data(
        [(i + 1, _period_label(s, period)) for i, s in enumerate(starts)])
    bounds = cast(postgresql.array([literal(s, DateTime(timezone=True)) for s in starts]),
                  postgresql.ARRAY(DateTime(timezone=True)))
    return statement.join(periods, periods.c.n == func.width_bucket(column, bounds)), periods.c.label


def _period_expression(column, period: str, start: datetime):
    # SQLite keeps UTC text: shifted by the zone's offset at the period's start (a zone
    # without daylight saving time, as Peru's, is exact).
    modifier = _offset_modifier(start)
    if period == "month":
        return func.strftime("%Y-%m", column, modifier)
    if period == "year":
        return func.strftime("%Y", column, modifier)
    month = cast(func.strftime("%m", column, modifier), Integer)
    return func.strftime("%Y", column, modifier).concat("-Q").concat(cast((month + 2) / 3, String))


def _expression(statement, dimension: Dimension, record: str, start: datetime, end: datetime):
    """(statement with any join the dimension needs, the value expression)."""
    column = column_of(dimension, record)
    if dimension.period:
        if _dialect() == "postgresql":
            return _period_join(statement, column, dimension.period, start, end)
        return statement, _period_expression(column, dimension.period, start)
    if dimension.multi:
        # PostgreSQL keeps the lists as JSONB (0028).
        function = func.jsonb_array_elements_text if _dialect() == "postgresql" else func.json_each
        values = function(column).table_valued("value").alias(f"{dimension.name}_values")
        return statement.join(values, true()), values.c.value
    if dimension.prefix:
        return statement, func.substr(column, 1, dimension.prefix)
    return statement, column


def _count_by(indicator: Indicator, dimensions: list[Dimension], centre, start, end) -> dict[tuple, int]:
    statement = _base(indicator.record, centre, start, end, tables_read(dimensions, indicator.record))
    expressions = []
    for dimension in dimensions:
        statement, expression = _expression(statement, dimension, indicator.record, start, end)
        expressions.append(func.coalesce(cast(expression, String), UNKNOWN))
    if dimensions and any(d.multi for d in dimensions):
        # Several values per record: each record once per value (never twice per value).
        primary_key = {"incident": Incident.id, "case": Case.id, "referral": Referral.id,
                       "supply": SupplyDelivery.id}[indicator.record]
        counted = func.count(func.distinct(primary_key))
    else:
        counted = func.count()
    statement = statement.add_columns(*expressions, counted.label("n"))
    if expressions:
        statement = statement.group_by(*expressions)
    return {tuple(row[:-1]): int(row[-1]) for row in db.session.execute(statement)}


def _from_cells(cells: dict[tuple, int], dimensions: int):
    """(total, margins, cells) from the cells alone: when each record has exactly one value of
    each dimension (none multi-valued; a missing one is ``unknown``), a margin is the sum of
    its line of cells and the total the sum of them all, exactly. One ``GROUP BY`` then reads
    the period's records once, and PostgreSQL aggregates it in its parallel workers (grouping
    sets are aggregated by the leader alone, after gathering every record to it)."""
    margins = [{} for _ in range(dimensions)]
    for key, n in cells.items():
        for position in range(dimensions):
            margins[position][(key[position],)] = margins[position].get((key[position],), 0) + n
    return sum(cells.values()), margins, cells if dimensions == 2 else {}


def _with_one_multi(indicator: Indicator, dimensions: list[Dimension], centre, start, end):
    """(total, margins, cells) when one dimension is multi-valued (``violence_type``), in two
    statements: the records by the other dimension (the total and that margin, summed as in
    ``_from_cells``: every record counts there once, with or without a value), and the records
    by each of their values (and the other dimension): a record once per value it has, so the
    multi-valued margin is the sum of its line of those cells (each record has one value of
    the other dimension). Both are plain ``GROUP BY``s, aggregated in parallel on PostgreSQL."""
    position = next(i for i, d in enumerate(dimensions) if d.multi)
    others = [d for d in dimensions if not d.multi]
    total, other_margins, _ = _from_cells(_count_by(indicator, others, centre, start, end), len(others))
    by_value = _count_by(indicator, dimensions, centre, start, end)
    return total, _margins(dimensions, position, by_value, other_margins), by_value if len(dimensions) == 2 else {}


def _margins(dimensions: list[Dimension], position: int, by_value: dict, other_margins: list) -> list[dict]:
    """Each dimension's margin when the one at ``position`` is multi-valued: its own summed
    from the cells by value, the other's as counted without expanding any list."""
    margins = [{} for _ in dimensions]
    for key, n in by_value.items():
        margins[position][(key[position],)] = margins[position].get((key[position],), 0) + n
    if len(dimensions) == 2:
        margins[1 - position] = other_margins[0]
    return margins


def _with_one_multi_by_values(indicator: Indicator, dimensions: list[Dimension], centre, start, end):
    """PostgreSQL, one multi-valued dimension with a known vocabulary: (total, margins, cells)
    in one plain ``GROUP BY`` of the other dimension, each value of the list counted by
    ``count(*) FILTER (WHERE list ? value)`` (a record once per value it has, however often
    the list repeats it, as ``count(DISTINCT id)`` over the expanded list does), aggregated in
    the parallel workers; no list is expanded and nothing is counted distinct (measured in
    docs/performance.md, fourth pass). A record whose list is not an array of values of the vocabulary is
    counted too (``anomalous``): if any is found, None, and the caller expands the lists as
    before, so that no answer changes. Returns None as well when the dimension has no
    vocabulary."""
    position = next(i for i, d in enumerate(dimensions) if d.multi)
    multi = dimensions[position]
    vocabulary = VOCABULARIES.get(multi.columns[indicator.record])
    if vocabulary is None:
        return None
    others = [d for d in dimensions if not d.multi]
    statement = _base(indicator.record, centre, start, end, tables_read(dimensions, indicator.record))
    expressions = []
    for dimension in others:
        statement, expression = _expression(statement, dimension, indicator.record, start, end)
        expressions.append(func.coalesce(cast(expression, String), UNKNOWN))
    # JSONB as stored (0028): its operators without a cast, which would parse each list again
    # for every FILTER.
    values_of = type_coerce(column_of(multi, indicator.record), postgresql.JSONB)
    known = cast(literal(json.dumps(list(vocabulary))), postgresql.JSONB)
    anomalous = ~and_(func.jsonb_typeof(values_of) == "array", values_of.contained_by(known))
    counted = [func.count().filter(values_of.has_key(value)) for value in vocabulary]
    statement = statement.add_columns(*expressions, func.count(), func.count().filter(anomalous), *counted)
    if expressions:
        statement = statement.group_by(*expressions)
    rows = db.session.execute(statement).all()
    if any(row[len(expressions) + 1] for row in rows):
        return None
    by_other = {tuple(row[:len(expressions)]): int(row[len(expressions)]) for row in rows}
    total, other_margins, _ = _from_cells(by_other, len(others))
    by_value = {}
    for row in rows:
        other_key = tuple(row[:len(expressions)])
        for value, n in zip(vocabulary, row[len(expressions) + 2:]):
            if n:  # as the expanded lists: a value no record has is no cell
                key = (value, *other_key) if position == 0 else (*other_key, value)
                by_value[key] = int(n)
    return total, _margins(dimensions, position, by_value, other_margins), by_value if len(dimensions) == 2 else {}


def _counts(indicator: Indicator, dimensions: list[Dimension], centre, start, end):
    """(total, each dimension's margin, the cells of two dimensions)."""
    if dimensions and not any(d.multi for d in dimensions):
        return _from_cells(_count_by(indicator, dimensions, centre, start, end), len(dimensions))
    if sum(d.multi for d in dimensions) == 1 and _dialect() == "postgresql":
        counts = _with_one_multi_by_values(indicator, dimensions, centre, start, end)
        if counts is not None:
            return counts
    if sum(d.multi for d in dimensions) == 1:
        return _with_one_multi(indicator, dimensions, centre, start, end)
    # A multi-valued dimension drops records without a value from its join (and counts the
    # others once per value): the total is counted on its own.
    total = _count_by(indicator, [], centre, start, end).get((), 0)
    margins = [_count_by(indicator, [d], centre, start, end) for d in dimensions]
    cells = _count_by(indicator, dimensions, centre, start, end) if len(dimensions) == 2 else {}
    return total, margins, cells


def compute(indicator: Indicator, by: list[str], centre, start: datetime, end: datetime, threshold: int) -> dict:
    """The table of ``indicator`` by up to two dimensions, suppressed."""
    planning.for_aggregation()
    dimensions = [DIMENSIONS[name] for name in by]
    total, margins, cells_by_key = _counts(indicator, dimensions, centre, start, end)
    if not dimensions:
        hidden = suppression.primary(total, threshold)
        return {"rows": [], "total": None if hidden else total, "total_suppressed": hidden}
    values = [sorted(key[0] for key in margin) for margin in margins]
    one_way = [suppression.suppress_one_way([margin[(v,)] for v in vals], threshold)
               for margin, vals in zip(margins, values)]
    if len(dimensions) == 1:
        table = one_way[0]
        rows = [{by[0]: v, "count": None if i in table.hidden else table.counts[i], "suppressed": i in table.hidden}
                for i, v in enumerate(values[0])]
        total_hidden = table.total_hidden or suppression.primary(total, threshold)
        return {"rows": rows, "total": None if total_hidden else total, "total_suppressed": total_hidden}
    cells = [[cells_by_key.get((a, b), 0) for b in values[1]] for a in values[0]]
    table = suppression.suppress_two_way(cells, threshold, rows=one_way[0], columns=one_way[1])
    rows = []
    for i, a in enumerate(values[0]):
        for j, b in enumerate(values[1]):
            hidden = (i, j) in table.hidden
            rows.append({by[0]: a, by[1]: b, "count": None if hidden else cells[i][j], "suppressed": hidden})
    total_hidden = one_way[0].total_hidden or one_way[1].total_hidden or suppression.primary(total, threshold)
    return {"rows": rows, "total": None if total_hidden else total, "total_suppressed": total_hidden}
