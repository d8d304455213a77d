"""Erasure reasons become codes.

An erasure request's ``reason`` outlives her shredded data, and as free text it held what
staff wrote about her. From now on it is one of ``caseflow.rights.models.ERASURE_REASONS``;
an existing free-text reason is replaced by ``other`` (its text is not kept anywhere).

Revision ID: 0011_exits
Revises: 0013_statistics
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_exits"
down_revision = "0013_statistics"
branch_labels = None
depends_on = None

REASONS = ("survivor_request", "guardian_request", "court_order", "retention", "duplicate_record", "other")


def upgrade():
    requests = sa.table("erasure_requests", sa.column("reason", sa.String))
    op.execute(requests.update().where(requests.c.reason.not_in(REASONS)).values(reason="other"))
    with op.batch_alter_table("erasure_requests", schema=None) as batch_op:
        batch_op.create_check_constraint("reason", "reason IN (" + ", ".join(f"'{r}'" for r in REASONS) + ")")


def downgrade():
    with op.batch_alter_table("erasure_requests", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_erasure_requests_reason"), type_="check")
