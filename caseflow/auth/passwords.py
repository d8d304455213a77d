"""argon2id password hashing, with parameters from the settings."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_PASSWORD_LENGTH = 12


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["CASEFLOW_ARGON2_TIME_COST"], memory_cost=config["CASEFLOW_ARGON2_MEMORY_KIB"], parallelism=1
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def burn_verification(password: str) -> None:
    """Spend the same time as a real check, so unknown usernames are not revealed by timing."""
    # Hashed once: setdefault(key, hash(...)) computed a fresh hash on every call, so a
    # failed login for an unknown username took twice as long as for an existing one.
    dummy = current_app.extensions.get("caseflow_dummy_hash")
    if dummy is None:
        dummy = current_app.extensions["caseflow_dummy_hash"] = _hasher().hash("caseflow-dummy-password")
    verify_password(dummy, password)
