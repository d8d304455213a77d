"""Deadline rules as data, unknown-hour incidents, the supervisor's views, the scan."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from caseflow.core.clock import frozen_time, utcnow
from caseflow.referrals.breaches import referrals_breaching
from testkit.api import patch, post
from testkit.factories import OrganizationFactory, UserFactory, make_case
from tests.helpers import assert_error
from tests.referrals.factories import Network, consent, move, rape_incident, read, refer

UTC = timezone.utc
LIMA = ZoneInfo("America/Lima")
T = datetime(2026, 5, 4, 15, 0, tzinfo=UTC)
H = timedelta(hours=1)


def _rule_body(**overrides):
    return {"code": "shelter_intake", "label": "Shelter intake", "service_type": "shelter",
            "anchor": "referral_accepted", "milestone": "completed", "hours": 48,
            "source": "Local protocol (synthetic)", "effective_from": "2026-01-01T00:00:00-05:00", **overrides}


def test_seeded_rules_carry_their_sources(client):
    net = Network()
    rules = read(client, net.worker, "/deadline-rules?per_page=100").get_json()["items"]
    by_code = {r["code"]: r for r in rules}
    assert by_code["hiv_pep"]["hours"] == 72 and by_code["hiv_pep"]["anchor"] == "incident"
    assert "Ley 31715" in by_code["protective_measures"]["source"]
    assert by_code["acknowledge_high"]["priority"] == "high" and by_code["acknowledge_medium"]["hours"] == 72
    assert all(r["source"] and r["effective_from"] for r in rules)


def test_admins_edit_rules_and_old_referrals_keep_their_deadlines(client):
    net = Network()
    admin = net.centre.admin
    assert_error(post(client, net.worker, "/deadline-rules", _rule_body()), 403)
    created = post(client, admin, "/deadline-rules", _rule_body())
    assert created.status_code == 201, created.get_json()
    assert_error(post(client, admin, "/deadline-rules", _rule_body()), 409)  # overlapping version
    assert_error(post(client, admin, "/deadline-rules", _rule_body(priority="high")), 422, "service_type")
    assert_error(post(client, admin, "/deadline-rules", _rule_body(hours=0)), 422, "hours")
    assert_error(post(client, admin, "/deadline-rules", _rule_body(
        effective_from="2027-01-01T00:00:00-05:00", effective_to="2026-01-01T00:00:00-05:00")), 422, "effective_to")

    # Sent under the 48 h version: the clock starts when the shelter accepts.
    case = net.centre.case()
    consent(client, net.worker, case, sector="social", given_at=T - H)
    with frozen_time(T):
        first = refer(client, net.worker, case, net.shelter, "shelter", priority="low").get_json()
        assert first["due_at"] is None and first["clocks"] == []
    with frozen_time(T + 2 * H):
        accepted = move(client, net.shelter_worker, first["id"], "accepted").get_json()
        assert [(c["rule"]["code"], c["due_at"]) for c in accepted["clocks"]] == [
            ("shelter_intake", (T + 50 * H).isoformat())]
        assert accepted["next_due_at"] == (T + 50 * H).isoformat()

    # From T + 3 h the admin shortens the clock: end the old version, add a new one.
    switch = (T + 3 * H).isoformat()
    assert patch(client, admin, f"/deadline-rules/{created.get_json()['id']}", {"effective_to": switch}).status_code == 200
    assert post(client, admin, "/deadline-rules", _rule_body(hours=12, effective_from=switch)).status_code == 201
    with frozen_time(T + 4 * H):
        second = refer(client, net.worker, case, net.shelter, "shelter", priority="low").get_json()
    with frozen_time(T + 5 * H):
        second = move(client, net.shelter_worker, second["id"], "accepted").get_json()
    assert second["clocks"][0]["due_at"] == (T + 17 * H).isoformat()
    assert read(client, net.worker, f"/referrals/{first['id']}").get_json()["clocks"][0]["due_at"] == (T + 50 * H).isoformat()
    in_effect = read(client, net.worker, f"/deadline-rules?code=shelter_intake&at={(T + 4 * H).isoformat()}".replace("+", "%2B"))
    assert [r["hours"] for r in in_effect.get_json()["items"]] == [12]


def test_an_incident_of_unknown_hour_starts_the_clock_at_the_start_of_its_day_in_lima(client):
    net = Network()
    case = net.centre.case()
    consent(client, net.worker, case, sector="health", given_at=utcnow() - H)
    day = (utcnow() - timedelta(days=1)).astimezone(LIMA).date()
    rape_incident(client, net.worker, case, datetime(day.year, day.month, day.day, 20, 30, tzinfo=LIMA),
                  occurred_time_known=False)
    referral = refer(client, net.worker, case, net.hospital, "hiv_pep").get_json()
    start = datetime(day.year, day.month, day.day, tzinfo=LIMA)
    assert datetime.fromisoformat(referral["due_at"]) == start + 72 * H
    assert datetime.fromisoformat(referral["clocks"][-1]["starts_at"]) == start


def _overdue_referral(client, net, sent_at):
    case = make_case(net.worker)
    consent(client, net.worker, case, sector="justice", given_at=sent_at - H)
    with frozen_time(sent_at):
        return case, refer(client, net.worker, case, net.court, "protective_measures", priority="high").get_json()


def test_supervision_is_scoped_to_the_centre_unless_national(client, app, monkeypatch):
    net = Network()
    other = Network()
    _case, mine = _overdue_referral(client, net, T)
    _case, theirs = _overdue_referral(client, other, T + H)
    national_org = OrganizationFactory(sector="cem", code="MIMP-NACIONAL")
    national = UserFactory(role="supervisor", organization=national_org, discipline=None)
    monkeypatch.setitem(app.config, "CASEFLOW_NATIONAL_ORGANIZATIONS", ("MIMP-NACIONAL",))
    with frozen_time(T + 30 * H):
        assert [r["id"] for r in read(client, net.centre.supervisor, "/supervision/overdue").get_json()["items"]] == [mine["id"]]
        assert [r["id"] for r in read(client, national, "/supervision/overdue").get_json()["items"]] == [mine["id"], theirs["id"]]
        assert_error(read(client, net.worker, "/supervision/overdue"), 403)
        assert_error(read(client, net.clerk, "/supervision/overdue"), 403)
        report = read(client, national, "/reports/referral-timelines?from=2026-05-01&to=2026-05-31").get_json()
        assert report["scope"] == "national" and report["rows"][0]["count"] == 2
        assert report["rows"][0]["with_deadline"] == 2 and report["rows"][0]["share_within_deadline"] == 0.0
        # The national supervisor reviews deadlines, not case content.
        assert_error(read(client, national, f"/referrals/{mine['id']}"), 404)
        overdue = read(client, net.worker, "/referrals?overdue=true").get_json()
        assert [r["id"] for r in overdue["items"]] == [mine["id"]]
        assert read(client, net.worker, "/referrals?overdue=false").get_json()["items"] == []
    with frozen_time(T + 2 * H):
        assert read(client, net.worker, "/referrals?overdue=true").get_json()["items"] == []
        assert read(client, net.worker, "/cases?overdue=true").get_json()["items"] == []


def test_report_percentiles_interpolate_alike_on_both_databases(client):
    """Acceptance after 1, 2, 3 and 10 hours: median 2.5 h, p90 7.9 h (percentile_cont)."""
    net = Network()
    for delay in (1, 2, 3, 10):
        _case, referral = _overdue_referral(client, net, T)
        with frozen_time(T + delay * H):
            assert move(client, net.clerk, referral["id"], "accepted").status_code == 200
    with frozen_time(T + 11 * H):
        rows = read(client, net.centre.supervisor, "/reports/referral-timelines?from=2026-05-04&to=2026-05-04").get_json()["rows"]
        assert_error(read(client, net.centre.supervisor, "/reports/referral-timelines?from=2026-05-05&to=2026-05-04"), 422, "from")
        assert_error(read(client, net.worker, "/reports/referral-timelines"), 403)
    assert len(rows) == 1
    row = rows[0]
    assert (row["count"], row["accepted"], row["completed"]) == (4, 4, 0)
    assert row["median_hours_to_acceptance"] == 2.5 and row["p90_hours_to_acceptance"] == 7.9
    assert row["median_hours_to_completion"] is None
    assert row["with_deadline"] == 0 and row["share_within_deadline"] is None  # none due yet


def test_the_breach_scan_streams_running_clocks_with_an_injected_clock(client):
    net = Network()
    sent = []
    for minutes in range(5):
        sent.append(_overdue_referral(client, net, T + minutes * timedelta(minutes=1))[1])
    now = T + 24 * H + timedelta(minutes=2, seconds=30)
    rows = list(referrals_breaching(now, batch_size=2))
    # Each referral has two clocks due 24 h after sending (acknowledgement, decision).
    assert len(rows) == 6 and all(r.overdue for r in rows)
    assert [r.due_at for r in rows] == sorted(r.due_at for r in rows)
    assert {str(r.referral_id) for r in rows} == {s["id"] for s in sent[:3]}
    assert {r.rule_code for r in rows} == {"acknowledge_high", "protective_measures"}
    soon = list(referrals_breaching(now, within=timedelta(hours=1), batch_size=3))
    assert len(soon) == 10 and sum(not r.overdue for r in soon) == 4
    assert rows[0].case_code.startswith(net.centre.org.code)
    with frozen_time(T + H):
        move(client, net.clerk, sent[0]["id"], "accepted")
    assert {r.rule_code for r in referrals_breaching(now) if str(r.referral_id) == sent[0]["id"]} == {"protective_measures"}
