"""Sign-in cost, in process: with and without the second factor, and what the throttle adds,
against the bare read.

    python -m bench.accounts --db sqlite [--rounds 7 --block 10 --attempts 20000]
    CASEFLOW_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/NAME \
        python -m bench.accounts --db postgresql --database NAME

A fresh database (``caseflow_bench_accounts``) with one caseworker without a second factor,
one with TOTP, one case, and ``--attempts`` rows of other people's failed sign-ins in the
throttle's table (a busy quarter hour: the throttle's counts read beside them). The bare read
(bench/bare_app.py) and each sign-in answer through Flask's test client in this one process
(the throttle's statements and the TOTP check are also timed alone, their cost being small
beside argon2's),
in alternating blocks, with production's argon2 parameters; each block's wall time is divided
by its requests, each ratio is taken within a round, and the figures are medians over the
rounds. Sign-ins with TOTP run on a clock moved 30 s per sign-in (each code is single use).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import uuid
from datetime import timedelta

from bench import common

PASSWORD = "bench password for sign-in 2026"
PLAIN, WITH_FACTOR = "bench.plain", "bench.totp"
SCENARIOS = ("bare_read", "sign_in", "sign_in_no_throttle", "sign_in_totp", "throttle_alone", "totp_check_alone")


def prepare(kind: str, attempts: int, name: str = "caseflow_bench_accounts") -> dict:
    url = common.reset_database(kind, name)
    os.environ.update({k: v for k, v in common.server_env(url).items() if k.startswith("CASEFLOW_")})
    from flask_migrate import upgrade

    from caseflow import create_app
    from caseflow.auth import mfa
    from caseflow.auth.models import SignInAttempt
    from caseflow.cases.services import open_case
    from caseflow.core.acting import acting_as
    from caseflow.core.clock import utcnow
    from caseflow.directory import services as directory
    from caseflow.extensions import db
    from caseflow.survivors.services import register

    app = create_app()
    with app.app_context():
        upgrade()
        org = directory.create_organization(code="BENCH", name="CEM de carga", sector="cem", district="150101")
        plain = directory.create_user(username=PLAIN, password=PASSWORD, role="caseworker",
                                      organization_id=org.id, discipline="admission")
        second = directory.create_user(username=WITH_FACTOR, password=PASSWORD, role="caseworker",
                                       organization_id=org.id, discipline="admission")
        secret = mfa.new_secret()
        second.totp_secret = mfa.seal_secret(secret, second.id)
        second.totp_confirmed_at = utcnow()
        db.session.flush()
        with acting_as(plain):
            survivor = register({"given_names": "Carga", "family_names": "Sintética", "alias": "C1",
                                 "document_type": "NONE"})
            case = open_case(survivor_id=survivor.id, intake_channel="walk_in", priority="low")
        now = utcnow()
        db.session.execute(SignInAttempt.__table__.insert(), [
            {"id": uuid.uuid4(), "at": now - timedelta(seconds=n % 900), "account": f"{n % 5000:064x}",
             "address": f"{n % 997:064x}", "succeeded": False} for n in range(attempts)])
        db.session.commit()
        case_id = str(case.id)
    common.analyze(kind, url)
    return {"app": app, "secret": secret, "case_id": case_id}


def calls(setup: dict) -> dict:
    import pyotp

    from bench import bare_app
    from caseflow.auth import throttle
    from caseflow.core.clock import frozen_time, utcnow

    app, secret = setup["app"], setup["secret"]
    caseflow, bare = app.test_client(), bare_app.app.test_client()
    counter = iter(range(10**9))
    # Far from the seeded attempts, so that the sign-ins' own successes never throttle them.
    clock = {"at": utcnow() + timedelta(days=2)}

    def address() -> dict:
        return {"REMOTE_ADDR": f"10.{next(counter) % 250}.{next(counter) % 250}.1"}

    def bare_read():
        assert bare.get(f"/bare/cases/{setup['case_id']}").status_code == 200

    def sign_in():
        response = caseflow.post("/api/v1/auth/tokens", json={"username": PLAIN, "password": PASSWORD},
                                 environ_base=address())
        assert response.status_code == 201, response.get_data(as_text=True)

    def sign_in_no_throttle():
        blank = throttle.Standing("", "", None, False, False)
        standing, note = throttle.standing, throttle.note
        throttle.standing, throttle.note = (lambda *_a: blank), (lambda *_a: None)
        try:
            sign_in()
        finally:
            throttle.standing, throttle.note = standing, note

    def sign_in_totp():
        clock["at"] += timedelta(seconds=30)
        with frozen_time(clock["at"]):
            code = pyotp.TOTP(secret).at(clock["at"])
            response = caseflow.post("/api/v1/auth/tokens", environ_base=address(),
                                     json={"username": WITH_FACTOR, "password": PASSWORD, "otp": code})
        assert response.status_code == 201, response.get_data(as_text=True)

    from caseflow.auth import mfa
    from caseflow.directory.models import User
    from caseflow.extensions import db

    def throttle_alone():
        """The throttle's part of a sign-in by itself: its counts, and recording a failure."""
        now = utcnow()
        position = throttle.standing(PLAIN, address()["REMOTE_ADDR"], now)
        throttle.note(position, False, now)
        db.session.rollback()

    sealed, user_id = db.session.execute(
        db.select(User.totp_secret, User.id).where(User.username == WITH_FACTOR)).one()

    def totp_check_alone():
        """Opening her sealed secret and matching a code (without the password's argon2)."""
        assert mfa.matching_step(mfa.open_secret(sealed, user_id), pyotp.TOTP(mfa.open_secret(sealed, user_id)).now())

    return {"bare_read": bare_read, "sign_in": sign_in, "sign_in_no_throttle": sign_in_no_throttle,
            "sign_in_totp": sign_in_totp, "throttle_alone": throttle_alone, "totp_check_alone": totp_check_alone}


def _ms(call, count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        call()
    return (time.perf_counter() - started) / count * 1000


def measure(functions: dict, rounds: int, block: int) -> dict:
    for call in functions.values():
        _ms(call, 3)
    samples = {name: [] for name in functions}
    ratios = {name: [] for name in functions if name != "bare_read"}
    throttle_share = []
    for _ in range(rounds):
        figures = {name: _ms(call, block if name.startswith("sign_in") else block * 20)
                   for name, call in functions.items()}
        for name, value in figures.items():
            samples[name].append(value)
        for name in ratios:
            ratios[name].append(figures[name] / figures["bare_read"])
        throttle_share.append(figures["sign_in"] - figures["sign_in_no_throttle"])
    return {
        "ms_median": {name: round(statistics.median(values), 3) for name, values in samples.items()},
        "ratio_to_bare_read_median": {name: round(statistics.median(values), 1) for name, values in ratios.items()},
        "throttle_adds_ms_median": round(statistics.median(throttle_share), 2),
        "totp_adds_ms_median": round(statistics.median(
            t - p for t, p in zip(samples["sign_in_totp"], samples["sign_in"])), 2),
        "rounds": rounds, "block": block,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--block", type=int, default=10)
    parser.add_argument("--attempts", type=int, default=20000)
    parser.add_argument("--database", default="caseflow_bench_accounts",
                        help="database (PostgreSQL) or file (SQLite) name; it is dropped and made afresh")
    args = parser.parse_args()
    setup = prepare(args.db, args.attempts, args.database)
    with setup["app"].app_context():
        result = measure(calls(setup), args.rounds, args.block)
    result.update(db=args.db, attempts_in_table=args.attempts, machine=common.machine(),
                  argon2={"time_cost": setup["app"].config["CASEFLOW_ARGON2_TIME_COST"],
                          "memory_kib": setup["app"].config["CASEFLOW_ARGON2_MEMORY_KIB"]})
    path = common.write_result(f"accounts-{args.db}", result)
    print(path)
    for key in ("ms_median", "ratio_to_bare_read_median", "throttle_adds_ms_median", "totp_adds_ms_median"):
        print(key, result[key])


if __name__ == "__main__":
    main()
