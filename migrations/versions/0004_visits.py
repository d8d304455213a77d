"""Visits: visit plans, visits, visit logs, the outbox; cases.risk_reassessment_requested_at

Revision ID: 0004_visits
Revises: 0003_keys
Create Date: 2026-11-23 13:28:01.241096

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0004_visits"
down_revision = "0003_keys"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox_messages',
    sa.Column('dedupe_key', sa.String(length=200), nullable=False),
    sa.Column('recipient_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=True),
    sa.Column('case_code', sa.String(length=48), nullable=True),
    sa.Column('subject_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('email_status', sa.String(length=10), nullable=True),
    sa.Column('email_attempts', sa.Integer(), nullable=False),
    sa.Column('email_next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('email_last_error', sa.String(length=80), nullable=True),
    sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("email_status IS NULL OR email_status IN ('pending', 'sent', 'failed')", name=op.f('ck_outbox_messages_email_status')),
    sa.CheckConstraint("kind IN ('reminder', 'escalation')", name=op.f('ck_outbox_messages_kind')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_outbox_messages_case_id_cases')),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_outbox_messages_recipient_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_messages_dedupe_key'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_messages_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_outbox_messages_email_due', ['email_status', 'email_next_attempt_at'], unique=False)
        batch_op.create_index('ix_outbox_messages_recipient_created', ['recipient_id', 'created_at'], unique=False)

    op.create_table('visit_plans',
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('assignee_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('planned_count', sa.Integer(), nullable=True),
    sa.Column('cadence_days', sa.Integer(), nullable=False),
    sa.Column('window_days', sa.Integer(), nullable=False),
    sa.Column('cadence_from_risk', sa.Boolean(), nullable=False),
    sa.Column('risk_level', sa.String(length=10), nullable=True),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('next_sequence', sa.Integer(), nullable=False),
    sa.Column('next_due_on', sa.Date(), nullable=True),
    sa.Column('visits_generated', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('end_reason', sa.String(length=20), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('mentor_accompaniment', 'psychological_followup')", name=op.f('ck_visit_plans_kind')),
    sa.CheckConstraint("status IN ('active', 'ended')", name=op.f('ck_visit_plans_status')),
    sa.CheckConstraint('cadence_days >= 1 AND cadence_days <= 365', name=op.f('ck_visit_plans_cadence_days')),
    sa.CheckConstraint('planned_count IS NULL OR planned_count >= 1', name=op.f('ck_visit_plans_planned_count')),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_visit_plans_assignee_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_visit_plans_case_id_cases')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_visit_plans_created_by_id_users')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_visit_plans_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_plans'))
    )
    with op.batch_alter_table('visit_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_plans_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_plans_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_plans_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index('ix_visit_plans_status_next_due', ['status', 'next_due_on'], unique=False)

    op.create_table('visits',
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('assignee_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=True),
    sa.Column('rescheduled_from_id', sa.Uuid(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('window_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('planned', 'done', 'missed', 'rescheduled', 'cancelled')", name=op.f('ck_visits_status')),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_visits_assignee_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_visits_case_id_cases')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_visits_organization_id_organizations')),
    sa.ForeignKeyConstraint(['plan_id'], ['visit_plans.id'], name=op.f('fk_visits_plan_id_visit_plans')),
    sa.ForeignKeyConstraint(['rescheduled_from_id'], ['visits.id'], name=op.f('fk_visits_rescheduled_from_id_visits')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visits')),
    sa.UniqueConstraint('plan_id', 'generation', 'sequence', name='uq_visits_plan_generation_sequence'),
    sa.UniqueConstraint('rescheduled_from_id', name=op.f('uq_visits_rescheduled_from_id'))
    )
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index('ix_visits_assignee_window', ['assignee_id', 'window_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index('ix_visits_status_window_end', ['status', 'window_end'], unique=False)
        batch_op.create_index('ix_visits_status_window_start', ['status', 'window_start'], unique=False)

    op.create_table('visit_logs',
    sa.Column('visit_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('survivor_id', sa.Uuid(), nullable=False),
    sa.Column('logged_by_id', sa.Uuid(), nullable=False),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('happened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('modality', sa.String(length=20), nullable=True),
    sa.Column('safety_concern', sa.Boolean(), nullable=False),
    sa.Column('rescheduled_to', sa.DateTime(timezone=True), nullable=True),
    sa.Column('idempotency_key', sa.String(length=100), nullable=True),
    sa.Column('request_digest', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('notes_ct', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("modality IS NULL OR modality IN ('home_visit', 'phone', 'meeting', 'accompaniment')", name=op.f('ck_visit_logs_modality')),
    sa.CheckConstraint("outcome IN ('done', 'missed', 'rescheduled')", name=op.f('ck_visit_logs_outcome')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_visit_logs_case_id_cases')),
    sa.ForeignKeyConstraint(['logged_by_id'], ['users.id'], name=op.f('fk_visit_logs_logged_by_id_users')),
    sa.ForeignKeyConstraint(['survivor_id'], ['survivors.id'], name=op.f('fk_visit_logs_survivor_id_survivors')),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_visit_logs_visit_id_visits')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_logs')),
    sa.UniqueConstraint('logged_by_id', 'idempotency_key', name='uq_visit_logs_logged_by_key')
    )
    with op.batch_alter_table('visit_logs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_logs_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_logs_happened_at'), ['happened_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_logs_visit_id'), ['visit_id'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('risk_reassessment_requested_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    # ALTER TABLE ... DROP COLUMN (SQLite >= 3.35) rather than copying the cases table,
    # which other tables reference.
    with op.batch_alter_table('cases', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('risk_reassessment_requested_at')

    with op.batch_alter_table('visit_logs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_logs_visit_id'))
        batch_op.drop_index(batch_op.f('ix_visit_logs_happened_at'))
        batch_op.drop_index(batch_op.f('ix_visit_logs_case_id'))

    op.drop_table('visit_logs')
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index('ix_visits_status_window_start')
        batch_op.drop_index('ix_visits_status_window_end')
        batch_op.drop_index(batch_op.f('ix_visits_plan_id'))
        batch_op.drop_index(batch_op.f('ix_visits_case_id'))
        batch_op.drop_index('ix_visits_assignee_window')

    op.drop_table('visits')
    with op.batch_alter_table('visit_plans', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_plans_status_next_due')
        batch_op.drop_index(batch_op.f('ix_visit_plans_organization_id'))
        batch_op.drop_index(batch_op.f('ix_visit_plans_case_id'))
        batch_op.drop_index(batch_op.f('ix_visit_plans_assignee_id'))

    op.drop_table('visit_plans')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_recipient_created')
        batch_op.drop_index('ix_outbox_messages_email_due')
        batch_op.drop_index(batch_op.f('ix_outbox_messages_case_id'))

    op.drop_table('outbox_messages')
