"""A name search's candidates and their reach read from indexes alone.

For each candidate of a blind-index term, a search asks her id (``survivor_search_terms``),
her centre and whether she was erased (``survivors``), and whether she has a case at the
caller's centre (``cases``): caseflow.access.policy.survivors_within_reach. Each of those was an
index lookup and then a row read, the survivor's row being her ciphertexts; at 100,000
survivors a family-name search reads a hundred candidates scattered through the file. Each
index now holds what is asked of it, so the rows are not read:

- ``ix_survivor_search_terms_lookup`` gains ``survivor_id``;
- ``ix_cases_survivor_id`` becomes ``ix_cases_survivor_org`` (survivor, centre);
- ``ix_survivors_reach`` (id, centre, erased_at) is new.

Measured in docs/performance.md.

Revision ID: 0026_search_reach
Revises: 0025_clock_facts
"""
from alembic import op

revision = "0026_search_reach"
down_revision = "0025_clock_facts"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("survivor_search_terms") as batch_op:
        batch_op.drop_index("ix_survivor_search_terms_lookup")
        batch_op.create_index("ix_survivor_search_terms_lookup", ["index_name", "version", "term", "survivor_id"],
                              unique=False)
    with op.batch_alter_table("cases") as batch_op:
        batch_op.drop_index("ix_cases_survivor_id")
        batch_op.create_index("ix_cases_survivor_org", ["survivor_id", "organization_id"], unique=False)
    with op.batch_alter_table("survivors") as batch_op:
        batch_op.create_index("ix_survivors_reach", ["id", "organization_id", "erased_at"], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        # SQLite chooses among indexes by the statistics ANALYZE keeps, and a new index has
        # none: given the primary key's, it kept reading survivors through it (and then her row).
        for table in ("survivors", "cases", "survivor_search_terms"):
            op.execute(f"ANALYZE {table}")


def downgrade():
    with op.batch_alter_table("survivors") as batch_op:
        batch_op.drop_index("ix_survivors_reach")
    with op.batch_alter_table("cases") as batch_op:
        batch_op.drop_index("ix_cases_survivor_org")
        batch_op.create_index("ix_cases_survivor_id", ["survivor_id"], unique=False)
    with op.batch_alter_table("survivor_search_terms") as batch_op:
        batch_op.drop_index("ix_survivor_search_terms_lookup")
        batch_op.create_index("ix_survivor_search_terms_lookup", ["index_name", "version", "term"], unique=False)
