"""Accounts: second factor, activation, four eyes on content roles, throttled sign-in.

* ``users``: the TOTP secret (sealed under a KEK of the keyring), the last time step used
  (replay refusal), the activation token's digest and expiry, whether her content role was
  confirmed by a supervisor of her centre, and a password that may be unset until activation.
* ``mfa_recovery_codes``: ten single-use codes per account, stored as keyed digests.
* ``sign_in_attempts``: failed and successful sign-ins by account and client address
  (both as digests), the throttle's state shared by every worker.
* ``auth_tokens.authenticated_at``: when its holder last gave her password and second
  factor (sensitive operations ask for it within five minutes).
* ``users.failed_logins`` and ``users.locked_until`` go: the throttle replaced the lock.

Revision ID: 0009_accounts
Revises: 0014_custody
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_accounts"
down_revision = "0014_custody"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("password_hash", existing_type=sa.String(255), nullable=True)
        batch_op.add_column(sa.Column("totp_secret", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("totp_confirmed_at", UTC, nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("activation_hash", sa.String(64), nullable=True))
        batch_op.add_column(sa.Column("activation_expires_at", UTC, nullable=True))
        batch_op.add_column(sa.Column("role_confirmed", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column("password_changed_at", UTC, nullable=True))
        batch_op.create_index("ix_users_activation_hash", ["activation_hash"], unique=True)
        batch_op.drop_column("failed_logins")
        batch_op.drop_column("locked_until")
    with op.batch_alter_table("auth_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("authenticated_at", UTC, nullable=True))
    op.create_table(
        "mfa_recovery_codes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), sa.ForeignKey("users.id", name="fk_mfa_recovery_codes_user_id_users"),
                  nullable=False),
        sa.Column("kek_id", sa.String(32), nullable=False),
        sa.Column("code_digest", sa.String(64), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("used_at", UTC, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_mfa_recovery_codes"),
    )
    op.create_index("ix_mfa_recovery_codes_user_id", "mfa_recovery_codes", ["user_id"])
    op.create_table(
        "sign_in_attempts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sign_in_attempts"),
    )
    op.create_index("ix_sign_in_attempts_account_at", "sign_in_attempts", ["account", "at"])
    op.create_index("ix_sign_in_attempts_address_at", "sign_in_attempts", ["address", "at"])
    op.create_index("ix_sign_in_attempts_at", "sign_in_attempts", ["at"])


def downgrade():
    op.drop_table("sign_in_attempts")
    op.drop_table("mfa_recovery_codes")
    with op.batch_alter_table("auth_tokens", schema=None) as batch_op:
        batch_op.drop_column("authenticated_at")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locked_until", UTC, nullable=True))
        batch_op.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        batch_op.drop_index("ix_users_activation_hash")
        for name in ("password_changed_at", "role_confirmed", "activation_expires_at", "activation_hash",
                     "totp_last_step", "totp_confirmed_at", "totp_secret"):
            batch_op.drop_column(name)
        batch_op.alter_column("password_hash", existing_type=sa.String(255), nullable=False)
