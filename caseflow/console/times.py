"""Times on the console's pages: the API answers in UTC (ISO 8601); a person reads the
centre's wall time (``core.clock.local_zone``), written as her language writes it."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

from babel.dates import format_date, format_time
from flask_babel import get_locale

from caseflow.core.clock import local_zone

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")


def local_time(value) -> str:
    """A time as the centre's date and time to the minute (a date alone as a date), in her
    language: ``2 dic 2026 9:15`` / ``Dec 2, 2026 9:15 AM``. Nothing is "—"; a value that is
    not a time (free text shown through the same macro) is shown unchanged."""
    if value is None or value == "":
        return "—"
    moment = value
    if isinstance(value, str):
        if not _ISO.match(value):
            return value
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00")) if len(value) > 10 else \
                date.fromisoformat(value)
        except ValueError:
            return value
    locale = str(get_locale() or "es")
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        local = moment.astimezone(local_zone())
        return f"{format_date(local.date(), 'medium', locale=locale)} {format_time(local, 'short', locale=locale)}"
    if isinstance(moment, date):
        return format_date(moment, "medium", locale=locale)
    return str(value)
