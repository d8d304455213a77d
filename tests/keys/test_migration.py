from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from caseflow.extensions import db


def test_migration_downgrades_and_upgrades(app):
    db.session.remove()
    downgrade(revision="0001_foundation")
    assert "key_operations" not in inspect(db.engine).get_table_names()
    upgrade()
    tables = set(inspect(db.engine).get_table_names())
    assert {"key_operations", "erasure_requests", "retention_rules"} <= tables
