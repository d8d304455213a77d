"""Referrals: deadline rules (seeded from the domain notes), referrals, their clocks and events

Revision ID: 0005_referrals
Revises: 0004_visits
Create Date: 2026-11-23 13:38:57.358997

"""
import uuid
from datetime import datetime, timedelta, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0005_referrals"
down_revision = "0004_visits"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('deadline_rules',
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('service_type', sa.String(length=40), nullable=True),
    sa.Column('priority', sa.String(length=10), nullable=True),
    sa.Column('anchor', sa.String(length=20), nullable=False),
    sa.Column('milestone', sa.String(length=20), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('effective_from', sa.DateTime(timezone=True), nullable=False),
    sa.Column('effective_to', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("anchor IN ('incident', 'referral_sent', 'referral_accepted')", name=op.f('ck_deadline_rules_anchor')),
    sa.CheckConstraint("milestone IN ('accepted', 'completed')", name=op.f('ck_deadline_rules_milestone')),
    sa.CheckConstraint('(service_type IS NULL) <> (priority IS NULL)', name=op.f('ck_deadline_rules_one_selector')),
    sa.CheckConstraint('effective_to IS NULL OR effective_to > effective_from', name=op.f('ck_deadline_rules_effective_order')),
    sa.CheckConstraint('hours > 0', name=op.f('ck_deadline_rules_hours_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_rules'))
    )
    with op.batch_alter_table('deadline_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadline_rules_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_deadline_rules_service_type'), ['service_type'], unique=False)
    _seed_deadline_rules()

    op.create_table('referrals',
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('survivor_id', sa.Uuid(), nullable=False),
    sa.Column('from_organization_id', sa.Uuid(), nullable=False),
    sa.Column('to_organization_id', sa.Uuid(), nullable=False),
    sa.Column('sector', sa.String(length=20), nullable=False),
    sa.Column('service_type', sa.String(length=40), nullable=False),
    sa.Column('priority', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_by_id', sa.Uuid(), nullable=True),
    sa.Column('consent_id', sa.Uuid(), nullable=True),
    sa.Column('mandatory_report', sa.Boolean(), nullable=False),
    sa.Column('mandatory_report_basis', sa.String(length=300), nullable=True),
    sa.Column('survivor_informed', sa.Boolean(), nullable=True),
    sa.Column('incident_id', sa.Uuid(), nullable=True),
    sa.Column('deadline_rule_id', sa.Uuid(), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note_ct', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("priority IN ('high', 'medium', 'low')", name=op.f('ck_referrals_priority')),
    sa.CheckConstraint("sector IN ('health', 'police', 'justice', 'social', 'ngo')", name=op.f('ck_referrals_sector')),
    sa.CheckConstraint("status IN ('requested', 'accepted', 'rejected', 'in_progress', 'completed', 'cancelled', 'failed')", name=op.f('ck_referrals_status')),
    sa.CheckConstraint('mandatory_report = false OR mandatory_report_basis IS NOT NULL', name=op.f('ck_referrals_mandatory_report_has_basis')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_referrals_case_id_cases')),
    sa.ForeignKeyConstraint(['consent_id'], ['consents.id'], name=op.f('fk_referrals_consent_id_consents')),
    sa.ForeignKeyConstraint(['deadline_rule_id'], ['deadline_rules.id'], name=op.f('fk_referrals_deadline_rule_id_deadline_rules')),
    sa.ForeignKeyConstraint(['from_organization_id'], ['organizations.id'], name=op.f('fk_referrals_from_organization_id_organizations')),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_referrals_incident_id_incidents')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_referrals_sent_by_id_users')),
    sa.ForeignKeyConstraint(['survivor_id'], ['survivors.id'], name=op.f('fk_referrals_survivor_id_survivors')),
    sa.ForeignKeyConstraint(['to_organization_id'], ['organizations.id'], name=op.f('fk_referrals_to_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referrals'))
    )
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referrals_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_referrals_from_org_next_due', ['from_organization_id', 'next_due_at'], unique=False)
        batch_op.create_index('ix_referrals_from_org_sent', ['from_organization_id', 'sent_at'], unique=False)
        batch_op.create_index('ix_referrals_next_due', ['next_due_at'], unique=False)
        batch_op.create_index('ix_referrals_sent_sector_service', ['sent_at', 'sector', 'service_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_survivor_id'), ['survivor_id'], unique=False)
        batch_op.create_index('ix_referrals_to_org_status', ['to_organization_id', 'status'], unique=False)

    op.create_table('referral_clocks',
    sa.Column('referral_id', sa.Uuid(), nullable=False),
    sa.Column('rule_id', sa.Uuid(), nullable=False),
    sa.Column('milestone', sa.String(length=20), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('met_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('stopped_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("milestone IN ('accepted', 'completed')", name=op.f('ck_referral_clocks_milestone')),
    sa.ForeignKeyConstraint(['referral_id'], ['referrals.id'], name=op.f('fk_referral_clocks_referral_id_referrals')),
    sa.ForeignKeyConstraint(['rule_id'], ['deadline_rules.id'], name=op.f('fk_referral_clocks_rule_id_deadline_rules')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_clocks'))
    )
    with op.batch_alter_table('referral_clocks', schema=None) as batch_op:
        batch_op.create_index('ix_referral_clocks_open_due', ['due_at', 'met_at', 'stopped_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_clocks_referral_id'), ['referral_id'], unique=False)

    op.create_table('referral_events',
    sa.Column('referral_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('survivor_id', sa.Uuid(), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('organization_id', sa.Uuid(), nullable=True),
    sa.Column('reason_ct', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("to_status IN ('requested', 'accepted', 'rejected', 'in_progress', 'completed', 'cancelled', 'failed')", name=op.f('ck_referral_events_to_status')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_referral_events_actor_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_referral_events_case_id_cases')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_referral_events_organization_id_organizations')),
    sa.ForeignKeyConstraint(['referral_id'], ['referrals.id'], name=op.f('fk_referral_events_referral_id_referrals')),
    sa.ForeignKeyConstraint(['survivor_id'], ['survivors.id'], name=op.f('fk_referral_events_survivor_id_survivors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_events'))
    )
    with op.batch_alter_table('referral_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_events_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_referral_events_referral_at', ['referral_id', 'at'], unique=False)



def downgrade():
    with op.batch_alter_table('referral_events', schema=None) as batch_op:
        batch_op.drop_index('ix_referral_events_referral_at')
        batch_op.drop_index(batch_op.f('ix_referral_events_case_id'))

    op.drop_table('referral_events')
    with op.batch_alter_table('referral_clocks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_clocks_referral_id'))
        batch_op.drop_index('ix_referral_clocks_open_due')

    op.drop_table('referral_clocks')
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index('ix_referrals_to_org_status')
        batch_op.drop_index(batch_op.f('ix_referrals_survivor_id'))
        batch_op.drop_index('ix_referrals_sent_sector_service')
        batch_op.drop_index('ix_referrals_next_due')
        batch_op.drop_index('ix_referrals_from_org_sent')
        batch_op.drop_index('ix_referrals_from_org_next_due')
        batch_op.drop_index(batch_op.f('ix_referrals_case_id'))

    op.drop_table('referrals')
    with op.batch_alter_table('deadline_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadline_rules_service_type'))
        batch_op.drop_index(batch_op.f('ix_deadline_rules_code'))

    op.drop_table('deadline_rules')


#: Peru's time (UTC-5, no daylight saving): effective dates are days there.
LIMA = timezone(timedelta(hours=-5))

#: The deadline table of the shared domain notes, with sources. Effective dates: the
#: publication of the law, or the edition of the guidance, the project applies (see
#: docs/referrals.md). Administrators amend rules through /api/v1/deadline-rules.
SEED_RULES = (
    # code, label, service_type, priority, anchor, milestone, hours, source, effective_from
    ("hiv_pep", "HIV post-exposure prophylaxis", "hiv_pep", None, "incident", "completed", 72,
     "WHO/MSF clinical guidance: HIV post-exposure prophylaxis within 72 h of the incident",
     datetime(2020, 1, 1, tzinfo=LIMA)),
    ("emergency_contraception", "Emergency contraception", "emergency_contraception", None, "incident",
     "completed", 120, "WHO clinical guidance: emergency contraception within 120 h of the incident",
     datetime(2020, 1, 1, tzinfo=LIMA)),
    ("police_to_family_court", "Police sends the case to the family court", "complaint", None,
     "referral_sent", "completed", 24, "Ley 30364, art. 15: the police sends the case to the family court within 24 h",
     datetime(2015, 11, 24, tzinfo=LIMA)),
    ("protective_measures", "Family court decides protective measures", "protective_measures", None,
     "referral_sent", "completed", 24,
     "Ley 31715 (2023), amending Ley 30364: protective measures decided within 24 h, any risk level",
     datetime(2023, 3, 24, tzinfo=LIMA)),
    ("acknowledge_high", "Acknowledge a high-priority referral", None, "high", "referral_sent", "accepted", 24,
     "Primero GBV priority levels: high, 24 h", datetime(2020, 1, 1, tzinfo=LIMA)),
    ("acknowledge_medium", "Acknowledge a medium-priority referral", None, "medium", "referral_sent", "accepted",
     72, "Primero GBV priority levels: medium, 72 h", datetime(2020, 1, 1, tzinfo=LIMA)),
)
SEED_NAMESPACE = uuid.UUID("6f0c1d52-8d0e-4a55-9a52-3c6f0d2b7e11")


def _seed_deadline_rules():
    table = sa.table(
        "deadline_rules", sa.column("id", sa.Uuid()), sa.column("code", sa.String()),
        sa.column("label", sa.String()), sa.column("service_type", sa.String()),
        sa.column("priority", sa.String()), sa.column("anchor", sa.String()),
        sa.column("milestone", sa.String()), sa.column("hours", sa.Integer()),
        sa.column("source", sa.String()), sa.column("effective_from", sa.DateTime(timezone=True)),
        sa.column("effective_to", sa.DateTime(timezone=True)),
        sa.column("created_at", sa.DateTime(timezone=True)), sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    now = datetime.now(timezone.utc)
    naive = op.get_bind().dialect.name == "sqlite"  # as the UTC column type stores them there

    def utc(moment):
        moment = moment.astimezone(timezone.utc)
        return moment.replace(tzinfo=None) if naive else moment

    op.bulk_insert(table, [
        {"id": uuid.uuid5(SEED_NAMESPACE, code), "code": code, "label": label, "service_type": service_type,
         "priority": priority, "anchor": anchor, "milestone": milestone, "hours": hours, "source": source,
         "effective_from": utc(effective_from), "effective_to": None, "created_at": utc(now),
         "updated_at": utc(now)}
        for code, label, service_type, priority, anchor, milestone, hours, source, effective_from in SEED_RULES
    ])
