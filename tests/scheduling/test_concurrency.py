"""Concurrent and interrupted scheduler passes lose nothing and duplicate nothing."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from caseflow.core.clock import frozen_time
from caseflow.extensions import db
from caseflow.scheduling import outbox
from caseflow.scheduling.models import OutboxMessage
from caseflow.scheduling.runner import SCHEDULER_LOCK_ID, run_pass
from caseflow.visits.models import Visit
from tests.visits.factories import MONDAY, make_case_at, make_centre, make_plan

SUNDAY = MONDAY - timedelta(hours=10)
PLANS = 24


def _many_due_visits():
    centre = make_centre()
    for _ in range(PLANS):
        make_plan(centre, make_case_at(centre))
    db.session.commit()
    return centre


def _outbox_count():
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


@pytest.mark.postgres
def test_two_concurrent_passes_add_no_duplicate_and_claim_no_row_twice(app):
    _many_due_visits()
    claims, results, barrier = [[], []], [None, None], threading.Barrier(2)

    def one_pass(index):
        with app.app_context():
            barrier.wait()
            # Without the advisory lock: SKIP LOCKED, compare-and-set and the unique key alone.
            results[index] = run_pass(SUNDAY, batch_size=3, use_advisory_lock=False, claimed_log=claims[index])
            db.session.remove()

    with frozen_time(SUNDAY):
        threads = [threading.Thread(target=one_pass, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    claimed = Counter(item for log in claims for item in log)
    assert len(claimed) == PLANS and max(claimed.values()) == 1
    assert sum(r["outbox_added"] for r in results) == PLANS == _outbox_count()
    keys = db.session.scalars(select(OutboxMessage.dedupe_key)).all()
    assert len(keys) == len(set(keys))


@pytest.mark.postgres
def test_a_second_scheduler_stays_idle_while_one_holds_the_lock(app):
    _many_due_visits()
    with db.engine.connect() as other_scheduler:
        other_scheduler.execute(text("SELECT pg_advisory_lock(:id)"), {"id": SCHEDULER_LOCK_ID})
        other_scheduler.commit()
        with frozen_time(SUNDAY):
            assert run_pass(SUNDAY)["idle"] == 1
        assert _outbox_count() == 0
        other_scheduler.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": SCHEDULER_LOCK_ID})
        other_scheduler.commit()
    with frozen_time(SUNDAY):
        assert run_pass(SUNDAY)["outbox_added"] == PLANS


def test_a_pass_killed_midway_loses_nothing_on_the_next(app, monkeypatch):
    _many_due_visits()
    real_enqueue, calls = outbox.enqueue, []

    def dies_on_third_batch(messages, now):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt("killed")
        return real_enqueue(messages, now)

    monkeypatch.setattr(outbox, "enqueue", dies_on_third_batch)
    with frozen_time(SUNDAY), pytest.raises(KeyboardInterrupt):
        run_pass(SUNDAY, batch_size=5)
    db.session.rollback()
    monkeypatch.setattr(outbox, "enqueue", real_enqueue)
    partial = _outbox_count()
    assert 0 < partial < PLANS
    with frozen_time(SUNDAY):
        counts = run_pass(SUNDAY, batch_size=5)
    assert counts["outbox_added"] == PLANS - partial and _outbox_count() == PLANS
    unclaimed = db.session.scalar(select(func.count()).select_from(Visit).where(
        Visit.window_start <= SUNDAY + timedelta(hours=24), Visit.reminded_at.is_(None)))
    assert unclaimed == 0
