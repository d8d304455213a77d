"""The same Alembic revisions go up from empty to head and back down, on both databases."""

import os

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from tests.conftest import KEYRING_JSON
from tests.helpers import scratch_postgresql


def _app_for(url):
    from caseflow import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "CASEFLOW_KEYRING": KEYRING_JSON,
                       "SECRET_KEY": "test-secret-key-that-is-long-enough-000"})


def _round_trip(url):
    app = _app_for(url)
    with app.app_context():
        from caseflow.extensions import db

        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"survivors", "cases", "audit_entries", "data_keys", "users"} <= tables
        assert tables - {"alembic_version"} == {t.name for t in db.metadata.sorted_tables}
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        db.engine.dispose()


def test_sqlite_upgrade_downgrade_upgrade(tmp_path):
    _round_trip(f"sqlite:///{tmp_path / 'migrations.db'}")


def test_postgresql_upgrade_downgrade_upgrade():
    with scratch_postgresql("caseflow_migrations") as url:
        _round_trip(url)


def test_models_and_migrations_agree(tmp_path):
    """A model change without a migration fails here (autogenerate finds nothing to do)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    app = _app_for(f"sqlite:///{tmp_path / 'compare.db'}")
    with app.app_context():
        from caseflow.extensions import db

        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == [], diff
        db.engine.dispose()


assert os.environ["CASEFLOW_ENV"] == "testing"


def test_sqlite_database_files_are_readable_by_their_owner_only(tmp_path):
    """They hold password hashes and wrapped keys (the WAL and shared-memory files too)."""
    import os
    import stat

    from caseflow.extensions import db

    path = tmp_path / "fresh.db"
    app = _app_for(f"sqlite:///{path}")
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:  # WAL and SHM exist while a connection is open
            conn.execute(text("SELECT count(*) FROM users"))
            for name in ("fresh.db", "fresh.db-wal", "fresh.db-shm"):
                mode = stat.S_IMODE(os.stat(tmp_path / name).st_mode)
                assert mode == 0o600, f"{name}: {oct(mode)}"
        db.engine.dispose()
