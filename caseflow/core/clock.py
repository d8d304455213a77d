"""The one place the current time comes from, so tests and the scheduler can inject it."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app

_frozen: datetime | None = None


def utcnow() -> datetime:
    return _frozen if _frozen is not None else datetime.now(timezone.utc)


class frozen_time:
    """Context manager that pins ``utcnow`` (tests, ``scheduler tick --now``)."""

    def __init__(self, at: datetime):
        if at.tzinfo is None:
            raise ValueError("frozen time must be timezone-aware")
        self.at = at.astimezone(timezone.utc)

    def __enter__(self):
        global _frozen
        self._previous, _frozen = _frozen, self.at
        return self.at

    def __exit__(self, *exc):
        global _frozen
        _frozen = self._previous


def age_on(birth_date: date | None, on: date) -> int | None:
    """Her age in whole years on ``on`` (None when the birth date is unknown or later)."""
    if birth_date is None or birth_date > on:
        return None
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def no_contact_days() -> int:
    """Days without contact after which an open case is a closure candidate and its
    supervisors are told (``CASEFLOW_NO_CONTACT_DAYS``, 30 by default): the one place
    that rule is read, by the case list, the closure checklist, the scan and the words
    that name it."""
    return current_app.config["CASEFLOW_NO_CONTACT_DAYS"]


def local_zone_name() -> str:
    """The deployment's time zone (``CASEFLOW_TIMEZONE``), for display and local dates: the
    one place it is read."""
    return current_app.config.get("CASEFLOW_TIMEZONE", "America/Lima")


def local_zone() -> ZoneInfo:
    return ZoneInfo(local_zone_name())


def local_date(moment: datetime, zone: str | None = None) -> date:
    """The calendar day ``moment`` falls on in ``zone`` (the deployment's by default)."""
    return moment.astimezone(ZoneInfo(zone) if zone else local_zone()).date()
