"""Time and peak memory of one scheduler pass over N active plans with D visits due.

    CASEFLOW_ENV=testing .venv/bin/python bench/scheduler_pass.py --plans 100000 --due 10000 \
        --database sqlite:////tmp/bench.db        # or postgresql://postgres@127.0.0.1:5432/bench

The database is reset and migrated, then filled with synthetic rows by bulk inserts (no
survivor data: plans only need cases). Peak memory is traced with tracemalloc during the pass.

``--behind B`` puts the next visit of B of the plans that are not due inside the 28-day
horizon, as each day's move of the horizon does for about a seventh of weekly plans; the
pass then generates one visit for each of them as well.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

# Run as a file (as above) the repository root is not on the path, and --save needs bench.common.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

NOW = datetime(2026, 3, 1, 14, 0, tzinfo=timezone.utc)  # 09:00 in Lima


def fill(plans: int, due: int, chunk: int = 5000, *, behind: int = 0, prefix: str = "BENCH") -> None:
    """N plans at a centre of their own (``prefix`` names it, its people and its cases): the
    first ``due`` have a visit whose window opens tomorrow, the last ``behind`` have their next
    visit inside the horizon, the others have nothing to do before 4 March."""
    from caseflow.cases.models import Case
    from caseflow.crypto.keys import create_data_key
    from caseflow.directory.models import Organization, User
    from caseflow.extensions import db
    from caseflow.survivors.models import Survivor
    from caseflow.visits.models import Visit, VisitPlan

    org = Organization(id=uuid.uuid4(), code=prefix, name=f"{prefix} centre", sector="cem", service_types=[])
    users = [User(id=uuid.uuid4(), username=f"{prefix.lower()}{i}", password_hash="x", role=role,
                  organization_id=org.id)
             for i, role in enumerate(["supervisor"] + ["mentor"] * 20)]
    db.session.add(org)
    db.session.add_all(users)
    key = create_data_key(None)  # shared by rows that hold no ciphertext
    db.session.commit()
    mentors = [u.id for u in users[1:]]
    today = date(2026, 3, 1)
    for start in range(0, plans, chunk):
        survivors, cases, plan_rows, visits = [], [], [], []
        for i in range(start, min(plans, start + chunk)):
            sid, cid, pid = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
            survivors.append({"id": sid, "organization_id": org.id, "data_key_id": key.id, "document_type": "NONE",
                              "created_at": NOW, "updated_at": NOW})
            cases.append({"id": cid, "code": f"{prefix}-2026-{i:07d}", "survivor_id": sid, "organization_id": org.id,
                          "status": "open", "step": "follow_up", "priority": "medium", "intake_channel": "walk_in",
                          "opened_at": NOW, "last_contact_at": NOW, "created_at": NOW, "updated_at": NOW})
            is_due, is_behind = i < due, i >= plans - behind
            # Behind: visits on 26 February (its window closed this morning), 5, 12 and 19
            # March; the next, on 26 March, is inside the horizon (29 March).
            first = today + timedelta(days=1 if is_due else -3 if is_behind else 3)
            mentor = mentors[i % len(mentors)]
            plan_rows.append({"id": pid, "case_id": cid, "organization_id": org.id, "assignee_id": mentor,
                              "kind": "mentor_accompaniment", "status": "active", "starts_on": first,
                              "ends_on": first + timedelta(days=364), "cadence_days": 7, "window_days": 3,
                              "cadence_from_risk": True, "generation": 1, "next_sequence": 5,
                              "next_due_on": first + timedelta(days=28), "visits_generated": 4,
                              "created_at": NOW, "updated_at": NOW})
            for k in range(4):
                day = first + timedelta(days=7 * k)
                ws = datetime(day.year, day.month, day.day, 5, 0, tzinfo=timezone.utc)
                visits.append({"id": uuid.uuid4(), "plan_id": pid, "case_id": cid, "organization_id": org.id,
                               "assignee_id": mentor, "kind": "mentor_accompaniment", "generation": 1,
                               "sequence": k + 1, "due_on": day, "window_start": ws,
                               "window_end": ws + timedelta(days=3), "status": "planned",
                               "created_at": NOW, "updated_at": NOW})
        for model, rows in ((Survivor, survivors), (Case, cases), (VisitPlan, plan_rows), (Visit, visits)):
            db.session.execute(model.__table__.insert(), rows)
        db.session.commit()


BENCHMARK = True


def bench_commands(size: int, databases: list[str]) -> list[list[str]]:
    """Each database: the pass timed without tracing (median of three), then once traced for its
    peak memory."""
    from bench.common import database_url

    commands = []
    for kind in databases:
        url = database_url(kind, "caseflow_bench_scheduler").replace("postgresql://", "postgresql+psycopg://", 1)
        base = ["--plans", str(size), "--due", str(max(size // 10, 1)), "--database", url, "--save"]
        commands += [base + ["--no-trace", "--runs", "3"], base]
    return commands


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--database", default="sqlite:////tmp/caseflow-bench.db")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--behind", type=int, default=0, help="plans whose next visit is inside the horizon")
    parser.add_argument("--runs", type=int, default=1, help="fill and pass this many times; the median is saved")
    parser.add_argument("--no-trace", action="store_true", help="time without tracemalloc overhead")
    parser.add_argument("--save", action="store_true",
                        help="write bench/results/scheduler-<db>-<plans>[-behind<B>][-traced].json")
    args = parser.parse_args()

    import os
    import statistics

    from caseflow.crypto.keyring import Keyring

    os.environ.setdefault("CASEFLOW_ENV", "testing")
    from caseflow import create_app
    from caseflow.core.clock import frozen_time
    from caseflow.extensions import db
    from caseflow.scheduling.runner import run_pass

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database, "CASEFLOW_KEYRING": Keyring.generate().to_json(),
                      "SECRET_KEY": "bench-secret-key-long-enough-0000000000"})
    seconds, peaks = [], []
    with app.app_context():
        from flask_migrate import upgrade
        from sqlalchemy import text

        for _ in range(args.runs):
            # Each run on a fresh database: a pass changes what the next one would find.
            db.session.remove()
            if db.engine.dialect.name == "postgresql":
                with db.engine.begin() as conn:
                    conn.execute(text("DROP SCHEMA public CASCADE"))
                    conn.execute(text("CREATE SCHEMA public"))
            else:
                db.engine.dispose()
                path = args.database.replace("sqlite:///", "")
                for suffix in ("", "-wal", "-shm"):
                    if os.path.exists(path + suffix):
                        os.remove(path + suffix)
            upgrade()
            started = time.perf_counter()
            fill(args.plans, args.due, behind=args.behind)
            print(f"filled {args.plans} plans ({args.due} with a visit due, {args.behind} behind the horizon) "
                  f"in {time.perf_counter() - started:.1f} s")
            db.session.remove()
            if not args.no_trace:
                tracemalloc.start()
            started = time.perf_counter()
            with frozen_time(NOW):
                counts = run_pass(NOW, batch_size=args.batch)
            elapsed = time.perf_counter() - started
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            seconds.append(round(elapsed, 2))
            peaks.append(round(peak / 2**20, 1))
            print(f"{db.engine.dialect.name}: pass {elapsed:.2f} s, peak traced memory {peak / 2**20:.1f} MiB")
            print(counts)
        if args.save:
            from bench.common import machine, write_result

            kind = db.engine.dialect.name
            name = f"scheduler-{kind}-{args.plans}" + (f"-behind{args.behind}" if args.behind else "")
            write_result(name + ("" if args.no_trace else "-traced"), {
                "benchmark": "scheduler_pass", "database": kind, "plans": args.plans, "due": args.due,
                "behind": args.behind, "batch": args.batch, "traced": not args.no_trace,
                "pass_seconds": round(statistics.median(seconds), 2), "runs_seconds": seconds,
                "peak_traced_mib": max(peaks) if not args.no_trace else None,
                "counts": counts, "machine": machine(),
                "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})


if __name__ == "__main__":
    main()
