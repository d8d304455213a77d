"""A rape case followed across sectors: consent for health and justice, PEP due 72 h after
the incident (not after the referral), protective measures due 24 h after sending,
acceptance by the liaisons, one service completed in time and one late; the timeline and
the report show exactly that."""

from datetime import datetime, timedelta, timezone

from caseflow.core.clock import frozen_time
from testkit.factories import make_case
from tests.referrals.factories import Network, consent, move, rape_incident, read, refer

UTC = timezone.utc
INCIDENT = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)  # 22:00 the evening before, in Lima
SENT = INCIDENT + timedelta(hours=10)
H = timedelta(hours=1)


def _parse(value):
    return datetime.fromisoformat(value) if value else None


def test_a_rape_case_across_health_and_justice(client):
    net = Network()
    worker = net.worker
    with frozen_time(SENT - H):
        case = make_case(worker, priority="high")
    with frozen_time(SENT - 30 * timedelta(minutes=1)):
        consent(client, worker, case, sector="health")
        consent(client, worker, case, sector="justice")
        rape_incident(client, worker, case, INCIDENT)

    with frozen_time(SENT):
        pep = refer(client, worker, case, net.hospital, "hiv_pep", priority="high", note="Llega a las 9h.")
        assert pep.status_code == 201, pep.get_json()
        pep = pep.get_json()
    with frozen_time(SENT + timedelta(minutes=5)):
        measures = refer(client, worker, case, net.court, "protective_measures", priority="high")
        assert measures.status_code == 201, measures.get_json()
        measures = measures.get_json()

    # PEP: 72 h after the incident, not after the referral.
    assert pep["status"] == "requested"
    assert _parse(pep["created_at"]) == SENT
    assert _parse(pep["due_at"]) == INCIDENT + 72 * H
    assert pep["deadline_rule"]["code"] == "hiv_pep" and pep["deadline_rule"]["anchor"] == "incident"
    # Protective measures: 24 h after the court receives the case.
    measures_sent = SENT + timedelta(minutes=5)
    assert _parse(measures["due_at"]) == measures_sent + 24 * H
    assert measures["deadline_rule"]["code"] == "protective_measures"
    # Both also carry the high-priority acknowledgement clock (24 h).
    assert {c["rule"]["code"] for c in pep["clocks"]} == {"hiv_pep", "acknowledge_high"}

    # The liaisons accept; the hospital completes in time, the court decides late.
    with frozen_time(SENT + 2 * H):
        assert move(client, net.nurse, pep["id"], "accepted").status_code == 200
        assert move(client, net.clerk, measures["id"], "accepted").status_code == 200
    with frozen_time(SENT + 3 * H):
        assert move(client, net.nurse, pep["id"], "in_progress").status_code == 200
    with frozen_time(SENT + 4 * H):
        done = move(client, net.nurse, pep["id"], "completed")
        assert done.status_code == 200 and done.get_json()["status"] == "completed"
    with frozen_time(SENT + 20 * H):
        assert move(client, net.clerk, measures["id"], "in_progress").status_code == 200
        # Four hours before its deadline the court's referral is "due soon" for the supervisor.
        soon = read(client, net.centre.supervisor, "/supervision/overdue").get_json()
        assert [r["id"] for r in soon["items"]] == [measures["id"]] and soon["items"][0]["overdue"] is False
    with frozen_time(SENT + 26 * H):
        late = read(client, net.centre.supervisor, "/supervision/overdue").get_json()
        assert [(r["id"], r["overdue"]) for r in late["items"]] == [(measures["id"], True)]
        assert [c["id"] for c in read(client, worker, "/cases?overdue=true").get_json()["items"]] == [str(case.id)]
    with frozen_time(SENT + 30 * H):
        assert move(client, net.clerk, measures["id"], "completed").status_code == 200

    with frozen_time(SENT + 31 * H):
        timeline = read(client, net.centre.supervisor, f"/cases/{case.id}/timeline")
        assert timeline.status_code == 200, timeline.get_json()
        entries = [(e["kind"], _parse(e["at"]), e["sector"], _parse(e["deadline_at"]), e["met"])
                   for e in timeline.get_json()["items"]]
        report = read(client, net.centre.supervisor, "/reports/referral-timelines?from=2026-03-01&to=2026-03-31")
        csv_report = read(client, net.centre.supervisor, "/reports/referral-timelines?from=2026-03-01&to=2026-03-31",
                          headers={"Accept": "text/csv"})
        overdue_now = read(client, net.centre.supervisor, "/supervision/overdue").get_json()

    pep_due, ack_pep = INCIDENT + 72 * H, SENT + 24 * H
    measures_due, ack_measures = measures_sent + 24 * H, measures_sent + 24 * H
    assert entries == [
        ("incident", INCIDENT, "cem", None, None),
        ("intake", SENT - H, "cem", None, None),
        ("consent_given", SENT - 30 * timedelta(minutes=1), "cem", None, None),
        ("consent_given", SENT - 30 * timedelta(minutes=1), "cem", None, None),
        ("referral_sent", SENT, "health", pep_due, True),
        ("referral_sent", measures_sent, "justice", measures_due, False),
        ("referral_accepted", SENT + 2 * H, "health", ack_pep, True),
        ("referral_accepted", SENT + 2 * H, "justice", ack_measures, True),
        ("referral_in_progress", SENT + 3 * H, "health", None, None),
        ("referral_completed", SENT + 4 * H, "health", pep_due, True),
        ("referral_in_progress", SENT + 20 * H, "justice", None, None),
        ("referral_deadline", ack_pep, "health", ack_pep, True),
        ("referral_deadline", ack_measures, "justice", ack_measures, True),
        ("referral_deadline", measures_due, "justice", measures_due, False),
        ("referral_completed", SENT + 30 * H, "justice", measures_due, False),
        ("referral_deadline", pep_due, "health", pep_due, True),
    ]

    assert report.status_code == 200, report.get_json()
    rows = report.get_json()["rows"]
    assert rows == [
        {"sector": "health", "service_type": "hiv_pep", "count": 1, "accepted": 1, "completed": 1,
         "median_hours_to_acceptance": 2.0, "p90_hours_to_acceptance": 2.0,
         "median_hours_to_completion": 4.0, "p90_hours_to_completion": 4.0,
         "with_deadline": 1, "within_deadline": 1, "share_within_deadline": 1.0,
         "onward": 0, "sent_on": 0},
        {"sector": "justice", "service_type": "protective_measures", "count": 1, "accepted": 1, "completed": 1,
         "median_hours_to_acceptance": 1.92, "p90_hours_to_acceptance": 1.92,
         "median_hours_to_completion": 29.92, "p90_hours_to_completion": 29.92,
         "with_deadline": 1, "within_deadline": 0, "share_within_deadline": 0.0,
         "onward": 0, "sent_on": 0},
    ]
    assert csv_report.status_code == 200 and csv_report.mimetype == "text/csv"
    assert csv_report.get_data(as_text=True).splitlines() == [
        "sector,service_type,count,accepted,completed,median_hours_to_acceptance,p90_hours_to_acceptance,"
        "median_hours_to_completion,p90_hours_to_completion,with_deadline,within_deadline,share_within_deadline,"
        "onward,sent_on",
        "health,hiv_pep,1,1,1,2.0,2.0,4.0,4.0,1,1,1.0,0,0",
        "justice,protective_measures,1,1,1,1.92,1.92,29.92,29.92,1,0,0.0,0,0",
    ]
    assert overdue_now["items"] == []  # both done: nothing left running
