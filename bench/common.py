"""Shared benchmark plumbing: databases, servers, the load generator, statistics, results."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WORK = ROOT / "instance" / "bench"
PG_URL = os.environ.get("CASEFLOW_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
BENCH_SECRET = "bench-secret-key-not-for-production-000000"
PYTHON = sys.executable


def database_url(kind: str, name: str) -> str:
    if kind == "sqlite":
        WORK.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{WORK / (name + '.db')}"
    return PG_URL.rsplit("/", 1)[0] + "/" + name


def reset_database(kind: str, name: str) -> str:
    url = database_url(kind, name)
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(str(WORK / (name + ".db")) + suffix).unlink(missing_ok=True)
    else:
        # The maintenance database, so that PG_URL may itself name the database being reset.
        maintenance = PG_URL.rsplit("/", 1)[0] + "/postgres"
        admin = create_engine(maintenance.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    return url


def analyze(kind: str, url: str) -> None:
    """Statistics (and, on PostgreSQL, the visibility map) as a live database has them once
    autovacuum has passed: a bulk load leaves none, and plans made without them are not the
    plans production runs."""
    if kind == "sqlite":
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            conn.execute("ANALYZE")
        return
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def keyring_file() -> Path:
    from caseflow.crypto.keyring import Keyring

    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / "bench-keyring.json"
    if not path.exists():
        Keyring.generate().write(path)
    return path


def server_env(url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFLOW_")}
    env.update(CASEFLOW_ENV="production", CASEFLOW_DATABASE_URL=url, CASEFLOW_SECRET_KEY=BENCH_SECRET,
               CASEFLOW_KEYRING_FILE=str(keyring_file()), PYTHONPATH=str(ROOT),
               # Benchmarked callers act by tokens made by the bench, without a second factor
               # (bench/accounts.py measures sign-in with and without one).
               CASEFLOW_MFA_REQUIRED_ROLES="")
    return env


#: Extra gunicorn settings for every server a benchmark starts (both the baseline and
#: caseflow, so that they stay alike): e.g. ``["-k", "gthread", "--threads", "8"]``.
GUNICORN_EXTRA: list[str] = []


def free_port() -> int:
    """A port nobody listens on now (benchmarks share the machine with other work)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(app_spec: str, port: int, env: dict, workers: int = 2) -> subprocess.Popen:
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-w", str(workers), *GUNICORN_EXTRA, "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", app_spec],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
        except urllib.error.HTTPError:
            return process  # it answers (404/401): it is up
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"{app_spec} exited: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.3)
            continue
        return process
    raise RuntimeError(f"{app_spec} did not start")


def start_caseflow(port: int, env: dict, workers: int = 2) -> subprocess.Popen:
    """``caseflow serve``: the production server with its own settings (request limits...)."""
    caseflow = str(Path(PYTHON).with_name("caseflow"))
    WORK.mkdir(parents=True, exist_ok=True)
    # A file, not a pipe: nobody reads the server's log while it runs, and a full pipe would block it.
    log = open(WORK / f"caseflow-serve-{port}.log", "wb")
    process = subprocess.Popen(
        [caseflow, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    process.log_path = WORK / f"caseflow-serve-{port}.log"
    wait_until_up(process, port, "caseflow serve")
    return process


def wait_until_up(process: subprocess.Popen, port: int, name: str) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if process.poll() is not None:
                log = getattr(process, "log_path", None)
                raise RuntimeError(f"{name} exited: {log.read_text()[-2000:] if log else ''}")
            time.sleep(0.3)
    raise RuntimeError(f"{name} did not start")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def token(port: int, username: str, password: str) -> str:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/auth/tokens", method="POST",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request, timeout=30))["token"]


def load(port: int, scenario: str, token_value: str, ids_file: Path, size: int, duration: float,
         concurrency: int, seed: int) -> dict:
    out = subprocess.run(
        [PYTHON, "-m", "bench.loadgen", "--base", f"http://127.0.0.1:{port}", "--scenario", scenario,
         "--token", token_value, "--ids-file", str(ids_file), "--size", str(size), "--duration", str(duration),
         "--concurrency", str(concurrency), "--seed", str(seed)],
        cwd=ROOT, capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return json.loads(out.stdout.strip().splitlines()[-1])


def medians(runs: list[dict]) -> dict:
    keys = ("rps", "p50_ms", "p95_ms", "p99_ms")
    result = {k: round(statistics.median(r[k] for r in runs), 2) for k in keys}
    result["errors"] = sum(r["errors"] for r in runs)
    result["requests"] = sum(r["requests"] for r in runs)
    result["runs"] = len(runs)
    return result


def machine() -> dict:
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}


def write_result(name: str, payload: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")
    return path


#: Unrecorded seconds of each scenario after its server starts: a fresh worker compiles its
#: statements and fills its caches on its first requests, which belong to no steady state.
WARM_UP_S = 1.0


def interleaved_rounds(env: dict, ports: tuple[int, int], scenarios: list[tuple[str, str, str]], ids_file: Path,
                       size: int, runs: int, duration: float, concurrency: int) -> dict[str, list]:
    """Every round serves the baseline, loads it, stops it, then serves caseflow and loads
    each scenario (``(name, loadgen scenario, token)``): the two never run at the same time.
    Each load follows an unrecorded warm-up of the same scenario. Returns every run's figures
    by name, ``bare_read`` first."""
    bare_port, caseflow_port = ports
    samples: dict[str, list] = {name: [] for name in ("bare_read", *(name for name, _, _ in scenarios))}
    process = None

    def measured(port, scenario, token_value, seed):
        load(port, scenario, token_value, ids_file, size, WARM_UP_S, concurrency, 1000 + seed)
        return load(port, scenario, token_value, ids_file, size, duration, concurrency, seed)

    try:
        for round_ in range(runs):
            process = start_server("bench.bare_app:app", bare_port, env)
            samples["bare_read"].append(measured(bare_port, "bare_read", "", round_))
            stop(process)
            process = start_server("caseflow:create_app()", caseflow_port, env)
            for name, scenario, token_value in scenarios:
                samples[name].append(measured(caseflow_port, scenario, token_value, round_))
            stop(process)
            process = None
            print(f"round {round_ + 1}/{runs}: " + ", ".join(
                f"{k} p95={v[-1]['p95_ms']}ms" for k, v in samples.items()), flush=True)
    finally:
        if process is not None and process.poll() is None:
            stop(process)
    return samples
