"""How PostgreSQL plans the statistics' statements.

An aggregate over a national year is estimated at a cost far above ``jit_above_cost`` (a JSON
list expanded per incident is counted as 100 rows per incident, so the estimate is in the
billions), and PostgreSQL then compiles, inlines and optimises the statement with LLVM before
running it: measured on 1,000,000 incidents, 3.6–3.9 s of a 6–7 s statement by type of
violence, about 1 s of the 3.5 s of compliance per rule (docs/performance.md). The statements
are short-lived and planned afresh each time, so that compilation is never paid back; the
statistics turn it off for their own transaction (``SET LOCAL``: the request's transaction
only, every other statement of the server keeps the server's setting). No answer changes: JIT
changes how an expression is evaluated, never its value. SQLite has no such thing.
"""

from __future__ import annotations

from sqlalchemy import text

from caseflow.extensions import db


def without_jit() -> None:
    """Before a statistics computation: no JIT compilation for the rest of this transaction."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL jit = off"))
