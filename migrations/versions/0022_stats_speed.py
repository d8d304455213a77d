"""Statistics at national scale: indexes for the first-contact lines.

``ix_referrals_case_milestones`` (case, sent, completed) and ``ix_plan_items_case_created``
(case, created): each case's first referral, first service and first plan line are read from
the index alone (caseflow.statistics.compliance.timelines). No data changes; existing rows
are indexed as they are. Measured in docs/performance.md (bench/statistics_scale.py).

Revision ID: 0022_stats_speed
Revises: 0015_owner_binding
"""
from alembic import op

revision = "0022_stats_speed"
down_revision = "0015_owner_binding"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("referrals") as batch_op:
        batch_op.create_index("ix_referrals_case_milestones", ["case_id", "sent_at", "completed_at"], unique=False)
    with op.batch_alter_table("plan_items") as batch_op:
        batch_op.create_index("ix_plan_items_case_created", ["case_id", "created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("plan_items") as batch_op:
        batch_op.drop_index("ix_plan_items_case_created")
    with op.batch_alter_table("referrals") as batch_op:
        batch_op.drop_index("ix_referrals_case_milestones")
