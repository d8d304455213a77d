"""PostgreSQL keeps an incident's types of violence as JSONB.

The statistics by type of violence ask each incident's list whether it holds each value of the
vocabulary (``count(*) FILTER (WHERE list ? value)``: caseflow.statistics.tables). A ``json``
column is text, parsed again for each of those questions, about ten per incident; ``jsonb``
is parsed once, when written. The lists' values and order are unchanged (a list of codes).
SQLite has one JSON type: nothing to do there. Measured in docs/performance.md.

Revision ID: 0028_violence_jsonb
Revises: 0027_milestone_minutes
"""
from alembic import op

revision = "0028_violence_jsonb"
down_revision = "0027_milestone_minutes"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE incidents ALTER COLUMN violence_types TYPE jsonb USING violence_types::jsonb")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE incidents ALTER COLUMN violence_types TYPE json USING violence_types::json")
