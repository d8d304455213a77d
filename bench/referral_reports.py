"""Referral review at scale: `GET /supervision/overdue` and `GET /reports/referral-timelines`
for one centre and for a national supervisor, p50/p95, against a bare indexed read.

The issue's scale is 100,000 cases, 300,000 referrals and 1,000,000 transition events
(`--size 100000`); the default is small so the script runs in seconds. Each case gets three
referrals and each referral about 3.3 events (requested, then accepted / in progress /
completed or rejected). Requests go through the full application in process (auth, policy,
serialisation, unit of work); the baseline is one `SELECT` of a case by primary key on the
same database, so the ratio cancels out this machine's speed.

    .venv/bin/python -m bench.referral_reports --db sqlite --size 2000
    .venv/bin/python -m bench.referral_reports --db postgresql --size 100000
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import uuid
from datetime import timedelta

from sqlalchemy import insert, select, text

from bench.common import BENCH_SECRET, keyring_file, machine, reset_database, write_result

SERVICES = [("health", "hiv_pep"), ("health", "medical_care"), ("justice", "protective_measures"),
            ("police", "complaint"), ("social", "shelter")]


def _app(url: str):
    from caseflow import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "CASEFLOW_KEYRING_FILE": str(keyring_file()),
                       "SECRET_KEY": BENCH_SECRET, "CASEFLOW_NATIONAL_ORGANIZATIONS": ("BENCH-NACIONAL",)})


def _referrals(case_rows, organizations, rules, now, rng):
    """Referral, clock and event rows for the given cases (Core inserts, no services)."""
    referrals, clocks, events = [], [], []
    for case_id, survivor_id, centre_id in case_rows:
        for _ in range(3):
            sector, service = rng.choice(SERVICES)
            referral_id, sent = uuid.uuid4(), now - timedelta(hours=rng.randrange(24 * 365))
            fate = rng.random()
            accepted = sent + timedelta(hours=rng.uniform(0.5, 60)) if fate > 0.15 else None
            completed = accepted + timedelta(hours=rng.uniform(1, 90)) if accepted and fate > 0.35 else None
            rule = rules.get(service) or rules["acknowledge_high"]
            due = sent + timedelta(hours=rule[1])
            status = "completed" if completed else "accepted" if accepted else ("rejected" if fate < 0.05 else "requested")
            running = status in ("requested", "accepted")
            referrals.append({
                "id": referral_id, "case_id": case_id, "survivor_id": survivor_id, "from_organization_id": centre_id,
                "to_organization_id": organizations[sector], "sector": sector, "service_type": service,
                "priority": "high", "status": status, "sent_at": sent, "mandatory_report": False,
                "deadline_rule_id": rule[0], "due_at": due, "next_due_at": due if running else None,
                "accepted_at": accepted, "completed_at": completed,
                "closed_at": completed or (sent + timedelta(hours=1) if status == "rejected" else None),
                "created_at": sent, "updated_at": sent})
            clocks.append({"id": uuid.uuid4(), "referral_id": referral_id, "rule_id": rule[0], "milestone": "completed",
                           "starts_at": sent, "due_at": due, "met_at": completed,
                           "stopped_at": sent + timedelta(hours=1) if status == "rejected" else None})
            steps = [(None, "requested", sent)]
            if status == "rejected":
                steps.append(("requested", "rejected", sent + timedelta(hours=1)))
            if accepted:
                steps.append(("requested", "accepted", accepted))
            if completed:
                steps += [("accepted", "in_progress", accepted + timedelta(minutes=30)),
                          ("in_progress", "completed", completed)]
            for before, after, at in steps:
                events.append({"id": uuid.uuid4(), "referral_id": referral_id, "case_id": case_id,
                               "survivor_id": survivor_id, "from_status": before, "to_status": after, "at": at,
                               "organization_id": centre_id if before is None else organizations[sector]})
    return referrals, clocks, events


def prepare(kind: str, size: int, centres: int = 4):
    from flask_migrate import upgrade

    from bench.generate import generate
    from caseflow.cases.models import Case
    from caseflow.core.acting import acting_as
    from caseflow.core.clock import utcnow
    from caseflow.directory.services import create_organization, create_user
    from caseflow.extensions import db
    from caseflow.referrals.models import DeadlineRule, Referral, ReferralClock, ReferralEvent

    app = _app(reset_database(kind, "caseflow_bench_referrals"))
    rng = random.Random(2026)
    with app.app_context():
        upgrade()
        with acting_as(None):
            centre_orgs = [create_organization(code=f"BENCH-CEM-{n}", name=f"CEM {n}", sector="cem") for n in range(centres)]
            receivers = {sector: create_organization(code=f"BENCH-{sector.upper()}", name=sector, sector=sector,
                                                     service_types=[s for sec, s in SERVICES if sec == sector]).id
                         for sector in {s for s, _ in SERVICES}}
            national = create_organization(code="BENCH-NACIONAL", name="Nacional", sector="cem")
            users = {"centre": create_user(username="bench-supervisor", password="bench-password-0001",
                                           role="supervisor", organization_id=centre_orgs[0].id),
                     "national": create_user(username="bench-national", password="bench-password-0001",
                                             role="supervisor", organization_id=national.id)}
            worker = create_user(username="bench-worker", password="bench-password-0001", role="caseworker",
                                 organization_id=centre_orgs[0].id, discipline="admission")
            db.session.commit()
        for n, org in enumerate(centre_orgs):
            generate(org.id, worker.id, size // centres, start=n * (size // centres))
        rules = {r.service_type or r.code: (r.id, r.hours) for r in db.session.scalars(select(DeadlineRule))}
        now, last = utcnow(), None
        while True:
            statement = select(Case.id, Case.survivor_id, Case.organization_id).order_by(Case.id).limit(2000)
            if last is not None:
                statement = statement.where(Case.id > last)
            rows = db.session.execute(statement).all()
            if not rows:
                break
            last = rows[-1][0]
            referrals, clocks, events = _referrals(rows, receivers, rules, now, rng)
            db.session.execute(insert(Referral), referrals)
            db.session.execute(insert(ReferralClock), clocks)
            db.session.execute(insert(ReferralEvent), events)
            db.session.commit()
        if kind == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        counts = {name: db.session.scalar(text(f"SELECT count(*) FROM {name}"))
                  for name in ("cases", "referrals", "referral_events")}
        user_ids = {k: v.id for k, v in users.items()}
        case_id = db.session.scalar(select(Case.id).limit(1))
    return app, user_ids, case_id, counts


def _time(call, rounds: int) -> dict:
    call()  # warm caches and the connection pool
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 2),
            "p95_ms": round(samples[min(len(samples) - 1, int(0.95 * len(samples)))], 2), "rounds": rounds}


def run(kind: str, size: int, rounds: int) -> dict:
    from caseflow.auth.services import issue_token
    from caseflow.cases.models import Case
    from caseflow.directory.models import User
    from caseflow.extensions import db

    app, user_ids, case_id, counts = prepare(kind, size)
    results = {}
    with app.app_context():
        headers = {}
        for name, user_id in user_ids.items():
            raw, _ = issue_token(db.session.get(User, user_id), "bearer", timedelta(hours=2))
            headers[name] = {"Authorization": f"Bearer {raw}"}
        db.session.commit()
        client = app.test_client()
        from datetime import date

        today = date.today()
        period = f"from={today - timedelta(days=366)}&to={today}"

        def bare():
            with db.engine.connect() as conn:
                conn.execute(select(Case.code).where(Case.id == case_id)).one()

        results["bare_sql"] = _time(bare, rounds)
        # The Foundation's baseline: a bare Flask + SQLAlchemy endpoint doing one indexed read,
        # called in process like the routes below, so both pay the same request overhead.
        import os

        os.environ["CASEFLOW_DATABASE_URL"] = str(db.engine.url.render_as_string(hide_password=False))
        from bench import bare_app

        bare_client = bare_app.app.test_client()

        def bare_http():
            assert bare_client.get(f"/bare/cases/{case_id}").status_code == 200

        results["bare_read"] = _time(bare_http, rounds)
        for who in ("centre", "national"):
            for name, path in (("overdue", "/api/v1/supervision/overdue?per_page=50"),
                               ("report", f"/api/v1/reports/referral-timelines?{period}")):
                def call(path=path, who=who):
                    response = client.get(path, headers=headers[who])
                    assert response.status_code == 200, response.get_data(as_text=True)
                results[f"{name}_{who}"] = _time(call, rounds)
        bare_p95 = results["bare_read"]["p95_ms"] or 0.01
        for key, value in results.items():
            value["p95_over_bare"] = round(value["p95_ms"] / bare_p95, 1)
    return {"benchmark": "referral_reports", "database": kind, "db": kind, "size": size, "counts": counts,
            "machine": machine(), "results": results,
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


BENCHMARK = True


def bench_commands(size: int, databases: list[str]) -> list[list[str]]:
    return [["--db", kind, "--size", str(size)] for kind in databases]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--size", type=int, default=400, help="cases (3 referrals each); the issue's scale is 100000")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    payload = run(args.db, args.size, args.rounds)
    path = write_result(f"referrals-{args.db}-{args.size}", payload)
    for key, value in payload["results"].items():
        print(f"{key:20s} p50 {value['p50_ms']:8.2f} ms  p95 {value['p95_ms']:8.2f} ms  x{value['p95_over_bare']}")
    print(f"counts {payload['counts']} -> {path}")


if __name__ == "__main__":
    main()
