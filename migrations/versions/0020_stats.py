"""Statistics: indexes for counting an incident reported at several centres once.

``ix_survivors_registered_elsewhere`` (partial: the few records marked registered elsewhere)
and ``ix_incidents_survivor_statistics`` (survivor, GBV type, occurrence, case: the other
report read from the index alone). No data changes; existing rows are indexed as they are.
Measured in docs/performance.md (bench/statistics_scale.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_stats"
down_revision = "0017_partners"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("survivors") as batch_op:
        batch_op.create_index("ix_survivors_registered_elsewhere", ["id"], unique=False,
                              postgresql_where=sa.text("registered_elsewhere IS TRUE"),
                              sqlite_where=sa.text("registered_elsewhere IS 1"))
    with op.batch_alter_table("incidents") as batch_op:
        batch_op.create_index("ix_incidents_survivor_statistics", ["survivor_id", "gbv_type", "occurred_at", "case_id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("incidents") as batch_op:
        batch_op.drop_index("ix_incidents_survivor_statistics")
    with op.batch_alter_table("survivors") as batch_op:
        batch_op.drop_index("ix_survivors_registered_elsewhere")
