"""Incidents, risk assessments, sessions and plan items as a caseworker sees them."""

from datetime import datetime, timedelta, timezone

from caseflow.core.clock import frozen_time, utcnow
from testkit.api import ALL_NO, ago, get, incident_body, patch, post, risk_body
from testkit.factories import Centre, make_case, make_survivor
from tests.helpers import assert_error


def test_incident_derives_type_flags_age_group_and_delay(client):
    centre = Centre()
    birth = utcnow().date() - timedelta(days=365 * 15)
    case = make_case(centre.admission, make_survivor(centre.admission, birth_date=birth))
    response = post(client, centre.admission, f"/cases/{case.id}/incidents", incident_body(
        occurred_at=ago(days=10), acts={"sexual_contact": True, "physical_assault": True},
        goods_or_money_exchanged=True, narrative="Relato."))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["gbv_type"] == "sexual_assault"
    assert body["flags"] == {"early_marriage": False, "possible_sexual_exploitation": True,
                             "child_sexual_abuse": True}
    assert body["survivor_age_group"] == "age_12_17"
    assert body["reporting_delay"] == "days_6_14"
    assert body["narrative"] == "Relato."
    listed = get(client, centre.admission, f"/cases/{case.id}/incidents").get_json()
    assert listed["total"] == 1 and "narrative" not in listed["items"][0]
    # A client cannot set the derived type.
    assert_error(post(client, centre.admission, f"/cases/{case.id}/incidents",
                      incident_body(gbv_type="rape")), 422, "gbv_type")


def test_incident_with_unknown_time_keeps_only_the_day(client):
    centre = Centre()
    case = centre.case()
    # 23:30 in Lima on 3 March is 04:30 UTC on 4 March; only the Lima day counts.
    with frozen_time(datetime(2026, 3, 10, 15, tzinfo=timezone.utc)):
        body = post(client, centre.admission, f"/cases/{case.id}/incidents", incident_body(
            occurred_at="2026-03-03T23:30:00-05:00", occurred_time_known=False)).get_json()
        # Today, time unknown, is not "in the future" even if the hour given is later.
        today = post(client, centre.admission, f"/cases/{case.id}/incidents", incident_body(
            occurred_at="2026-03-10T20:00:00-05:00", occurred_time_known=False))
    assert body["occurred_at"] == "2026-03-03T05:00:00+00:00" and body["occurred_time_known"] is False
    assert body["reporting_delay"] == "days_6_14"
    assert today.status_code == 201, today.get_json()


def test_risk_level_is_the_latest_and_history_is_kept(client):
    centre = Centre()
    case = centre.case()
    first = post(client, centre.admission, f"/cases/{case.id}/risk-assessments",
                 risk_body(escalation=True, stalking=True, separation=True, jealousy_control=2)).get_json()
    assert (first["score"], first["level"]) == (8, "moderado")
    assert get(client, centre.admission, f"/cases/{case.id}").get_json()["risk_level"] == "moderado"
    second = post(client, centre.admission, f"/cases/{case.id}/risk-assessments", risk_body()).get_json()
    assert (second["score"], second["level"]) == (0, "leve")
    assert get(client, centre.admission, f"/cases/{case.id}").get_json()["risk_level"] == "leve"
    history = get(client, centre.admission, f"/cases/{case.id}/risk-assessments").get_json()
    assert [a["level"] for a in history["items"]] == ["leve", "moderado"]
    assert "answers" not in history["items"][0]
    detail = get(client, centre.supervisor, f"/risk-assessments/{first['id']}").get_json()
    assert detail["answers"]["jealousy_control"] == 2


def test_a_critical_item_alone_makes_the_risk_severe(client):
    centre = Centre()
    body = post(client, centre.admission, f"/cases/{centre.case().id}/risk-assessments",
                risk_body(strangulation=True)).get_json()
    assert (body["score"], body["level"]) == (3, "severo")


def test_instruments_are_listed_with_both_languages_and_placeholder_cutoffs(client):
    centre = Centre()
    items = get(client, centre.admission, "/instruments").get_json()["items"]
    fvr = next(i for i in items if i["id"] == "fvr-demo-v1")
    assert fvr["cutoffs"]["set_by"] == "deployment" and fvr["cutoffs"]["status"] == "placeholder"
    assert {i["code"] for i in fvr["items"]} == set(ALL_NO)
    assert all(item["text"]["es"] and item["text"]["en"] for item in fvr["items"])
    assert get(client, centre.admission, "/instruments/fvr-demo-v1").status_code == 200
    assert_error(get(client, centre.admission, "/instruments/nope"), 404)


def test_a_session_restarts_the_no_contact_clock(client):
    centre = Centre()
    case = centre.case()
    started = ago(days=1)
    post(client, centre.admission, f"/cases/{case.id}/sessions",
         {"discipline": "admission", "started_at": started, "duration_minutes": 20})
    # An older session does not move the last contact back.
    post(client, centre.admission, f"/cases/{case.id}/sessions",
         {"discipline": "admission", "started_at": ago(days=5), "duration_minutes": 20})
    last = get(client, centre.admission, f"/cases/{case.id}").get_json()["last_contact_at"]
    assert datetime.fromisoformat(last) == datetime.fromisoformat(started)
    assert get(client, centre.admission, f"/cases/{case.id}/sessions").get_json()["total"] == 2


def test_plan_items_list_read_and_follow_up(client):
    centre = Centre()
    case = centre.case()
    post(client, centre.admission, f"/cases/{case.id}/risk-assessments", risk_body())
    item = post(client, centre.admission, f"/cases/{case.id}/plan-items", {
        "need": "health", "service_type": "hiv_pep", "decision": "declined_by_survivor"}).get_json()
    assert item["goal_status"] == "in_progress"
    changed = patch(client, centre.admission, f"/plan-items/{item['id']}",
                    {"goal_status": "not_applicable", "note": "No desea."}).get_json()
    assert (changed["goal_status"], changed["note"]) == ("not_applicable", "No desea.")
    assert get(client, centre.admission, f"/cases/{case.id}/plan-items").get_json()["total"] == 1
    assert_error(post(client, centre.admission, f"/cases/{case.id}/plan-items", {
        "need": "money", "service_type": "hiv_pep", "decision": "referred"}), 422, "need")
