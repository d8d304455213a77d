"""Foundation benchmark: caseflow over HTTP against a bare Flask+SQLAlchemy read.

    python -m bench.http_foundation --db sqlite --size 10000 [--runs 5 --duration 5]

Serves caseflow and the baseline with gunicorn (2 workers each, one at a time), loads them
from a separate process, repeats every scenario ``--runs`` times interleaved with the
baseline, and reports medians and ratios to the baseline of the same run.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench import common

BENCHMARK = True
SCENARIOS = ("get_case", "list_cases", "search_document", "create_survivor_case")
USER, PASSWORD = "bench.caseworker", "bench-password-2026"


def ids_path(kind: str, size: int, name: str | None = None) -> Path:
    """Where ``prepare`` leaves the sampled case ids of the database it generated."""
    default = f"caseflow_bench_{size}"
    return common.WORK / (f"ids-{kind}-{size}.json" if name in (None, default) else f"ids-{kind}-{name}.json")


def prepare(kind: str, size: int, name: str | None = None) -> str:
    """Generate ``size`` survivors in a fresh database (``caseflow_bench_{size}`` unless named)."""
    name = name or f"caseflow_bench_{size}"
    url = common.reset_database(kind, name)
    from flask_migrate import upgrade

    from caseflow import create_app
    from caseflow.core.acting import acting_as  # noqa: F401
    from caseflow.directory import services as directory
    from caseflow.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": common.database_url(kind, name) if kind == "sqlite"
                      else url.replace("postgresql://", "postgresql+psycopg://", 1),
                      "CASEFLOW_KEYRING": None, "CASEFLOW_KEYRING_FILE": str(common.keyring_file())})
    with app.app_context():
        upgrade()
        org = directory.create_organization(code="BENCH", name="CEM de carga", sector="cem", district="150101")
        user = directory.create_user(username=USER, password=PASSWORD, role="caseworker",
                                     organization_id=org.id, discipline="admission")
        db.session.commit()
        from bench.generate import generate, sample_case_ids

        started = time.perf_counter()
        generate(org.id, user.id, size)
        print(f"generated {size} survivors+cases in {time.perf_counter() - started:.1f}s", flush=True)
        ids = sample_case_ids()
        ids_path(kind, size, name).write_text(json.dumps(ids))
        db.session.remove()
        db.engine.dispose()
    common.analyze(kind, url)
    return url


def run(kind: str, size: int, runs: int, duration: float, concurrency: int,
        scenarios: tuple[str, ...] = SCENARIOS, reuse: bool = False, name: str | None = None) -> dict:
    ids_file = ids_path(kind, size, name)
    if reuse and ids_file.exists():
        url = common.database_url(kind, name or f"caseflow_bench_{size}")
    else:
        url = prepare(kind, size, name)
    env = common.server_env(url)
    bare_port, caseflow_port = common.free_port(), common.free_port()
    caseflow = common.start_server("caseflow:create_app()", caseflow_port, env)
    try:
        token = common.token(caseflow_port, USER, PASSWORD)
    finally:
        common.stop(caseflow)
    samples = common.interleaved_rounds(env, (bare_port, caseflow_port), [(name, name, token) for name in scenarios],
                                        ids_file, size, runs, duration, concurrency)
    summary = {name: common.medians(values) for name, values in samples.items()}
    bare_p95 = summary["bare_read"]["p95_ms"] or 1
    ratios = {f"{name}_p95_vs_bare": round(summary[name]["p95_ms"] / bare_p95, 2) for name in scenarios}
    if {"search_document", "get_case"} <= set(scenarios):
        ratios["search_p95_vs_get_case"] = round(
            summary["search_document"]["p95_ms"] / (summary["get_case"]["p95_ms"] or 1), 2)
    worker = "gthread" if "gthread" in common.GUNICORN_EXTRA else "sync"
    return {"benchmark": "foundation_http" if worker == "sync" else f"foundation_http_{worker}", "database": kind,
            "size": size, "runs": runs, "duration_s": duration, "concurrency": concurrency, "workers": 2,
            "worker_class": worker, "gunicorn_extra": list(common.GUNICORN_EXTRA), "summary": summary, "ratios": ratios,
            "machine": common.machine(), "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def bench_commands(size: int, databases: list[str]) -> list[list[str]]:
    # Five runs of five seconds at every size: with three short runs the baseline's p95 alone
    # moved by half from one run to the next on this machine, and the ratios with it.
    return [["--db", db, "--size", str(size), "--runs", "5", "--duration", "5"] for db in databases]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--scenarios", default=",".join(SCENARIOS),
                        help="a subset while working on one route; results are saved only for all of them")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database generated by an earlier run of the same --db and --size")
    parser.add_argument("--name", default=None,
                        help="the generated database's name (default caseflow_bench_SIZE; PostgreSQL databases are "
                             "shared by name on the machine)")
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default="sync",
                        help="gthread: both servers with gunicorn's threaded workers, as `caseflow serve` runs")
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    if args.worker_class == "gthread":
        common.GUNICORN_EXTRA[:] = ["-k", "gthread", "--threads", str(args.threads)]
    scenarios = tuple(name for name in args.scenarios.split(",") if name)
    unknown = set(scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    result = run(args.db, args.size, args.runs, args.duration, args.concurrency, scenarios, args.reuse, args.name)
    if set(scenarios) == set(SCENARIOS):
        prefix = "foundation" if args.worker_class == "sync" else f"foundation-{args.worker_class}"
        path = common.write_result(f"{prefix}-{args.db}-{args.size}", result)
        print(json.dumps(result["ratios"]), "->", path.relative_to(common.ROOT))
    else:
        print(json.dumps({name: result["summary"][name]["p95_ms"] for name in result["summary"]}),
              json.dumps(result["ratios"]))


if __name__ == "__main__":
    main()
