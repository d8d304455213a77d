"""Each deadline clock carries its referral's sending moment and centre, whether it was
stopped by a cancellation, and its minutes to the milestone: compliance over a national year
reads the clocks alone.

``referral_clocks.sent_at`` and ``organization_id`` are the referral's ``sent_at`` and
``from_organization_id`` (neither changes once a referral is sent; the referrals feature
copies them when it starts a clock). ``cancelled`` is true for a clock that stopped unmet
because its referral was cancelled: compliance counts such a clock neither met nor missed, as
it did when it looked the referral's status up (caseflow.statistics.compliance). This revision
fills the three for the clocks already started, from their referrals (``UPDATE ... FROM``:
PostgreSQL, and SQLite since 3.33). Measured in docs/performance.md.

Revision ID: 0025_clock_facts
Revises: 0024_stats_columns
"""
import sqlalchemy as sa
from alembic import op

revision = "0025_clock_facts"
down_revision = "0024_stats_columns"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("referral_clocks") as batch_op:
        batch_op.add_column(sa.Column("cancelled", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("organization_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("minutes_to_met", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        minutes = "floor(extract(epoch FROM referral_clocks.met_at - referral_clocks.starts_at) / 60 + 0.5)"
    else:
        minutes = ("CAST((julianday(referral_clocks.met_at) - julianday(referral_clocks.starts_at)) * 1440 + 0.5 "
                   "AS INTEGER)")
    op.execute(f"""
        UPDATE referral_clocks
        SET sent_at = coalesce(referrals.sent_at, referrals.created_at),
            organization_id = referrals.from_organization_id,
            cancelled = (referral_clocks.met_at IS NULL AND referral_clocks.stopped_at IS NOT NULL
                         AND referrals.status = 'cancelled'),
            minutes_to_met = CASE WHEN referral_clocks.met_at IS NOT NULL THEN {minutes} END
        FROM referrals
        WHERE referrals.id = referral_clocks.referral_id
    """)
    with op.batch_alter_table("referral_clocks") as batch_op:
        batch_op.alter_column("sent_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.alter_column("organization_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.create_foreign_key(batch_op.f("fk_referral_clocks_organization_id_organizations"), "organizations",
                                    ["organization_id"], ["id"])
        batch_op.create_index("ix_referral_clocks_sent", ["sent_at"], unique=False)
        batch_op.create_index("ix_referral_clocks_org_sent", ["organization_id", "sent_at"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # Every row was rewritten: the planner's statistics of the table as it now is.
        op.execute("ANALYZE referral_clocks")


def downgrade():
    with op.batch_alter_table("referral_clocks") as batch_op:
        batch_op.drop_index("ix_referral_clocks_org_sent")
        batch_op.drop_index("ix_referral_clocks_sent")
        batch_op.drop_constraint(batch_op.f("fk_referral_clocks_organization_id_organizations"), type_="foreignkey")
        batch_op.drop_column("organization_id")
        batch_op.drop_column("sent_at")
        batch_op.drop_column("cancelled")
        batch_op.drop_column("minutes_to_met")
