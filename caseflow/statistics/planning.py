"""How PostgreSQL plans the statistics' statements.

**JIT off.** An aggregate over a national year is estimated at a cost far above
``jit_above_cost`` (a JSON list expanded per incident is counted as 100 rows per incident, so
the estimate is in the billions), and PostgreSQL then compiles, inlines and optimises the
statement with LLVM before running it: measured on 1,000,000 incidents, 3.6–3.9 s of a 6–7 s
statement by type of violence, about 1 s of the 3.5 s of compliance per rule
(docs/performance.md). The statements are short-lived and planned afresh each time, so that
compilation is never paid back; the statistics turn it off for their own transaction
(``SET LOCAL``: the request's transaction only, every other statement of the server keeps the
server's setting). No answer changes: JIT changes how an expression is evaluated, never its
value.

**More memory for a table's groups.** A table's groups are few (tens to a few thousand), but
PostgreSQL cannot know it for an expression of a timestamp (a month, a quarter) and estimates
one group per distinct moment: at the server's ``work_mem`` of 4 MB it then sorts the year's
500,000 rows on disk rather than hashing them (measured: 1.1 s against 0.5 s for incidents by
type and month). ``SET LOCAL work_mem = '64MB'`` lets the hash be chosen; what it really uses is
what the groups need (12 MB measured for that table). The bound: each sort or hash node of
one statistics statement may take up to 64 MB (hashes twice that, ``hash_mem_multiplier``),
per parallel worker; a statistics statement has at most three such nodes, and statistics are
asked for by a few supervisors, not by every request. Only the statistics' own transaction
gets it (compliance too, since it counts clocks per minute in a hash: caseflow.statistics.medians).

**Joins in the order written.** A table's statement joins the record to what its dimensions
read (her survivor row, her case), then a period's buckets (``width_bucket`` against a list
of bounds), and PostgreSQL cannot estimate that last join: it expected 13,500 of a year's
500,000 cases to remain, and for so few looked each case's survivor up by her primary key,
500,000 index probes (cases by disability and month: 851 ms; hashing the survivors, in the
written order, 684 ms; docs/performance.md, fifth pass). ``join_collapse_limit = 1`` keeps the
written order; how each join is made is still the planner's (a centre's few thousand cases
still look their survivors up by index). SQLite has none of these settings.
"""

from __future__ import annotations

from sqlalchemy import text

from caseflow.extensions import db

#: ``work_mem`` for a table's statement (above): enough to hash the groups of a national year.
TABLE_WORK_MEM = "64MB"


def for_aggregation() -> None:
    """Before a statistics aggregation (a table, compliance), for the rest of this
    transaction: no JIT compilation, ``TABLE_WORK_MEM``, and the joins in the order written."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL jit = off"))
        db.session.execute(text("SELECT set_config('work_mem', :value, true)"), {"value": TABLE_WORK_MEM})
        db.session.execute(text("SET LOCAL join_collapse_limit = 1"))
