"""Scheduler passes with an injected clock: each message once, the right people, nothing skipped."""

import json
import smtplib
from datetime import timedelta

from flask_babel import force_locale
from sqlalchemy import func, select

from caseflow.core.clock import frozen_time
from caseflow.extensions import db
from caseflow.scheduling import registry
from caseflow.scheduling.messages import render
from caseflow.scheduling.models import OutboxMessage
from caseflow.scheduling.registry import Outgoing, ScanBatch
from caseflow.scheduling.runner import run_pass
from caseflow.visits.models import Visit
from testkit.api import bearer
from tests.visits.factories import MONDAY, make_case_at, make_centre, make_plan


def _pass(moment, **kwargs):
    with frozen_time(moment):
        return run_pass(moment, **kwargs)


def _messages(topic=None):
    statement = select(OutboxMessage).order_by(OutboxMessage.created_at)
    if topic:
        statement = statement.where(OutboxMessage.topic == topic)
    return db.session.scalars(statement).all()


def _visits(plan_id):
    return db.session.scalars(select(Visit).where(Visit.plan_id == plan_id).order_by(Visit.window_start)).all()


def test_reminders_and_escalations_appear_once_over_repeated_passes(app):
    centre = make_centre()
    plan = make_plan(centre, make_case_at(centre))
    sunday = MONDAY - timedelta(hours=10)  # Monday's window opens within 24 h
    for _ in range(3):
        _pass(sunday)
    reminders = _messages("visit_due")
    assert len(reminders) == 1 and reminders[0].recipient_id == centre.mentor.id
    late = MONDAY + timedelta(days=5)  # Monday's 3-day window closed a day ago
    first = _pass(late)
    again = _pass(late)
    overdue = _messages("visit_overdue")
    # The centre's supervisor and the caseworker who carries the case, once each.
    assert sorted(str(m.recipient_id) for m in overdue) == sorted([str(centre.supervisor.id),
                                                                    str(centre.caseworker.id)])
    assert first["visit_overdue"] == 2 and again["visit_overdue"] == 0 and again["outbox_added"] == 0
    assert len(_messages("visit_due")) == 1  # the next Monday is more than 24 h away
    _pass(MONDAY + timedelta(days=6))
    assert len(_messages("visit_due")) == 2
    assert _visits(plan.id)[0].escalated_at is not None


def test_a_rescheduled_visit_gets_a_new_reminder(client):
    centre = make_centre()
    plan = make_plan(centre, make_case_at(centre))
    visit = _visits(plan.id)[0]
    _pass(MONDAY)
    assert len(_messages("visit_due")) == 1
    with frozen_time(MONDAY + timedelta(hours=2)):
        response = client.post(f"/api/v1/visits/{visit.id}/log", headers=bearer(centre.mentor), json={
            "outcome": "rescheduled", "rescheduled_to": "2026-03-04T16:00:00-05:00"})
    assert response.status_code == 201
    _pass(MONDAY + timedelta(days=1, hours=12))
    _pass(MONDAY + timedelta(days=1, hours=13))
    reminders = _messages("visit_due")
    assert len(reminders) == 2
    assert reminders[1].subject_at.isoformat() == "2026-03-04T21:00:00+00:00"


def test_cancelled_and_done_visits_are_skipped(client):
    centre = make_centre()
    done_plan = make_plan(centre, make_case_at(centre))
    closed_case = make_case_at(centre)
    make_plan(centre, closed_case)
    visit = _visits(done_plan.id)[0]
    with frozen_time(MONDAY + timedelta(hours=1)):  # within its window: done visits are not logged early
        client.post(f"/api/v1/visits/{visit.id}/log", headers=bearer(centre.mentor),
                    json={"outcome": "done", "modality": "phone"})
    from caseflow.cases.services import update_case
    from caseflow.core.acting import acting_as

    with acting_as(centre.caseworker):
        update_case(closed_case, {"status": "closed"})
        db.session.commit()
    counts = _pass(MONDAY + timedelta(days=5))
    assert counts["visit_reminder"] == 0 and counts["visit_overdue"] == 0
    assert _messages() == []


def test_no_contact_for_30_days_escalates_once_per_silence(app):
    centre = make_centre()
    case = make_case_at(centre)
    # Each silence: one notice to the supervisor and one to the caseworker carrying the case.
    assert _pass(MONDAY + timedelta(days=29))["no_contact"] == 0
    assert _pass(MONDAY + timedelta(days=31))["no_contact"] == 2
    assert _pass(MONDAY + timedelta(days=32))["no_contact"] == 0
    case.last_contact_at = MONDAY + timedelta(days=40)
    db.session.commit()
    assert _pass(MONDAY + timedelta(days=60))["no_contact"] == 0
    assert _pass(MONDAY + timedelta(days=71))["no_contact"] == 2
    assert sorted(str(m.recipient_id) for m in _messages("no_contact")) == sorted(
        [str(centre.supervisor.id), str(centre.caseworker.id)] * 2)


def test_the_no_contact_days_setting_moves_the_escalation_and_its_words(app):
    app.config["CASEFLOW_NO_CONTACT_DAYS"] = 45
    try:
        centre = make_centre()
        make_case_at(centre)
        assert _pass(MONDAY + timedelta(days=31))["no_contact"] == 0
        assert _pass(MONDAY + timedelta(days=46))["no_contact"] == 2  # her supervisor and her caseworker
        with app.test_request_context(), force_locale("es"):
            text = render("no_contact", "CEM-2026-0001", MONDAY)
        assert "45 días" in text and "30" not in text
    finally:
        app.config["CASEFLOW_NO_CONTACT_DAYS"] = 30


def test_a_feature_adds_a_scan_without_touching_the_pass(app):
    centre = make_centre()
    case = make_case_at(centre)
    calls = []

    def probe_scan(now, batch_size):
        calls.append(now)
        yield ScanBatch(messages=[Outgoing(dedupe_key=f"probe_scan:r1:{now:%Y%m%d}:{centre.supervisor.id}",
                                           recipient_id=centre.supervisor.id, kind="escalation",
                                           topic="probe_scan", case_id=case.id, case_code=case.code,
                                           subject_at=now)])

    # A name of its own: re-registering a real scan's name would replace it for the session.
    registry.register_scan("probe_scan", probe_scan, order=50)
    try:
        assert _pass(MONDAY)["probe_scan"] == 1
        assert _pass(MONDAY)["probe_scan"] == 0
    finally:
        registry.unregister_scan("probe_scan")
    assert len(calls) == 2 and len(_messages("probe_scan")) == 1


def test_tick_prints_counts_as_json_on_its_last_line(runner):
    centre = make_centre()
    make_plan(centre, make_case_at(centre))
    result = runner.invoke(args=["scheduler", "tick", "--now", "2026-03-01T23:00:00-05:00"])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.output.strip().splitlines()[-1])
    assert counts["visit_reminder"] == 1 and counts["idle"] == 0
    again = json.loads(runner.invoke(args=["scheduler", "tick", "--now", "2026-03-01T23:00:00-05:00"])
                       .output.strip().splitlines()[-1])
    assert again["outbox_added"] == 0
    bad = runner.invoke(args=["scheduler", "tick", "--now", "2026-03-01T23:00:00"])
    assert bad.exit_code != 0


def test_email_is_retried_with_backoff_and_recorded(app):
    app.config["CASEFLOW_SMTP_HOST"] = "smtp.invalid"
    try:
        centre = make_centre()
        centre.mentor.email = "mentora@example.org"
        db.session.commit()
        make_plan(centre, make_case_at(centre))
        sent, attempts = [], []

        def flaky(message):
            attempts.append(message)
            if len(attempts) == 1:
                raise smtplib.SMTPServerDisconnected("down")
            sent.append(message)

        first = _pass(MONDAY - timedelta(hours=10), send_email=flaky)
        assert first["emails_failed"] == 1 and first["emails_sent"] == 0
        message = _messages("visit_due")[0]
        assert message.email_attempts == 1 and message.email_last_error == "SMTPServerDisconnected"
        assert _pass(MONDAY - timedelta(hours=10), send_email=flaky)["emails_sent"] == 0  # backing off
        assert _pass(MONDAY - timedelta(hours=9), send_email=flaky)["emails_sent"] == 1
        db.session.expire_all()
        message = _messages("visit_due")[0]
        assert message.email_status == "sent" and message.email_attempts == 2
        assert "Subject" in sent[0] and message.case_code in sent[0]["Subject"]
    finally:
        app.config["CASEFLOW_SMTP_HOST"] = None


def test_notifications_read_and_unread(client):
    centre = make_centre()
    make_plan(centre, make_case_at(centre))
    _pass(MONDAY)
    headers = bearer(centre.mentor)
    unread = client.get("/api/v1/notifications?unread=true", headers=headers).get_json()
    assert unread["total"] == 1 and unread["items"][0]["read"] is False
    message_id = unread["items"][0]["id"]
    assert client.post(f"/api/v1/notifications/{message_id}/read", headers=headers).get_json()["read"] is True
    assert client.get("/api/v1/notifications?unread=true", headers=headers).get_json()["total"] == 0
    assert client.get("/api/v1/notifications", headers=headers).get_json()["total"] == 1
    assert client.get(f"/api/v1/notifications/{message_id}", headers=bearer(centre.supervisor)).status_code == 404
    assert client.post("/api/v1/notifications/read", headers=headers, json={}).get_json() == {"marked": 0}
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
