"""Statistics at national scale: generate once, measure many times.

    # once (PostgreSQL: 1,000,000 incidents, 3,000,000 referrals; SQLite: 100,000 / 300,000)
    CASEFLOW_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_stats \\
        PYTHONPATH=. .venv/bin/python -m bench.statistics_scale generate --db postgresql --incidents 1000000
    PYTHONPATH=. .venv/bin/python -m bench.statistics_scale generate --db sqlite --incidents 100000
    # then, as often as wanted
    ... -m bench.statistics_scale measure --db postgresql --runs 7
    ... -m bench.statistics_scale export --db postgresql      # the Incident Recorder for a year

Rows are written by the database itself (``INSERT ... SELECT`` over ``generate_series`` on
PostgreSQL, a recursive CTE on SQLite), in chunks, with deterministic pseudo-random codes
(a multiplicative hash of the row number), skewed as a real deployment's are (a few common
codes, a long tail). 400 centres, 50 penitentiary facilities; incidents over two years; three
referrals per case with one deadline clock each; an action-plan line for 7 cases in 10; a
supply delivery for 1 case in 10. One survivor in 50 is a second centre's record of the
previous survivor (same document term, same incident day and type, ``registered_elsewhere``):
the de-duplication rule has real work. Encrypted columns hold random bytes (statistics never
decrypt). Nothing here imports the tests.

``measure`` times each indicator by two dimensions for the last year at national scope
(``tables.compute``: total, both margins, cells, suppression), and compliance, ``--runs`` times,
alternating with a bare ``count(*)`` of the year's incidents (the baseline of the same run),
and prints p50, p95 and the process's peak RSS after each scenario (flat: no rows are loaded).
``export`` writes the Incident Recorder for a year in a fresh process and reports its peak RSS
against the same process's RSS before the export.
"""

from __future__ import annotations

import argparse
import resource
import statistics as stats
import sys
import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import create_engine, text

from bench import common

NAME = "bench_stats"
CENTRES, FACILITIES = 400, 50
RECEIVERS = (("health", "BENCH-SALUD"), ("police", "BENCH-PNP"), ("justice", "BENCH-JUZGADO"),
             ("social", "BENCH-CASA"), ("ngo", "BENCH-ONG"))
#: (service type, receiver index, deadline rule code or None)
SERVICES = (("hiv_pep", 0, "hiv_pep"), ("emergency_contraception", 0, "emergency_contraception"),
            ("medical_care", 0, None), ("complaint", 1, "police_to_family_court"),
            ("protective_measures", 2, "protective_measures"), ("shelter", 3, None),
            ("mental_health", 0, None), ("legal_aid", 4, None))
RULE_HOURS = {"hiv_pep": 72, "emergency_contraception": 120, "police_to_family_court": 24,
              "protective_measures": 24, "acknowledge_medium": 72}
SCENARIOS = (
    ("incidents", ("gbv_type", "month")),
    ("incidents", ("age_group_mimp", "perpetrator_relationship")),
    ("incidents", ("violence_type", "quarter")),
    ("incidents", ("reporting_delay", "centre")),
    ("cases", ("intake_channel", "risk_level")),
    ("cases", ("disability", "month")),
    ("referrals", ("sector", "outcome")),
    ("referrals", ("service_type", "month")),
    ("supplies", ("facility", "supply_kind")),
)
MOD = 1_000_003
VIOLENCE_LISTS = ['["fisica", "psicologica"]', '["psicologica"]', '["fisica"]', '["sexual"]',
                  '["economica_patrimonial"]']


def url_of(kind: str) -> str:
    if kind == "sqlite":
        return common.database_url("sqlite", NAME)
    return common.PG_URL.rsplit("/", 1)[0] + "/" + NAME


def _sa(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def app_for(kind: str):
    from caseflow import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": _sa(url_of(kind)), "CASEFLOW_KEYRING": None,
                       "CASEFLOW_KEYRING_FILE": str(common.keyring_file()), "SECRET_KEY": common.BENCH_SECRET,
                       "CASEFLOW_STATISTICS_CONSENT": "administrative", "CASEFLOW_NATIONAL_ORGANIZATIONS": ()})


class Sql:
    """The few expressions that differ between the two databases."""

    def __init__(self, kind: str, now: datetime):
        self.pg = kind == "postgresql"
        self.now = now.astimezone(timezone.utc).replace(microsecond=0)

    def series(self, first: int, last: int) -> tuple[str, str]:
        """(a WITH prefix, a FROM clause) giving ``n`` from first to last."""
        if self.pg:
            return "", f"generate_series({first}, {last}) AS g(n)"
        return (f"WITH RECURSIVE g(n) AS (SELECT {first} UNION ALL SELECT n + 1 FROM g WHERE n < {last}) ",
                "g")

    @staticmethod
    def h(expr: str, salt: int) -> str:
        return f"((({expr}) * 2654435761 + {salt * 40503}) % {MOD})"

    def pick(self, expr: str, salt: int, values, skew: bool = True) -> str:
        k = len(values)
        hashed = self.h(expr, salt)
        index = f"(({k} * {hashed} * {hashed}) / {MOD * MOD})" if skew else f"(({k} * {hashed}) / {MOD})"
        return "CASE " + index + " " + " ".join(
            f"WHEN {i} THEN {self.literal(v)}" for i, v in enumerate(values)) + " END"

    def literal(self, value) -> str:
        if value is None:
            return "NULL"
        if isinstance(value, bool):
            return ("true" if value else "false") if self.pg else ("1" if value else "0")
        if isinstance(value, int):
            return str(value)
        return "'" + str(value).replace("'", "''") + "'"

    def uid(self, prefix: str, expr: str) -> str:
        """A deterministic UUID for row ``expr`` of a table (``prefix``: 8 hex digits)."""
        if self.pg:
            return f"CAST('{prefix}-0000-4000-8000-' || lpad(to_hex({expr}), 12, '0') AS uuid)"
        return f"('{prefix}000040008000' || printf('%012x', {expr}))"

    def ago(self, seconds: str) -> str:
        if self.pg:
            return f"(TIMESTAMPTZ '{self.now.isoformat()}' - make_interval(secs => {seconds}))"
        return f"datetime('{self.now.strftime('%Y-%m-%d %H:%M:%S')}', '-' || ({seconds}) || ' seconds')"

    def plus(self, moment: str, seconds: str) -> str:
        if self.pg:
            return f"({moment} + make_interval(secs => {seconds}))"
        return f"datetime({moment}, '+' || ({seconds}) || ' seconds')"

    def blob(self, expr: str) -> str:
        return f"decode(repeat(md5(({expr})::text), 8), 'hex')" if self.pg else "randomblob(128)"

    def json(self, value: str) -> str:
        return f"CAST({value} AS json)" if self.pg else value


def _original(n: str) -> str:
    """Row ``n``'s codes come from row n - 1 when it is a second centre's record of her."""
    return f"(CASE WHEN ({n}) % 50 = 0 THEN ({n}) - 1 ELSE ({n}) END)"


def _opened(sql: Sql, case: str) -> str:
    # Two years back, from the original row (a duplicate shares the day).
    return sql.ago(f"{sql.h(_original(case), 1)} * 63")


def generate(kind: str, incidents: int, chunk: int) -> dict:
    from flask_migrate import upgrade

    from caseflow.cases.models import COMPLAINT_FILED, CONDITIONS, INTAKE_CHANNELS, RISK_LEVELS
    from caseflow.custody.models import SUPPLY_KINDS
    from caseflow.incidents.classification import AGE_GROUPS, DELAY_BUCKETS, GBV_TYPES, MIMP_AGE_GROUPS
    from caseflow.incidents.models import LOCATION_TYPES, PERPETRATOR_RELATIONSHIPS
    from caseflow.survivors.models import DISABILITIES

    url = url_of(kind)
    if kind == "sqlite":
        common.reset_database("sqlite", NAME)
    app = app_for(kind)
    with app.app_context():
        upgrade()
    engine = create_engine(_sa(url))
    now = datetime.now(timezone.utc)
    sql = Sql(kind, now)
    n_ref = incidents * 3
    timings = {}
    with engine.begin() as conn:
        rules = dict(conn.execute(text("SELECT code, id FROM deadline_rules")).all())
        for table in ("referral_clocks", "referrals", "plan_items", "supply_deliveries", "incidents",
                      "case_events", "cases", "survivor_search_terms", "survivors", "blind_index_states"):
            conn.execute(text(f"DELETE FROM {table}"))
        conn.execute(text("DELETE FROM organizations WHERE code LIKE 'BENCH-%'"))
        stamp = sql.literal(now.strftime("%Y-%m-%d %H:%M:%S")) if not sql.pg else f"TIMESTAMPTZ '{now.isoformat()}'"
        orgs = [(sql.uid("b0000000", str(i + 1)), f"BENCH-CEM-{i + 1:03d}", "cem") for i in range(CENTRES)]
        orgs += [(sql.uid("d0000000", str(i + 1)), code, sector) for i, (sector, code) in enumerate(RECEIVERS)]
        orgs += [(sql.uid("d0000000", str(101 + i)), f"BENCH-EP-{i + 1:02d}", "penitentiary") for i in range(FACILITIES)]
        for ident, code, sector in orgs:
            conn.execute(text(
                f"INSERT INTO organizations (id, code, name, sector, service_types, active, created_at, updated_at) "
                f"VALUES ({ident}, '{code}', '{code}', '{sector}', {sql.json(repr('[]'))}, {sql.literal(True)}, "
                f"{stamp}, {stamp})"))
        conn.execute(text("INSERT INTO blind_index_states (name, active_version, active_bits) VALUES "
                          "('document', 1, 16), ('name', 1, 16)"))
    centre = sql.uid("b0000000", f"(n % {CENTRES}) + 1")
    occurred = sql.ago(f"{sql.h(_original('n'), 1)} * 63 + 86400 * ({sql.h(_original('n'), 10)} % 40)")
    # Registered in row order: a second centre's record comes after the first's.
    registered = sql.ago("20000000 - n")
    statements = {
        "survivors": (incidents, lambda: (
            "INSERT INTO survivors (id, organization_id, document_type, sex, disability, mother_tongue, "
            "registered_elsewhere, created_at, updated_at, given_names_ct, document_number_ct) "
            f"SELECT {sql.uid('a0000000', 'n')}, {centre}, 'DNI', {sql.pick('n', 2, ['female', 'male', 'unknown'])}, "
            f"{sql.pick('n', 3, list(DISABILITIES))}, {sql.pick('n', 4, ['spanish', 'quechua', 'aimara', 'ashaninka'])}, "
            f"(n % 50 = 0), {registered}, {registered}, {sql.blob('n')}, {sql.blob('n + 1')}")),
        "survivor_search_terms": (incidents, lambda: (
            "INSERT INTO survivor_search_terms (survivor_id, index_name, version, term) "
            f"SELECT {sql.uid('a0000000', 'n')}, 'document', 1, {sql.h(_original('n'), 5)} % 65536")),
        "cases": (incidents, lambda: (
            "INSERT INTO cases (id, code, survivor_id, organization_id, status, step, priority, intake_channel, "
            "opened_at, risk_level, condition, complaint_filed, created_at, updated_at) "
            f"SELECT {sql.uid('c0000000', 'n')}, 'BENCH-' || n, {sql.uid('a0000000', 'n')}, {centre}, "
            f"{sql.pick('n', 6, ['open', 'closed'], skew=False)}, 'assessment', "
            f"{sql.pick('n', 7, ['high', 'medium', 'low'])}, {sql.pick('n', 8, list(INTAKE_CHANNELS))}, "
            f"{_opened(sql, 'n')}, {sql.pick('n', 9, ['leve', 'moderado', 'severo'] if RISK_LEVELS else [])}, "
            f"{sql.pick('n', 18, list(CONDITIONS))}, {sql.pick('n', 19, list(COMPLAINT_FILED))}, "
            f"{_opened(sql, 'n')}, {_opened(sql, 'n')}")),
        "incidents": (incidents, lambda: (
            "INSERT INTO incidents (id, case_id, survivor_id, organization_id, occurred_at, occurred_time_known, reported_at, "
            "penetration, sexual_contact, physical_assault, forced_marriage, denial_of_resources, psychological_abuse, "
            "goods_or_money_exchanged, gbv_type, early_marriage, possible_sexual_exploitation, child_sexual_abuse, "
            "reporting_delay, survivor_age_group, survivor_age_group_mimp, violence_types, perpetrator_relationship, "
            "location_type, consent_for_statistics, narrative_ct, created_at, updated_at) "
            f"SELECT {sql.uid('e0000000', 'n')}, {sql.uid('c0000000', 'n')}, {sql.uid('a0000000', 'n')}, "
            # her case's centre, copied from the case as migration 0024_stats_columns fills it
            f"(SELECT cases.organization_id FROM cases WHERE cases.id = {sql.uid('c0000000', 'n')}), "
            f"{occurred}, "
            f"{sql.literal(True)}, {_opened(sql, 'n')}, "
            + ", ".join([sql.literal(False)] * 7) + ", "
            f"{sql.pick(_original('n'), 11, list(GBV_TYPES))}, {sql.literal(False)}, {sql.literal(False)}, "
            f"{sql.literal(False)}, {sql.pick('n', 12, list(DELAY_BUCKETS))}, "
            f"{sql.pick('n', 13, list(AGE_GROUPS), skew=False)}, {sql.pick('n', 14, list(MIMP_AGE_GROUPS), skew=False)}, "
            f"{sql.json(sql.pick('n', 15, VIOLENCE_LISTS))}, "
            f"{sql.pick('n', 16, list(PERPETRATOR_RELATIONSHIPS))}, {sql.pick('n', 17, list(LOCATION_TYPES))}, "
            f"(n % 20 <> 7), {sql.blob('n')}, {_opened(sql, 'n')}, {_opened(sql, 'n')}")),
    }
    case_of = f"(((n - 1) % {incidents}) + 1)"
    facility = sql.uid("d0000000", f"101 + ({sql.h('n', 42)} % {FACILITIES})")
    sent = sql.plus(_opened(sql, case_of), f"{sql.h('n', 20)} / 2")
    service = sql.h("n", 21) + f" % {len(SERVICES)}"
    status = sql.pick("n", 22, ["completed", "in_progress", "accepted", "requested", "rejected", "cancelled", "failed"])
    completed = f"CASE WHEN {status} = 'completed' THEN {sql.plus(sent, sql.h('n', 23) + ' / 3')} END"

    def rule_sql(code: str) -> str:
        # SQLite's Uuid column holds 32 hex digits.
        ident = str(rules[code]).replace("-", "")
        return f"CAST('{rules[code]}' AS uuid)" if sql.pg else f"'{ident}'"

    def by_service(column: int) -> str:
        return "CASE " + service + " " + " ".join(
            f"WHEN {i} THEN {value}" for i, value in enumerate(
                [sql.literal(s[0]) for s in SERVICES] if column == 0 else
                [sql.literal(RECEIVERS[s[1]][0]) for s in SERVICES] if column == 1 else
                [sql.uid("d0000000", str(s[1] + 1)) for s in SERVICES] if column == 2 else
                [rule_sql(s[2] or "acknowledge_medium")
                 for s in SERVICES] if column == 3 else
                [str(RULE_HOURS[s[2] or "acknowledge_medium"] * 3600) for s in SERVICES] if column == 4 else
                [sql.literal("accepted" if s[2] is None else "completed") for s in SERVICES])) + " END"

    statements.update({
        "referrals": (n_ref, lambda: (
            "INSERT INTO referrals (id, case_id, survivor_id, from_organization_id, to_organization_id, sector, "
            "service_type, priority, status, sent_at, mandatory_report, incident_id, deadline_rule_id, due_at, "
            "accepted_at, completed_at, closed_at, note_ct, created_at, updated_at) "
            f"SELECT {sql.uid('f0000000', 'n')}, {sql.uid('c0000000', case_of)}, {sql.uid('a0000000', case_of)}, "
            f"{sql.uid('b0000000', f'({case_of} % {CENTRES}) + 1')}, {by_service(2)}, {by_service(1)}, {by_service(0)}, "
            f"{sql.pick('n', 24, ['high', 'medium', 'low'])}, {status}, {sent}, {sql.literal(False)}, "
            f"{sql.uid('e0000000', case_of)}, {by_service(3)}, {sql.plus(sent, by_service(4))}, "
            f"CASE WHEN {status} IN ('accepted', 'in_progress', 'completed') THEN {sql.plus(sent, sql.h('n', 25) + ' / 100')} END, "
            f"{completed}, {completed}, {sql.blob('n')}, {sent}, {sent}")),
        "referral_clocks": (n_ref, lambda: (
            "INSERT INTO referral_clocks (id, referral_id, rule_id, milestone, starts_at, due_at, met_at, stopped_at, "
            "minutes_to_met, cancelled, sent_at, organization_id) "
            f"SELECT {sql.uid('f1000000', 'n')}, {sql.uid('f0000000', 'n')}, {by_service(3)}, {by_service(5)}, "
            f"{sent}, {sql.plus(sent, by_service(4))}, {completed}, "
            f"CASE WHEN {status} IN ('rejected', 'cancelled', 'failed') THEN {sql.plus(sent, '3600')} END, "
            # Met (completed) after h/3 whole seconds: to the nearest minute, half up.
            f"CASE WHEN {status} = 'completed' THEN ({sql.h('n', 23)} / 3 + 30) / 60 END, "
            f"({status} = 'cancelled'), {sent}, {sql.uid('b0000000', f'({case_of} % {CENTRES}) + 1')}")),
        "plan_items": (incidents, lambda: (
            "INSERT INTO plan_items (id, case_id, survivor_id, need, service_type, decision, goal_status, "
            "created_at, updated_at) "
            f"SELECT {sql.uid('90000000', 'n')}, {sql.uid('c0000000', 'n')}, {sql.uid('a0000000', 'n')}, "
            f"{sql.pick('n', 30, ['safety', 'health', 'psychosocial', 'justice'])}, 'medical_care', 'referred', "
            f"'in_progress', {sql.plus(_opened(sql, 'n'), sql.h('n', 31) + ' / 5')}, "
            f"{sql.plus(_opened(sql, 'n'), sql.h('n', 31) + ' / 5')} "
            "FROM {series} WHERE n % 10 < 7")),
        "supply_deliveries": (incidents // 10, lambda: (
            "INSERT INTO supply_deliveries (id, case_id, survivor_id, kind, delivered_at, facility_id, "
            "created_at, updated_at) "
            f"SELECT {sql.uid('80000000', 'n')}, {sql.uid('c0000000', '(n * 10)')}, {sql.uid('a0000000', '(n * 10)')}, "
            f"{sql.pick('n', 40, list(SUPPLY_KINDS))}, {sql.plus(_opened(sql, '(n * 10)'), sql.h('n', 41))}, "
            f"CASE WHEN n % 10 = 0 THEN NULL ELSE {facility} END, "
            f"{_opened(sql, '(n * 10)')}, {_opened(sql, '(n * 10)')}")),
    })
    for table, (count, build) in statements.items():
        started = time.perf_counter()
        for first in range(1, count + 1, chunk):
            last = min(count, first + chunk - 1)
            prefix, series = sql.series(first, last)
            statement = build()
            statement = statement.replace("{series}", series) if "{series}" in statement else f"{statement} FROM {series}"
            with engine.begin() as conn:
                conn.execute(text(prefix + statement))
            print(f"{table}: {last:,}/{count:,}", file=sys.stderr, flush=True)
        timings[table] = round(time.perf_counter() - started, 1)
    engine.dispose()
    started = time.perf_counter()
    common.analyze(kind, url)
    timings["analyze"] = round(time.perf_counter() - started, 1)
    # The pairs of reports of the same incident (caseflow.statistics.duplicates), which the
    # application keeps from its signals as records are written: rows written here in bulk
    # get them the way an upgrade (migration 0023) does, by the rule over every record (after
    # ANALYZE: without statistics SQLite joined the rule in a bad order, 150 s at 100,000).
    started = time.perf_counter()
    from caseflow.extensions import db
    from caseflow.statistics import duplicates

    with app.app_context():
        timings["reported_earlier_pairs"] = duplicates.refresh_all()
        db.session.commit()
    timings["reported_earlier"] = round(time.perf_counter() - started, 1)
    # Each case's first milestones (caseflow.statistics.milestones), kept by the application
    # from the signals of cases, plans and referrals: rows written here in bulk get them by
    # the rule over every case, as an upgrade (migration 0024_stats_columns) does.
    started = time.perf_counter()
    from caseflow.statistics import milestones

    with app.app_context():
        timings["case_milestones_rows"] = milestones.refresh_all()
        db.session.commit()
    common.analyze(kind, url)
    timings["case_milestones"] = round(time.perf_counter() - started, 1)
    return {"db": kind, "incidents": incidents, "referrals": n_ref, "seconds": timings, "machine": common.machine()}


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _percentile(values, q):
    ordered = sorted(values)
    return ordered[max(0, int(round(q * len(ordered))) - 1)]


def _load() -> str:
    try:
        with open("/proc/loadavg") as f:
            return f.read().split(" ", 3)[:3].__str__()
    except OSError:
        return "unknown"


def measure(kind: str, runs: int, only: str = "") -> dict:
    from sqlalchemy import func, select

    from caseflow.extensions import db
    from caseflow.incidents.models import Incident
    from caseflow.statistics import compliance, tables
    from caseflow.statistics.catalogue import INDICATORS

    app = app_for(kind)
    end = datetime.now(timezone.utc)
    start = end - timedelta(days=365)
    results = {"load_before": _load()}
    with app.test_request_context():
        def baseline():
            db.session.scalar(select(func.count()).select_from(Incident).where(
                Incident.reported_at >= start, Incident.reported_at < end))

        def timed(fn):
            t0 = time.perf_counter()
            fn()
            elapsed = time.perf_counter() - t0
            # Each computation in its own transaction, as each request is: a statistics
            # computation's SET LOCAL (planning.py) must not carry over to the next one.
            db.session.rollback()
            return elapsed

        scenarios = [(f"{i} by {','.join(b)}",
                      lambda i=i, b=b: tables.compute(INDICATORS[i], list(b), None, start, end, 5))
                     for i, b in SCENARIOS]
        scenarios += [("compliance rules", lambda: compliance.compliance(None, start, end, end, 5)),
                      ("compliance first contact", lambda: compliance.timelines(None, start, end, 5))]
        for name, fn in scenarios:
            if only and only not in name:
                continue
            fn()  # warm: plans and caches, not measured
            db.session.rollback()
            own, bare = [], []
            for _ in range(runs):
                bare.append(timed(baseline))
                own.append(timed(fn))
            results[name] = {
                "p50_ms": round(stats.median(own) * 1000, 1), "p95_ms": round(_percentile(own, 0.95) * 1000, 1),
                "baseline_p50_ms": round(stats.median(bare) * 1000, 1),
                "ratio_p50": round(stats.median(own) / stats.median(bare), 2), "peak_rss_mb": _peak_rss_mb()}
            print(f"{kind} {name}: p50 {results[name]['p50_ms']} ms, p95 {results[name]['p95_ms']} ms, "
                  f"bare count p50 {results[name]['baseline_p50_ms']} ms, peak RSS {results[name]['peak_rss_mb']} MB",
                  flush=True)
        db.session.remove()
        db.engine.dispose()
    results["load_after"] = _load()
    return {"db": kind, "runs": runs, "results": results, "machine": common.machine()}


def export(kind: str, days: int) -> dict:
    from caseflow.statistics import incident_recorder

    app = app_for(kind)
    end = datetime.now(timezone.utc)
    start = end - timedelta(days=days)
    with app.test_request_context():
        before = _peak_rss_mb()
        t0 = time.perf_counter()
        workbook = incident_recorder.write(None, start, end)
        seconds = time.perf_counter() - t0
        size = workbook.seek(0, 2)
        workbook.close()
    return {"db": kind, "days": days, "seconds": round(seconds, 1), "xlsx_mb": round(size / 2**20, 1),
            "peak_rss_before_mb": before, "peak_rss_after_mb": _peak_rss_mb(), "load": _load()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=("generate", "measure", "export"))
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=250_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--only", default="", help="measure only the scenarios whose name contains this")
    args = parser.parse_args()
    if args.action == "generate":
        payload = generate(args.db, args.incidents, args.chunk)
    elif args.action == "measure":
        payload = measure(args.db, args.runs, args.only)
    else:
        payload = export(args.db, args.days)
    print(payload)
    suffix = f"-{args.only.replace(' ', '_')}" if args.action == "measure" and args.only else (
        f"-{args.days}d" if args.action == "export" else "")
    print(common.write_result(f"statistics-scale-{args.action}-{args.db}{suffix}", payload))


if __name__ == "__main__":
    main()
