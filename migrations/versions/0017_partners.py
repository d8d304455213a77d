"""Onward referrals and the clock they meet.

* ``referrals.parent_referral_id`` and ``referrals.referred_by_organization_id``: a referral a
  receiving organization sent on (the police send the complaint to the family court).
  Existing referrals were all sent by their centre: both stay null.
* The milestone ``referred_on`` for deadline rules and clocks. The seeded rule
  ``police_to_family_court`` (Ley 30364, art. 15: the police send the case to the family court
  within 24 h) is met by that onward referral, not by the police completing the complaint:
  its rule rows, and the clocks of it still running, move to ``referred_on``. A clock already
  met or stopped keeps the milestone it was measured against.

Revision ID: 0017_partners
Revises: 0016_ficha
"""
import sqlalchemy as sa
from alembic import op

revision = "0017_partners"
down_revision = "0016_ficha"
branch_labels = None
depends_on = None

#: The report's covering indexes also hold parent_referral_id (the chain's counts).
OLD_REPORTED = ("sector", "service_type", "status", "accepted_at", "completed_at", "deadline_rule_id", "id")
NEW_REPORTED = (*OLD_REPORTED, "parent_referral_id")
OLD_MILESTONES = "milestone IN ('accepted', 'completed')"
NEW_MILESTONES = "milestone IN ('accepted', 'completed', 'referred_on')"


def _swap_check(table: str, name: str, condition: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
        batch_op.create_check_constraint(name, condition)


rules = sa.table("deadline_rules", sa.column("id", sa.Uuid()), sa.column("code", sa.String()),
                 sa.column("milestone", sa.String()))
clocks = sa.table("referral_clocks", sa.column("rule_id", sa.Uuid()), sa.column("milestone", sa.String()),
                  sa.column("met_at", sa.DateTime(timezone=True)), sa.column("stopped_at", sa.DateTime(timezone=True)))


def _report_indexes(columns) -> None:
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index("ix_referrals_report_sent")
        batch_op.drop_index("ix_referrals_report_from_org_sent")
        batch_op.create_index("ix_referrals_report_sent", ["sent_at", *columns], unique=False)
        batch_op.create_index("ix_referrals_report_from_org_sent", ["from_organization_id", "sent_at", *columns],
                              unique=False)


def upgrade():
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_referral_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("referred_by_organization_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_referrals_parent_referral_id_referrals"), "referrals",
                                    ["parent_referral_id"], ["id"])
        batch_op.create_foreign_key(batch_op.f("fk_referrals_referred_by_organization_id_organizations"),
                                    "organizations", ["referred_by_organization_id"], ["id"])
        batch_op.create_index(batch_op.f("ix_referrals_parent_referral_id"), ["parent_referral_id"], unique=False)
    _report_indexes(NEW_REPORTED)
    _swap_check("deadline_rules", "milestone", NEW_MILESTONES)
    _swap_check("referral_clocks", "milestone", NEW_MILESTONES)
    police = sa.select(rules.c.id).where(rules.c.code == "police_to_family_court")
    op.execute(clocks.update().where(clocks.c.rule_id.in_(police), clocks.c.milestone == "completed",
                                     clocks.c.met_at.is_(None), clocks.c.stopped_at.is_(None))
               .values(milestone="referred_on"))
    op.execute(rules.update().where(rules.c.code == "police_to_family_court", rules.c.milestone == "completed")
               .values(milestone="referred_on"))


def downgrade():
    op.execute(clocks.update().where(clocks.c.milestone == "referred_on").values(milestone="completed"))
    op.execute(rules.update().where(rules.c.milestone == "referred_on").values(milestone="completed"))
    _swap_check("referral_clocks", "milestone", OLD_MILESTONES)
    _swap_check("deadline_rules", "milestone", OLD_MILESTONES)
    _report_indexes(OLD_REPORTED)
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referrals_parent_referral_id"))
        batch_op.drop_constraint(batch_op.f("fk_referrals_referred_by_organization_id_organizations"),
                                 type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_referrals_parent_referral_id_referrals"), type_="foreignkey")
        batch_op.drop_column("referred_by_organization_id")
        batch_op.drop_column("parent_referral_id")
