"""Indicators against hand-counted records made through the API; who sees what; CSV; audit."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from sqlalchemy import select

from caseflow.audit.models import AuditEntry
from caseflow.extensions import db
from testkit.api import ago, get, incident_body, post
from testkit.factories import Centre, OrganizationFactory, UserFactory
from tests.helpers import assert_error


@pytest.fixture
def centre(app):
    app.config.update(CASEFLOW_STATISTICS_CONSENT="administrative", CASEFLOW_SMALL_CELL_THRESHOLD=3)
    return Centre()


def record_incidents(client, centre, specs):
    """specs: (acts, relationship, age, intake_channel), one case and incident each."""
    for acts, relationship, age, channel in specs:
        case = centre.case(intake_channel=channel)
        response = post(client, centre.admission, f"/cases/{case.id}/incidents", incident_body(
            acts=acts, perpetrator_relationship=relationship, survivor_age=age, occurred_at=ago(days=1)))
        assert response.status_code == 201, response.get_json()


RAPE, PHYSICAL = {"penetration": True}, {"physical_assault": True}


def populate(client, centre):
    # By hand: rape 1 (partner, 16) ; physical 6 (partner 4, family 2); ages 30 x5, 50 x1.
    record_incidents(client, centre, [
        (RAPE, "partner", 16, "police"),
        *[(PHYSICAL, "partner", 30, "walk_in")] * 4,
        (PHYSICAL, "family", 30, "walk_in"),
        (PHYSICAL, "family", 50, "linea_100"),
    ])


def test_incidents_by_type_and_ages_hand_counted(client, centre):
    populate(client, centre)
    body = get(client, centre.supervisor, "/statistics/incidents?by=gbv_type").get_json()
    assert body["indicator"] == "incidents" and body["threshold"] == 3 and body["scope"] == "centre"
    rows = {r["gbv_type"]: r for r in body["rows"]}
    # rape = 1 is below 3: hidden, and physical (6) with it, or 1 = 7 - 6.
    assert rows["rape"] == {"gbv_type": "rape", "count": None, "suppressed": True}
    assert rows["physical_assault"]["count"] is None and rows["physical_assault"]["suppressed"]
    assert body["total"] == 7

    body = get(client, centre.supervisor, "/statistics/incidents?by=age_group_mimp").get_json()
    rows = {r["age_group_mimp"]: r["count"] for r in body["rows"]}
    assert rows["age_26_35"] == 5
    assert rows["age_12_17"] is None and rows["age_46_59"] is None  # 1 and 1: both primary
    body = get(client, centre.supervisor, "/statistics/incidents?by=age_group").get_json()
    assert {r["age_group"]: r["count"] for r in body["rows"]}["age_26_40"] == 5


def test_two_dimensions_hide_no_count_its_lines_would_give(client, centre):
    populate(client, centre)
    body = get(client, centre.supervisor, "/statistics/incidents?by=gbv_type,perpetrator_relationship").get_json()
    cells = {(r["gbv_type"], r["perpetrator_relationship"]): r for r in body["rows"]}
    # 1 and 2 are hidden; with every margin hidden too (its one-way tables hide them), the
    # 4 and the 0 shown and the total (7) leave rape/partner + physical/family = 3, not each.
    assert cells[("rape", "partner")]["count"] is None and cells[("physical_assault", "family")]["count"] is None
    assert cells[("physical_assault", "partner")]["count"] == 4 and body["total"] == 7
    assert cells[("rape", "family")] == {"gbv_type": "rape", "perpetrator_relationship": "family",
                                         "count": 0, "suppressed": False}


def test_cases_by_intake_channel_and_csv(client, centre):
    populate(client, centre)
    response = client.get("/api/v1/statistics/cases?by=intake_channel",
                          headers={**_bearer(centre.supervisor), "Accept": "text/csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    by_channel = {row["intake_channel"]: row for row in table}
    assert by_channel["walk_in"]["count"] == "5"
    assert by_channel["police"]["count"] == "" and by_channel["police"]["suppressed"] == "True"
    assert by_channel["total"]["count"] == "7"


def _bearer(user):
    from testkit.api import bearer

    return bearer(user)


def test_consent_rule_counts_only_incidents_with_her_consent(client, app, centre):
    populate(client, centre)
    app.config.update(CASEFLOW_STATISTICS_CONSENT="consent")
    body = get(client, centre.supervisor, "/statistics/incidents").get_json()
    from caseflow.incidents.models import Incident

    if not hasattr(Incident, "consent_for_statistics"):
        assert body["total"] is None or body["total"] == 0  # nothing recorded her consent yet
    else:
        consented = db.session.scalar(select(db.func.count()).where(Incident.consent_for_statistics.is_(True)))
        assert body["total"] == (consented if consented == 0 or consented >= 3 else None)


def test_bad_dimension_or_dates_are_422_and_others_are_refused(client, centre):
    assert_error(get(client, centre.supervisor, "/statistics/incidents?by=name"), 422, "by")
    assert_error(get(client, centre.supervisor, "/statistics/incidents?by=sector"), 422, "by")
    assert_error(get(client, centre.supervisor, "/statistics/incidents?by=gbv_type,sex,month"), 422, "by")
    assert_error(get(client, centre.supervisor, "/statistics/incidents?from=2026-13-01"), 422)
    assert_error(get(client, centre.supervisor, "/statistics/incidents?from=2026-05-02&to=2026-05-01"), 422)
    assert_error(get(client, centre.supervisor, "/statistics/nothing"), 404)
    assert_error(get(client, centre.admission, "/statistics"), 403)
    assert_error(get(client, centre.admission, "/statistics/incidents"), 403)
    assert_error(get(client, centre.supervisor, "/statistics/incidents?by=centre"), 403)


def test_a_centre_sees_its_own_and_national_oversight_sees_every_centre(client, app, centre):
    populate(client, centre)
    other = Centre()
    record_incidents(client, other, [(PHYSICAL, "partner", 30, "walk_in")] * 3)
    assert get(client, other.supervisor, "/statistics/incidents").get_json()["total"] == 3
    ministry = OrganizationFactory(sector="cem", code="MIMP-NACIONAL")
    app.config.update(CASEFLOW_NATIONAL_ORGANIZATIONS=("MIMP-NACIONAL",))
    national = UserFactory(role="supervisor", organization=ministry, discipline=None)
    body = get(client, national, "/statistics/incidents?by=centre").get_json()
    assert body["scope"] == "national" and body["total"] == 10
    assert sorted(r["count"] for r in body["rows"]) == [3, 7]


def test_periods_and_referral_dimensions(client, centre):
    populate(client, centre)
    body = get(client, centre.supervisor, "/statistics/incidents?by=year,month").get_json()
    assert sum(r["count"] or 0 for r in body["rows"]) in (7, 0) or body["total"] == 7
    body = get(client, centre.supervisor, "/statistics/incidents?by=violence_type").get_json()
    assert {r["violence_type"] for r in body["rows"]} == {"fisica", "psicologica"}
    body = get(client, centre.supervisor, "/statistics/referrals?by=sector,outcome").get_json()
    assert body["rows"] == [] and body["total"] in (0, None)
    body = get(client, centre.supervisor, "/statistics/compliance").get_json()
    assert body["rows"] == []


def test_every_statistics_request_is_audited_without_values(client, centre):
    populate(client, centre)
    get(client, centre.supervisor, "/statistics/incidents?by=gbv_type")
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "statistics")).all()[-1]
    assert entry.actor_id == centre.supervisor.id
    assert entry.detail["indicator"] == "incidents" and entry.detail["by"] == ["gbv_type"]
    assert "rows" not in entry.detail and "total" not in entry.detail


def test_catalogue_lists_indicators_and_unavailable_dimensions(client, centre):
    body = get(client, centre.supervisor, "/statistics").get_json()
    incidents = next(i for i in body["items"] if i["name"] == "incidents")
    names = {d["name"]: d for d in incidents["dimensions"]}
    assert {"gbv_type", "age_group", "age_group_mimp", "reporting_delay", "month", "district"} <= set(names)
    assert names["gbv_type"]["available"] and names["district"]["national_only"]
    assert not names["district"]["available"]  # a centre's supervisor: place is national oversight's


def test_type_of_violence_by_a_second_dimension_counts_each_incident_once_per_type(client, centre, app):
    """Several types per incident, and incidents with none: PostgreSQL counts them in one
    grouping-sets pass (a LEFT join of the list), SQLite in four statements; both must give
    the hand count, with no "unknown" line made of the incidents without a type."""
    app.config.update(CASEFLOW_SMALL_CELL_THRESHOLD=1)
    for types, acts, relationship, n in ((["fisica", "psicologica"], PHYSICAL, "partner", 3),
                                         (["sexual"], RAPE, "family", 2), ([], PHYSICAL, "partner", 2)):
        for _ in range(n):
            case = centre.case()
            response = post(client, centre.admission, f"/cases/{case.id}/incidents", incident_body(
                acts=acts, violence_types=types, perpetrator_relationship=relationship, occurred_at=ago(days=1)))
            assert response.status_code == 201, response.get_json()
    expected = {("fisica", "partner"): 3, ("psicologica", "partner"): 3, ("sexual", "family"): 2,
                ("fisica", "family"): 0, ("psicologica", "family"): 0, ("sexual", "partner"): 0}
    body = get(client, centre.supervisor, "/statistics/incidents?by=violence_type,perpetrator_relationship").get_json()
    assert {(r["violence_type"], r["perpetrator_relationship"]): r["count"] for r in body["rows"]} == expected
    assert body["total"] == 7
    body = get(client, centre.supervisor, "/statistics/incidents?by=perpetrator_relationship,violence_type").get_json()
    assert {(r["violence_type"], r["perpetrator_relationship"]): r["count"] for r in body["rows"]} == expected
    assert body["total"] == 7
    body = get(client, centre.supervisor, "/statistics/incidents?by=violence_type").get_json()
    assert {r["violence_type"]: r["count"] for r in body["rows"]} == {"fisica": 3, "psicologica": 3, "sexual": 2}
    assert body["total"] == 7


def test_type_of_violence_counts_a_list_written_otherwise_as_its_values(client, centre, app):
    """PostgreSQL counts the types by one flag per value of the vocabulary; a list written
    otherwise than through the API (a value twice, a value outside the vocabulary) must give
    what the expanded lists give: each incident once per distinct value, the unknown value a
    line of its own, on both databases."""
    from caseflow.incidents.models import Incident

    app.config.update(CASEFLOW_SMALL_CELL_THRESHOLD=1)
    ids = []
    for _ in range(3):
        case = centre.case()
        response = post(client, centre.admission, f"/cases/{case.id}/incidents", incident_body(
            acts=PHYSICAL, violence_types=["fisica"], perpetrator_relationship="partner", occurred_at=ago(days=1)))
        assert response.status_code == 201, response.get_json()
        ids.append(response.get_json()["id"])
    first = db.session.get(Incident, uuid.UUID(ids[0]))
    first.violence_types = ["fisica", "fisica", "psicologica"]
    db.session.commit()
    body = get(client, centre.supervisor, "/statistics/incidents?by=violence_type,perpetrator_relationship").get_json()
    assert {(r["violence_type"], r["perpetrator_relationship"]): r["count"] for r in body["rows"]} == {
        ("fisica", "partner"): 3, ("psicologica", "partner"): 1}
    assert body["total"] == 3
    second = db.session.get(Incident, uuid.UUID(ids[1]))
    second.violence_types = ["fisica", "verbal"]
    db.session.commit()
    body = get(client, centre.supervisor, "/statistics/incidents?by=violence_type").get_json()
    assert {r["violence_type"]: r["count"] for r in body["rows"]} == {"fisica": 3, "psicologica": 1, "verbal": 1}
    assert body["total"] == 3
