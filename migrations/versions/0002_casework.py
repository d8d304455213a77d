"""Casework: incidents, consents, risk assessments, sessions, plan items, approvals, closures

Revision ID: 0002_casework
Revises: 0001_foundation
Create Date: 2026-11-23 13:24:46.346679

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_casework'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('approvals',
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('survivor_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('requested_by_id', sa.Uuid(), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Uuid(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('request_note_ct', sa.LargeBinary(), nullable=True),
    sa.Column('decision_note_ct', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(status = 'pending' AND decided_at IS NULL) OR (status <> 'pending' AND decided_at IS NOT NULL)", name=op.f('ck_approvals_decided_when_not_pending')),
    sa.CheckConstraint("kind IN ('action_plan', 'closure')", name=op.f('ck_approvals_kind')),
    sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')", name=op.f('ck_approvals_status')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_approvals_case_id_cases')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_approvals_decided_by_id_users')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_approvals_requested_by_id_users')),
    sa.ForeignKeyConstraint(['survivor_id'], ['survivors.id'], name=op.f('fk_approvals_survivor_id_survivors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approvals'))
    )
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.create_index('ix_approvals_case_kind_status', ['case_id', 'kind', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_approvals_survivor_id'), ['survivor_id'], unique=False)

    op.create_table('attention_sessions',
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('survivor_id', sa.Uuid(), nullable=False),
    sa.Column('discipline', sa.String(length=20), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('held_by_id', sa.Uuid(), nullable=True),
    sa.Column('summary_ct', sa.LargeBinary(), nullable=True),
    sa.Column('next_steps_ct', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("discipline IN ('admission', 'psychology', 'legal', 'social')", name=op.f('ck_attention_sessions_discipline')),
    sa.CheckConstraint('duration_minutes > 0', name=op.f('ck_attention_sessions_duration_positive')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_attention_sessions_case_id_cases')),
    sa.ForeignKeyConstraint(['held_by_id'], ['users.id'], name=op.f('fk_attention_sessions_held_by_id_users')),
    sa.ForeignKeyConstraint(['survivor_id'], ['survivors.id'], name=op.f('fk_attention_sessions_survivor_id_survivors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attention_sessions'))
    )
    with op.batch_alter_table('attention_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_attention_sessions_case_started', ['case_id', 'started_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_attention_sessions_survivor_id'), ['survivor_id'], unique=False)

    op.create_table('consents',
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('survivor_id', sa.Uuid(), nullable=False),
    sa.Column('recipient_sector', sa.String(length=20), nullable=False),
    sa.Column('recipient_organization_id', sa.Uuid(), nullable=True),
    sa.Column('given_by', sa.String(length=10), nullable=False),
    sa.Column('child_assent', sa.Boolean(), nullable=True),
    sa.Column('best_interest_exception', sa.Boolean(), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('given_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Uuid(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Uuid(), nullable=True),
    sa.Column('note_ct', sa.LargeBinary(), nullable=True),
    sa.Column('withdrawal_note_ct', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("given_by IN ('survivor', 'guardian')", name=op.f('ck_consents_given_by')),
    sa.CheckConstraint("method IN ('written', 'verbal')", name=op.f('ck_consents_method')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_consents_case_id_cases')),
    sa.ForeignKeyConstraint(['recipient_organization_id'], ['organizations.id'], name=op.f('fk_consents_recipient_organization_id_organizations')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_consents_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['survivor_id'], ['survivors.id'], name=op.f('fk_consents_survivor_id_survivors')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], name=op.f('fk_consents_withdrawn_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consents'))
    )
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consents_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consents_survivor_id'), ['survivor_id'], unique=False)

    op.create_table('incidents',
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('survivor_id', sa.Uuid(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('occurred_time_known', sa.Boolean(), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('penetration', sa.Boolean(), nullable=False),
    sa.Column('sexual_contact', sa.Boolean(), nullable=False),
    sa.Column('physical_assault', sa.Boolean(), nullable=False),
    sa.Column('forced_marriage', sa.Boolean(), nullable=False),
    sa.Column('denial_of_resources', sa.Boolean(), nullable=False),
    sa.Column('psychological_abuse', sa.Boolean(), nullable=False),
    sa.Column('goods_or_money_exchanged', sa.Boolean(), nullable=False),
    sa.Column('gbv_type', sa.String(length=40), nullable=False),
    sa.Column('early_marriage', sa.Boolean(), nullable=False),
    sa.Column('possible_sexual_exploitation', sa.Boolean(), nullable=False),
    sa.Column('child_sexual_abuse', sa.Boolean(), nullable=False),
    sa.Column('reporting_delay', sa.String(length=30), nullable=False),
    sa.Column('survivor_age_group', sa.String(length=20), nullable=False),
    sa.Column('violence_types', sa.JSON(), nullable=False),
    sa.Column('perpetrator_relationship', sa.String(length=20), nullable=True),
    sa.Column('perpetrator_age_group', sa.String(length=20), nullable=True),
    sa.Column('perpetrator_count', sa.Integer(), nullable=True),
    sa.Column('location_type', sa.String(length=20), nullable=True),
    sa.Column('recorded_by_id', sa.Uuid(), nullable=True),
    sa.Column('narrative_ct', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("gbv_type IN ('rape', 'sexual_assault', 'physical_assault', 'forced_marriage', 'denial_of_resources', 'psychological_emotional_abuse', 'non_gbv')", name=op.f('ck_incidents_gbv_type')),
    sa.CheckConstraint("reporting_delay IN ('days_0_3', 'days_4_5', 'days_6_14', 'weeks_2_to_month_1', 'over_1_month')", name=op.f('ck_incidents_reporting_delay')),
    sa.CheckConstraint("survivor_age_group IN ('age_0_11', 'age_12_17', 'age_18_25', 'age_26_40', 'age_41_60', 'age_61_plus', 'unknown')", name=op.f('ck_incidents_survivor_age_group')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_incidents_case_id_cases')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_incidents_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['survivor_id'], ['survivors.id'], name=op.f('fk_incidents_survivor_id_survivors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incidents'))
    )
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incidents_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incidents_gbv_type'), ['gbv_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_incidents_survivor_id'), ['survivor_id'], unique=False)

    op.create_table('plan_items',
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('survivor_id', sa.Uuid(), nullable=False),
    sa.Column('need', sa.String(length=20), nullable=False),
    sa.Column('service_type', sa.String(length=40), nullable=False),
    sa.Column('decision', sa.String(length=30), nullable=False),
    sa.Column('goal_status', sa.String(length=20), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('note_ct', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("decision IN ('referred', 'own_agency', 'already_received', 'not_applicable', 'declined_by_survivor', 'unavailable')", name=op.f('ck_plan_items_decision')),
    sa.CheckConstraint("goal_status IN ('in_progress', 'met', 'not_applicable')", name=op.f('ck_plan_items_goal_status')),
    sa.CheckConstraint("need IN ('safety', 'health', 'psychosocial', 'justice', 'other')", name=op.f('ck_plan_items_need')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_plan_items_case_id_cases')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_plan_items_created_by_id_users')),
    sa.ForeignKeyConstraint(['survivor_id'], ['survivors.id'], name=op.f('fk_plan_items_survivor_id_survivors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_items'))
    )
    with op.batch_alter_table('plan_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_items_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_items_survivor_id'), ['survivor_id'], unique=False)

    op.create_table('risk_assessments',
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('survivor_id', sa.Uuid(), nullable=False),
    sa.Column('instrument', sa.String(length=60), nullable=False),
    sa.Column('instrument_version', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('assessed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('assessed_by_id', sa.Uuid(), nullable=True),
    sa.Column('answers_ct', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("level IN ('leve', 'moderado', 'severo')", name=op.f('ck_risk_assessments_level')),
    sa.ForeignKeyConstraint(['assessed_by_id'], ['users.id'], name=op.f('fk_risk_assessments_assessed_by_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_risk_assessments_case_id_cases')),
    sa.ForeignKeyConstraint(['survivor_id'], ['survivors.id'], name=op.f('fk_risk_assessments_survivor_id_survivors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_assessments'))
    )
    with op.batch_alter_table('risk_assessments', schema=None) as batch_op:
        batch_op.create_index('ix_risk_assessments_case_at', ['case_id', 'assessed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_assessments_survivor_id'), ['survivor_id'], unique=False)

    op.create_table('case_closures',
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('survivor_id', sa.Uuid(), nullable=False),
    sa.Column('approval_id', sa.Uuid(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('needs_met', sa.Boolean(), nullable=False),
    sa.Column('safety_plan_reviewed', sa.Boolean(), nullable=False),
    sa.Column('survivor_informed_may_return', sa.Boolean(), nullable=False),
    sa.Column('days_without_contact', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_by_id', sa.Uuid(), nullable=True),
    sa.Column('reopened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reopened_by_id', sa.Uuid(), nullable=True),
    sa.Column('reopen_reason', sa.String(length=20), nullable=True),
    sa.Column('note_ct', sa.LargeBinary(), nullable=True),
    sa.Column('reopen_note_ct', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("reason IN ('needs_met', 'no_contact', 'survivor_request', 'left_area', 'transferred', 'other')", name=op.f('ck_case_closures_reason')),
    sa.CheckConstraint("reopen_reason IS NULL OR reopen_reason IN ('new_incident', 'new_needs', 'survivor_request', 'closed_in_error', 'other')", name=op.f('ck_case_closures_reopen_reason')),
    sa.ForeignKeyConstraint(['approval_id'], ['approvals.id'], name=op.f('fk_case_closures_approval_id_approvals')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_closures_case_id_cases')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_case_closures_closed_by_id_users')),
    sa.ForeignKeyConstraint(['reopened_by_id'], ['users.id'], name=op.f('fk_case_closures_reopened_by_id_users')),
    sa.ForeignKeyConstraint(['survivor_id'], ['survivors.id'], name=op.f('fk_case_closures_survivor_id_survivors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_closures')),
    sa.UniqueConstraint('approval_id', name=op.f('uq_case_closures_approval_id'))
    )
    with op.batch_alter_table('case_closures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_closures_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_closures_survivor_id'), ['survivor_id'], unique=False)



def downgrade():
    with op.batch_alter_table('case_closures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_closures_survivor_id'))
        batch_op.drop_index(batch_op.f('ix_case_closures_case_id'))

    op.drop_table('case_closures')
    with op.batch_alter_table('risk_assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_assessments_survivor_id'))
        batch_op.drop_index('ix_risk_assessments_case_at')

    op.drop_table('risk_assessments')
    with op.batch_alter_table('plan_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_items_survivor_id'))
        batch_op.drop_index(batch_op.f('ix_plan_items_case_id'))

    op.drop_table('plan_items')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incidents_survivor_id'))
        batch_op.drop_index(batch_op.f('ix_incidents_gbv_type'))
        batch_op.drop_index(batch_op.f('ix_incidents_case_id'))

    op.drop_table('incidents')
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consents_survivor_id'))
        batch_op.drop_index(batch_op.f('ix_consents_case_id'))

    op.drop_table('consents')
    with op.batch_alter_table('attention_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attention_sessions_survivor_id'))
        batch_op.drop_index('ix_attention_sessions_case_started')

    op.drop_table('attention_sessions')
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approvals_survivor_id'))
        batch_op.drop_index('ix_approvals_case_kind_status')

    op.drop_table('approvals')
