"""What a scheduler pass costs follows the work it finds, not the plans it leaves alone.

A pass over 100,000 plans must finish in seconds on SQLite as on PostgreSQL, so: a batch is
a fixed number of statements however many rows it carries (no per-row statements), and
claiming a batch reads its own rows, not every planned visit.
"""

from collections import Counter

from sqlalchemy import func, select, text

from caseflow.core.clock import frozen_time
from caseflow.demo_visits import NOW, fill
from caseflow.extensions import db
from caseflow.scheduling.models import OutboxMessage
from caseflow.scheduling.runner import run_pass
from caseflow.visits.models import Visit
from caseflow.visits.scans import claim_statement
from tests.helpers import captured_sql


def _statements():
    return captured_sql(lambda statement, _parameters: " ".join(statement.split()[:3]))

def _pass():
    db.session.remove()
    with frozen_time(NOW):
        return run_pass(NOW, batch_size=500)


def test_a_batch_is_the_same_statements_whether_it_carries_four_rows_or_four_hundred(app):
    fill(12, 4, behind=4, prefix="FEW")
    with _statements() as few:
        counts = _pass()
    assert counts["visit_reminder"] == 4 and counts["visit_horizon"] == 4

    fill(1200, 400, behind=400, prefix="MANY")
    with _statements() as many:
        counts = _pass()
    assert counts["visit_reminder"] == 400 and counts["visit_horizon"] == 400
    assert Counter(many) == Counter(few)

    # A repeated pass finds nothing left to do and writes nothing.
    again = _pass()
    assert again["claimed"] == again["outbox_added"] == again["visit_horizon"] == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 404
    duplicates = db.session.execute(
        select(Visit.plan_id, Visit.generation, Visit.sequence).group_by(Visit.plan_id, Visit.generation,
                                                                          Visit.sequence)
        .having(func.count() > 1)).all()
    assert duplicates == []
    assert db.session.scalar(select(func.count()).select_from(Visit)) == 4 * 1212 + 404


def _work_of_claiming(batch) -> int:
    """What claiming ``ids`` reads: SQLite virtual-machine steps, or PostgreSQL rows fetched
    (sequential and index scans) in the claim's transaction. The claim is rolled back."""
    db.session.rollback()
    if db.engine.dialect.name == "postgresql":
        # PostgreSQL plans from statistics, which autovacuum gathers on a live database;
        # SQLite has none, and its plan must be right without them.
        with db.engine.connect() as connection:
            connection.execute(text("ANALYZE visits"))
            connection.commit()
    last = max((row.window_start, row.id) for row in batch)
    statement = claim_statement([row.id for row in batch], Visit.reminded_at, NOW,
                                order_column=Visit.window_start, after=None, last=last)
    ids = [row.id for row in batch]
    if db.engine.dialect.name == "sqlite":
        raw = db.session.connection().connection.driver_connection
        steps = [0]

        def tick():
            steps[0] += 1
            return 0

        raw.set_progress_handler(tick, 10)
        try:
            assert len(db.session.execute(statement).all()) == len(ids)
        finally:
            raw.set_progress_handler(None, 0)
        work = steps[0]
    else:
        assert len(db.session.execute(statement).all()) == len(ids)
        work = db.session.scalar(text(
            "SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) FROM pg_stat_xact_user_tables"
            " WHERE relname = 'visits'"))
    db.session.rollback()
    return work


def test_claiming_a_batch_reads_its_own_rows_not_every_planned_visit(app):
    fill(20, 20, prefix="FEW")
    batch = db.session.execute(select(Visit.id, Visit.window_start)
                               .where(Visit.window_start <= NOW.replace(day=2, hour=14))).all()
    assert len(batch) == 20
    alone = _work_of_claiming(batch)
    fill(2000, 0, prefix="MANY")  # 8,000 more planned visits, none due
    among_many = _work_of_claiming(batch)
    assert among_many < 2 * alone, (alone, among_many)
