"""Integrity: the audit table refuses TRUNCATE; the keyring's check values.

PostgreSQL's row triggers of 0001 do not fire on TRUNCATE, which emptied the chain in one
statement; a statement trigger now refuses it. (SQLite has no TRUNCATE: its DELETE trigger
already refuses ``DELETE FROM audit_entries``.)

``key_checks`` holds one check value per key of the keyring (an HMAC of a fixed label under
that key, never the key): a process started with a keyring that does not belong to this
database refuses to start (caseflow.keys.key_check).

Revision ID: 0010_integrity
Revises: 0009_accounts
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_integrity"
down_revision = "0009_accounts"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
            FOR EACH STATEMENT EXECUTE FUNCTION caseflow_audit_append_only()
        """)
    op.create_table(
        "key_checks",
        #: ``audit``, ``kek:<id>`` or ``index:<version>``.
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_key_checks")),
    )


def downgrade():
    op.drop_table("key_checks")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_truncate ON audit_entries")
