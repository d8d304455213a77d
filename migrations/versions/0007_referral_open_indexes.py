"""Referral review indexes: only open referrals (those with a running clock, so a
``next_due_at``) in due order, by referring centre and overall, ending with the id so that
the overdue view's keyset pages and its count are index range reads. They replace the full
indexes on ``next_due_at``, most of whose entries (closed referrals) were NULL.

Revision ID: 0007_referral_open_indexes
Revises: 0006_case_list_indexes
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_referral_open_indexes"
down_revision = "0006_case_list_indexes"
branch_labels = None
depends_on = None

OPEN = sa.text("next_due_at IS NOT NULL")


def upgrade():
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index("ix_referrals_from_org_next_due")
        batch_op.drop_index("ix_referrals_next_due")
        batch_op.create_index("ix_referrals_open_from_org_due", ["from_organization_id", "next_due_at", "id"],
                              unique=False, postgresql_where=OPEN, sqlite_where=OPEN)
        batch_op.create_index("ix_referrals_open_due", ["next_due_at", "id"], unique=False,
                              postgresql_where=OPEN, sqlite_where=OPEN)


def downgrade():
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index("ix_referrals_open_due")
        batch_op.drop_index("ix_referrals_open_from_org_due")
        batch_op.create_index("ix_referrals_next_due", ["next_due_at"], unique=False)
        batch_op.create_index("ix_referrals_from_org_next_due", ["from_organization_id", "next_due_at"], unique=False)
