"""CPU per request, in process: caseflow's get case and searches against the bare read.

    python -m bench.cpu_per_request --db sqlite --size 10000 [--name DB] [--rounds 15 --block 300]
    python -m bench.cpu_per_request ... --profile search_document   # cProfile of one route

Uses the database and sampled ids an earlier ``bench.http_foundation`` run generated for the
same ``--db`` and ``--size``. Both applications answer through Flask's test client in this
one process, in alternating blocks, and each block's process CPU time is divided by its
requests; the figures are medians over the rounds, and each ratio is taken within a round.
This isolates what a request costs the server from the HTTP load's queueing (the HTTP
benchmark is where the targets are judged); it is the tool for finding where that cost goes.

The name searches are her family names alone (``search_family``: at 100,000 survivors on this
generator, about 160 women share them, so the search is refused) and one given name with
them (``search_given_family``, a handful of matches); each is also given as a ratio to get
case within each round, with the share refused and the mean matches answered.

Each route's elapsed time per request is reported beside its CPU (``*_wall_ms``, and the name
searches' ``*_wall_vs_get_case``): on PostgreSQL the statements run in the server's process,
whose work this process's CPU never counts (a search whose plan scanned every survivor looked
cheap by CPU alone).
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

ROUTES = ("get_case", "search_document", "search_family", "search_given_family")
#: Name searches may be refused (422 ``too_many_matches``: more women may match than one
#: answer holds); what each answered is tallied to give a search's cost per match.
NAME_SEARCHES = ("search_family", "search_given_family")


def requests(kind: str, size: int, name: str | None = None, tally: dict | None = None) -> dict:
    """One callable per route, each making the load generator's request for that scenario
    (the same paths and search formats as the HTTP benchmark) and checking its answer; the
    name searches' answers are counted in ``tally`` (requests, refused, matches answered)."""
    url = common.database_url(kind, name or f"caseflow_bench_{size}")
    os.environ.update({k: v for k, v in common.server_env(url).items() if k.startswith("CASEFLOW_")})
    from bench import bare_app
    from caseflow import create_app

    caseflow = create_app().test_client()
    token = caseflow.post("/api/v1/auth/tokens", json={"username": USER, "password": PASSWORD}).get_json()["token"]
    ids = json.loads(ids_path(kind, size, name).read_text())
    clients = {"bare_read": bare_app.app.test_client(), **{name: caseflow for name in ROUTES}}

    counts = tally if tally is not None else {}

    def call(name: str):
        client, scenario = clients[name], Scenario(name, token, ids, size, seed=1)
        counted = counts.setdefault(name, {"requests": 0, "refused": 0, "matches": 0})

        def one_request():
            for method, path, _body in scenario.requests():
                response = client.open(path, method=method, headers=scenario.headers)
                if name in NAME_SEARCHES and response.status_code == 422:
                    assert response.get_json().get("code") == "too_many_matches", response.get_json()
                    counted["refused"] += 1
                else:
                    assert response.status_code == 200, (path, response.status_code)
                    if name in NAME_SEARCHES:
                        counted["matches"] += response.get_json()["total"]
                counted["requests"] += 1
                if name == "search_document":  # every generated document belongs to someone
                    assert response.get_json()["total"] == 1
        return one_request

    return {name: call(name) for name in clients}


def _timed_ms(call, count: int) -> tuple[float, float]:
    """This process's CPU and the elapsed time per call: on PostgreSQL the second also holds
    the database server's work, which the process's CPU does not see."""
    started, started_wall = time.process_time(), time.perf_counter()
    for _ in range(count):
        call()
    return ((time.process_time() - started) / count * 1000, (time.perf_counter() - started_wall) / count * 1000)


def measure(calls: dict, rounds: int, block: int) -> dict:
    for call in calls.values():  # warm up: compiled statements, unwrapped keys, imports
        _timed_ms(call, 200)
    samples: dict[str, list[float]] = {name: [] for name in calls}
    walls: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            cpu, wall = _timed_ms(call, block)
            samples[name].append(cpu)
            walls[name].append(wall)
    result = {f"{name}_cpu_ms": round(statistics.median(values), 3) for name, values in samples.items()}
    result.update({f"{name}_wall_ms": round(statistics.median(values), 3) for name, values in walls.items()})
    result.update({f"{name}_vs_bare": _median_ratio(samples[name], samples["bare_read"]) for name in ROUTES})
    # Each name search against get case, each round's ratio, then their median; by CPU, and
    # by elapsed time (the database's share included).
    for name in NAME_SEARCHES:
        result[f"{name}_vs_get_case"] = _median_ratio(samples[name], samples["get_case"])
        result[f"{name}_wall_vs_get_case"] = _median_ratio(walls[name], walls["get_case"])
    return result


def _median_ratio(values: list[float], baselines: list[float]) -> float:
    return round(statistics.median(v / b for v, b in zip(values, baselines, strict=True)), 2)


def name_search_answers(tally: dict) -> dict:
    """What the name searches answered over the whole run: the share refused, and the mean
    matches of those answered (a search's cost grows with them)."""
    out = {}
    for name in NAME_SEARCHES:
        counted = tally.get(name) or {"requests": 0, "refused": 0, "matches": 0}
        answered = counted["requests"] - counted["refused"]
        out[f"{name}_refused_share"] = round(counted["refused"] / counted["requests"], 3) if counted["requests"] else None
        out[f"{name}_mean_matches"] = round(counted["matches"] / answered, 1) if answered else None
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--name", help="the database bench.http_foundation generated under this name "
                                        "(default caseflow_bench_<size>)")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--block", type=int, default=300, help="requests per route per round")
    parser.add_argument("--result", help="the result file's name under bench/results (default cpu-<db>-<size>)")
    parser.add_argument("--profile", choices=("bare_read", *ROUTES), help="print a cProfile of one route instead")
    args = parser.parse_args()
    tally: dict = {}
    calls = requests(args.db, args.size, args.name, tally)
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(lambda: [calls[args.profile]() for _ in range(args.block * 5)])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(int(os.environ.get("BENCH_PROFILE_LINES", "60")))
        return
    load_before = os.getloadavg()
    measured = measure(calls, args.rounds, args.block)
    result = {"benchmark": "cpu_per_request", "database": args.db, "size": args.size, "commit": _commit(),
              "rounds": args.rounds, "block": args.block, **measured, **name_search_answers(tally),
              # The machine is shared: the 1-minute load average when the run began and ended.
              "load_average": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
              "machine": common.machine()}
    print(json.dumps(result))
    print("->", common.write_result(args.result or f"cpu-{args.db}-{args.size}", result))


def _commit() -> str:
    """The code measured: the checkout's commit, marked when it has uncommitted changes."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=common.ROOT, capture_output=True, text=True).stdout.strip()

    return git("rev-parse", "--short", "HEAD") + (" (modified)" if git("status", "--porcelain", "caseflow") else "")


if __name__ == "__main__":
    main()
