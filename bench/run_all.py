"""``make bench``: every benchmark of bench/ in one command, then the tables of docs/performance.md.

    make bench                       # quick size (SIZE=2000), SQLite
    make bench SIZE=100000 DBS=sqlite,postgresql

A benchmark declares itself with a module-level ``BENCHMARK = True`` and a function
``bench_commands(size, databases)`` returning the argument lists to run it with; this runner
finds them by reading bench/*.py, so a new benchmark needs no line here or in the Makefile.
"""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
import time

from bench import common


def declared() -> list[str]:
    names = []
    for path in sorted((common.ROOT / "bench").glob("*.py")):
        if re.search(r"^BENCHMARK = True$", path.read_text(), re.M):
            names.append(path.stem)
    return names


def main() -> None:
    size = int(os.environ.get("SIZE", "2000"))
    databases = [d for d in os.environ.get("DBS", "sqlite").split(",") if d]
    env = {**os.environ, "PYTHONPATH": str(common.ROOT), "CASEFLOW_ENV": "testing"}
    failed = []
    for name in declared():
        module = importlib.import_module(f"bench.{name}")
        for args in module.bench_commands(size, databases):
            command = [sys.executable, "-m", f"bench.{name}", *args]
            print(f"== {name} {' '.join(args)}", flush=True)
            started = time.monotonic()
            if subprocess.run(command, cwd=common.ROOT, env=env).returncode != 0:
                failed.append(f"{name} {' '.join(args)}")
            print(f"   {time.monotonic() - started:.0f} s", flush=True)
    subprocess.run([sys.executable, "-m", "bench.report"], cwd=common.ROOT, env=env, check=True)
    if failed:
        sys.exit("failed: " + "; ".join(failed))


if __name__ == "__main__":
    main()
