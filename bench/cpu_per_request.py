"""CPU per request, in process: caseflow's get case and search against the bare read.

    python -m bench.cpu_per_request --db sqlite --size 10000 [--name DB] [--rounds 15 --block 300]
    python -m bench.cpu_per_request ... --profile search_document   # cProfile of one route

Uses the database and sampled ids an earlier ``bench.http_foundation`` run generated for the
same ``--db`` and ``--size``. Both applications answer through Flask's test client in this
one process, in alternating blocks, and each block's process CPU time is divided by its
requests; the figures are medians over the rounds, and each ratio is taken within a round.
This isolates what a request costs the server from the HTTP load's queueing (the HTTP
benchmark is where the targets are judged); it is the tool for finding where that cost goes.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import time

from bench import common
from bench.http_foundation import PASSWORD, USER, ids_path
from bench.loadgen import Scenario

ROUTES = ("get_case", "search_document", "search_family")


def requests(kind: str, size: int, name: str | None = None) -> dict:
    """One callable per route, each making the load generator's request for that scenario
    (the same paths and search formats as the HTTP benchmark) and checking its answer."""
    url = common.database_url(kind, name or f"caseflow_bench_{size}")
    os.environ.update({k: v for k, v in common.server_env(url).items() if k.startswith("CASEFLOW_")})
    from bench import bare_app
    from caseflow import create_app

    caseflow = create_app().test_client()
    token = caseflow.post("/api/v1/auth/tokens", json={"username": USER, "password": PASSWORD}).get_json()["token"]
    ids = json.loads(ids_path(kind, size, name).read_text())
    clients = {"bare_read": bare_app.app.test_client(), **{name: caseflow for name in ROUTES}}

    def call(name: str):
        client, scenario = clients[name], Scenario(name, token, ids, size, seed=1)

        def one_request():
            for method, path, _body in scenario.requests():
                response = client.open(path, method=method, headers=scenario.headers)
                assert response.status_code == 200, (path, response.status_code)
                if name == "search_document":  # every generated document belongs to someone
                    assert response.get_json()["total"] == 1
        return one_request

    return {name: call(name) for name in clients}


def _cpu_ms(call, count: int) -> float:
    started = time.process_time()
    for _ in range(count):
        call()
    return (time.process_time() - started) / count * 1000


def measure(calls: dict, rounds: int, block: int) -> dict:
    for call in calls.values():  # warm up: compiled statements, unwrapped keys, imports
        _cpu_ms(call, 200)
    samples: dict[str, list[float]] = {name: [] for name in calls}
    ratios: dict[str, list[float]] = {name: [] for name in ROUTES}
    for _ in range(rounds):
        this_round = {name: _cpu_ms(call, block) for name, call in calls.items()}
        for name, value in this_round.items():
            samples[name].append(value)
        for name in ROUTES:
            ratios[name].append(this_round[name] / this_round["bare_read"])
    result = {f"{name}_cpu_ms": round(statistics.median(values), 3) for name, values in samples.items()}
    result.update({f"{name}_vs_bare": round(statistics.median(values), 2) for name, values in ratios.items()})
    # A family-name search against get case, each round's ratio, then their median.
    result["search_family_vs_get_case"] = round(statistics.median(
        f / g for f, g in zip(ratios["search_family"], ratios["get_case"], strict=True)), 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--name", help="the database bench.http_foundation generated under this name "
                                        "(default caseflow_bench_<size>)")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--block", type=int, default=300, help="requests per route per round")
    parser.add_argument("--profile", choices=("bare_read", *ROUTES), help="print a cProfile of one route instead")
    args = parser.parse_args()
    calls = requests(args.db, args.size, args.name)
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(lambda: [calls[args.profile]() for _ in range(args.block * 5)])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(60)
        return
    result = {"benchmark": "cpu_per_request", "database": args.db, "size": args.size, "commit": _commit(),
              "rounds": args.rounds, "block": args.block, **measure(calls, args.rounds, args.block),
              "machine": common.machine()}
    print(json.dumps(result))
    print("->", common.write_result(f"cpu-{args.db}-{args.size}", result))


def _commit() -> str:
    """The code measured: the checkout's commit, marked when it has uncommitted changes."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=common.ROOT, capture_output=True, text=True).stdout.strip()

    return git("rev-parse", "--short", "HEAD") + (" (modified)" if git("status", "--porcelain", "caseflow") else "")


if __name__ == "__main__":
    main()
