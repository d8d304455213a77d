"""The referrals' part of a case's timeline: sending (with a mandatory report when one was
made), every transition, and every deadline clock with whether it was met."""

from __future__ import annotations

from sqlalchemy import select

from caseflow.cases.models import Case
from caseflow.cases.timeline import TimelineEntry, register_timeline_source
from caseflow.core.clock import utcnow
from caseflow.extensions import db
from caseflow.referrals import deadlines
from caseflow.referrals.models import Referral, ReferralEvent
from caseflow.referrals.services import event_order

#: Which clocks a transition answers (an acknowledgement clock is answered by a rejection too).
ANSWERS = {"accepted": ("accepted",), "completed": ("completed",)}


def _clock_met(clock, referral, now):
    return deadlines.state(clock.due_at, met_at=clock.met_at, stopped_at=clock.stopped_at, now=now,
                           withdrawn=referral.status == "cancelled").met


def _answered(referral, event):
    if event.to_status == "rejected":
        clocks = [c for c in referral.clocks if c.rule.priority is not None and c.met_at is not None]
    else:
        clocks = [c for c in referral.clocks if c.milestone in ANSWERS.get(event.to_status, ())
                  and c.met_at is not None]
    return min(clocks, key=lambda c: c.due_at) if clocks else None


def referral_entries(case: Case):
    now = utcnow()
    referrals = db.session.scalars(select(Referral).where(Referral.case_id == case.id)).unique().all()
    events = db.session.scalars(select(ReferralEvent).where(ReferralEvent.case_id == case.id)).all()
    by_referral: dict = {}
    for event in sorted(events, key=event_order):
        by_referral.setdefault(event.referral_id, []).append(event)
    by_id = {r.id: r for r in referrals}
    for referral in sorted(referrals, key=lambda r: (r.sent_at, str(r.id))):
        headline = next((c for c in referral.clocks if c.rule_id == referral.deadline_rule_id), None)
        base = {"referral_id": str(referral.id), "service_type": referral.service_type,
                "to_organization_id": str(referral.to_organization_id)}
        parent = by_id.get(referral.parent_referral_id)
        if parent is not None:
            # The chain: the parent's receiver sent the case on; the duty clock it met, if any.
            duty = next((c for c in parent.clocks if c.milestone == "referred_on" and c.met_at is not None
                         and c.met_at == referral.sent_at), None)
            base["parent_referral_id"] = str(parent.id)
            yield TimelineEntry(
                referral.sent_at, "referral_referred_on", parent.sector,
                deadline_at=duty.due_at if duty else None, met=_clock_met(duty, parent, now) if duty else None,
                record_id=referral.id,
                detail={"referral_id": str(parent.id), "service_type": parent.service_type,
                        "to_organization_id": str(parent.to_organization_id),
                        "onward_referral_id": str(referral.id), "onward_service_type": referral.service_type,
                        "onward_to_organization_id": str(referral.to_organization_id)})
        yield TimelineEntry(
            referral.sent_at, "referral_sent", referral.sector, deadline_at=referral.due_at,
            met=_clock_met(headline, referral, now) if headline else None, record_id=referral.id,
            detail={**base, "priority": referral.priority, "status": referral.status,
                    "deadline_rule": referral.deadline_rule.code if referral.deadline_rule else None,
                    "mandatory_report": referral.mandatory_report})
        if referral.mandatory_report:
            yield TimelineEntry(referral.sent_at, "mandatory_report", referral.sector, record_id=referral.id,
                                detail={**base, "legal_basis": referral.mandatory_report_basis})
        for event in by_referral.get(referral.id, []):
            if event.from_status is None:
                continue
            clock = _answered(referral, event)
            yield TimelineEntry(
                event.at, f"referral_{event.to_status}", referral.sector,
                deadline_at=clock.due_at if clock else None,
                met=_clock_met(clock, referral, now) if clock else None, record_id=event.id,
                detail={**base, "from": event.from_status, "to": event.to_status,
                        "organization_id": str(event.organization_id) if event.organization_id else None})
        for clock in referral.clocks:
            state = deadlines.state(clock.due_at, met_at=clock.met_at, stopped_at=clock.stopped_at, now=now,
                                    withdrawn=referral.status == "cancelled")
            yield TimelineEntry(clock.due_at, "referral_deadline", referral.sector, deadline_at=clock.due_at,
                                met=state.met, record_id=clock.id,
                                detail={**base, "rule": clock.rule.code, "milestone": clock.milestone,
                                        "state": state.state})


def register_sources() -> None:
    """Called from the feature's ``init_app``; the order is the order at equal times."""
    register_timeline_source("referrals", referral_entries)
