"""Settings read from the environment, per ``CASEFLOW_ENV``.

Every setting of the public contract is read here and nowhere else, so that an operator can
find in one file what the service listens to.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ENVIRONMENTS = ("development", "production", "testing")
#: The contract's roles (caseflow.directory.models.ROLES; settings import no model).
ROLES = ("admin", "supervisor", "caseworker", "mentor", "psychologist", "liaison")


class ConfigError(RuntimeError):
    """A setting is missing or unsafe; the message is one line an operator can act on."""


@dataclass(frozen=True)
class Settings:
    env: str
    instance_path: Path

    @classmethod
    def from_environ(cls, environ=os.environ, instance_path: Path | None = None) -> "Settings":
        env = environ.get("CASEFLOW_ENV", "development")
        if env not in ENVIRONMENTS:
            raise ConfigError(f"CASEFLOW_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
        return cls(env=env, instance_path=instance_path or Path.cwd() / "instance")


def build_config(environ=os.environ, instance_path: Path | None = None) -> dict:
    """Return the Flask config mapping for the current environment."""
    settings = Settings.from_environ(environ, instance_path)
    instance = settings.instance_path
    default_db = f"sqlite:///{instance / 'caseflow.db'}"
    config = {
        "CASEFLOW_ENV": settings.env,
        "TESTING": settings.env == "testing",
        "SECRET_KEY": environ.get("CASEFLOW_SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            environ.get("CASEFLOW_DATABASE_URL", default_db)
        ),
        # hide_parameters: a database error never writes the statement's values (password
        # hashes, ciphertexts, usernames) to the log or into an exception's text.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "CASEFLOW_KEYRING_FILE": environ.get(
            "CASEFLOW_KEYRING_FILE", str(instance / "keyring.json")
        ),
        "CASEFLOW_KEYRING": environ.get("CASEFLOW_KEYRING"),
        # The scheduler appends the audit chain's head here on each pass (docs/operations.md).
        "CASEFLOW_AUDIT_ANCHOR_FILE": environ.get(
            "CASEFLOW_AUDIT_ANCHOR_FILE", str(instance / "audit-anchors.log")
        ),
        "CASEFLOW_TIMEZONE": environ.get("CASEFLOW_TIMEZONE", "America/Lima"),
        "CASEFLOW_LOCALE": environ.get("CASEFLOW_LOCALE", "es"),
        # Codes of organizations whose supervisors oversee every centre (overdue referrals
        # and referral reports, never case content); see access.policy.is_national_supervisor.
        "CASEFLOW_NATIONAL_ORGANIZATIONS": tuple(
            code.strip().upper() for code in environ.get("CASEFLOW_NATIONAL_ORGANIZATIONS", "").split(",")
            if code.strip()
        ),
        # Statistics (docs/statistics.md): counts above 0 and below the threshold are hidden;
        # incidents count only with her consent to statistical use unless "administrative".
        "CASEFLOW_SMALL_CELL_THRESHOLD": int(environ.get("CASEFLOW_SMALL_CELL_THRESHOLD", "5")),
        "CASEFLOW_STATISTICS_CONSENT": environ.get("CASEFLOW_STATISTICS_CONSENT", "consent").strip().lower(),
        # Training sessions a mentor attends before she is assigned visits (Programa Aurora: 10).
        "CASEFLOW_MENTOR_TRAINING_SESSIONS": int(environ.get("CASEFLOW_MENTOR_TRAINING_SESSIONS", "10")),
        # Hours a visitor's phone keeps her encrypted visit list and unsent visit logs
        # (docs/security.md, "A visitor's phone"); then the page wipes them.
        "CASEFLOW_FIELD_CACHE_HOURS": int(environ.get("CASEFLOW_FIELD_CACHE_HOURS", "12")),
        # Bits kept of each blind-index HMAC: few enough that every index value is shared by
        # a handful of survivors at the expected population (2**16 buckets for ~100,000).
        "CASEFLOW_BLIND_INDEX_BITS": int(environ.get("CASEFLOW_BLIND_INDEX_BITS", "16")),
        "CASEFLOW_TOKEN_TTL_HOURS": int(environ.get("CASEFLOW_TOKEN_TTL_HOURS", "12")),
        "CASEFLOW_SESSION_TTL_HOURS": int(environ.get("CASEFLOW_SESSION_TTL_HOURS", "8")),
        # A cookie session ends after this long without a request (shared computers).
        "CASEFLOW_SESSION_IDLE_MINUTES": int(environ.get("CASEFLOW_SESSION_IDLE_MINUTES", "30")),
        # Roles that must have a second factor: every role in production, none elsewhere
        # unless set (development and tests enrol by choice).
        "CASEFLOW_MFA_REQUIRED_ROLES": _roles(environ.get(
            "CASEFLOW_MFA_REQUIRED_ROLES", ",".join(ROLES) if settings.env == "production" else "")),
        # argon2id parameters (RFC 9106 second recommended option); tests lower them.
        "CASEFLOW_ARGON2_TIME_COST": int(environ.get("CASEFLOW_ARGON2_TIME_COST", "3")),
        "CASEFLOW_ARGON2_MEMORY_KIB": int(environ.get("CASEFLOW_ARGON2_MEMORY_KIB", "65536")),
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "SESSION_COOKIE_NAME": "caseflow_session",
        "PERMANENT_SESSION_LIFETIME": timedelta(
            hours=int(environ.get("CASEFLOW_SESSION_TTL_HOURS", "8"))
        ),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Strict",
        "SESSION_COOKIE_SECURE": settings.env == "production",
        "JSON_SORT_KEYS": False,
        # Scheduler and visits (see docs/scheduling.md)
        "CASEFLOW_SCHEDULER_INTERVAL_SECONDS": int(environ.get("CASEFLOW_SCHEDULER_INTERVAL_SECONDS", "60")),
        "CASEFLOW_SCHEDULER_BATCH_SIZE": int(environ.get("CASEFLOW_SCHEDULER_BATCH_SIZE", "500")),
        "CASEFLOW_VISIT_HORIZON_DAYS": int(environ.get("CASEFLOW_VISIT_HORIZON_DAYS", "28")),
        "CASEFLOW_REMINDER_LEAD_HOURS": int(environ.get("CASEFLOW_REMINDER_LEAD_HOURS", "24")),
        "CASEFLOW_VISIT_GRACE_HOURS": int(environ.get("CASEFLOW_VISIT_GRACE_HOURS", "24")),
        "CASEFLOW_NO_CONTACT_DAYS": int(environ.get("CASEFLOW_NO_CONTACT_DAYS", "30")),
        # Receiving organizations are reminded this long before a referral deadline.
        "CASEFLOW_REFERRAL_WARNING_HOURS": int(environ.get("CASEFLOW_REFERRAL_WARNING_HOURS", "6")),
        # Email of reminders and escalations: only when a host is set.
        "CASEFLOW_SMTP_HOST": environ.get("CASEFLOW_SMTP_HOST") or None,
        "CASEFLOW_SMTP_PORT": int(environ.get("CASEFLOW_SMTP_PORT", "587")),
        "CASEFLOW_SMTP_USERNAME": environ.get("CASEFLOW_SMTP_USERNAME") or None,
        "CASEFLOW_SMTP_PASSWORD": environ.get("CASEFLOW_SMTP_PASSWORD") or None,
        "CASEFLOW_SMTP_FROM": environ.get("CASEFLOW_SMTP_FROM", "caseflow@localhost"),
        "CASEFLOW_SMTP_STARTTLS": environ.get("CASEFLOW_SMTP_STARTTLS", "1") not in ("0", "false", "no"),
        "CASEFLOW_SMTP_MAX_ATTEMPTS": int(environ.get("CASEFLOW_SMTP_MAX_ATTEMPTS", "5")),
        # flask-smorest / OpenAPI
        "API_TITLE": "caseflow",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
    }
    if settings.env == "development" and not config["SECRET_KEY"]:
        # A development-only key; production refuses to start without its own.
        config["SECRET_KEY"] = "caseflow-development-only-not-secret"
    if settings.env == "testing":
        config["CASEFLOW_ARGON2_TIME_COST"] = 1
        config["CASEFLOW_ARGON2_MEMORY_KIB"] = 64
    return config


def _roles(text: str) -> frozenset[str]:
    roles = frozenset(role.strip() for role in text.split(",") if role.strip())
    unknown = roles - set(ROLES)
    if unknown:
        raise ConfigError(f"CASEFLOW_MFA_REQUIRED_ROLES: unknown role(s) {', '.join(sorted(unknown))}")
    return roles


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever spelling the operator gave."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def check_production_ready(config: dict) -> None:
    """Refuse to serve real data with development secrets or no keys."""
    if config["CASEFLOW_ENV"] != "production":
        return
    if not config.get("SECRET_KEY"):
        raise ConfigError("CASEFLOW_SECRET_KEY is required in production")
    if len(config["SECRET_KEY"]) < 32:
        raise ConfigError("CASEFLOW_SECRET_KEY must be at least 32 characters in production")
    if not config.get("CASEFLOW_KEYRING"):
        path = Path(config["CASEFLOW_KEYRING_FILE"])
        if not path.is_file():
            raise ConfigError(
                f"no keyring: set CASEFLOW_KEYRING_FILE (missing: {path}) or CASEFLOW_KEYRING"
            )
        if path.stat().st_mode & 0o077:
            raise ConfigError(f"keyring file {path} must be readable by its owner only (chmod 600)")
