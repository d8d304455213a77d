"""The iCalendar feed of a person's visits: case code, kind and time, nothing about her; in
the request's language (Spanish unless the calendar asks for English), a visit missed,
rescheduled or cancelled marked ``STATUS:CANCELLED`` so calendars strike it out."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext, lazy_gettext
from icalendar import Calendar, Event
from sqlalchemy import select

from caseflow.cases.models import Case
from caseflow.core.clock import utcnow
from caseflow.extensions import db
from caseflow.visits.models import Visit

PAST = timedelta(days=30)
KIND_LABELS = {"mentor_accompaniment": lazy_gettext("mentor visit"),
               "psychological_followup": lazy_gettext("psychological follow-up")}
STATUS_LABELS = {"done": lazy_gettext("done"), "missed": lazy_gettext("missed"),
                 "rescheduled": lazy_gettext("rescheduled"), "cancelled": lazy_gettext("cancelled")}
#: Shown struck out: the visit will not take place at that time.
NOT_TAKING_PLACE = ("missed", "rescheduled", "cancelled")


def visits_calendar(user) -> bytes:
    now = utcnow()
    calendar = Calendar()
    calendar.add("prodid", "-//caseflow//visits//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", gettext("caseflow visits"))
    rows = db.session.execute(
        select(Visit.id, Visit.kind, Visit.status, Visit.window_start, Visit.window_end, Visit.updated_at, Case.code)
        .join(Case, Case.id == Visit.case_id)
        .where(Visit.assignee_id == user.id, Visit.status.in_(("planned", "done", *NOT_TAKING_PLACE)),
               Visit.window_end >= now - PAST)
        .order_by(Visit.window_start).limit(2000)
    )
    for row in rows:
        event = Event()
        event.add("uid", f"{row.id}@caseflow")
        event.add("dtstamp", row.updated_at)
        event.add("dtstart", row.window_start)
        event.add("dtend", row.window_end)
        kind = KIND_LABELS.get(row.kind)
        event.add("summary", f"{row.code} · {kind if kind is not None else row.kind}")
        event.add("status", "CANCELLED" if row.status in NOT_TAKING_PLACE else "CONFIRMED")
        if row.status != "planned":
            event.add("description", str(STATUS_LABELS.get(row.status, row.status)))
        calendar.add_component(event)
    return calendar.to_ical()
