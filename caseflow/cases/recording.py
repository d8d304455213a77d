"""Shared rules for records written on a case (incidents, sessions, plan items...)."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext

from caseflow.cases import signals
from caseflow.cases.models import Case
from caseflow.core.clock import (  # noqa: F401  (local_*, no_contact_days: used by casework)
    age_on,
    local_date,
    local_zone,
    no_contact_days,
    utcnow,
)
from caseflow.core.errors import field_error

#: Clients' clocks drift; a time a minute ahead of ours is still "now".
CLOCK_SKEW_SECONDS = 120


def not_in_future(field: str, moment: datetime) -> None:
    if (moment - utcnow()).total_seconds() > CLOCK_SKEW_SECONDS:
        raise field_error(field, lazy_gettext("Must not be in the future."))


def touch_contact(case: Case, at: datetime) -> None:
    """She was reached at ``at``: the no-contact clock starts again."""
    if case.last_contact_at is None or at > case.last_contact_at:
        case.last_contact_at = at
        signals.contact_made.send(case, at=at)


def survivor_age_on(case: Case, on: date) -> int | None:
    """Her age on ``on`` from her birth date (a read of an encrypted field, audited)."""
    survivor = case.survivor
    if survivor.erased:
        return None
    return age_on(survivor.birth_date, on)
