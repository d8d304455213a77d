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
from pathlib import Path

# Run as a file (as above) the repository root is not on the path, and --save needs bench.common.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from caseflow.demo_visits import NOW, fill  # noqa: E402  (after the path above)

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
