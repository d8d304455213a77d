"""One scheduler pass, and the long-running process that repeats it.

APScheduler's job stores cannot be shared by several processes, and each web worker that
started a scheduler would run every job again; so web workers never schedule. One
``caseflow scheduler run`` process runs a single interval job that calls :func:`run_pass`.
The database is the source of truth; nothing is pickled. On PostgreSQL a session
advisory lock keeps an accidental second scheduler idle.
"""

from __future__ import annotations

import contextlib
import logging
import signal
from datetime import datetime, timezone

from flask import current_app
from sqlalchemy import text

from caseflow.audit.services import append_anchor, record, system_actor
from caseflow.core.clock import utcnow
from caseflow.extensions import db
from caseflow.scheduling import email, outbox
from caseflow.scheduling.registry import registered_scans

log = logging.getLogger("caseflow.scheduler")

#: PostgreSQL advisory lock key held by the running pass.
SCHEDULER_LOCK_ID = 0x0CA5EF11


@contextlib.contextmanager
def _exclusive(use_advisory_lock: bool):
    """Yield True when this process may run a pass (always on SQLite)."""
    if not use_advisory_lock or db.engine.dialect.name != "postgresql":
        yield True
        return
    # A connection of its own: the session's connections go back to the pool at each
    # commit, but a session-level advisory lock must stay with one connection.
    with db.engine.connect() as connection:
        acquired = connection.execute(text("SELECT pg_try_advisory_lock(:id)"), {"id": SCHEDULER_LOCK_ID}).scalar()
        connection.commit()
        try:
            yield bool(acquired)
        finally:
            if acquired:
                connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": SCHEDULER_LOCK_ID})
                connection.commit()


def run_pass(now: datetime | None = None, *, batch_size: int | None = None, use_advisory_lock: bool = True,
             send_email=None, claimed_log: list | None = None) -> dict:
    """Run every registered scan once; return counts (messages added per scan, claims...).

    Each scan batch is committed on its own, so a pass that dies midway keeps what it
    committed and the next pass finishes the rest; the outbox's unique key makes a repeat
    add nothing. ``claimed_log`` (tests) collects the ids each batch claimed.
    """
    now = now or utcnow()
    batch_size = batch_size or current_app.config["CASEFLOW_SCHEDULER_BATCH_SIZE"]
    system_actor("scheduler")
    counts: dict = {"idle": 0, "claimed": 0, "outbox_added": 0}
    with _exclusive(use_advisory_lock) as may_run:
        if not may_run:
            counts["idle"] = 1
            return counts
        for scan in registered_scans():
            added = work = 0
            for batch in scan.fn(now, batch_size):
                added += outbox.enqueue(batch.messages, now)
                work += batch.work
                counts["claimed"] += len(batch.claimed)
                if claimed_log is not None:
                    claimed_log.extend((scan.name, item) for item in batch.claimed)
                db.session.commit()
            counts[scan.name] = added + work
            counts["outbox_added"] += added
        counts.update(email.deliver_due(now, send=send_email))
        record("scheduler_pass", "outbox_messages", None, detail={k: v for k, v in counts.items() if v})
        db.session.commit()
        # The committed head, kept outside the database: deleting the chain's tail or
        # emptying the table is then found by ``audit verify --anchors``.
        append_anchor(current_app.config["CASEFLOW_AUDIT_ANCHOR_FILE"])
        db.session.commit()
    return counts


def run_forever(app, interval_seconds: int) -> None:
    """The ``caseflow scheduler run`` process: one interval job, one pass at a time."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    def one_pass():
        with app.app_context():
            try:
                counts = run_pass()
                log.info("scheduler pass: %s", counts)
            except Exception:  # keep the process alive; the next pass retries
                db.session.rollback()
                log.exception("scheduler pass failed")
            finally:
                db.session.remove()

    scheduler = BlockingScheduler(timezone=timezone.utc)
    scheduler.add_job(one_pass, "interval", seconds=interval_seconds, id="scheduler-pass",
                      max_instances=1, coalesce=True, next_run_time=datetime.now(timezone.utc),
                      misfire_grace_time=interval_seconds)

    def stop(_signum, _frame):
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("scheduler started: one pass every %s s", interval_seconds)
    scheduler.start()
