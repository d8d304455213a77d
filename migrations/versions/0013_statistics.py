"""Statistics: incidents keep her age in the MIMP's groups too; mentors' training sessions.

Revision ID: 0013_statistics
Revises: 0012_casework
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_statistics"
down_revision = "0012_casework"
branch_labels = None
depends_on = None

MIMP_AGE_GROUPS = ("age_0_5", "age_6_11", "age_12_17", "age_18_25", "age_26_35", "age_36_45", "age_46_59",
                   "age_60_plus", "unknown")


def upgrade():
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("survivor_age_group_mimp", sa.String(20), nullable=False, server_default="unknown"))
        batch.create_check_constraint(
            "survivor_age_group_mimp",
            "survivor_age_group_mimp IN (" + ", ".join(f"'{g}'" for g in MIMP_AGE_GROUPS) + ")")
    # Incidents recorded before: only the GBVIMS groups that fall inside one MIMP group can
    # be carried over (the birth date is encrypted and out of a migration's reach).
    for group in ("age_12_17", "age_18_25"):
        op.execute(sa.text("UPDATE incidents SET survivor_age_group_mimp = :g WHERE survivor_age_group = :g")
                   .bindparams(g=group))
    op.create_table(
        "trainings",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("user_id", sa.Uuid(), sa.ForeignKey("users.id", name="fk_trainings_user_id_users"), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("recorded_by_id", sa.Uuid(), sa.ForeignKey("users.id", name="fk_trainings_recorded_by_id_users")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("user_id", "held_on", "topic", name="uq_trainings_user_id_held_on_topic"),
    )
    op.create_index("ix_trainings_user_id", "trainings", ["user_id"])


def downgrade():
    op.drop_index("ix_trainings_user_id", table_name="trainings")
    op.drop_table("trainings")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_constraint("survivor_age_group_mimp", type_="check")
        batch.drop_column("survivor_age_group_mimp")
