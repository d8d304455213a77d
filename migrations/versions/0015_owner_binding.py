"""Ciphertexts bound to their owner: each data key records the survivor it belongs to.

A field's header names its data key; from this revision a read refuses a key that is not
its owner's, and new ciphertexts (format 2) carry the owner in their associated data
(``caseflow.crypto.fields.Owner``). Existing data keys get their survivor from the survivor
row that points to them; a key no survivor points to (superseded by an unfinished
re-encryption run, destroyed at the end of the next one) stays null.

Existing ciphertexts (format 1) are not rewritten here: that needs the keyring, which
migrations do not hold. They stay readable, checked against her data key, until
``caseflow crypto reencrypt`` re-seals them in format 2; ``caseflow crypto verify`` counts
those left (``fields_old_binding``). See docs/operations.md, "Upgrading to owner-bound
ciphertexts".

Revision ID: 0015_owner_binding
Revises: 0020_stats
"""
import sqlalchemy as sa
from alembic import op

revision = "0015_owner_binding"
down_revision = "0020_stats"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD/DROP COLUMN on both databases, not a batch copy of the table: on SQLite a
    # copy drops the old ``data_keys``, and with foreign keys on that would set every
    # survivor's ``data_key_id`` to null (ON DELETE SET NULL), losing her key.
    op.add_column("data_keys", sa.Column("survivor_id", sa.Uuid(), nullable=True))
    keys = sa.table("data_keys", sa.column("id", sa.Uuid), sa.column("survivor_id", sa.Uuid))
    survivors = sa.table("survivors", sa.column("id", sa.Uuid), sa.column("data_key_id", sa.Uuid))
    owner = sa.select(survivors.c.id).where(survivors.c.data_key_id == keys.c.id).limit(1).scalar_subquery()
    op.execute(keys.update().values(survivor_id=owner))


def downgrade():
    op.execute("ALTER TABLE data_keys DROP COLUMN survivor_id")  # SQLite 3.35+, PostgreSQL
