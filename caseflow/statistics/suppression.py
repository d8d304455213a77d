"""Small-cell suppression for one- and two-way tables of counts: pure functions, no database.

Primary suppression hides every count above 0 and below the threshold. Complementary
suppression then hides other counts so that no hidden one can be worked out from what is
shown: for a two-way table with its margins, a hidden count is determined by the shown
counts exactly when it lies on no cycle of hidden counts (the cycle criterion for two-way
tables; see docs/statistics.md for the method and its sources). The margins of a two-way
table are the one-way tables of its dimensions, which anyone may ask for: they are
suppressed exactly as those tables are (same function, same result), so asking for the
one-way and the two-way table together reveals nothing either does not.

Complements are chosen among the cells of the line that needs one, smallest count first
(losing the least information), counts above zero before zeros (a hidden zero beside a
hidden small count would narrow it), and cells whose other line already has a hidden count
before those that would need yet another complement.
"""

from __future__ import annotations

from dataclasses import dataclass


def primary(count: int, threshold: int) -> bool:
    return 0 < count < threshold


@dataclass(frozen=True)
class OneWay:
    counts: tuple[int, ...]
    total: int
    hidden: frozenset[int]  # positions of hidden counts
    total_hidden: bool


def suppress_one_way(counts, threshold: int) -> OneWay:
    """One line: counts and their total. Hidden counts are never alone in it."""
    counts = tuple(int(c) for c in counts)
    total = sum(counts)
    hidden = {i for i, c in enumerate(counts) if primary(c, threshold)}
    total_hidden = primary(total, threshold)
    if len(hidden) + total_hidden == 1:
        shown = [i for i in range(len(counts)) if i not in hidden]
        if shown:
            hidden.add(min(shown, key=lambda i: (counts[i] == 0, counts[i], i)))
        else:  # nothing else to hide in the line but its total
            total_hidden = True
    return OneWay(counts, total, frozenset(hidden), total_hidden)


@dataclass(frozen=True)
class TwoWay:
    cells: tuple[tuple[int, ...], ...]
    hidden: frozenset[tuple[int, int]]
    rows: OneWay  # row margins (the first dimension's one-way table)
    columns: OneWay  # column margins (the second dimension's)


def suppress_two_way(cells, threshold: int, rows: OneWay | None = None, columns: OneWay | None = None) -> TwoWay:
    """``cells[i][j]``: the count for the first dimension's i-th value and the second's j-th.

    ``rows`` and ``columns`` are the one-way tables of each dimension over the same records
    (computed here from the cells when not given: they are the cells' sums whenever each
    record has one value of each dimension).
    """
    cells = tuple(tuple(int(c) for c in row) for row in cells)
    m = len(cells)
    n = len(cells[0]) if m else 0
    rows = rows or suppress_one_way([sum(row) for row in cells], threshold)
    columns = columns or suppress_one_way([sum(cells[i][j] for i in range(m)) for j in range(n)], threshold)
    hidden = {(i, j) for i in range(m) for j in range(n) if primary(cells[i][j], threshold)}

    def row_hidden(i):
        return sum((i, j) in hidden for j in range(n)) + (i in rows.hidden)

    def column_hidden(j):
        return sum((i, j) in hidden for i in range(m)) + (j in columns.hidden)

    def pick(candidates):
        candidates = [c for c in candidates if c not in hidden]
        if not candidates:
            return None
        return min(candidates, key=lambda c: (
            cells[c[0]][c[1]] == 0, cells[c[0]][c[1]],
            # a cell whose other line already hides a count needs no further complement
            (row_hidden(c[0]) == 0) + (column_hidden(c[1]) == 0), c))

    changed = True
    while changed:
        changed = False
        # 1. No line (a row or a column with its margin) hides exactly one count.
        for i in range(m):
            if row_hidden(i) == 1 and (cell := pick([(i, j) for j in range(n)])) is not None:
                hidden.add(cell)
                changed = True
        for j in range(n):
            if column_hidden(j) == 1 and (cell := pick([(i, j) for i in range(m)])) is not None:
                hidden.add(cell)
                changed = True
        if changed:
            continue
        # 2. No hidden count is a bridge of the graph of hidden counts (it would lie on no
        #    cycle, and the line sums would give it): join the two sides around it.
        bridge = _first_bridge(hidden, rows, columns, m, n)
        if bridge is not None:
            side_a, side_b = bridge
            across = [(i, j) for i in range(m) for j in range(n)
                      if (("r", i) in side_a and ("c", j) in side_b) or (("r", i) in side_b and ("c", j) in side_a)]
            cell = pick(across) or pick([(i, j) for i in range(m) for j in range(n)
                                         if ("r", i) in side_a | side_b or ("c", j) in side_a | side_b])
            if cell is None:
                cell = pick([(i, j) for i in range(m) for j in range(n)])
            if cell is not None:
                hidden.add(cell)
                changed = True
    return TwoWay(cells, frozenset(hidden), rows, columns)


def _edges(hidden, rows: OneWay, columns: OneWay, m: int, n: int) -> list[tuple[tuple, tuple]]:
    """Hidden entries as edges between line nodes: a cell joins its row and its column; a
    row margin joins its row and the margins' column ("c", n); a column margin its column and
    the margins' row ("r", m); the grand total those two."""
    edges = [(("r", i), ("c", j)) for i, j in sorted(hidden)]
    edges += [(("r", i), ("c", n)) for i in rows.hidden]
    edges += [(("r", m), ("c", j)) for j in columns.hidden]
    if rows.total_hidden or columns.total_hidden:
        edges.append((("r", m), ("c", n)))
    return edges


def _first_bridge(hidden, rows, columns, m, n):
    """The two sides of the first hidden entry (cell or margin) that is a bridge, or None."""
    edges = _edges(hidden, rows, columns, m, n)
    for k, (a, b) in enumerate(edges):
        side = _reach(a, edges, skip=k)
        if b not in side:
            return side, _reach(b, edges, skip=k)
    return None


def _reach(start, edges, skip: int) -> set:
    adjacency: dict = {}
    for k, (a, b) in enumerate(edges):
        if k != skip:
            adjacency.setdefault(a, []).append(b)
            adjacency.setdefault(b, []).append(a)
    seen, stack = {start}, [start]
    while stack:
        for nxt in adjacency.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen
