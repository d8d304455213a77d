"""Case list indexes: a centre's cases (by status) in opening order, so a page reads the
index instead of sorting every case of the centre.

Revision ID: 0006_case_list_indexes
Revises: 0005_referrals
"""
from alembic import op

revision = "0006_case_list_indexes"
down_revision = "0005_referrals"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_org_status")
        batch_op.create_index("ix_cases_org_opened", ["organization_id", "opened_at", "id"], unique=False)
        batch_op.create_index("ix_cases_org_status_opened", ["organization_id", "status", "opened_at", "id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_org_status_opened")
        batch_op.drop_index("ix_cases_org_opened")
        batch_op.create_index("ix_cases_org_status", ["organization_id", "status"], unique=False)
