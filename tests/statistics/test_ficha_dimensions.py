"""The Ficha's columns in statistics, hand-counted through the API: the place of violence by
department, province and district (national oversight only), her mother tongue, ethnicity
and disability, the case's condition; incidents count only with her consent unless the
deployment counts administratively; Aurora's accompaniment split by complaint filed."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from caseflow.extensions import db
from caseflow.visits.models import Visit
from testkit.api import ago, get, incident_body, patch, post
from testkit.factories import Centre, OrganizationFactory, UserFactory, make_case, make_survivor
from testkit.world import today

#: (place, consent, mother tongue, ethnicity): 4 consented in Yanacancha (Pasco), 3 consented
#: in Chaupimarca (Pasco), 3 consented in Lima (Lima), 2 without consent in Lima.
SPECS = ([("190113", True, "quechua", "quechua")] * 4 + [("190101", True, "spanish", "mestizo")] * 3
         + [("150101", True, "spanish", "mestizo")] * 3 + [("150101", False, "aimara", "aimara")] * 2)


@pytest.fixture
def centre(app, client):
    app.config.update(CASEFLOW_SMALL_CELL_THRESHOLD=3, CASEFLOW_NATIONAL_ORGANIZATIONS=("MIMP-NAC",),
                      CASEFLOW_STATISTICS_CONSENT="consent")
    centre = Centre()
    for place, consent, tongue, ethnicity in SPECS:
        survivor = make_survivor(centre.admission, mother_tongue=tongue, ethnicity=ethnicity, disability="none")
        case = make_case(centre.admission, survivor=survivor)
        response = post(client, centre.admission, f"/cases/{case.id}/incidents", incident_body(
            occurred_at=ago(days=1), place_ubigeo=place, consent_for_statistics=consent))
        assert response.status_code == 201, response.get_json()
    centre.national = UserFactory(role="supervisor", organization=OrganizationFactory(sector="cem", code="MIMP-NAC"),
                                  discipline=None)
    return centre


def _rows(client, user, query, dimension):
    body = get(client, user, f"/statistics/incidents?{query}").get_json()
    return {row[dimension]: row["count"] for row in body["rows"]}, body


def test_place_dimensions_from_the_incidents_ubigeo(client, centre):
    districts, body = _rows(client, centre.national, "by=district", "district")
    assert districts == {"190113": 4, "190101": 3, "150101": 3} and body["total"] == 10
    provinces, _ = _rows(client, centre.national, "by=province", "province")
    assert provinces == {"1901": 7, "1501": 3}
    departments, _ = _rows(client, centre.national, "by=department", "department")
    assert departments == {"19": 7, "15": 3}
    catalogue = get(client, centre.national, "/statistics").get_json()
    dimensions = {d["name"]: d for i in catalogue["items"] if i["name"] == "incidents" for d in i["dimensions"]}
    for name in ("department", "province", "district", "mother_tongue", "ethnicity", "disability", "condition"):
        assert dimensions[name]["available"], name
    # A centre's supervisor does not break down by place (the few women of a rural district).
    assert get(client, centre.supervisor, "/statistics/incidents?by=district").status_code == 403


def test_incidents_count_with_her_consent_unless_administrative(client, app, centre):
    tongues, body = _rows(client, centre.supervisor, "by=mother_tongue", "mother_tongue")
    assert body["total"] == 10 and tongues == {"quechua": 4, "spanish": 6}  # the two without consent: not counted
    app.config.update(CASEFLOW_STATISTICS_CONSENT="administrative")
    tongues, body = _rows(client, centre.supervisor, "by=mother_tongue", "mother_tongue")
    assert body["total"] == 12
    assert tongues["aimara"] is None  # 2, below the threshold: hidden (with a complement)
    app.config.update(CASEFLOW_STATISTICS_CONSENT="consent")
    ethnicities, _ = _rows(client, centre.supervisor, "by=ethnicity", "ethnicity")
    assert ethnicities == {"quechua": 4, "mestizo": 6}
    disability, _ = _rows(client, centre.supervisor, "by=disability", "disability")
    assert disability == {"none": 10}
    conditions, _ = _rows(client, centre.supervisor, "by=condition", "condition")
    assert conditions == {"nuevo": 10}


def test_a_withdrawn_consent_takes_her_incident_out_of_the_counts(client, centre):
    from caseflow.incidents.models import Incident

    consented = db.session.scalars(select(Incident.id).where(Incident.consent_for_statistics.is_(True))).all()
    for incident_id in consented[:1]:
        assert patch(client, centre.admission, f"/incidents/{incident_id}",
                     {"consent_for_statistics": False}).status_code == 200
    _tongues, body = _rows(client, centre.supervisor, "by=mother_tongue", "mother_tongue")
    assert body["total"] == 9


def test_accompaniment_splits_women_by_complaint_filed(client, app):
    app.config.update(CASEFLOW_MENTOR_TRAINING_SESSIONS=0, CASEFLOW_SMALL_CELL_THRESHOLD=1,
                      CASEFLOW_NATIONAL_ORGANIZATIONS=())
    centre = Centre()
    mentor = UserFactory(role="mentor", organization=centre.org, discipline=None)
    psychologist = UserFactory(role="psychologist", organization=centre.org, discipline=None)

    def visited(visitor, kind, complaint, place):
        case = centre.case()
        if complaint is not None:
            assert patch(client, centre.admission, f"/cases/{case.id}", {"complaint_filed": complaint}).status_code == 200
        assert post(client, centre.admission, f"/cases/{case.id}/incidents",
                    incident_body(place_ubigeo=place)).status_code == 201
        plan = post(client, centre.admission, f"/cases/{case.id}/visit-plans", {
            "assignee_id": str(visitor.id), "kind": kind, "starts_on": today(), "count": 1})
        assert plan.status_code == 201, plan.get_json()
        visit = db.session.scalars(select(Visit).where(Visit.plan_id == uuid.UUID(plan.get_json()["id"]))).first()
        logged = post(client, visitor, f"/visits/{visit.id}/log", {
            "outcome": "done", "happened_at": ago(minutes=5), "modality": "home_visit", "notes": "Visita."})
        assert logged.status_code == 201, logged.get_json()

    visited(mentor, "mentor_accompaniment", "yes", "190113")
    visited(mentor, "mentor_accompaniment", "yes", "190101")
    visited(mentor, "mentor_accompaniment", "unknown", "190101")  # not known to have reported: not this line
    visited(psychologist, "psychological_followup", "no", "190113")
    visited(psychologist, "psychological_followup", None, "190113")  # unknown: she did not report, as far as known
    visited(psychologist, "psychological_followup", "yes", "190113")  # she reported: not this line
    body = get(client, centre.supervisor, "/reports/accompaniment").get_json()
    assert body["complaint_filed_recorded"] is True and body["by_district_available"] is True
    assert body["accompanied_by_mentors"] == 2 and body["accompanied_by_psychologists"] == 2
    districts = {row["district"]: row["count"] for row in body["by_district"]["accompanied_by_mentors"]}
    assert districts == {"190113": 1, "190101": 1}
    districts = {row["district"]: row["count"] for row in body["by_district"]["accompanied_by_psychologists"]}
    assert districts == {"190113": 2}
