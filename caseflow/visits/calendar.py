"""The iCalendar feed of a person's visits: case code, kind and time, nothing about her."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar, Event
from sqlalchemy import select

from caseflow.cases.models import Case
from caseflow.core.clock import utcnow
from caseflow.extensions import db
from caseflow.visits.models import Visit

PAST = timedelta(days=30)
KIND_LABELS = {"mentor_accompaniment": "mentor visit", "psychological_followup": "psychological follow-up"}


def visits_calendar(user) -> bytes:
    now = utcnow()
    calendar = Calendar()
    calendar.add("prodid", "-//caseflow//visits//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "caseflow visits")
    rows = db.session.execute(
        select(Visit.id, Visit.kind, Visit.status, Visit.window_start, Visit.window_end, Visit.updated_at, Case.code)
        .join(Case, Case.id == Visit.case_id)
        .where(Visit.assignee_id == user.id, Visit.status.in_(("planned", "done", "missed")),
               Visit.window_end >= now - PAST)
        .order_by(Visit.window_start).limit(2000)
    )
    for row in rows:
        event = Event()
        event.add("uid", f"{row.id}@caseflow")
        event.add("dtstamp", row.updated_at)
        event.add("dtstart", row.window_start)
        event.add("dtend", row.window_end)
        event.add("summary", f"{row.code} · {KIND_LABELS.get(row.kind, row.kind)}")
        event.add("status", "CONFIRMED")
        if row.status != "planned":
            event.add("description", row.status)
        calendar.add_component(event)
    return calendar.to_ical()
