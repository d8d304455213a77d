"""The scheduler escalates referral deadlines: the receiving organization is reminded before
the deadline, the referring centre's supervisors hear of a breach, each exactly once."""

from datetime import timedelta

from caseflow.core.clock import frozen_time, utcnow
from caseflow.extensions import db
from caseflow.scheduling.models import OutboxMessage
from caseflow.scheduling.runner import run_pass
from tests.referrals.factories import Network, consent, refer

CANARY = "Nota canaria Lirio"


def _messages(topic):
    db.session.expire_all()
    return db.session.query(OutboxMessage).filter_by(topic=topic).all()


def test_protective_measures_deadline_reminds_then_escalates_once(client):
    network = Network()
    case = network.centre.case()
    sent_at = utcnow()
    with frozen_time(sent_at):
        consent(client, network.worker, case, organization=network.court)
        response = refer(client, network.worker, case, network.court, "protective_measures", priority="high",
                         note=CANARY)
    assert response.status_code == 201, response.get_json()
    due = response.get_json()["due_at"]

    run_pass(sent_at + timedelta(hours=1))
    assert _messages("referral_due_soon") == [] and _messages("referral_breached") == []

    # Two clocks run, due at the same moment (acknowledge within 24 h for high priority;
    # decide the measures within 24 h, Ley 31715): one reminder naming both, however many
    # passes run.
    for _ in range(2):
        run_pass(sent_at + timedelta(hours=20))
    reminders = _messages("referral_due_soon")
    assert [m.recipient_id for m in reminders] == [network.clerk.id]
    assert sorted(reminders[0].detail["milestones"]) == ["accepted", "completed"]

    for _ in range(2):
        run_pass(sent_at + timedelta(hours=25))
    escalations = _messages("referral_breached")
    # The centre's supervisor and the caseworker carrying the case, once each.
    assert sorted(str(m.recipient_id) for m in escalations) == sorted(
        [str(network.centre.supervisor.id), str(network.worker.id)])
    assert {m.case_code for m in escalations} == {case.code} and due

    inbox = client.get("/api/v1/notifications", headers={"Authorization": _token(network.centre.supervisor)})
    text = inbox.get_data(as_text=True)
    assert inbox.status_code == 200 and case.code in text and CANARY not in text


def test_an_accepted_referral_stops_its_acknowledgement_clock(client):
    network = Network()
    case = network.centre.case()
    sent_at = utcnow()
    with frozen_time(sent_at):
        consent(client, network.worker, case, organization=network.court)
        referral = refer(client, network.worker, case, network.court, "protective_measures", priority="high")
    from tests.referrals.factories import move

    with frozen_time(sent_at + timedelta(hours=2)):
        assert move(client, network.clerk, referral.get_json()["id"], "accepted").status_code == 200
        assert move(client, network.clerk, referral.get_json()["id"], "in_progress").status_code == 200
        assert move(client, network.clerk, referral.get_json()["id"], "completed").status_code == 200
    run_pass(sent_at + timedelta(hours=30))
    assert _messages("referral_breached") == []


def _token(user):
    from testkit.api import bearer

    return bearer(user)["Authorization"]
