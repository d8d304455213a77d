"""The scheduler process killed (SIGKILL) in the middle of a pass.

A real ``caseflow scheduler tick`` on the test database works through many due visits one
row per committed batch; it is killed once part of its outbox is written. The next pass
must finish the rest, and every reminder must exist exactly once: a killed pass loses
nothing and repeats nothing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from caseflow.core.clock import frozen_time
from caseflow.demo_visits import NOW, fill
from caseflow.extensions import db
from caseflow.scheduling.models import OutboxMessage
from caseflow.scheduling.runner import run_pass
from tests.conftest import KEYRING_JSON

#: Enough one-row batches that the pass takes seconds, so the kill lands midway.
DUE = 3000

ROOT = Path(__file__).resolve().parents[2]


def _outbox_count() -> int:
    db.session.rollback()  # a fresh snapshot: the other process is committing
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_a_killed_scheduler_pass_is_finished_exactly_once_by_the_next(app):
    fill(DUE, DUE)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFLOW_")}
    env.update(CASEFLOW_ENV="testing", CASEFLOW_DATABASE_URL=url, CASEFLOW_KEYRING=KEYRING_JSON,
               CASEFLOW_SCHEDULER_BATCH_SIZE="1", PYTHONPATH=str(ROOT))
    db.session.remove()
    process = subprocess.Popen(
        [sys.executable, "-m", "caseflow.cli", "scheduler", "tick", "--now", NOW.isoformat()],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    written_at_kill = 0
    while time.monotonic() < deadline and process.poll() is None:
        written_at_kill = _outbox_count()
        if written_at_kill >= 20:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.02)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the pass ended before it could be killed midway"
    assert 0 < written_at_kill < DUE

    with frozen_time(NOW):
        run_pass(NOW)
        run_pass(NOW)
    db.session.rollback()
    keys = db.session.scalars(select(OutboxMessage.dedupe_key)).all()
    reminders = [k for k in keys if k.startswith("visit_due:")]
    assert len(reminders) == DUE, Counter(k.split(":")[0] for k in keys)
    assert len(keys) == len(set(keys))
