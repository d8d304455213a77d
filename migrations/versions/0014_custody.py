"""Survivors deprived of liberty: custody records, supplies, visit restrictions; the sector
``penitentiary`` and the visit modality ``in_facility``.

Revision ID: 0014_custody
Revises: 0008_referral_review_indexes
"""
import sqlalchemy as sa
from alembic import op

revision = "0014_custody"
down_revision = "0008_referral_review_indexes"
branch_labels = None
depends_on = None

OLD_SECTORS = "sector IN ('cem', 'health', 'police', 'justice', 'social', 'ngo')"
NEW_SECTORS = "sector IN ('cem', 'health', 'police', 'justice', 'social', 'ngo', 'penitentiary')"
OLD_MODALITIES = "modality IS NULL OR modality IN ('home_visit', 'phone', 'meeting', 'accompaniment')"
NEW_MODALITIES = ("modality IS NULL OR modality IN ('home_visit', 'phone', 'meeting', 'accompaniment', "
                  "'in_facility')")


def _timestamps():
    return [sa.Column("id", sa.Uuid(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False)]


def _swap_check(table: str, name: str, condition: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
        batch_op.create_check_constraint(name, condition)


def upgrade():
    _swap_check("organizations", "sector", NEW_SECTORS)
    _swap_check("visit_logs", "modality", NEW_MODALITIES)
    op.create_table(
        "custody_records",
        sa.Column("survivor_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("expected_release_on", sa.Date(), nullable=True),
        sa.Column("recorded_by_id", sa.Uuid(), nullable=True),
        sa.Column("maternity_ct", sa.LargeBinary(), nullable=True),
        *_timestamps(),
        sa.CheckConstraint("status IN ('in_custody', 'released')", name=op.f("ck_custody_records_status")),
        sa.ForeignKeyConstraint(["survivor_id"], ["survivors.id"], name=op.f("fk_custody_records_survivor_id_survivors")),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"],
                                name=op.f("fk_custody_records_organization_id_organizations")),
        sa.ForeignKeyConstraint(["facility_id"], ["organizations.id"],
                                name=op.f("fk_custody_records_facility_id_organizations")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], name=op.f("fk_custody_records_recorded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custody_records")),
    )
    with op.batch_alter_table("custody_records", schema=None) as batch_op:
        batch_op.create_index("ix_custody_records_survivor_since", ["survivor_id", "since"], unique=False)
        batch_op.create_index(batch_op.f("ix_custody_records_facility_id"), ["facility_id"], unique=False)
    op.create_table(
        "custody_screenings",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("survivor_id", sa.Uuid(), nullable=False),
        sa.Column("screened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("screened_by_id", sa.Uuid(), nullable=True),
        sa.Column("findings_ct", sa.LargeBinary(), nullable=True),
        sa.Column("notes_ct", sa.LargeBinary(), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_custody_screenings_case_id_cases")),
        sa.ForeignKeyConstraint(["survivor_id"], ["survivors.id"],
                                name=op.f("fk_custody_screenings_survivor_id_survivors")),
        sa.ForeignKeyConstraint(["screened_by_id"], ["users.id"],
                                name=op.f("fk_custody_screenings_screened_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custody_screenings")),
    )
    op.create_table(
        "custody_disclosures",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("survivor_id", sa.Uuid(), nullable=False),
        sa.Column("disclosed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("legal_recourse", sa.String(length=20), nullable=False),
        sa.Column("protect_from_retaliation", sa.Boolean(), nullable=False),
        sa.Column("referral_id", sa.Uuid(), nullable=True),
        sa.Column("recorded_by_id", sa.Uuid(), nullable=True),
        sa.Column("narrative_ct", sa.LargeBinary(), nullable=True),
        *_timestamps(),
        sa.CheckConstraint("legal_recourse IN ('wants_to_report', 'declines', 'undecided')",
                           name=op.f("ck_custody_disclosures_legal_recourse")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_custody_disclosures_case_id_cases")),
        sa.ForeignKeyConstraint(["survivor_id"], ["survivors.id"],
                                name=op.f("fk_custody_disclosures_survivor_id_survivors")),
        sa.ForeignKeyConstraint(["referral_id"], ["referrals.id"],
                                name=op.f("fk_custody_disclosures_referral_id_referrals")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"],
                                name=op.f("fk_custody_disclosures_recorded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custody_disclosures")),
    )
    for table in ("custody_screenings", "custody_disclosures"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in ("case_id", "survivor_id"):
                batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)
    op.create_table(
        "supply_deliveries",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("survivor_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_by_id", sa.Uuid(), nullable=True),
        sa.Column("facility_id", sa.Uuid(), nullable=True),
        *_timestamps(),
        sa.CheckConstraint("kind IN ('hygiene_kit', 'clothing', 'bedding', 'baby_supplies', 'menstrual_products', "
                           "'food', 'other')", name=op.f("ck_supply_deliveries_kind")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_supply_deliveries_case_id_cases")),
        sa.ForeignKeyConstraint(["survivor_id"], ["survivors.id"],
                                name=op.f("fk_supply_deliveries_survivor_id_survivors")),
        sa.ForeignKeyConstraint(["delivered_by_id"], ["users.id"],
                                name=op.f("fk_supply_deliveries_delivered_by_id_users")),
        sa.ForeignKeyConstraint(["facility_id"], ["organizations.id"],
                                name=op.f("fk_supply_deliveries_facility_id_organizations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supply_deliveries")),
    )
    with op.batch_alter_table("supply_deliveries", schema=None) as batch_op:
        for column in ("case_id", "survivor_id", "facility_id"):
            batch_op.create_index(batch_op.f(f"ix_supply_deliveries_{column}"), [column], unique=False)
    op.create_table(
        "visit_restrictions",
        sa.Column("survivor_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("relationship", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("person_name_ct", sa.LargeBinary(), nullable=True),
        sa.Column("reason_ct", sa.LargeBinary(), nullable=True),
        *_timestamps(),
        sa.CheckConstraint("relationship IN ('partner', 'former_partner', 'family', 'acquaintance', 'other')",
                           name=op.f("ck_visit_restrictions_relationship")),
        sa.ForeignKeyConstraint(["survivor_id"], ["survivors.id"],
                                name=op.f("fk_visit_restrictions_survivor_id_survivors")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_visit_restrictions_case_id_cases")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_visit_restrictions_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_restrictions")),
    )
    with op.batch_alter_table("visit_restrictions", schema=None) as batch_op:
        for column in ("survivor_id", "case_id"):
            batch_op.create_index(batch_op.f(f"ix_visit_restrictions_{column}"), [column], unique=False)


def downgrade():
    op.drop_table("visit_restrictions")
    op.drop_table("supply_deliveries")
    op.drop_table("custody_disclosures")
    op.drop_table("custody_screenings")
    op.drop_table("custody_records")
    op.execute("DELETE FROM organizations WHERE sector = 'penitentiary'")
    op.execute("UPDATE visit_logs SET modality = 'meeting' WHERE modality = 'in_facility'")
    _swap_check("visit_logs", "modality", OLD_MODALITIES)
    _swap_check("organizations", "sector", OLD_SECTORS)
