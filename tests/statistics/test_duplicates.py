"""The same incident reported at two centres counts once (docs/statistics.md, de-duplication),
against hand-counted incidents recorded through the API."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

from sqlalchemy import update

from caseflow.core.clock import local_zone, utcnow
from caseflow.extensions import db
from caseflow.incidents.models import Incident
from testkit.api import get, incident_body, post
from testkit.factories import make_case, make_survivor

RAPE, PHYSICAL = {"penetration": True}, {"physical_assault": True}
DOCUMENT = "40918273"


def _local(days_ago: int, hour: int) -> str:
    day = utcnow().astimezone(local_zone()).date() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour), tzinfo=local_zone()).isoformat()


def incident(client, centre, survivor, acts, occurred_at):
    case = make_case(centre.admission, survivor=survivor)
    response = post(client, centre.admission, f"/cases/{case.id}/incidents",
                    incident_body(acts=acts, occurred_at=occurred_at))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def populate(client, world):
    """By hand (6 records, 4 incidents):
    A: her rape on day -3 at 10h; another woman's physical assault on day -3 (counted).
    B (her again, registered elsewhere): the same rape on day -3 at 16h (dropped: A's), a
       physical assault on day -3 (another type: counted), a rape on day -5 (another day: counted).
    C (her a third time): the same rape on day -3 (dropped).
    Counted: A 2, B 2, C 0."""
    a, b, c = world["a"], world["b"], world["c"]
    her_a = make_survivor(a.admission, document_number=DOCUMENT)
    her_b = make_survivor(b.admission, document_number=DOCUMENT)
    her_c = make_survivor(c.admission, document_number=DOCUMENT)
    assert not her_a.registered_elsewhere and her_b.registered_elsewhere and her_c.registered_elsewhere
    ids = {"a_rape": incident(client, a, her_a, RAPE, _local(3, 10))}
    incident(client, a, make_survivor(a.admission), PHYSICAL, _local(3, 10))
    ids["b_rape"] = incident(client, b, her_b, RAPE, _local(3, 16))
    incident(client, b, her_b, PHYSICAL, _local(3, 16))
    incident(client, b, her_b, RAPE, _local(5, 9))
    ids["c_rape"] = incident(client, c, her_c, RAPE, _local(3, 11))
    return ids


def test_an_incident_reported_at_three_centres_counts_once(client, world):
    populate(client, world)
    body = get(client, world["national"], "/statistics/incidents?by=centre").get_json()
    assert body["total"] == 4
    by_centre = {r["centre"]: r["count"] for r in body["rows"]}
    assert by_centre == {world["a"].org.code: 2, world["b"].org.code: 2}
    body = get(client, world["national"], "/statistics/incidents?by=gbv_type").get_json()
    assert {r["gbv_type"]: r["count"] for r in body["rows"]} == {"rape": 2, "physical_assault": 2}
    # Each centre sees what it counts: B's copy of A's report is not B's incident.
    assert get(client, world["b"].supervisor, "/statistics/incidents").get_json()["total"] == 2
    assert get(client, world["c"].supervisor, "/statistics/incidents").get_json()["total"] == 0


def test_women_with_other_documents_are_never_merged(client, world):
    a, b = world["a"], world["b"]
    # Same day, same type, two centres, two different women (neither registered elsewhere).
    incident(client, a, make_survivor(a.admission), RAPE, _local(3, 10))
    incident(client, b, make_survivor(b.admission), RAPE, _local(3, 10))
    # Her without a document: nothing to recognise her by.
    incident(client, a, make_survivor(a.admission, document_type="NONE", document_number=None), RAPE, _local(3, 10))
    assert get(client, world["national"], "/statistics/incidents").get_json()["total"] == 3


def test_the_report_that_does_not_count_does_not_drop_the_other(client, app, world):
    ids = populate(client, world)
    app.config.update(CASEFLOW_STATISTICS_CONSENT="consent")
    db.session.execute(update(Incident).values(consent_for_statistics=True))
    # A's report has no consent: B's report of the same rape counts instead (C's still drops: B's).
    db.session.execute(update(Incident).where(Incident.id == uuid.UUID(ids["a_rape"])).values(consent_for_statistics=False))
    db.session.commit()
    body = get(client, world["national"], "/statistics/incidents?by=centre").get_json()
    assert {r["centre"]: r["count"] for r in body["rows"]} == {world["a"].org.code: 1, world["b"].org.code: 3}
