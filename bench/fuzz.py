"""API fuzzing, long form: the schemathesis CLI against a live ``caseflow serve``, as every role.

    make fuzz                                  # SQLite, 60 s per role
    CASEFLOW_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/caseflow_fuzz FUZZ_SECONDS=120 make fuzz

Builds a scratch database (never point it at real data: it is dropped and refilled) with two
centres, a person of every role and one record of every kind (testkit/world.py), serves it
with gunicorn, then runs ``schemathesis run`` once per role for a bounded time with every
check schemathesis has, on valid and invalid data (``--mode all``), and ours of
tests/reliability/fuzzing.py (no sensitive value in an error body). Path ids come from the real records three times in four. Writes
bench/results/fuzz-<database>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import common

#: FUZZ_PORT: on a shared machine, a port of one's own.
PORT = int(os.environ.get("FUZZ_PORT", "5711"))
#: Every check schemathesis has (schema, status-code and content-type conformance, negative
#: data rejected, positive data accepted, auth not ignored, ...) and ours (tests/reliability/fuzzing.py).
CHECKS = "all,no_sensitive_value_in_errors"
EXCLUDED = ("--exclude-path", "/api/v1/auth/logout", "--exclude-path", "/api/v1/auth/tokens/current")


def prepare(url: str) -> dict:
    """Migrate and populate the scratch database; return tokens, ids and canaries."""
    os.environ.setdefault("CASEFLOW_ENV", "testing")  # cheap password hashing for the world's people
    # The world's mentor has attended no training, as in the tests (tests/conftest.py): her
    # visit plan is allowed, here and in the server started after (it inherits the setting).
    os.environ.setdefault("CASEFLOW_MENTOR_TRAINING_SESSIONS", "0")
    from flask_migrate import upgrade

    from caseflow import create_app
    from caseflow.extensions import db
    from testkit.world import ROLES, make_realms

    app = create_app({"SQLALCHEMY_DATABASE_URI": url.replace("postgresql://", "postgresql+psycopg://", 1),
                      "CASEFLOW_KEYRING": None, "CASEFLOW_KEYRING_FILE": str(common.keyring_file()),
                      "SECRET_KEY": common.BENCH_SECRET})
    with app.app_context():
        upgrade()
        realms = make_realms(app.test_client(), "own", "other")
        world = {
            "tokens": {role: realms["own"].headers(role)["Authorization"] for role in ROLES},
            "ids": {name: [realm.path_ids()[name] for realm in realms.values()]
                    for name in realms["own"].path_ids()},
            "canaries": sorted({v for realm in realms.values() for v in realm.canaries.values()}),
        }
        db.session.remove()
        db.engine.dispose()
    return world


def config_file(ids: dict, path: Path) -> Path:
    """Real ids for path parameters, three times in four."""
    lines = []
    for name, values in ids.items():
        lines += [f"[dictionaries.{name}]", "values = " + json.dumps(values), ""]
    # Rules across fields (names or an alias; a sector or an organization; a document number
    # with its type; cursor or page) are not expressible in the schema: a schema-valid body
    # may be refused with the documented 422, and positive_data_acceptance is told so.
    lines += ["[checks.positive_data_acceptance]",
              'expected-statuses = ["2xx", "401", "403", "404", "409", "410", "422", "429"]', ""]
    lines.append("[parameters]")
    lines += [f'"path.{name}" = {{ dictionary = "{name}", probability = 0.75 }}' for name in ids]
    path.write_text("\n".join(lines) + "\n")
    return path


def fuzz_role(role: str, authorization: str, config: Path, seconds: int, env: dict) -> dict:
    report = common.WORK / f"fuzz-report-{role}.json"
    report.unlink(missing_ok=True)
    command = [str(Path(sys.executable).with_name("schemathesis")), "--config-file", str(config), "run",
               f"http://127.0.0.1:{PORT}/api/v1/openapi.json", "-H", f"Authorization: {authorization}",
               "--checks", CHECKS, "--mode", "all", *EXCLUDED, "--max-time", str(seconds), "--workers", "2",
               "--phases", "examples,coverage,fuzzing", "--suppress-health-check", "all",
               "--report", "json", "--report-json-path", str(report), "--no-color", "--seed", "1"]
    started = time.monotonic()
    done = subprocess.run(command, env=env, cwd=common.ROOT, capture_output=True, text=True)
    summary = {"role": role, "exit_code": done.returncode, "seconds": round(time.monotonic() - started, 1),
               **_summary(report, done.stdout)}
    if done.returncode != 0:
        log = common.WORK / f"fuzz-{role}.log"
        log.write_text(done.stdout + done.stderr)
        summary["log"] = str(log.relative_to(common.ROOT))
    return summary


def _summary(report: Path, stdout: str) -> dict:
    if not report.exists():
        return {"report": "missing", "tail": stdout[-1500:]}
    data = json.loads(report.read_text())
    found = {}
    for key in ("operations", "test_cases", "failures", "errors", "summary", "stats"):
        if key in data:
            found[key] = data[key]
    return found or {"report_keys": sorted(data)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("FUZZ_SECONDS", "60")),
                        help="time budget per role")
    parser.add_argument("--roles", default="admin,supervisor,caseworker,mentor,psychologist,liaison")
    args = parser.parse_args()
    url = os.environ.get("CASEFLOW_DATABASE_URL")
    kind = "postgresql" if url else "sqlite"
    url = common.reset_database(kind, "caseflow_fuzz") if kind == "sqlite" else _reset_pg(url)
    world = prepare(url)
    config = config_file(world["ids"], common.WORK / "fuzz-schemathesis.toml")
    env = common.server_env(url)
    env["CASEFLOW_MENTOR_TRAINING_SESSIONS"] = os.environ["CASEFLOW_MENTOR_TRAINING_SESSIONS"]
    server = common.start_caseflow(PORT, env)
    fuzz_env = {**os.environ, "PYTHONPATH": str(common.ROOT), "SCHEMATHESIS_HOOKS": "tests.reliability.fuzzing",
                "CASEFLOW_FUZZ_CANARIES": json.dumps(world["canaries"])}
    try:
        results = [fuzz_role(role, world["tokens"][role], config, args.seconds, fuzz_env)
                   for role in args.roles.split(",")]
    finally:
        common.stop(server)
    payload = {"benchmark": "fuzz", "database": kind, "seconds_per_role": args.seconds, "roles": results,
               "passed": all(r["exit_code"] == 0 for r in results),
               "machine": common.machine(), "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    path = common.write_result(f"fuzz-{kind}", payload)
    print(json.dumps({r["role"]: r["exit_code"] for r in results}), "->", path.relative_to(common.ROOT))
    shutil.rmtree(common.ROOT / "schemathesis-report", ignore_errors=True)
    sys.exit(0 if payload["passed"] else 1)


def _reset_pg(url: str) -> str:
    name = url.rsplit("/", 1)[1]
    os.environ["CASEFLOW_BENCH_DATABASE_URL"] = url
    common.PG_URL = url
    return common.reset_database("postgresql", name)


if __name__ == "__main__":
    main()
