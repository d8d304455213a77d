"""Each case's kept milestones carry the whole minutes from first contact to each.

``statistics_case_milestones.plan_minutes``, ``referral_minutes`` and ``service_minutes``:
minutes from ``opened_at`` to ``first_plan_at``, ``first_referral_at`` and
``first_service_at``, to the nearest (half up), null for a milestone not reached. The
first-contact medians are counted per minute from them (caseflow.statistics.medians); the
application keeps them with the rest of the row (caseflow.statistics.milestones), and this
revision fills them for the rows already kept, by the same rule (frozen here as SQL).
Measured in docs/performance.md.

Revision ID: 0027_milestone_minutes
Revises: 0026_search_reach
"""
import sqlalchemy as sa
from alembic import op

revision = "0027_milestone_minutes"
down_revision = "0026_search_reach"
branch_labels = None
depends_on = None

MILESTONES = ("plan", "referral", "service")


def _minutes(column: str) -> str:
    if op.get_bind().dialect.name == "postgresql":
        return f"CAST(floor(extract(epoch FROM {column} - opened_at) / 60.0 + 0.5) AS INTEGER)"
    return f"CAST((julianday({column}) - julianday(opened_at)) * 1440.0 + 0.5 AS INTEGER)"


def upgrade():
    with op.batch_alter_table("statistics_case_milestones") as batch_op:
        for name in MILESTONES:
            batch_op.add_column(sa.Column(f"{name}_minutes", sa.Integer(), nullable=True))
    op.execute("UPDATE statistics_case_milestones SET " + ", ".join(
        f"{name}_minutes = {_minutes(f'first_{name}_at')}" for name in MILESTONES))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE statistics_case_milestones")


def downgrade():
    with op.batch_alter_table("statistics_case_milestones") as batch_op:
        for name in reversed(MILESTONES):
            batch_op.drop_column(f"{name}_minutes")
