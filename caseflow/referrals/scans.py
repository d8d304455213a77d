"""Referral deadlines in the scheduler pass (registered by the referrals' ``init_app``).

Two messages per referral and deadline moment, each at most once (the outbox's unique key,
which names the referral and the moment: two clocks due together make one notice):

* ``referral_due_soon`` — a reminder to the receiving organization's liaisons when the
  deadline is less than ``CASEFLOW_REFERRAL_WARNING_HOURS`` away;
* ``referral_breached`` — an escalation to the referring centre's supervisors once the
  deadline has passed without its milestone, and to the staff assigned to the case.

The scan only reads (``referrals_breaching`` streams the clocks in batches); nothing needs
claiming because a repeated or concurrent pass finds every message already in the outbox.
Messages carry the case code and the deadline, never anything about her.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

from caseflow.access.policy import receiving_staff
from caseflow.referrals import notices
from caseflow.referrals.breaches import referrals_breaching
from caseflow.scheduling.registry import (
    EscalationRecipients,
    Outgoing,
    RecipientsByOrganization,
    ScanBatch,
    register_scan,
)


def _messages(rows, recipients: EscalationRecipients, liaisons: RecipientsByOrganization) -> list[Outgoing]:
    """One notice per referral and moment: the clocks of one referral due at the same time
    (a complaint's acknowledgement and its 24 h duty) make one notice naming both rules."""
    grouped: dict = {}
    for row in rows:
        grouped.setdefault((row.referral_id, row.due_at, row.overdue), []).append(row)
    recipients.prefetch([row.case_id for row in rows if row.overdue])
    messages = []
    for (_referral, due_at, overdue), clocks in grouped.items():
        row = clocks[0]
        stamp = due_at.strftime("%Y%m%dT%H%M%SZ")
        if overdue:
            topic, kind, to = "referral_breached", "escalation", recipients.of(row.centre_id, row.case_id)
        else:
            topic, kind, to = "referral_due_soon", "reminder", liaisons.of(row.to_organization_id)
        detail = {"referral_id": str(row.referral_id), "service_type": row.service_type,
                  "milestone": row.milestone, "rule": row.rule_code,
                  "rules": [c.rule_code for c in clocks], "milestones": [c.milestone for c in clocks]}
        messages.extend(Outgoing(dedupe_key=f"{topic}:{row.referral_id}:{stamp}:{recipient}", recipient_id=recipient,
                                 kind=kind, topic=topic, case_id=row.case_id, case_code=row.case_code,
                                 subject_at=due_at, detail=detail)
                        for recipient in to)
    return messages


def referral_deadlines(now: datetime, batch_size: int):
    warning = timedelta(hours=current_app.config["CASEFLOW_REFERRAL_WARNING_HOURS"])
    recipients = EscalationRecipients()
    liaisons = RecipientsByOrganization(receiving_staff)
    rows: list = []
    for row in referrals_breaching(now, within=warning, batch_size=batch_size):
        rows.append(row)
        if len(rows) >= batch_size:
            yield ScanBatch(messages=_messages(rows, recipients, liaisons))
            rows = []
    if rows:
        yield ScanBatch(messages=_messages(rows, recipients, liaisons))


def register_scans() -> None:
    """Called from the referrals' ``init_app``, in the web app and the scheduler alike: the
    topics' words are needed wherever a notice is read, not only where it is written."""
    register_scan("referral_deadline", referral_deadlines, order=50)
    notices.register_topics()
