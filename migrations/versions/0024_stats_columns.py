"""Statistics: each case's first milestones, kept instead of searched for; the incident's centre.

``statistics_case_milestones`` (one row per case): the case's centre and opening moment (its
first contact) and the first moment of each milestone after it: the first line of its action
plan, the first referral sent, the first referral completed. The application keeps it
current from the signals of cases, plans and referrals (caseflow.statistics.milestones); this
revision fills it for the cases already opened, by the same rule (frozen here as SQL, as a
revision must be). ``incidents.organization_id``: her case's centre, copied from the case
(filled here from the cases; the incidents feature sets it when recording one), so that
statistics by centre or of one centre do not join each incident to its case. Measured in
docs/performance.md.

Revision ID: 0024_stats_columns
Revises: 0023_counted_once
"""
import sqlalchemy as sa
from alembic import op

revision = "0024_stats_columns"
down_revision = "0023_counted_once"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("incidents") as batch_op:
        batch_op.add_column(sa.Column("organization_id", sa.Uuid(), nullable=True))
    op.execute("UPDATE incidents SET organization_id = "
               "(SELECT cases.organization_id FROM cases WHERE cases.id = incidents.case_id)")
    with op.batch_alter_table("incidents") as batch_op:
        batch_op.alter_column("organization_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.create_foreign_key(batch_op.f("fk_incidents_organization_id_organizations"), "organizations",
                                    ["organization_id"], ["id"])
        batch_op.create_index("ix_incidents_org_reported", ["organization_id", "reported_at"], unique=False)
    op.create_table(
        "statistics_case_milestones",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_plan_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_referral_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_service_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE",
                                name=op.f("fk_statistics_case_milestones_case_id_cases")),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_statistics_case_milestones")),
    )
    op.execute("""
        INSERT INTO statistics_case_milestones
            (case_id, organization_id, opened_at, first_plan_at, first_referral_at, first_service_at)
        SELECT cases.id, cases.organization_id, cases.opened_at,
               (SELECT min(plan_items.created_at) FROM plan_items WHERE plan_items.case_id = cases.id),
               (SELECT min(referrals.sent_at) FROM referrals WHERE referrals.case_id = cases.id),
               (SELECT min(referrals.completed_at) FROM referrals WHERE referrals.case_id = cases.id)
        FROM cases
    """)
    with op.batch_alter_table("statistics_case_milestones") as batch_op:
        batch_op.create_index("ix_statistics_case_milestones_opened", ["opened_at"], unique=False)
        batch_op.create_index("ix_statistics_case_milestones_org_opened", ["organization_id", "opened_at"],
                              unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # The planner's statistics of a table filled at once (a million rows at national scale).
        op.execute("ANALYZE statistics_case_milestones")
        op.execute("ANALYZE incidents")


def downgrade():
    with op.batch_alter_table("statistics_case_milestones") as batch_op:
        batch_op.drop_index("ix_statistics_case_milestones_org_opened")
        batch_op.drop_index("ix_statistics_case_milestones_opened")
    op.drop_table("statistics_case_milestones")
    with op.batch_alter_table("incidents") as batch_op:
        batch_op.drop_index("ix_incidents_org_reported")
        batch_op.drop_constraint(batch_op.f("fk_incidents_organization_id_organizations"), type_="foreignkey")
        batch_op.drop_column("organization_id")
