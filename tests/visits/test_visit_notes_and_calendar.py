"""A visit log's notes come back to her visitor and to the case team (through the policy's
field rule; a partner without consent gets null); the calendar reads in the visitor's
language and strikes out visits that will not take place. Synthetic values only."""

from datetime import timedelta

from icalendar import Calendar

from caseflow.core.clock import utcnow
from testkit.api import bearer, get, post
from testkit.factories import Centre, OrganizationFactory, UserFactory
from testkit.world import today as local_today
from tests.helpers import assert_error
from tests.referrals.factories import consent

NOTES = "Conversamos sobre su plan de seguridad (nota sintética)."


def _plan(client, centre, case, visitor, kind="mentor_accompaniment", count=3):
    plan = post(client, centre.admission, f"/cases/{case.id}/visit-plans", {
        "assignee_id": str(visitor.id), "kind": kind, "starts_on": local_today(), "cadence_days": 7,
        "count": count})
    assert plan.status_code == 201, plan.get_json()
    visits = get(client, visitor, "/visits").get_json()["items"]
    return sorted((v for v in visits if v["case_id"] == str(case.id)), key=lambda v: v["window_start"])


def _log(client, visitor, visit, **body):
    logged = post(client, visitor, f"/visits/{visit['id']}/log", {
        "outcome": "done", "happened_at": utcnow().isoformat(), "modality": "home_visit", **body})
    assert logged.status_code == 201, logged.get_json()
    return logged.get_json()


def test_her_visitor_and_the_case_team_read_the_notes_back(client):
    centre = Centre()
    mentor = UserFactory(role="mentor", organization=centre.org, discipline=None)
    other_mentor = UserFactory(role="mentor", organization=centre.org, discipline=None)
    case = centre.case()
    visit = _plan(client, centre, case, mentor)[0]
    logged = _log(client, mentor, visit, notes=NOTES)
    assert logged["has_notes"] is True and "notes" not in logged

    for reader in (mentor, centre.admission, centre.supervisor, centre.psychology):
        body = get(client, reader, f"/visits/{visit['id']}").get_json()
        assert [entry["notes"] for entry in body["logs"]] == [NOTES], reader.role
        assert body["logs"][0]["outcome"] == "done"
    # Outside the visit's reach it does not exist.
    assert_error(get(client, other_mentor, f"/visits/{visit['id']}"), 404)
    elsewhere = Centre()
    assert_error(get(client, elsewhere.supervisor, f"/visits/{visit['id']}"), 404)


def test_a_partners_visitor_reads_her_notes_only_while_consent_covers_her_organization(client):
    centre = Centre()
    ngo = OrganizationFactory(sector="ngo")
    psychologist = UserFactory(role="psychologist", organization=ngo, discipline=None)
    case = centre.case()
    given = consent(client, centre.admission, case, organization=ngo)
    visit = _plan(client, centre, case, psychologist, kind="psychological_followup")[0]
    _log(client, psychologist, visit, notes=NOTES)
    assert get(client, psychologist, f"/visits/{visit['id']}").get_json()["logs"][0]["notes"] == NOTES

    withdrawn = post(client, centre.admission, f"/consents/{given['id']}/withdraw", {})
    assert withdrawn.status_code == 200, withdrawn.get_json()
    body = get(client, psychologist, f"/visits/{visit['id']}").get_json()
    assert body["logs"][0]["notes"] is None and body["logs"][0]["has_notes"] is True
    # The centre's team still reads them.
    assert get(client, centre.admission, f"/visits/{visit['id']}").get_json()["logs"][0]["notes"] == NOTES


def _feed(client, user, language=None):
    headers = bearer(user)
    if language:
        headers["Accept-Language"] = language
    response = client.get("/api/v1/me/visits.ics", headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _events(feed):
    return {str(e["uid"]).split("@")[0]: e for e in Calendar.from_ical(feed).walk("VEVENT")}


def test_the_calendar_is_in_her_language_and_strikes_out_what_will_not_happen(client):
    centre = Centre()
    mentor = UserFactory(role="mentor", organization=centre.org, discipline=None)
    case = centre.case()
    first, second, third = _plan(client, centre, case, mentor)

    spanish = _feed(client, mentor)
    assert "visita de mentora" in spanish and "mentor visit" not in spanish
    assert "caseflow: visitas" in spanish
    assert "mentor visit" in _feed(client, mentor, "en")

    _log(client, mentor, first, outcome="missed")
    moved = post(client, mentor, f"/visits/{second['id']}/log", {
        "outcome": "rescheduled", "rescheduled_to": (utcnow() + timedelta(days=9)).isoformat()})
    assert moved.status_code == 201, moved.get_json()
    events = _events(_feed(client, mentor))
    assert str(events[first["id"]]["status"]) == "CANCELLED"
    assert str(events[first["id"]]["description"]) == "incumplido"
    assert str(events[second["id"]]["status"]) == "CANCELLED"
    assert str(events[third["id"]]["status"]) == "CONFIRMED"
    replacement = [uid for uid in events if uid not in (first["id"], second["id"], third["id"])]
    assert len(replacement) == 1 and str(events[replacement[0]]["status"]) == "CONFIRMED"
    # Codes and times only: nothing about her.
    feed = _feed(client, mentor)
    for value in (case.survivor.given_names, case.survivor.family_names, case.survivor.alias):
        if value:
            assert value not in feed
