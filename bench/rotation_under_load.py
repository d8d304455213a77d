"""Key operations on a live service: get case p95 while the KEK rotates (and, optionally,
while survivors are re-encrypted) against get case p95 with no key operation running.

    python -m bench.rotation_under_load --db sqlite --size 10000 [--reencrypt] [--reuse]

The same server serves both phases; the load generator runs in its own process. Rates come
from the commands' own reports (data keys/s, fields/s). Target: p95 during rotation ≤ 1.5×
the p95 without it.

Its database is ``caseflow_bench_keys_{size}``, apart from the foundation benchmark's, so
the two can be generated and run side by side; ``--reuse`` keeps the one an earlier run of
the same --db and --size generated (rotation and re-encryption leave it valid: they change
which keys wrap what, never the data).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import time

from bench import common
from bench.http_foundation import PASSWORD, USER, ids_path, prepare
from caseflow.keys.throttle import DEFAULT_SHARE


def database_name(size: int) -> str:
    return f"caseflow_bench_keys_{size}"


def _operation(args: list[str], env: dict) -> subprocess.Popen:
    # To a file, not a pipe: nobody reads while the command runs, and a full pipe (a long
    # traceback, say) would stop it mid-run while the load goes on measuring nothing.
    common.WORK.mkdir(parents=True, exist_ok=True)
    path = common.WORK / f"key-operation-{args[1]}.log"
    with open(path, "w") as log:
        process = subprocess.Popen([common.PYTHON, "-m", "caseflow.cli", *args], env=env, cwd=common.ROOT,
                                   stdout=log, stderr=subprocess.STDOUT, text=True)
    process.log_path = path
    return process


def _output(process: subprocess.Popen) -> str:
    process.wait()
    return process.log_path.read_text()


def _load_while(process, token, ids_file, size, duration, concurrency) -> list[dict]:
    samples, round_ = [], 0
    while process.poll() is None:
        samples.append(common.load(5611, "get_case", token, ids_file, size, duration, concurrency, 100 + round_))
        round_ += 1
    return samples


def run(kind: str, size: int, runs: int, duration: float, concurrency: int, with_reencrypt: bool,
        batch: int, pause: float = 0.0, reuse: bool = False, reencrypt_batch: int | None = None,
        share: float | None = None) -> dict:
    name = database_name(size)
    ids_file = ids_path(kind, size, name)
    if reuse and ids_file.exists():
        url = common.database_url(kind, name)
    else:
        url = prepare(kind, size, name)
    env = common.server_env(url)
    server = common.start_server("caseflow:create_app()", 5611, env)
    try:
        token = common.token(5611, USER, PASSWORD)
        # Unrecorded: a freshly started server on a database nobody has read for a while is
        # slow at first, and the quiet figure is the one the others are measured against.
        common.load(5611, "get_case", token, ids_file, size, duration, concurrency, 99)
        quiet = [common.load(5611, "get_case", token, ids_file, size, duration, concurrency, r) for r in range(runs)]
        throttle = [] if share is None else ["--share", str(share)]
        rotation = _operation(["crypto", "rotate-kek", "--grace", "2", "--batch", str(batch), "--pause", str(pause),
                               *throttle], env)
        during_rotation = _load_while(rotation, token, ids_file, size, duration, concurrency)
        rotation_out = _output(rotation)
        rate = re.search(r"rewrapped in ([\d.]+)s \((\d+)/s\)", rotation_out)
        result = {
            "quiet": common.medians(quiet),
            "during_rotation": common.medians(during_rotation) if during_rotation else None,
            "rotation_seconds": float(rate.group(1)) if rate else None,
            "rotation_data_keys_per_s": int(rate.group(2)) if rate else None,
        }
        if with_reencrypt:
            reencrypt = _operation(["crypto", "reencrypt", "--restart", "--grace", "2",
                                    "--batch", str(reencrypt_batch or batch), *throttle], env)
            during = _load_while(reencrypt, token, ids_file, size, duration, concurrency)
            out = _output(reencrypt)
            done = re.search(r"(\d+) survivors, (\d+) fields re-encrypted in ([\d.]+)s", out)
            fields = re.search(r"\((\d+) fields/s", out)
            result["during_reencrypt"] = common.medians(during) if during else None
            result["reencrypt_fields_per_s"] = int(fields.group(1)) if fields else None
            if done:
                survivors, seconds = int(done.group(1)), float(done.group(3))
                result["reencrypt_survivors"] = survivors
                result["reencrypt_seconds"] = seconds
                result["reencrypt_survivors_per_s"] = round(survivors / seconds, 1) if seconds else None
            else:
                result["reencrypt_output"] = out[-2000:]
    finally:
        common.stop(server)
    quiet_p95 = result["quiet"]["p95_ms"] or 1
    ratios = {}
    if result["during_rotation"]:
        ratios["get_case_p95_during_rotation_vs_quiet"] = round(result["during_rotation"]["p95_ms"] / quiet_p95, 2)
    if result.get("during_reencrypt"):
        ratios["get_case_p95_during_reencrypt_vs_quiet"] = round(result["during_reencrypt"]["p95_ms"] / quiet_p95, 2)
    return {"benchmark": "rotation_under_load", "database": kind, "size": size, "runs": runs, "duration_s": duration,
            "batch": batch, "pause_s": pause, "share": share if share is not None else DEFAULT_SHARE, "reencrypt_batch": (reencrypt_batch or batch) if with_reencrypt else None,
            "concurrency": concurrency, **result, "ratios": ratios, "machine": common.machine(),
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


BENCHMARK = True


def bench_commands(size: int, databases: list[str]) -> list[list[str]]:
    # Re-encrypting 100,000 survivors under load takes many minutes: only at the quick size.
    extra = ["--reencrypt"] if size <= 20_000 else []
    return [["--db", kind, "--size", str(size), "--runs", "3"] + extra for kind in databases]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--duration", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--reencrypt", action="store_true", help="also re-encrypt everyone under load")
    parser.add_argument("--share", type=float, default=None,
                        help="share of the time the key operations work (their --share; default: theirs, "
                             f"{DEFAULT_SHARE}; 1 = flat out)")
    parser.add_argument("--pause", type=float, default=0.0,
                        help="extra seconds the rotation rests after each batch")
    parser.add_argument("--batch", type=int, default=100,
                        help="rows per transaction of the key operation (smaller: shorter write locks)")
    parser.add_argument("--reencrypt-batch", type=int, default=None,
                        help="survivors per batch of the re-encryption (default: --batch)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database generated by an earlier run of the same --db and --size")
    args = parser.parse_args()
    result = run(args.db, args.size, args.runs, args.duration, args.concurrency, args.reencrypt, args.batch,
                 args.pause, args.reuse, args.reencrypt_batch, args.share)
    suffix = (f"-share{args.share:g}" if args.share is not None else "") + (f"-pause{args.pause:g}" if args.pause else "")
    path = common.write_result(f"rotation-under-load-{args.db}-{args.size}{suffix}", result)
    print(json.dumps(result["ratios"]), result.get("rotation_data_keys_per_s"), result.get("reencrypt_fields_per_s"),
          "->", path.relative_to(common.ROOT))


if __name__ == "__main__":
    main()
