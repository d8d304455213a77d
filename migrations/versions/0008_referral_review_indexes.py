"""Referral review indexes.

The overdue view: only referrals with a running clock (so a ``next_due_at``) in due order,
by referring centre and overall, ending with the id so that the view's keyset pages and its
count are index range reads. They replace the full indexes on ``next_due_at``, most of whose
entries (closed referrals) were NULL.

The referral-timelines report: its period indexes (overall, and by centre) now also hold
every column the report reads, and the clocks' index on the referral holds the headline
clock's columns, so the report reads indexes in order instead of fetching each referral and
its clock from the table.

Revision ID: 0008_referral_review_indexes
Revises: 0007_scheduler_indexes
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_referral_review_indexes"
down_revision = "0007_scheduler_indexes"
branch_labels = None
depends_on = None

OPEN = sa.text("next_due_at IS NOT NULL")
REPORTED = ["sector", "service_type", "status", "accepted_at", "completed_at", "deadline_rule_id", "id"]


def upgrade():
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index("ix_referrals_from_org_next_due")
        batch_op.drop_index("ix_referrals_next_due")
        batch_op.create_index("ix_referrals_open_from_org_due", ["from_organization_id", "next_due_at", "id"],
                              unique=False, postgresql_where=OPEN, sqlite_where=OPEN)
        batch_op.create_index("ix_referrals_open_due", ["next_due_at", "id"], unique=False,
                              postgresql_where=OPEN, sqlite_where=OPEN)
        batch_op.drop_index("ix_referrals_sent_sector_service")
        batch_op.drop_index("ix_referrals_from_org_sent")
        batch_op.create_index("ix_referrals_report_sent", ["sent_at", *REPORTED], unique=False)
        batch_op.create_index("ix_referrals_report_from_org_sent", ["from_organization_id", "sent_at", *REPORTED],
                              unique=False)
    with op.batch_alter_table("referral_clocks", schema=None) as batch_op:
        batch_op.drop_index("ix_referral_clocks_referral_id")
        batch_op.create_index("ix_referral_clocks_referral_rule",
                              ["referral_id", "rule_id", "due_at", "met_at", "stopped_at"], unique=False)


def downgrade():
    with op.batch_alter_table("referral_clocks", schema=None) as batch_op:
        batch_op.drop_index("ix_referral_clocks_referral_rule")
        batch_op.create_index("ix_referral_clocks_referral_id", ["referral_id"], unique=False)
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index("ix_referrals_report_from_org_sent")
        batch_op.drop_index("ix_referrals_report_sent")
        batch_op.create_index("ix_referrals_from_org_sent", ["from_organization_id", "sent_at"], unique=False)
        batch_op.create_index("ix_referrals_sent_sector_service", ["sent_at", "sector", "service_type"], unique=False)
        batch_op.drop_index("ix_referrals_open_due")
        batch_op.drop_index("ix_referrals_open_from_org_due")
        batch_op.create_index("ix_referrals_next_due", ["next_due_at"], unique=False)
        batch_op.create_index("ix_referrals_from_org_next_due", ["from_organization_id", "next_due_at"], unique=False)
