"""Keys and data rights: key-operation progress, erasure requests, retention policy

Revision ID: 0003_keys
Revises: 0002_casework
"""
from alembic import op
import sqlalchemy as sa

revision = "0003_keys"
down_revision = "0002_casework"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "key_operations",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cursor", sa.String(length=64), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_key_operations")),
    )
    op.create_table(
        "erasure_requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("survivor_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("requested_by_id", sa.Uuid(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_by_id", sa.Uuid(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'carried_out', 'expired')", name=op.f("ck_erasure_requests_status")),
        sa.ForeignKeyConstraint(["survivor_id"], ["survivors.id"], name=op.f("fk_erasure_requests_survivor_id_survivors")),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], name=op.f("fk_erasure_requests_organization_id_organizations")),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"], name=op.f("fk_erasure_requests_requested_by_id_users")),
        sa.ForeignKeyConstraint(["confirmed_by_id"], ["users.id"], name=op.f("fk_erasure_requests_confirmed_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasure_requests")),
    )
    with op.batch_alter_table("erasure_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_erasure_requests_survivor_id"), ["survivor_id"], unique=False)
    rules = op.create_table(
        "retention_rules",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("applies_to", sa.String(length=30), nullable=False),
        sa.Column("years", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=True),
        sa.CheckConstraint("applies_to IN ('closed_cases')", name=op.f("ck_retention_rules_applies_to")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_rules")),
        sa.UniqueConstraint("code", name=op.f("uq_retention_rules_code")),
    )
    # The default policy; the data controller changes the number of years, not the code.
    op.bulk_insert(rules, [{
        "code": "closed_cases_identifying_data", "applies_to": "closed_cases", "years": 10,
        "active": True,
        "source": "Ley 29733 art. 8: personal data are erased once no longer needed; "
                  "period set by the data controller",
    }])


def downgrade():
    op.drop_table("retention_rules")
    with op.batch_alter_table("erasure_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_erasure_requests_survivor_id"))
    op.drop_table("erasure_requests")
    op.drop_table("key_operations")
