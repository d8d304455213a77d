"""Scheduler indexes: partial indexes of the visits still waiting for a reminder or an
escalation, and of the active plans still generating visits, replace the indexes led by
status, which SQLite's planner, lacking statistics, preferred over the primary key (a batch
claimed by id walked every planned visit) and over case_id (one case's plans or overdue
visits walked every active plan or planned visit).

Revision ID: 0007_scheduler_indexes
Revises: 0006_case_list_indexes
"""
from alembic import op
import sqlalchemy as sa

revision = "0007_scheduler_indexes"
down_revision = "0006_case_list_indexes"
branch_labels = None
depends_on = None

REMINDER_DUE = "status = 'planned' AND reminded_at IS NULL"
OVERDUE_DUE = "status = 'planned' AND escalated_at IS NULL"
HORIZON_DUE = "status = 'active' AND next_due_on IS NOT NULL"


def upgrade():
    with op.batch_alter_table("visit_plans", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_plans_status_next_due")
        batch_op.create_index("ix_visit_plans_horizon", ["next_due_on", "id"], unique=False,
                              sqlite_where=sa.text(HORIZON_DUE), postgresql_where=sa.text(HORIZON_DUE))
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_index("ix_visits_status_window_start")
        batch_op.drop_index("ix_visits_status_window_end")
        batch_op.create_index("ix_visits_reminder_due", ["window_start", "id"], unique=False,
                              sqlite_where=sa.text(REMINDER_DUE), postgresql_where=sa.text(REMINDER_DUE))
        batch_op.create_index("ix_visits_overdue_due", ["window_end", "id"], unique=False,
                              sqlite_where=sa.text(OVERDUE_DUE), postgresql_where=sa.text(OVERDUE_DUE))


def downgrade():
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_index("ix_visits_overdue_due")
        batch_op.drop_index("ix_visits_reminder_due")
        batch_op.create_index("ix_visits_status_window_end", ["status", "window_end"], unique=False)
        batch_op.create_index("ix_visits_status_window_start", ["status", "window_start"], unique=False)
    with op.batch_alter_table("visit_plans", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_plans_horizon")
        batch_op.create_index("ix_visit_plans_status_next_due", ["status", "next_due_on"], unique=False)
