"""Referral review at scale over HTTP: `GET /supervision/overdue` and `GET
/reports/referral-timelines` for one centre's supervisor and for a national supervisor,
against the Foundation's bare indexed read.

    python -m bench.referral_reports --db sqlite --size 100000 [--runs 5 --duration 5]
    python -m bench.referral_reports --db postgresql --size 100000
    python -m bench.referral_reports --db sqlite --size 100000 --cpu --runs 7 --block 100   # CPU per request

The database holds ``--size`` cases over four centres (encrypted survivors, as in the
Foundation benchmark), three referrals per case with their deadline clocks and one event per
step (``--size 100000``: 300,000 referrals and about 1,000,000 events; the data's shape is
described in bench/referral_data.py and printed with the results). It is generated once and
reused while the generator, the size and the database are unchanged and it is younger than
``--max-age-hours`` (the data is laid out relative to the moment it was generated); migrations
are applied to a reused database.

Like bench/http_foundation.py: caseflow (2 gunicorn workers) and the baseline
(bench/bare_app.py, one indexed SELECT by primary key) are served the same way, one at a
time, and loaded from a separate process (bench/loadgen.py: 4 keep-alive clients); every
scenario runs ``--runs`` times interleaved with the baseline; medians of the runs are
reported with p95 / bare p95.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import timedelta
from pathlib import Path

from bench import common

BENCHMARK = True
DB_NAME = "caseflow_bench_referrals"
#: Bump when the generated data changes, so a cached database is not reused.
GENERATOR_VERSION = 4
CENTRES = 4
NATIONAL_CODE = "BENCH-NACIONAL"
PASSWORD = "bench-password-0001"
SUPERVISORS = {"centre": "bench-supervisor", "national": "bench-national"}
#: (result name, loadgen scenario, which supervisor)
SCENARIOS = (
    ("overdue_centre", "supervision_overdue", "centre"),
    ("overdue_national", "supervision_overdue", "national"),
    ("overdue_50_centre", "supervision_overdue_50", "centre"),
    ("overdue_50_national", "supervision_overdue_50", "national"),
    ("report_year_centre", "referral_report_year", "centre"),
    ("report_year_national", "referral_report_year", "national"),
    ("report_month_centre", "referral_report", "centre"),
    ("report_month_national", "referral_report", "national"),
)
CASEFLOW_PORT, BARE_PORT = 5611, 5612


def _meta_path(kind: str) -> Path:
    return common.WORK / f"referrals-{kind}.json"


def _ids_path(kind: str, size: int) -> Path:
    return common.WORK / f"ids-referrals-{kind}-{size}.json"


def _sqlalchemy_url(kind: str) -> str:
    url = common.database_url(kind, DB_NAME)
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if kind == "postgresql" else url


def _app(kind: str):
    from caseflow import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": _sqlalchemy_url(kind), "CASEFLOW_KEYRING": None,
                       "CASEFLOW_KEYRING_FILE": str(common.keyring_file()), "SECRET_KEY": common.BENCH_SECRET,
                       "CASEFLOW_NATIONAL_ORGANIZATIONS": (NATIONAL_CODE,)})


def _cached(kind: str, size: int, max_age_hours: float) -> dict | None:
    path = _meta_path(kind)
    if not path.exists():
        return None
    meta = json.loads(path.read_text())
    if (meta.get("size"), meta.get("generator"), meta.get("centres")) != (size, GENERATOR_VERSION, CENTRES):
        return None
    if time.time() - meta["generated_epoch"] > max_age_hours * 3600:
        return None
    if kind == "sqlite" and not Path(common.database_url(kind, DB_NAME).removeprefix("sqlite:///")).exists():
        return None
    if not _ids_path(kind, size).exists():
        return None
    try:
        from sqlalchemy import create_engine, text

        engine = create_engine(_sqlalchemy_url(kind))
        with engine.connect() as conn:
            count = conn.execute(text("SELECT count(*) FROM referrals")).scalar()
        engine.dispose()
    except Exception:  # noqa: BLE001 - any failure means: generate afresh
        return None
    return meta if count == meta["counts"]["referrals"] else None


def _settle(kind: str, engine) -> None:
    """PostgreSQL: what autovacuum does to a table after a bulk load, which this machine's
    server (autovacuum off) would never do: statistics for the planner and the visibility
    map that lets a count read only an index. SQLite runs without statistics, as deployed."""
    if kind != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM (ANALYZE)")


def _view_now(session) -> dict:
    """The supervisors' overdue view as the run starts (the data ages from its generation):
    referrals past due and due within 24 hours, for the measured centre and for all."""
    from sqlalchemy import func, select

    from caseflow.core.clock import utcnow
    from caseflow.directory.models import Organization
    from caseflow.referrals.models import Referral

    now = utcnow()
    centre = session.scalar(select(Organization.id).where(Organization.code == "BENCH-CEM-0"))
    view = {}
    for who, scope in (("centre", [Referral.from_organization_id == centre]), ("national", [])):
        view[who] = {
            "overdue": session.scalar(select(func.count()).where(*scope, Referral.next_due_at < now)),
            "due_within_24h": session.scalar(select(func.count()).where(
                *scope, Referral.next_due_at >= now, Referral.next_due_at < now + timedelta(hours=24))),
        }
    view["at"] = now.isoformat(timespec="seconds")
    return view


def prepare(kind: str, size: int, max_age_hours: float = 6.0, regenerate: bool = False) -> dict:
    """The database of ``size`` cases and their referrals, generated or reused; returns its
    description (counts, shape, generation time)."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    meta = None if regenerate else _cached(kind, size, max_age_hours)
    if meta is not None:
        app = _app(kind)
        with app.app_context():
            upgrade()  # a reused database gets migrations added since
            from caseflow.extensions import db

            db.session.commit()
            _settle(kind, db.engine)
            meta["view"] = _view_now(db.session)
            db.session.remove()
            db.engine.dispose()
        print(f"reusing the {kind} database generated {meta['generated_at']}", flush=True)
        meta["reused"] = True
        return meta
    _meta_path(kind).unlink(missing_ok=True)
    common.reset_database(kind, DB_NAME)
    app = _app(kind)
    started = time.perf_counter()
    with app.app_context():
        from bench.generate import generate, sample_case_ids
        from bench.referral_data import SECTORS, SERVICES, generate_referrals
        from caseflow.core.acting import acting_as
        from caseflow.core.clock import utcnow
        from caseflow.directory.services import create_organization, create_user
        from caseflow.extensions import db

        upgrade()
        with acting_as(None):
            centres = [create_organization(code=f"BENCH-CEM-{n}", name=f"CEM {n}", sector="cem")
                       for n in range(CENTRES)]
            receivers = {
                sector: [create_organization(
                    code=f"BENCH-{sector.upper()}-{n}", name=f"{sector} {n}", sector=sector,
                    service_types=[s for sec, s, _ in SERVICES if sec == sector]).id for n in range(2)]
                for sector in SECTORS}
            national = create_organization(code=NATIONAL_CODE, name="Nacional", sector="cem")
            create_user(username=SUPERVISORS["centre"], password=PASSWORD, role="supervisor",
                        organization_id=centres[0].id)
            create_user(username=SUPERVISORS["national"], password=PASSWORD, role="supervisor",
                        organization_id=national.id)
            workers = {org.id: create_user(username=f"bench-worker-{n}", password=PASSWORD, role="caseworker",
                                           organization_id=org.id, discipline="admission").id
                       for n, org in enumerate(centres)}
            db.session.commit()
        per_centre = size // CENTRES
        for n, org in enumerate(centres):
            generate(org.id, workers[org.id], per_centre, start=n * per_centre)
        survivors_done = time.perf_counter()
        print(f"generated {size} survivors and cases in {survivors_done - started:.0f} s", flush=True)
        now = utcnow()
        shape = generate_referrals(db.session, [org.id for org in centres], receivers, workers, now)
        print(f"generated {shape['referrals']} referrals, {shape['events']} events in "
              f"{time.perf_counter() - survivors_done:.0f} s", flush=True)
        db.session.commit()
        _settle(kind, db.engine)
        counts = {name: db.session.scalar(text(f"SELECT count(*) FROM {name}"))
                  for name in ("cases", "referrals", "referral_clocks", "referral_events")}
        centre_id = centres[0].id
        from sqlalchemy import func, select

        from caseflow.referrals.models import Referral

        centre_shape = {
            "referrals": db.session.scalar(select(func.count()).where(Referral.from_organization_id == centre_id)),
            "overdue": db.session.scalar(select(func.count()).where(
                Referral.from_organization_id == centre_id, Referral.next_due_at < now)),
            "due_within_24h": db.session.scalar(select(func.count()).where(
                Referral.from_organization_id == centre_id, Referral.next_due_at >= now,
                Referral.next_due_at < now + timedelta(hours=24))),
        }
        _ids_path(kind, size).write_text(json.dumps(sample_case_ids()))
        view = _view_now(db.session)
        db.session.remove()
        db.engine.dispose()
    meta = {"size": size, "generator": GENERATOR_VERSION, "centres": CENTRES, "counts": counts,
            "shape": dict(sorted(shape.items())), "centre_shape": centre_shape,
            "generated_at": now.isoformat(timespec="seconds"), "generated_epoch": time.time(),
            "generation_s": round(time.perf_counter() - started, 1), "reused": False}
    _meta_path(kind).write_text(json.dumps(meta, indent=2))
    return {**meta, "view": view}


def run(kind: str, size: int, runs: int, duration: float, concurrency: int, max_age_hours: float,
        regenerate: bool, only: tuple[str, ...] = ()) -> dict:
    meta = prepare(kind, size, max_age_hours, regenerate)
    scenarios = [s for s in SCENARIOS if not only or s[0] in only]
    env = common.server_env(common.database_url(kind, DB_NAME))
    env["CASEFLOW_NATIONAL_ORGANIZATIONS"] = NATIONAL_CODE
    ids_file = _ids_path(kind, size)
    caseflow = common.start_server("caseflow:create_app()", CASEFLOW_PORT, env)
    try:
        tokens = {who: common.token(CASEFLOW_PORT, username, PASSWORD) for who, username in SUPERVISORS.items()}
    finally:
        common.stop(caseflow)
    samples = common.interleaved_rounds(env, (BARE_PORT, CASEFLOW_PORT),
                                        [(name, scenario, tokens[who]) for name, scenario, who in scenarios],
                                        ids_file, size, runs, duration, concurrency)
    summary = {name: common.medians(values) for name, values in samples.items()}
    bare_p95 = summary["bare_read"]["p95_ms"] or 1
    ratios = {f"{name}_p95_vs_bare": round(summary[name]["p95_ms"] / bare_p95, 2) for name, _, _ in scenarios}
    return {"benchmark": "referral_reports_http", "database": kind, "size": size, "runs": runs,
            "duration_s": duration, "concurrency": concurrency, "workers": 2,
            "requests": {"overdue": "GET /api/v1/supervision/overdue (the first page: 20 referrals)",
                         "overdue_50": "GET /api/v1/supervision/overdue?per_page=50",
                         "report_year": "GET /api/v1/reports/referral-timelines?from=<364 days ago>&to=<today>",
                         "report_month": "GET /api/v1/reports/referral-timelines (the last 30 days)"},
            "data": {k: meta[k] for k in ("counts", "shape", "centre_shape", "generated_at", "generation_s", "reused",
                                          "view")},
            "summary": summary, "ratios": ratios, "machine": common.machine(),
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def cpu(kind: str, size: int, rounds: int, block: int, only: tuple = ()) -> dict:
    """Process CPU per request, in this process (Flask's test client, as
    bench/cpu_per_request.py does for get case): the overdue views against the bare read in
    alternating blocks of ``block`` requests, each ratio taken within its round. What a
    request costs the server, apart from the HTTP load's queueing on a busy machine."""
    import statistics

    from bench.loadgen import Scenario

    meta = prepare(kind, size)
    env = common.server_env(common.database_url(kind, DB_NAME))
    os.environ.update({k: v for k, v in env.items() if k.startswith("CASEFLOW_")})
    os.environ["CASEFLOW_NATIONAL_ORGANIZATIONS"] = NATIONAL_CODE
    from bench import bare_app
    from caseflow import create_app

    caseflow = create_app().test_client()
    ids = json.loads(_ids_path(kind, size).read_text())
    scenarios = [(name, scenario, who) for name, scenario, who in SCENARIOS[:4] if not only or name in only]
    tokens = {who: caseflow.post("/api/v1/auth/tokens", json={"username": username, "password": PASSWORD})
              .get_json()["token"] for who, username in SUPERVISORS.items()}

    def call(client, scenario_name: str, token_value: str | None):
        scenario = Scenario(scenario_name, token_value or "", ids, size, seed=1)

        def one_request():
            for method, path, _body in scenario.requests():
                response = client.open(path, method=method, headers=scenario.headers)
                assert response.status_code == 200, (path, response.status_code)
        return one_request

    calls = {"bare_read": call(bare_app.app.test_client(), "bare_read", None),
             **{name: call(caseflow, scenario, tokens[who]) for name, scenario, who in scenarios}}

    def cpu_ms(one_request, count: int) -> float:
        started = time.process_time()
        for _ in range(count):
            one_request()
        return (time.process_time() - started) / count * 1000

    for one_request in calls.values():  # warm up: compiled statements, unwrapped keys, imports
        cpu_ms(one_request, 50)
    samples = {name: [] for name in calls}
    for _ in range(rounds):
        for name, one_request in calls.items():
            samples[name].append(cpu_ms(one_request, block))
    result = {f"{name}_cpu_ms": round(statistics.median(values), 3) for name, values in samples.items()}
    result.update({f"{name}_vs_bare": round(statistics.median(
        v / b for v, b in zip(samples[name], samples["bare_read"], strict=True)), 2) for name, _, _ in scenarios})
    return {"benchmark": "referral_reports_cpu", "database": kind, "size": size, "rounds": rounds, "block": block,
            **result, "view": meta["view"], "machine": common.machine(),
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def bench_commands(size: int, databases: list[str]) -> list[list[str]]:
    full = size >= 100_000
    return [["--db", kind, "--size", str(size), "--runs", "5" if full else "3", "--duration", "5" if full else "3"]
            for kind in databases]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--size", type=int, default=2000, help="cases (3 referrals each); the target scale is 100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--max-age-hours", type=float, default=6.0,
                        help="reuse a generated database younger than this")
    parser.add_argument("--regenerate", action="store_true", help="generate the data afresh")
    parser.add_argument("--only", nargs="+", choices=[s[0] for s in SCENARIOS], default=(),
                        help="measure these scenarios only (saved under instance/bench/, not bench/results/)")
    parser.add_argument("--prepare-only", action="store_true", help="generate (or check) the data and stop")
    parser.add_argument("--cpu", action="store_true",
                        help="process CPU per request in process instead of HTTP load (the overdue views; "
                             "--runs rounds of --block requests each)")
    parser.add_argument("--block", type=int, default=100, help="with --cpu: requests per scenario per round")
    args = parser.parse_args()
    if args.cpu:
        result = cpu(args.db, args.size, args.runs, args.block, tuple(args.only))
        print(json.dumps(result))
        return
    if args.prepare_only:
        meta = prepare(args.db, args.size, args.max_age_hours, args.regenerate)
        print(json.dumps({k: meta[k] for k in ("counts", "shape", "centre_shape", "generation_s", "view")}, indent=2))
        return
    result = run(args.db, args.size, args.runs, args.duration, args.concurrency, args.max_age_hours, args.regenerate,
                 tuple(args.only))
    if args.only:  # a partial run is for looking, not for the docs' tables
        path = common.WORK / f"referrals-{args.db}-{args.size}-partial.json"
        path.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
    else:
        path = common.write_result(f"referrals-{args.db}-{args.size}", result)
    for name, value in result["summary"].items():
        ratio = result["ratios"].get(f"{name}_p95_vs_bare", 1.0)
        print(f"{name:24s} p50 {value['p50_ms']:8.2f} ms  p95 {value['p95_ms']:8.2f} ms  x{ratio}  "
              f"errors {value['errors']}")
    print(f"data {json.dumps(result['data']['shape'])} -> {path.relative_to(common.ROOT)}")


if __name__ == "__main__":
    main()
