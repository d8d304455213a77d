"""Foundation: directory, auth tokens, survivors (encrypted), cases, audit trail, keys

Revision ID: 0001_foundation
Revises: 
Create Date: 2026-11-23 13:16:03.494095

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001_foundation'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_entries',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('actor_kind', sa.String(length=60), nullable=False),
    sa.Column('actor_role', sa.String(length=20), nullable=True),
    sa.Column('organization_id', sa.Uuid(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('entity_type', sa.String(length=60), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=True),
    sa.Column('case_id', sa.Uuid(), nullable=True),
    sa.Column('survivor_id', sa.Uuid(), nullable=True),
    sa.Column('fields', sa.JSON(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.Column('request_id', sa.String(length=40), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_entries_hash'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entries_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_survivor_id'), ['survivor_id'], unique=False)

    op.create_table('blind_index_states',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('active_version', sa.Integer(), nullable=False),
    sa.Column('active_bits', sa.Integer(), nullable=False),
    sa.Column('building_version', sa.Integer(), nullable=True),
    sa.Column('building_bits', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_blind_index_states'))
    )
    op.create_table('data_keys',
    sa.Column('kek_id', sa.String(length=32), nullable=False),
    sa.Column('wrapped', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rewrapped_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_keys'))
    )
    with op.batch_alter_table('data_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_keys_kek_id'), ['kek_id'], unique=False)

    op.create_table('organizations',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sector', sa.String(length=20), nullable=False),
    sa.Column('district', sa.String(length=6), nullable=True),
    sa.Column('service_types', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("sector IN ('cem', 'health', 'police', 'justice', 'social', 'ngo')", name=op.f('ck_organizations_sector')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organizations')),
    sa.UniqueConstraint('code', name=op.f('uq_organizations_code'))
    )
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organizations_district'), ['district'], unique=False)
        batch_op.create_index(batch_op.f('ix_organizations_sector'), ['sector'], unique=False)

    op.create_table('case_code_counters',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_case_code_counters_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_code_counters')),
    sa.UniqueConstraint('organization_id', 'year', name='uq_case_code_counters_org_year')
    )
    op.create_table('users',
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('discipline', sa.String(length=20), nullable=True),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("discipline IS NULL OR discipline IN ('admission', 'psychology', 'legal', 'social')", name=op.f('ck_users_discipline')),
    sa.CheckConstraint("role IN ('admin', 'supervisor', 'caseworker', 'mentor', 'psychologist', 'liaison')", name=op.f('ck_users_role')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_users_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_organization_id'), ['organization_id'], unique=False)

    op.create_table('auth_tokens',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("kind IN ('session', 'bearer', 'feed')", name=op.f('ck_auth_tokens_kind')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_auth_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_auth_tokens_token_hash'))
    )
    with op.batch_alter_table('auth_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auth_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('survivors',
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('data_key_id', sa.Uuid(), nullable=True),
    sa.Column('document_type', sa.String(length=10), nullable=False),
    sa.Column('sex', sa.String(length=10), nullable=True),
    sa.Column('district', sa.String(length=6), nullable=True),
    sa.Column('mother_tongue', sa.String(length=40), nullable=True),
    sa.Column('disability', sa.String(length=20), nullable=True),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('given_names_ct', sa.LargeBinary(), nullable=True),
    sa.Column('family_names_ct', sa.LargeBinary(), nullable=True),
    sa.Column('alias_ct', sa.LargeBinary(), nullable=True),
    sa.Column('document_number_ct', sa.LargeBinary(), nullable=True),
    sa.Column('birth_date_ct', sa.LargeBinary(), nullable=True),
    sa.Column('phone_ct', sa.LargeBinary(), nullable=True),
    sa.Column('address_ct', sa.LargeBinary(), nullable=True),
    sa.Column('safe_contact_ct', sa.LargeBinary(), nullable=True),
    sa.Column('gender_identity_ct', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("document_type IN ('DNI', 'CE', 'PASSPORT', 'OTHER', 'NONE')", name=op.f('ck_survivors_document_type')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_survivors_created_by_id_users')),
    sa.ForeignKeyConstraint(['data_key_id'], ['data_keys.id'], name=op.f('fk_survivors_data_key_id_data_keys'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_survivors_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survivors'))
    )
    with op.batch_alter_table('survivors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survivors_data_key_id'), ['data_key_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survivors_organization_id'), ['organization_id'], unique=False)

    op.create_table('cases',
    sa.Column('code', sa.String(length=48), nullable=False),
    sa.Column('survivor_id', sa.Uuid(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('step', sa.String(length=20), nullable=False),
    sa.Column('priority', sa.String(length=10), nullable=False),
    sa.Column('intake_channel', sa.String(length=20), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_by_id', sa.Uuid(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closure_reason', sa.String(length=20), nullable=True),
    sa.Column('risk_level', sa.String(length=10), nullable=True),
    sa.Column('last_contact_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("priority IN ('high', 'medium', 'low')", name=op.f('ck_cases_priority')),
    sa.CheckConstraint("status IN ('open', 'closed')", name=op.f('ck_cases_status')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_cases_opened_by_id_users')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_cases_organization_id_organizations')),
    sa.ForeignKeyConstraint(['survivor_id'], ['survivors.id'], name=op.f('fk_cases_survivor_id_survivors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('code', name=op.f('uq_cases_code'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_org_status', ['organization_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_risk_level'), ['risk_level'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_survivor_id'), ['survivor_id'], unique=False)

    op.create_table('survivor_search_terms',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('survivor_id', sa.Uuid(), nullable=False),
    sa.Column('index_name', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('term', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['survivor_id'], ['survivors.id'], name=op.f('fk_survivor_search_terms_survivor_id_survivors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survivor_search_terms'))
    )
    with op.batch_alter_table('survivor_search_terms', schema=None) as batch_op:
        batch_op.create_index('ix_survivor_search_terms_lookup', ['index_name', 'version', 'term'], unique=False)
        batch_op.create_index(batch_op.f('ix_survivor_search_terms_survivor_id'), ['survivor_id'], unique=False)

    op.create_table('case_assignments',
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('assigned_by_id', sa.Uuid(), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_case_assignments_assigned_by_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_assignments_case_id_cases')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_case_assignments_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_assignments'))
    )
    with op.batch_alter_table('case_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_assignments_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_assignments_user_id'), ['user_id'], unique=False)

    op.create_table('case_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_case_events_actor_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_events_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_events'))
    )
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.create_index('ix_case_events_case_at', ['case_id', 'at'], unique=False)

    # ### end Alembic commands ###
    _create_append_only_triggers()


def downgrade():
    _drop_append_only_triggers()
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_index('ix_case_events_case_at')

    op.drop_table('case_events')
    with op.batch_alter_table('case_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_assignments_user_id'))
        batch_op.drop_index(batch_op.f('ix_case_assignments_case_id'))

    op.drop_table('case_assignments')
    with op.batch_alter_table('survivor_search_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survivor_search_terms_survivor_id'))
        batch_op.drop_index('ix_survivor_search_terms_lookup')

    op.drop_table('survivor_search_terms')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_survivor_id'))
        batch_op.drop_index(batch_op.f('ix_cases_risk_level'))
        batch_op.drop_index('ix_cases_org_status')

    op.drop_table('cases')
    with op.batch_alter_table('survivors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survivors_organization_id'))
        batch_op.drop_index(batch_op.f('ix_survivors_data_key_id'))

    op.drop_table('survivors')
    with op.batch_alter_table('auth_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auth_tokens_user_id'))

    op.drop_table('auth_tokens')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_organization_id'))

    op.drop_table('users')
    op.drop_table('case_code_counters')
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organizations_sector'))
        batch_op.drop_index(batch_op.f('ix_organizations_district'))

    op.drop_table('organizations')
    with op.batch_alter_table('data_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_keys_kek_id'))

    op.drop_table('data_keys')
    op.drop_table('blind_index_states')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entries_survivor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_organization_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_case_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_actor_id'))

    op.drop_table('audit_entries')
    # ### end Alembic commands ###


# The audit trail is append-only in the database too: even the application's own account
# cannot UPDATE or DELETE an entry. (The HMAC chain still detects edits by anyone who
# bypasses this, e.g. a superuser dropping the trigger.)
def _create_append_only_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION caseflow_audit_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'audit_entries is append-only';
            END $$ LANGUAGE plpgsql
        """)
        op.execute("""
            CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
            FOR EACH ROW EXECUTE FUNCTION caseflow_audit_append_only()
        """)
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER audit_entries_no_{verb.lower()} BEFORE {verb} ON audit_entries
                BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END
            """)


def _drop_append_only_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries")
        op.execute("DROP FUNCTION IF EXISTS caseflow_audit_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_delete")
