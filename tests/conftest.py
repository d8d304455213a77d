"""Fixtures: one migrated app per database, reset before each test.

Every test that asks for ``app`` (or ``client``...) runs on SQLite, and again on
PostgreSQL when ``CASEFLOW_TEST_DATABASE_URL`` is set; otherwise the PostgreSQL run is
skipped with that reason. Databases are built by the Alembic migrations, never by
``create_all``, so the migrations are exercised by every run. Tests commit for real (the
concurrency tests need it); the reset between tests restores an empty, migrated schema.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ["CASEFLOW_ENV"] = "testing"

from caseflow.crypto.keyring import Keyring  # noqa: E402

PG_URL = os.environ.get("CASEFLOW_TEST_DATABASE_URL")
PG_SKIP = "CASEFLOW_TEST_DATABASE_URL is not set: the PostgreSQL run of this test is skipped"
KEYRING_JSON = Keyring.generate().to_json()


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in item.keywords and "[postgresql" not in item.nodeid:
            item.add_marker(pytest.mark.skip(reason="PostgreSQL-only test; runs in its [postgresql] variant"))


def _make_app(url: str, tmp: Path):
    from caseflow import create_app

    return create_app({
        "SQLALCHEMY_DATABASE_URI": url,
        "CASEFLOW_KEYRING": KEYRING_JSON,
        "CASEFLOW_KEYRING_FILE": str(tmp / "unused-keyring.json"),
        "CASEFLOW_AUDIT_ANCHOR_FILE": str(tmp / "audit-anchors.log"),
        "SECRET_KEY": "test-secret-key-that-is-long-enough-000",
        "TESTING": True,
        # Mentors made by factories have attended no training (see the app fixture).
        "CASEFLOW_MENTOR_TRAINING_SESSIONS": 0,
    })


class Database:
    """How to reset one backend to an empty migrated schema between tests."""

    def __init__(self, kind: str, app, path: Path | None = None):
        self.kind, self.app, self.path = kind, app, path
        self.template = path.with_suffix(".template") if path else None
        #: Rows the migrations themselves insert (seeded reference data such as the
        #: deadline rules), restored after each PostgreSQL truncation.
        self.seeds: dict[str, list[dict]] = {}

    def prepare(self):
        from flask_migrate import upgrade
        from sqlalchemy import text

        from caseflow.extensions import db

        with self.app.app_context():
            if self.kind == "postgresql":
                with db.engine.begin() as conn:
                    conn.execute(text("DROP SCHEMA public CASCADE"))
                    conn.execute(text("CREATE SCHEMA public"))
            upgrade()
            if self.kind == "postgresql":
                with db.engine.connect() as conn:
                    for table in db.metadata.sorted_tables:
                        rows = [dict(row) for row in conn.execute(table.select()).mappings()]
                        if rows:
                            self.seeds[table.name] = rows
            db.session.remove()
            db.engine.dispose()
        if self.kind == "sqlite":
            shutil.copyfile(self.path, self.template)

    def reset(self):
        from sqlalchemy import text

        from caseflow.extensions import db

        with self.app.app_context():
            db.session.remove()
            if self.kind == "sqlite":
                db.engine.dispose()
                for suffix in ("-wal", "-shm"):
                    Path(str(self.path) + suffix).unlink(missing_ok=True)
                shutil.copyfile(self.template, self.path)
            else:
                tables = [t.name for t in db.metadata.sorted_tables]
                with db.engine.begin() as conn:
                    # The audit table refuses TRUNCATE by trigger; the reset (as superuser)
                    # sets triggers aside for its own transaction only.
                    conn.execute(text("SET LOCAL session_replication_role = replica"))
                    conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
                    for table in db.metadata.sorted_tables:
                        if table.name in self.seeds:
                            conn.execute(table.insert(), self.seeds[table.name])
        self.app.extensions.pop("caseflow_keyring", None)


def _empty_postgresql(url: str) -> None:
    """Start from an empty schema: the database may hold a previous run's data, under that
    run's keyring, which the app would refuse at start (caseflow.keys.key_check)."""
    from sqlalchemy import create_engine, text

    from caseflow.config import normalise_database_url

    engine = create_engine(normalise_database_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(request.param)
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip(PG_SKIP)
        _empty_postgresql(PG_URL)
        backend = Database("postgresql", _make_app(PG_URL, tmp))
    else:
        path = tmp / "caseflow.db"
        backend = Database("sqlite", _make_app(f"sqlite:///{path}", tmp), path)
    backend.prepare()
    yield backend
    with backend.app.app_context():
        from caseflow.extensions import db

        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(database):
    database.reset()
    # Mentors made by factories have attended no training: tests that are not about training
    # assign them visits at once (tests/statistics/test_training.py sets the default, 10).
    database.app.config.update(CASEFLOW_BLIND_INDEX_BITS=16, CASEFLOW_MENTOR_TRAINING_SESSIONS=0)
    with database.app.app_context():
        yield database.app
        from caseflow.extensions import db

        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db_kind(database):
    return database.kind
