"""Small-cell suppression: no hidden count of any table can be worked out from what is shown.

An attacker sees the shown cells, the shown margins (the one-way tables of each dimension,
which she may ask for separately) and the shown grand total. Every row and column gives an
equation (its cells sum to its margin), and so do the margins (they sum to the total). A
hidden count is recovered when the shown values and those equations fix it: checked here by
linear algebra over the rationals, which also covers sums of several lines at once.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from caseflow.statistics.suppression import primary, suppress_one_way, suppress_two_way

THRESHOLD = 5
small_heavy = st.one_of(st.integers(0, 6), st.integers(0, 40))


def _rank(rows: list[list[Fraction]]) -> int:
    rows = [r[:] for r in rows]
    rank, width = 0, len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((k for k in range(rank, len(rows)) if rows[k][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for k in range(len(rows)):
            if k != rank and rows[k][col] != 0:
                factor = rows[k][col] / rows[rank][col]
                rows[k] = [a - factor * b for a, b in zip(rows[k], rows[rank])]
        rank += 1
    return rank


def recoverable(equations: list[dict], unknowns: list) -> list:
    """The unknowns fixed by ``equations`` (each: {entry: coefficient}, summing to zero, the
    shown entries already moved to the constant side, which does not matter for whether an
    unknown is determined)."""
    if not unknowns:
        return []
    index = {u: k for k, u in enumerate(unknowns)}
    matrix = [[Fraction(0)] * len(unknowns) for _ in equations]
    for r, equation in enumerate(equations):
        for entry, coefficient in equation.items():
            if entry in index:
                matrix[r][index[entry]] += coefficient
    matrix = [row for row in matrix if any(row)]
    base = _rank(matrix) if matrix else 0
    found = []
    for u, k in index.items():
        unit = [Fraction(0)] * len(unknowns)
        unit[k] = Fraction(1)
        if (_rank(matrix + [unit]) if matrix else 1) == base:
            found.append(u)
    return found


@settings(max_examples=400, deadline=None)
@given(st.lists(small_heavy, min_size=1, max_size=9))
def test_one_way_no_hidden_count_is_recoverable(counts):
    table = suppress_one_way(counts, THRESHOLD)
    for i, c in enumerate(counts):
        if primary(c, THRESHOLD):
            assert i in table.hidden
    assert table.total_hidden == primary(sum(counts), THRESHOLD) or table.total_hidden
    unknowns = [("x", i) for i in sorted(table.hidden)] + ([("T",)] if table.total_hidden else [])
    equation = {("x", i): 1 for i in range(len(counts))} | {("T",): -1}
    assert recoverable([equation], unknowns) == []


@settings(max_examples=400, deadline=None)
@given(st.integers(1, 5).flatmap(lambda n: st.lists(st.lists(small_heavy, min_size=n, max_size=n),
                                                    min_size=1, max_size=5)))
def test_two_way_no_hidden_count_is_recoverable_from_cells_margins_and_total(cells):
    table = suppress_two_way(cells, THRESHOLD)
    m, n = len(cells), len(cells[0])
    for i in range(m):
        for j in range(n):
            if primary(cells[i][j], THRESHOLD):
                assert (i, j) in table.hidden
    # The augmented table: rows sum to their margin, columns to theirs, margins to the total.
    equations = [{**{("x", i, j): 1 for j in range(n)}, ("R", i): -1} for i in range(m)]
    equations += [{**{("x", i, j): 1 for i in range(m)}, ("C", j): -1} for j in range(n)]
    equations.append({**{("R", i): 1 for i in range(m)}, ("T",): -1})
    equations.append({**{("C", j): 1 for j in range(n)}, ("T",): -1})
    unknowns = [("x", i, j) for i, j in sorted(table.hidden)]
    unknowns += [("R", i) for i in sorted(table.rows.hidden)] + [("C", j) for j in sorted(table.columns.hidden)]
    if table.rows.total_hidden:
        unknowns.append(("T",))
    assert recoverable(equations, unknowns) == [], (cells, sorted(table.hidden))


@given(st.lists(small_heavy, min_size=1, max_size=9))
def test_each_line_hides_no_count_alone(counts):
    """The rule as the contract words it: no row or column sum gives a hidden cell."""
    table = suppress_one_way(counts, THRESHOLD)
    assert len(table.hidden) + table.total_hidden != 1


def test_known_table():
    # 3 is primary; the complement is the smallest count above zero (7), not the zero.
    table = suppress_one_way([3, 0, 12, 7], THRESHOLD)
    assert table.hidden == {0, 3} and not table.total_hidden
    # A single small cell: its total is as small, and goes with it.
    table = suppress_one_way([2], THRESHOLD)
    assert table.hidden == {0} and table.total_hidden
