"""A centre with its people, cases and visit plans, for visit and scheduler tests."""

from __future__ import annotations

from datetime import date, datetime, timezone

from caseflow.core.acting import acting_as
from caseflow.core.clock import frozen_time
from caseflow.extensions import db
from testkit.factories import VISITING_PEOPLE, Centre, make_case, make_survivor

#: 09:00 in Lima on Monday 2 March 2026.
MONDAY = datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)
MONDAY_DATE = date(2026, 3, 2)

CANARIES = {
    "given_names": "Canarynombre Zqx",
    "family_names": "Canaryapellido Wvk",
    "alias": "Canaryalias Jpt",
    "address": "Calle Canarydireccion 4471",
    "phone": "+51 977 123 456",
    "safe_contact": "Canarycontacto solo tardes",
    "document_number": "48123457",
}
NOTES_CANARY = "Canarynotas de la visita"


def make_centre() -> Centre:
    return Centre(VISITING_PEOPLE)


def make_case_at(centre: Centre, *, risk_level: str | None = None, at: datetime = MONDAY, **survivor_values):
    with frozen_time(at):
        survivor = make_survivor(centre.caseworker, **survivor_values) if survivor_values else None
        case = make_case(centre.caseworker, survivor=survivor)
    if risk_level:
        case.risk_level = risk_level
        db.session.commit()
    return case


def make_plan(centre: Centre, case, *, at: datetime = MONDAY, assignee=None, kind="mentor_accompaniment",
              starts_on: date = MONDAY_DATE, **options):
    from caseflow.visits.services import create_plan

    with frozen_time(at), acting_as(centre.caseworker):
        plan = create_plan(case, assignee_id=(assignee or centre.mentor).id, kind=kind, starts_on=starts_on,
                           now=at, **options)
        db.session.commit()
    return plan
