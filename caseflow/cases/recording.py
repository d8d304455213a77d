"""Shared rules for records written on a case (incidents, sessions, plan items...)."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from flask_babel import lazy_gettext

from caseflow.cases import signals
from caseflow.cases.models import Case
from caseflow.core.clock import age_on, local_date, local_zone, utcnow  # noqa: F401  (local_*: used by casework)
from caseflow.core.errors import field_error

#: Clients' clocks drift; a time a minute ahead of ours is still "now".
CLOCK_SKEW_SECONDS = 120


def not_in_future(field: str, moment: datetime) -> None:
    if (moment - utcnow()).total_seconds() > CLOCK_SKEW_SECONDS:
        raise field_error(field, lazy_gettext("Must not be in the future."))


def no_contact_days() -> int:
    """Days without contact after which an open case is a closure candidate and its
    supervisors are told (``CASEFLOW_NO_CONTACT_DAYS``, 30 by default): the one place
    that rule is read."""
    return current_app.config["CASEFLOW_NO_CONTACT_DAYS"]


def touch_contact(case: Case, at: datetime) -> None:
    """She was reached at ``at``: the 30-day no-contact clock starts again."""
    if case.last_contact_at is None or at > case.last_contact_at:
        case.last_contact_at = at
        signals.contact_made.send(case, at=at)


def survivor_age_on(case: Case, on: date) -> int | None:
    """Her age on ``on`` from her birth date (a read of an encrypted field, audited)."""
    survivor = case.survivor
    if survivor.erased:
        return None
    return age_on(survivor.birth_date, on)
