"""Casework in the field.

``survivors.registered_elsewhere``: whether her document was already registered at another
centre when she was registered (which centre is not kept). Survivors registered before this
revision were never checked, so theirs stays null ("not known"), not false.

Survivors registered before this revision have name-search terms for their full name only;
``caseflow crypto rebuild-index name`` gives them the terms of their family names and of each
given name with the family names (docs/casework.md).

Revision ID: 0012_casework
Revises: 0010_integrity
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_casework"
down_revision = "0010_integrity"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("survivors", schema=None) as batch_op:
        batch_op.add_column(sa.Column("registered_elsewhere", sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table("survivors", schema=None) as batch_op:
        batch_op.drop_column("registered_elsewhere")
