"""Compliance against hand-counted rape cases made through the API: PEP within 72 h and
emergency contraception within 120 h of the incident, protective measures within 24 h of
sending, and the hours from first contact to plan, to referral, to service."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

from caseflow.core.clock import frozen_time
from testkit.api import bearer, get, post, risk_body
from testkit.factories import make_case
from tests.referrals.factories import consent, move, rape_incident, refer

UTC = timezone.utc
T0 = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
H = timedelta(hours=1)
PERIOD = "from=2026-03-01&to=2026-03-31"



def _referral(client, net, case, organization, service_type, sent, completed, liaison):
    with frozen_time(sent):
        response = refer(client, net.worker, case, organization, service_type, priority="high")
        assert response.status_code == 201, response.get_json()
        referral = response.get_json()
        assert move(client, liaison, referral["id"], "accepted").status_code == 200
    with frozen_time(completed):
        assert move(client, liaison, referral["id"], "in_progress").status_code == 200
        assert move(client, liaison, referral["id"], "completed").status_code == 200


def _rape_case(client, net, opened, incident_at):
    with frozen_time(opened):
        case = make_case(net.worker, priority="high")
        consent(client, net.worker, case, sector="health")
        consent(client, net.worker, case, sector="justice")
        rape_incident(client, net.worker, case, incident_at)
    return case


def populate(client, net):
    """By hand. Incident of both rapes: T0 - 20 h.
    Case 1, opened T0: plan line at T0+2h; PEP sent T0+3h, completed T0+10h (met: 30 h after
      the incident); emergency contraception sent T0+3h, completed T0+110h (missed: 130 h);
      protective measures sent T0+4h, completed T0+34h (missed: 30 h after sending).
    Case 2, opened T0+1h: PEP sent T0+6h, completed T0+14h (met); emergency contraception
      completed T0+30h (met); protective measures sent T0+6h, completed T0+26h (met: 20 h).
    Case 3, opened T0+2h: nothing yet.
    First contact to plan: 1 of 3 (2 h). To referral: 2 of 3 (3 h, 5 h: median 4).
    To service: 2 of 3 (10 h, 13 h: median 11.5)."""
    incident_at = T0 - 20 * H
    one = _rape_case(client, net, T0, incident_at)
    with frozen_time(T0 + 2 * H):
        post(client, net.worker, f"/cases/{one.id}/risk-assessments", risk_body())
        response = post(client, net.worker, f"/cases/{one.id}/plan-items",
                        {"need": "health", "service_type": "hiv_pep", "decision": "referred"})
        assert response.status_code == 201, response.get_json()
    _referral(client, net, one, net.hospital, "hiv_pep", T0 + 3 * H, T0 + 10 * H, net.nurse)
    _referral(client, net, one, net.hospital, "emergency_contraception", T0 + 3 * H, T0 + 110 * H, net.nurse)
    _referral(client, net, one, net.court, "protective_measures", T0 + 4 * H, T0 + 34 * H, net.clerk)
    two = _rape_case(client, net, T0 + H, incident_at)
    _referral(client, net, two, net.hospital, "hiv_pep", T0 + 6 * H, T0 + 14 * H, net.nurse)
    _referral(client, net, two, net.hospital, "emergency_contraception", T0 + 6 * H, T0 + 30 * H, net.nurse)
    _referral(client, net, two, net.court, "protective_measures", T0 + 6 * H, T0 + 26 * H, net.clerk)
    with frozen_time(T0 + 2 * H):
        make_case(net.worker, priority="high")


def test_rape_survivors_clocks_and_first_contact_hand_counted(client, net):
    populate(client, net)
    with frozen_time(T0 + 200 * H):
        body = get(client, net.centre.supervisor, f"/statistics/compliance?{PERIOD}").get_json()
    rules = {r["rule"]: r for r in body["rows"]}
    assert {k: rules["hiv_pep"][k] for k in ("hours", "total", "met", "missed", "open", "share_met")} == {
        "hours": 72, "total": 2, "met": 2, "missed": 0, "open": 0, "share_met": 1.0}
    # PEP hours from the incident: 30 h and 34 h.
    assert rules["hiv_pep"]["median_hours"] == 32.0
    ec = rules["emergency_contraception"]
    assert (ec["hours"], ec["met"], ec["missed"], ec["share_met"]) == (120, 1, 1, 0.5)
    assert ec["median_hours"] == (130 + 50) / 2
    measures = rules["protective_measures"]
    assert (measures["hours"], measures["met"], measures["missed"]) == (24, 1, 1)
    assert measures["median_hours"] == 25.0  # 30 h and 20 h after sending

    lines = {t["milestone"]: t for t in body["timelines"]}
    assert lines["plan"] == {"milestone": "plan", "from": "first_contact", "cases": 3, "reached": 1,
                             "not_reached": 2, "median_hours": 2.0, "suppressed": False}
    assert (lines["referral"]["reached"], lines["referral"]["median_hours"]) == (2, 4.0)
    assert (lines["service"]["reached"], lines["service"]["not_reached"], lines["service"]["median_hours"]) == (2, 1, 11.5)


def test_a_referral_not_yet_completed_counts_as_reached_referral_but_not_service(client, net):
    """PostgreSQL reads every milestone, and each rule's counts and median, in one pass: a case
    whose only referral is still open has reached "referral" and not "service", and her clock
    not met (missed by now) counts as missed without entering the median of hours."""
    populate(client, net)
    four = _rape_case(client, net, T0 + 3 * H, T0 - 20 * H)
    with frozen_time(T0 + 5 * H):
        response = refer(client, net.worker, four, net.hospital, "hiv_pep", priority="high")
        assert response.status_code == 201, response.get_json()
        assert move(client, net.nurse, response.get_json()["id"], "accepted").status_code == 200
    with frozen_time(T0 + 200 * H):
        body = get(client, net.centre.supervisor, f"/statistics/compliance?{PERIOD}").get_json()
    pep = next(r for r in body["rows"] if r["rule"] == "hiv_pep")
    assert (pep["total"], pep["met"], pep["missed"], pep["open"], pep["median_hours"]) == (3, 2, 1, 0, 32.0)
    lines = {t["milestone"]: t for t in body["timelines"]}
    assert (lines["plan"]["cases"], lines["plan"]["reached"], lines["plan"]["median_hours"]) == (4, 1, 2.0)
    # First contact to referral: 3 h, 5 h and 2 h (median 3); to service: still 10 h and 13 h.
    assert (lines["referral"]["reached"], lines["referral"]["median_hours"]) == (3, 3.0)
    assert (lines["service"]["reached"], lines["service"]["not_reached"], lines["service"]["median_hours"]) == (2, 2, 11.5)


def test_small_counts_of_the_first_contact_lines_are_suppressed_and_csv(client, app, net):
    populate(client, net)
    app.config.update(CASEFLOW_SMALL_CELL_THRESHOLD=3)
    with frozen_time(T0 + 200 * H):
        body = get(client, net.centre.supervisor, f"/statistics/compliance?{PERIOD}").get_json()
        response = client.get(f"/api/v1/statistics/compliance?{PERIOD}",
                              headers={**bearer(net.centre.supervisor), "Accept": "text/csv"})
    plan = next(t for t in body["timelines"] if t["milestone"] == "plan")
    # 1 reached, 2 not: both below 3, hidden with the median; the 3 cases are shown.
    assert plan == {"milestone": "plan", "from": "first_contact", "cases": 3, "reached": None,
                    "not_reached": None, "median_hours": None, "suppressed": True}
    assert all(r["median_hours"] is None and r["suppressed"] for r in body["rows"] if r["rule"] == "hiv_pep")
    table = {row["rule"]: row for row in csv.DictReader(io.StringIO(response.get_data(as_text=True)))}
    assert table["first_contact_to_plan"]["total"] == "3" and table["first_contact_to_plan"]["reached"] == ""
    assert table["first_contact_to_plan"]["suppressed"] == "True"
    assert "hiv_pep" in table and table["hiv_pep"]["median_hours"] == ""
