"""Referral deadlines in the scheduler pass (registered by the referrals' ``init_app``).

Two messages per running clock, each at most once (the outbox's unique key):

* ``referral_due_soon`` — a reminder to the receiving organization's liaisons when the
  deadline is less than ``CASEFLOW_REFERRAL_WARNING_HOURS`` away;
* ``referral_breached`` — an escalation to the referring centre's supervisors once the
  deadline has passed without its milestone.

The scan only reads (``referrals_breaching`` streams the clocks in batches); nothing needs
claiming because a repeated or concurrent pass finds every message already in the outbox.
Messages carry the case code and the deadline, never anything about her.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext

from caseflow.access.policy import escalation_recipients, receiving_staff
from caseflow.referrals.breaches import referrals_breaching
from caseflow.scheduling.messages import register_topic
from caseflow.scheduling.registry import Outgoing, RecipientsByOrganization, ScanBatch, register_scan


def _messages(row, supervisors: RecipientsByOrganization, liaisons: RecipientsByOrganization) -> list[Outgoing]:
    stamp = row.due_at.strftime("%Y%m%dT%H%M%SZ")
    if row.overdue:
        topic, kind, recipients = "referral_breached", "escalation", supervisors.of(row.centre_id)
    else:
        topic, kind, recipients = "referral_due_soon", "reminder", liaisons.of(row.to_organization_id)
    detail = {"referral_id": str(row.referral_id), "service_type": row.service_type,
              "milestone": row.milestone, "rule": row.rule_code}
    return [Outgoing(dedupe_key=f"{topic}:{row.clock_id}:{stamp}:{recipient}", recipient_id=recipient, kind=kind,
                     topic=topic, case_id=row.case_id, case_code=row.case_code, subject_at=row.due_at,
                     detail=detail)
            for recipient in recipients]


def referral_deadlines(now: datetime, batch_size: int):
    warning = timedelta(hours=current_app.config["CASEFLOW_REFERRAL_WARNING_HOURS"])
    supervisors = RecipientsByOrganization(escalation_recipients)
    liaisons = RecipientsByOrganization(receiving_staff)
    batch: list[Outgoing] = []
    for row in referrals_breaching(now, within=warning, batch_size=batch_size):
        batch.extend(_messages(row, supervisors, liaisons))
        if len(batch) >= batch_size:
            yield ScanBatch(messages=batch)
            batch = []
    if batch:
        yield ScanBatch(messages=batch)


def register_scans() -> None:
    """Called from the referrals' ``init_app``, in the web app and the scheduler alike: the
    topics' words are needed wherever a notice is read, not only where it is written."""
    register_scan("referral_deadline", referral_deadlines, order=50)
    register_topic("referral_due_soon", lazy_gettext("A referral for case %(case)s is due at %(at)s."))
    register_topic("referral_breached", lazy_gettext("A referral for case %(case)s missed its deadline at %(at)s."))
