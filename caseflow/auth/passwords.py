"""argon2id password hashing, with parameters from the settings, and the one password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext
from zxcvbn import zxcvbn

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
#: zxcvbn's scale: 3 is "safely unguessable" against an online attack with throttling and
#: good against a slow offline one (about 10^8 guesses); 0–2 are refused.
MIN_PASSWORD_SCORE = 3
#: zxcvbn looks at the first characters only (its matching is quadratic in the length); it
#: raises ValueError past its own ``max_length`` (72 by default), told here to take these.
_CHECKED_PREFIX = 100

TOO_SHORT = lazy_gettext("Use at least 12 characters.")
TOO_LONG = lazy_gettext("Use at most 200 characters.")
#: Her reason, by zxcvbn's kind of weakness (its own words are English only).
REPEATS = lazy_gettext("Repeated characters or words are easy to guess; choose a longer, less regular phrase.")
SEQUENCE = lazy_gettext("Sequences such as abc or 1234 are easy to guess; choose a longer, less regular phrase.")
COMMON = lazy_gettext("This password is one of the most common ones; choose another.")
PERSONAL = lazy_gettext("A password built from your name or username is easy to guess; choose another.")
GUESSABLE = lazy_gettext("This password is easy to guess; add a few unrelated words.")


def password_problem(password: str, personal: tuple[str, ...] = ()) -> str | None:
    """Why this password is refused, in her language, or None when it is good enough.

    The one policy for every way a password is chosen (activation, a change, the operator's
    CLI). ``personal`` are words about her (username, name) that make it guessable.
    """
    if len(password) < MIN_PASSWORD_LENGTH or not password.strip():
        return str(TOO_SHORT) if len(password) < MIN_PASSWORD_LENGTH else str(REPEATS)
    if len(password) > MAX_PASSWORD_LENGTH:
        return str(TOO_LONG)
    result = zxcvbn(password[:_CHECKED_PREFIX], user_inputs=[word for word in personal if word],
                    max_length=_CHECKED_PREFIX)
    if result["score"] >= MIN_PASSWORD_SCORE:
        return None
    patterns = {match.get("pattern") for match in result.get("sequence", ())}
    dictionaries = {match.get("dictionary_name") for match in result.get("sequence", ())}
    if "user_inputs" in dictionaries:
        return str(PERSONAL)
    if "passwords" in dictionaries or "similar to a commonly used" in result["feedback"]["warning"]:
        return str(COMMON)
    if "repeat" in patterns:
        return str(REPEATS)
    if "sequence" in patterns or "spatial" in patterns:
        return str(SEQUENCE)
    return str(GUESSABLE)


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["CASEFLOW_ARGON2_TIME_COST"], memory_cost=config["CASEFLOW_ARGON2_MEMORY_KIB"], parallelism=1
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        burn_verification(password)  # an account not yet activated has no password
        return False
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
    try:
        _hasher().verify(dummy, password)
    except (VerificationError, InvalidHashError):
        pass
