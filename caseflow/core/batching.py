"""Keyset batching: the one way a long walk over a table reads it, batch by batch.

Each batch is one range read along an index, ``ORDER BY key LIMIT n`` from just after the
last key of the previous batch, so nothing is held across batches, a batch costs the same
at the end of a table as at its start (no ``OFFSET``), and rows the previous batch changed
or deleted are not read again. Scans, key operations and verifications use it; a caller
that commits between batches (a resumable key operation) can do so, the walk keeps its
place in ``after``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from sqlalchemy import tuple_

from caseflow.extensions import db


def _key_clause(columns: Sequence, after):
    if len(columns) == 1:
        return columns[0] > after
    return tuple_(*columns) > tuple(after)


def keyset_page(statement, columns: Sequence, after, limit: int):
    """``statement`` ordered by ``columns`` (the last a unique key, usually the id), the
    first ``limit`` rows after the key ``after`` (a value, or a tuple for several columns;
    None: from the start)."""
    statement = statement.order_by(*columns).limit(limit)
    if after is not None:
        statement = statement.where(_key_clause(columns, after))
    return statement


def default_key(columns: Sequence, scalars: bool = False) -> Callable:
    """The key of a row read by a keyset page: its values of ``columns``, read by name from
    a row or an entity; with ``scalars``, a value selected alone is its own key."""
    names = [column.key for column in columns]

    def key(row):
        if scalars and not hasattr(type(row), "__mapper__"):
            return row
        values = tuple(getattr(row, name) for name in names)
        return values[0] if len(values) == 1 else values

    return key


def keyset_batches(statement, columns: Sequence, batch: int, *, after=None, scalars: bool = False,
                   key: Callable | None = None, until_short: bool = False) -> Iterator[list]:
    """Yield the rows of ``statement`` in batches of at most ``batch``, in ``columns`` order.

    ``scalars`` reads the first column of each row (entities, or ids selected alone);
    ``key(row)`` gives a row's key (by default its values of ``columns``, by name);
    ``after`` starts after that key (a walk resumed from a stored cursor); ``until_short``
    stops after a batch shorter than ``batch`` instead of reading once more to find none.
    """
    key = key or default_key(columns, scalars)
    while True:
        page = keyset_page(statement, columns, after, batch)
        rows = list(db.session.scalars(page) if scalars else db.session.execute(page).all())
        if not rows:
            return
        after = key(rows[-1])
        yield rows
        if until_short and len(rows) < batch:
            return
