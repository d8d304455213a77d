"""Statistics at scale, in process: an indicator by two dimensions for a year, national scope,
against a bare count of the same year's incidents in the same run.

    CASEFLOW_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
    python -m bench.statistics_tables --db sqlite --size 100000 [--runs 15]

``--size`` incidents, one case and survivor each (survivor rows hold only their coded
columns: statistics never read ciphertexts), over four centres and two years, with the
coded values spread as a real centre's are (many common codes, a long tail of small ones).
Each scenario is timed ``--runs`` times, alternating with the baseline; p50 and p95 of each
and the ratio p95 / baseline p95 are printed and written to bench/results/.
"""

from __future__ import annotations

import argparse
import random
import statistics as stats
import time
import uuid
from datetime import datetime, timedelta, timezone

from bench import common

DB_NAME = "test_stats_bench"
SCENARIOS = (
    ("incidents", ("gbv_type", "month")),
    ("incidents", ("age_group_mimp", "perpetrator_relationship")),
    ("incidents", ("violence_type", "quarter")),
    ("cases", ("intake_channel", "risk_level")),
)


def _weighted(rng, values, skew=1.6):
    weights = [1 / (k + 1) ** skew for k in range(len(values))]
    return rng.choices(values, weights)[0]


def generate(app, size: int, seed: int = 19) -> None:
    from sqlalchemy import insert

    from caseflow.cases.models import INTAKE_CHANNELS, RISK_LEVELS, Case
    from caseflow.directory.models import Organization
    from caseflow.extensions import db
    from caseflow.incidents.classification import (
        AGE_GROUPS,
        DELAY_BUCKETS,
        GBV_TYPES,
        MIMP_AGE_GROUPS,
    )
    from caseflow.incidents.models import (
        PERPETRATOR_RELATIONSHIPS,
        VIOLENCE_TYPES,
        Incident,
    )
    from caseflow.survivors.models import Survivor

    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    with app.app_context():
        centres = [uuid.uuid4() for _ in range(4)]
        db.session.execute(insert(Organization), [
            {"id": c, "code": f"BENCH-CEM-{k}", "name": f"CEM {k}", "sector": "cem", "service_types": [],
             "active": True, "created_at": now, "updated_at": now} for k, c in enumerate(centres)])
        batch = 5000
        for start in range(0, size, batch):
            survivors, cases, incidents = [], [], []
            for n in range(start, min(size, start + batch)):
                sid, cid = uuid.uuid4(), uuid.uuid4()
                centre = centres[n % 4]
                reported = now - timedelta(days=rng.uniform(0, 730))
                survivors.append({"id": sid, "organization_id": centre, "document_type": "NONE", "sex": "female",
                                  "disability": _weighted(rng, ["none", "physical", "sensory", "unknown"]),
                                  "created_at": now, "updated_at": now})
                cases.append({"id": cid, "code": f"B-{n}", "survivor_id": sid, "organization_id": centre,
                              "status": "open", "step": "assessment", "priority": "medium",
                              "intake_channel": _weighted(rng, list(INTAKE_CHANNELS)),
                              "risk_level": _weighted(rng, list(RISK_LEVELS), 1.0), "opened_at": reported,
                              "created_at": now, "updated_at": now})
                age = _weighted(rng, list(range(len(MIMP_AGE_GROUPS) - 1)), 0.3)
                incidents.append({
                    "id": uuid.uuid4(), "case_id": cid, "survivor_id": sid, "organization_id": centre,
                    "occurred_at": reported - timedelta(days=rng.uniform(0, 40)), "occurred_time_known": True,
                    "reported_at": reported, "gbv_type": _weighted(rng, list(GBV_TYPES)),
                    "reporting_delay": _weighted(rng, list(DELAY_BUCKETS)),
                    "survivor_age_group": AGE_GROUPS[min(age // 2, 5)], "survivor_age_group_mimp": MIMP_AGE_GROUPS[age],
                    "violence_types": sorted(set(rng.sample(VIOLENCE_TYPES, rng.randint(1, 2)))),
                    "perpetrator_relationship": _weighted(rng, list(PERPETRATOR_RELATIONSHIPS)),
                    "created_at": now, "updated_at": now})
            db.session.execute(insert(Survivor), survivors)
            db.session.execute(insert(Case), cases)
            db.session.execute(insert(Incident), incidents)
            db.session.commit()


def run(kind: str, size: int, runs: int) -> dict:
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from caseflow import create_app

    url = common.reset_database(kind, DB_NAME)
    sa_url = url.replace("postgresql://", "postgresql+psycopg://", 1) if kind == "postgresql" else url
    app = create_app({"SQLALCHEMY_DATABASE_URI": sa_url, "CASEFLOW_KEYRING": None,
                      "CASEFLOW_KEYRING_FILE": str(common.keyring_file()), "SECRET_KEY": common.BENCH_SECRET,
                      "CASEFLOW_STATISTICS_CONSENT": "administrative"})
    with app.app_context():
        upgrade()
    started = time.perf_counter()
    generate(app, size)
    generated = time.perf_counter() - started
    common.analyze(kind, url)
    from caseflow.extensions import db
    from caseflow.incidents.models import Incident
    from caseflow.statistics import tables
    from caseflow.statistics.catalogue import INDICATORS

    end = datetime.now(timezone.utc)
    start = end - timedelta(days=365)
    results = {}
    with app.test_request_context():
        def baseline():
            db.session.scalar(select(func.count()).select_from(Incident).where(
                Incident.reported_at >= start, Incident.reported_at < end))

        def timed(fn):
            t0 = time.perf_counter()
            fn()
            return time.perf_counter() - t0

        for indicator, by in SCENARIOS:
            own, bare = [], []
            for _ in range(runs):
                bare.append(timed(baseline))
                own.append(timed(lambda i=indicator, b=by: tables.compute(INDICATORS[i], list(b), None, start, end, 5)))
            p95 = sorted(own)[max(0, int(round(0.95 * len(own))) - 1)]
            bare95 = sorted(bare)[max(0, int(round(0.95 * len(bare))) - 1)]
            results[f"{indicator} by {','.join(by)}"] = {
                "p50_ms": round(stats.median(own) * 1000, 1), "p95_ms": round(p95 * 1000, 1),
                "baseline_p95_ms": round(bare95 * 1000, 1), "ratio_p95": round(p95 / bare95, 2)}
        db.session.remove()
        db.engine.dispose()
    return {"db": kind, "size": size, "runs": runs, "generated_s": round(generated, 1), "results": results,
            "machine": common.machine()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    payload = run(args.db, args.size, args.runs)
    path = common.write_result(f"statistics-{args.db}-{args.size}", payload)
    for name, figures in payload["results"].items():
        print(f"{args.db} {args.size:,} {name}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, "
              f"bare count p95 {figures['baseline_p95_ms']} ms, ratio {figures['ratio_p95']}")
    print(path)


if __name__ == "__main__":
    main()
