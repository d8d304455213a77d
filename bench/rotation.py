"""Rotation and re-encryption rates: data keys/s and fields/s.

    CASEFLOW_ENV=testing .venv/bin/python bench/rotation.py --survivors 2000 [--database-url URL]

Builds a scratch database (SQLite in a temporary directory unless --database-url is given;
that database is migrated and filled, so never point it at real data), registers synthetic
survivors, then times `rotate-kek` and `reencrypt`. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

BENCHMARK = True

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("CASEFLOW_ENV", "testing")


def bench_commands(size: int, databases: list[str]) -> list[list[str]]:
    # Rotation rates do not depend on the database much; SQLite scratch files at a fifth of SIZE.
    return [["--survivors", str(max(size // 5, 500)), "--save"]]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--survivors", type=int, default=2000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--save", action="store_true", help="write bench/results/rotation-*.json")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="caseflow-bench-"))

    from flask_migrate import upgrade

    from caseflow import create_app
    from caseflow.core.acting import acting_as
    from caseflow.crypto.keyring import Keyring
    from caseflow.directory.models import Organization, User
    from caseflow.extensions import db
    from caseflow.keys import reencrypt, rotation
    from caseflow.survivors.services import register

    Keyring.generate().write(tmp / "keyring.json")
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": args.database_url or f"sqlite:///{tmp / 'bench.db'}",
        "CASEFLOW_KEYRING": None, "CASEFLOW_KEYRING_FILE": str(tmp / "keyring.json"),
        "SECRET_KEY": "bench-secret-key-that-is-long-enough-0000",
    })
    with app.app_context():
        upgrade()
        org = Organization(code="BENCH", name="Bench", sector="cem", service_types=[])
        db.session.add(org)
        db.session.flush()
        user = User(username="bench", password_hash="x", role="caseworker", organization_id=org.id)
        db.session.add(user)
        db.session.commit()
        started = time.monotonic()
        with acting_as(user):
            for i in range(args.survivors):
                register({"given_names": f"Ana {i}", "family_names": "Bench", "document_type": "DNI",
                          "document_number": f"{70000000 + i}", "phone": "+51 900000000",
                          "address": "Calle Ficticia 1", "safe_contact": "tardes"})
                if i % 500 == 499:
                    db.session.commit()
            db.session.commit()
        fill = time.monotonic() - started
        rotated = rotation.rotate(batch=500, grace=0)
        report = reencrypt.reencrypt_all(batch=500, grace=0)
        result = {
            "survivors": args.survivors,
            "fill_seconds": round(fill, 2),
            "rotation_data_keys_per_s": round(rotated.rewrapped / rotated.seconds, 1),
            "reencrypt_survivors_per_s": round(report.survivors / report.seconds, 1),
            "reencrypt_fields_per_s": round(report.fields / report.seconds, 1),
        }
        print(json.dumps(result))
        if args.save:
            from bench import common

            kind = "postgresql" if args.database_url else "sqlite"
            common.write_result(f"rotation-{kind}-{args.survivors}", {
                "benchmark": "rotation", "database": kind, "size": args.survivors, **result,
                "machine": common.machine(), "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})


if __name__ == "__main__":
    main()
