"""A caseflow with the demo data, migrated in a scratch folder, for benchmarks that drive it
through Flask's test client (no network). Built here, not in tests: bench imports nothing
from the test suite."""

from __future__ import annotations

from pathlib import Path


def build_demo_app(tmp: Path, database_url: str | None = None):
    from flask_migrate import upgrade

    from caseflow import create_app
    from caseflow.crypto.keyring import Keyring
    from caseflow.demo import load_demo
    from caseflow.extensions import db

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{tmp / 'bench-demo.db'}",
        "CASEFLOW_KEYRING": Keyring.generate().to_json(),
        "CASEFLOW_KEYRING_FILE": str(tmp / "unused-keyring.json"),
        "SECRET_KEY": "bench-secret-key-not-for-production-000000",
    })
    with app.app_context():
        upgrade()
        from caseflow.cli import _system

        _system("demo")
        load_demo()
        db.session.commit()
        db.session.remove()
    return app
