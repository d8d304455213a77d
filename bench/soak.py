"""Load and soak: mixed traffic of the real roles against ``caseflow serve`` for a bounded
period; throughput, p50/p95/p99 per route, error rate, and each process's memory over time.

    python -m bench.soak --db sqlite --size 2000 --duration 60
    python -m bench.soak --db postgresql --size 100000 --duration 600

Caseworkers register survivors and open cases, hold sessions and read their cases;
supervisors read the approval queue, the audit trail and access logs (bench/loadgen.py,
scenario ``mixed``; mentors join once visits exist). The load generator is its own process.
The resident memory (VmRSS from /proc) of the gunicorn master and of each worker is sampled
every second; growth is the last sample minus the first one after a warm-up.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import threading
import time
from pathlib import Path

from bench import common
from bench.http_foundation import PASSWORD, USER, prepare

BENCHMARK = True
PORT = 5721
SUPERVISOR = "bench.supervisor"


def add_supervisor(kind: str, size: int) -> Path:
    """The centre's supervisor; returns a file of open cases' ids (closed ones refuse sessions)."""
    from caseflow import create_app
    from caseflow.directory import services as directory
    from caseflow.directory.models import Organization
    from caseflow.extensions import db

    url = common.database_url(kind, f"caseflow_bench_{size}")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url.replace("postgresql://", "postgresql+psycopg://", 1),
                      "CASEFLOW_KEYRING": None, "CASEFLOW_KEYRING_FILE": str(common.keyring_file())})
    with app.app_context():
        org = db.session.scalars(db.select(Organization).where(Organization.code == "BENCH")).one()
        directory.create_user(username=SUPERVISOR, password=PASSWORD, role="supervisor", organization_id=org.id)
        db.session.commit()
        from caseflow.cases.models import Case

        open_ids = [str(i) for i in db.session.scalars(db.select(Case.id).where(Case.status == "open").limit(2000))]
        ids_file = common.WORK / f"open-ids-{kind}-{size}.json"
        ids_file.write_text(json.dumps(open_ids))
        db.session.remove()
        db.engine.dispose()
    return ids_file


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def sample_memory(master: int, stop: threading.Event, samples: dict, every: float = 1.0) -> None:
    started = time.monotonic()
    while not stop.is_set():
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        for role, pid in [("master", master)] + [("worker", int(p)) for p in children]:
            value = rss_kib(pid)
            if value is not None:
                samples.setdefault(f"{role}-{pid}", []).append((round(time.monotonic() - started, 1), value))
        stop.wait(every)


def memory_summary(samples: dict, warmup_s: float) -> dict:
    summary = {}
    for process, points in samples.items():
        settled = [p for p in points if p[0] >= warmup_s] or points
        summary[process] = {"first_kib": settled[0][1], "last_kib": settled[-1][1], "max_kib": max(v for _, v in points),
                            "growth_kib": settled[-1][1] - settled[0][1], "samples": len(points)}
    return summary


def run(kind: str, size: int, duration: float, concurrency: int) -> dict:
    url = prepare(kind, size)
    ids_file = add_supervisor(kind, size)
    env = common.server_env(url)
    server = common.start_caseflow(PORT, env, workers=2)
    stop, samples = threading.Event(), {}
    try:
        tokens = {"caseworker": common.token(PORT, USER, PASSWORD), "supervisor": common.token(PORT, SUPERVISOR, PASSWORD)}
        tokens_file = common.WORK / "soak-tokens.json"
        tokens_file.write_text(json.dumps(tokens))
        sampler = threading.Thread(target=sample_memory, args=(server.pid, stop, samples))
        sampler.start()
        out = subprocess.run(
            [common.PYTHON, "-m", "bench.loadgen", "--base", f"http://127.0.0.1:{PORT}", "--scenario", "mixed",
             "--tokens-file", str(tokens_file), "--ids-file", str(ids_file), "--size", str(size),
             "--duration", str(duration), "--concurrency", str(concurrency), "--seed", "7"],
            cwd=common.ROOT, capture_output=True, text=True, check=True, env={**env, "PYTHONPATH": str(common.ROOT)})
        load = json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        stop.set()
        common.stop(server)
    total = load["requests"] + load["errors"]
    routes = load.get("routes", {})
    requests = sum(r["requests"] for r in routes.values())
    route_errors = sum(r["errors"] for r in routes.values())
    return {"benchmark": "soak", "database": kind, "size": size, "duration_s": duration, "concurrency": concurrency,
            "workers": 2, "operations": total, "operations_per_s": load["rps"], "requests": requests,
            "requests_per_s": round(requests / duration, 1), "errors": route_errors,
            "error_rate": round(route_errors / max(requests, 1), 5), "failed_operations": load["errors"],
            "routes": routes,
            "memory": memory_summary(samples, warmup_s=min(10.0, duration / 4)),
            "machine": common.machine(), "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def bench_commands(size: int, databases: list[str]) -> list[list[str]]:
    duration = "600" if size >= 100_000 else "30"
    return [["--db", db, "--size", str(size), "--duration", duration] for db in databases]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    result = run(args.db, args.size, args.duration, args.concurrency)
    path = common.write_result(f"soak-{args.db}-{args.size}", result)
    print(json.dumps({k: result[k] for k in ("requests_per_s", "errors", "error_rate")}), "->",
          path.relative_to(common.ROOT))


if __name__ == "__main__":
    main()
