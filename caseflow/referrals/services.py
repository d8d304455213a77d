"""Sending referrals and moving them through their states. Services flush; the request
commits. Rules: shared domain notes ("Consent and sharing", "Referral states",
"Deadlines") and docs/referrals.md."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext
from flask_login import current_user
from sqlalchemy import select, update

from caseflow.access.policy import may_move_referral, may_refer_onward, receiving_staff, require, scope_referrals
from caseflow.audit.services import record, record_model_write
from caseflow.cases import steps
from caseflow.cases.models import Case
from caseflow.cases.services import add_event, record_complaint_filed
from caseflow.consents.services import may_share
from caseflow.core.clock import utcnow
from caseflow.core.errors import Conflict, Forbidden, Unprocessable, field_error
from caseflow.directory.models import Organization
from caseflow.extensions import db
from caseflow.incidents.models import Incident
from caseflow.referrals import deadlines, signals
from caseflow.referrals.models import (
    FINAL_STATUSES,
    ONWARD_DUTY_SECTORS,
    ONWARD_FROM_STATUSES,
    RECEIVING_SECTORS,
    SERVICE_SECTORS,
    STATUSES,
    DeadlineRule,
    Referral,
    ReferralClock,
    ReferralEvent,
    serving_sector,
)
from caseflow.referrals.rules import rules_in_effect
from caseflow.scheduling import outbox

#: The FHIR Task state machine (shared domain notes, "Referral states").
TRANSITIONS: dict[str, frozenset[str]] = {
    "requested": frozenset({"accepted", "rejected", "cancelled"}),
    "accepted": frozenset({"in_progress", "cancelled"}),
    "in_progress": frozenset({"completed", "failed"}),
}
#: The police complaint: completing its referral means she filed a complaint.
COMPLAINT_SERVICE = "complaint"
#: A reason is required to move into these (shared domain notes).
REASON_REQUIRED = frozenset({"rejected", "cancelled", "failed"})

NO_CONSENT = lazy_gettext(
    "No consent in effect covers this organization: record her consent for it first, or a "
    "mandatory report with its legal basis.")
CONSENT_WITHDRAWN = lazy_gettext(
    "Her consent for this organization was withdrawn: the referral cannot be sent without a "
    "mandatory report with its legal basis.")
MOVED_ALREADY = lazy_gettext("The referral was moved by someone else meanwhile; reload it and try again.")


# -- sending --------------------------------------------------------------------------
def _recipient(case: Case, organization_id: uuid.UUID, service_type: str) -> Organization:
    organization = db.session.get(Organization, organization_id)
    if organization is None or not organization.active:
        raise field_error("to_organization_id", lazy_gettext("No such organization."))
    sector = serving_sector(organization.sector)
    if organization.id == case.organization_id or sector not in RECEIVING_SECTORS:
        raise field_error("to_organization_id", lazy_gettext(
            "Referrals go to a health, police, justice, social or NGO organization."))
    if sector not in SERVICE_SECTORS[service_type]:
        raise field_error("service_type", lazy_gettext(
            "This service type is not provided by the organization's sector."))
    if service_type not in (organization.service_types or []):
        raise field_error("service_type", lazy_gettext("The organization does not offer this service type."))
    return organization


def _incident(case: Case, incident_id: uuid.UUID | None) -> Incident | None:
    """The incident whose time starts clinical clocks: the one named, or the latest."""
    statement = select(Incident).where(Incident.case_id == case.id)
    if incident_id is not None:
        incident = db.session.scalars(statement.where(Incident.id == incident_id)).first()
        if incident is None:
            raise field_error("incident_id", lazy_gettext("No such incident in this case."))
        return incident
    return db.session.scalars(statement.order_by(Incident.occurred_at.desc(), Incident.id)).first()


def _check_sharing(case: Case, organization: Organization, mandatory: dict | None):
    decision = may_share(case, organization)
    if mandatory is not None:
        if not mandatory["legal_basis"].strip():
            raise Unprocessable(errors={"mandatory_report": {"legal_basis": [
                lazy_gettext("Name the law that requires the report.")]}})
        require("referral.mandatory_report")
        return decision
    if not decision:
        raise Conflict(CONSENT_WITHDRAWN if decision.reason == "consent_withdrawn" else NO_CONSENT)
    return decision


def send(case: Case, data: dict) -> Referral:
    steps.ensure_open(case)
    service_type = data["service_type"]
    organization = _recipient(case, data["to_organization_id"], service_type)
    mandatory = data.get("mandatory_report")
    decision = _check_sharing(case, organization, mandatory)
    incident = _incident(case, data.get("incident_id"))
    now = utcnow()
    referral = Referral(
        case_id=case.id, survivor_id=case.survivor_id, from_organization_id=case.organization_id,
        to_organization_id=organization.id, sector=serving_sector(organization.sector), service_type=service_type,
        priority=data.get("priority") or case.priority, status="requested", sent_at=now,
        sent_by_id=current_user.id, consent_id=decision.consent.id if decision else None,
        mandatory_report=mandatory is not None,
        mandatory_report_basis=mandatory["legal_basis"].strip() if mandatory else None,
        survivor_informed=mandatory.get("survivor_informed") if mandatory else None,
        incident_id=incident.id if incident else None,
    )
    referral.ensure_id()
    if data.get("note"):
        referral.note = data["note"]
    db.session.add(referral)
    db.session.flush()
    _start_clocks(referral, rules_in_effect(service_type, referral.priority, now), incident)
    _write_event(referral, None, "requested", None, now)
    signals.referral_sent.send(referral)
    add_event(case, "referral_sent", {"referral_id": str(referral.id), "service_type": service_type,
                                      "to_organization_id": str(organization.id),
                                      "mandatory_report": referral.mandatory_report})
    record_model_write("create", referral, fields=sorted(set(data) - {"mandatory_report"}),
                       detail={"to_organization_id": str(organization.id), "service_type": service_type,
                               "consent": decision.reason})
    if mandatory is not None:
        # The override of her consent is its own audit entry, with its legal basis.
        record("mandatory_report", "referrals", referral.id, case_id=case.id, survivor_id=case.survivor_id,
               detail={"legal_basis": referral.mandatory_report_basis, "consent": decision.reason,
                       "to_organization_id": str(organization.id),
                       "survivor_informed": referral.survivor_informed})
    _tell_receiver(referral)
    return referral


# -- sending on -----------------------------------------------------------------------
def _onward_duty(parent: Referral, organization: Organization) -> ReferralClock | None:
    """The parent's clock whose rule obliges its receiver to send the case on to this
    organization's sector (the police's to the family court), if any."""
    if serving_sector(organization.sector) not in ONWARD_DUTY_SECTORS:
        return None
    duties = [c for c in parent.clocks if c.milestone == "referred_on"]
    running = [c for c in duties if c.running]
    return min(running or duties, key=lambda c: c.due_at) if duties else None


def refer_onward(parent: Referral, data: dict) -> Referral:
    """The receiving organization sends the case on (the police send the complaint to the
    family court): a new referral of the case's centre carrying ``parent_referral_id``.
    The legal duty behind the parent's ``referred_on`` clock is its basis, recorded like a
    mandatory report; sending it meets that clock, and the new referral's own clocks start."""
    if not may_refer_onward(parent):
        raise Forbidden(lazy_gettext("Only the organization that received a referral sends it on."))
    case = parent.case
    steps.ensure_open(case)
    if parent.status not in ONWARD_FROM_STATUSES:
        raise Conflict(lazy_gettext("Accept the referral before sending it on; an ended one is not sent on."))
    service_type = data["service_type"]
    organization = _recipient(case, data["to_organization_id"], service_type)
    if organization.id == parent.to_organization_id:
        raise field_error("to_organization_id", lazy_gettext("A referral is sent on to another organization."))
    duty = _onward_duty(parent, organization)
    decision = may_share(case, organization)
    if duty is None and not decision:
        raise Conflict(CONSENT_WITHDRAWN if decision.reason == "consent_withdrawn" else NO_CONSENT)
    incident = db.session.get(Incident, parent.incident_id) if parent.incident_id else None
    now = utcnow()
    basis = duty.rule.source if duty is not None else None
    child = Referral(
        case_id=case.id, survivor_id=case.survivor_id, from_organization_id=case.organization_id,
        to_organization_id=organization.id, sector=serving_sector(organization.sector), service_type=service_type,
        priority=parent.priority, status="requested", sent_at=now, sent_by_id=current_user.id,
        consent_id=decision.consent.id if decision else None,
        mandatory_report=duty is not None, mandatory_report_basis=basis,
        incident_id=incident.id if incident else None,
        parent_referral_id=parent.id, referred_by_organization_id=parent.to_organization_id,
    )
    child.ensure_id()
    if data.get("note"):
        child.note = data["note"]
    db.session.add(child)
    db.session.flush()
    _start_clocks(child, rules_in_effect(service_type, child.priority, now), incident)
    _write_event(child, None, "requested", None, now)
    signals.referral_sent.send(child)
    met = None
    if duty is not None and duty.running:
        duty.meet(now)
        met = duty
        _refresh_next_due(parent)
    detail = {"referral_id": str(child.id), "parent_referral_id": str(parent.id), "service_type": service_type,
              "to_organization_id": str(organization.id),
              "referred_by_organization_id": str(parent.to_organization_id),
              "mandatory_report": child.mandatory_report}
    add_event(case, "referral_sent", detail)
    record_model_write("create", child, fields=sorted(data),
                       detail={**detail, "consent": decision.reason,
                               "parent_clock_met": met.rule.code if met is not None else None})
    if duty is not None:
        # The legal duty overrides her consent as a mandatory report does: its own entry.
        record("mandatory_report", "referrals", child.id, case_id=case.id, survivor_id=case.survivor_id,
               detail={"legal_basis": basis, "consent": decision.reason, "onward_from": str(parent.id),
                       "to_organization_id": str(organization.id)})
    db.session.flush()
    _tell_receiver(child)
    return child


def onward_of(referral: Referral) -> list[Referral]:
    """The referrals its receiving organization sent on from this one, in order."""
    return list(db.session.scalars(select(Referral).where(Referral.parent_referral_id == referral.id)
                                   .order_by(Referral.sent_at, Referral.id)).unique())


def _tell_receiver(referral: Referral) -> None:
    """Its liaisons hear at once that a referral arrived (in the app, by e-mail where it is
    configured): codes only (``caseflow.referrals.notices``)."""
    liaisons = [user.id for user in db.session.scalars(receiving_staff(referral.to_organization_id))]
    detail = {"referral_id": str(referral.id), "service_type": referral.service_type,
              "priority": referral.priority, "due_at": referral.due_at.isoformat() if referral.due_at else None,
              "parent_referral_id": str(referral.parent_referral_id) if referral.parent_referral_id else None}
    outbox.notify(liaisons, topic="referral_received", subject_id=referral.id, subject_at=referral.sent_at,
                  now=utcnow(), case=referral.case, detail=detail)


def _start_clocks(referral: Referral, rules: list[DeadlineRule], incident: Incident | None) -> None:
    """Start every clock whose anchor has happened; fix the referral's governing deadline
    when it is sent."""
    incident_at = incident.occurred_at if incident else None
    started = []
    for rule in rules:
        if rule.anchor == "incident" and incident_at is None:
            raise Conflict(lazy_gettext(
                "This service's clock starts at the incident: record the incident first."))
        start = deadlines.clock_start(rule.anchor, incident_at=incident_at, sent_at=referral.sent_at,
                                      accepted_at=referral.accepted_at)
        if start is None or any(c.rule_id == rule.id for c in referral.clocks):
            continue
        clock = ReferralClock(referral_id=referral.id, rule_id=rule.id, milestone=rule.milestone,
                              starts_at=start, due_at=deadlines.due_after(start, rule.hours),
                              sent_at=referral.sent_at, organization_id=referral.from_organization_id)
        clock.rule = rule
        referral.clocks.append(clock)
        started.append((rule, clock.due_at))
    if referral.status == "requested":
        headline = deadlines.governing(started)
        if headline is not None:
            referral.deadline_rule_id, referral.due_at = headline[0].id, headline[1]
    _refresh_next_due(referral)
    db.session.flush()


def _refresh_next_due(referral: Referral) -> None:
    running = [c.due_at for c in referral.clocks if c.running]
    referral.next_due_at = min(running) if running else None


def _write_event(referral: Referral, from_status, to_status: str, reason: str | None, at) -> ReferralEvent:
    event = ReferralEvent(referral_id=referral.id, case_id=referral.case_id, survivor_id=referral.survivor_id,
                          from_status=from_status, to_status=to_status, at=at,
                          actor_id=current_user.id, organization_id=current_user.organization_id)
    event.ensure_id()
    if reason:
        event.reason = reason
    db.session.add(event)
    return event


# -- moving through the states --------------------------------------------------------
def transition(referral: Referral, status: str, reason: str | None) -> Referral:
    reason = (reason or "").strip() or None
    if status in REASON_REQUIRED and reason is None:
        raise field_error("reason", lazy_gettext("A reason is required for this status."))
    # Nobody moves a referral back to "requested": that is an impossible move (409 below).
    if status != "requested" and not may_move_referral(referral, status):
        raise Forbidden(lazy_gettext(
            "Only the receiving organization accepts, rejects, progresses or completes a referral; "
            "only the referring centre cancels it."))
    previous = referral.status
    if status not in TRANSITIONS.get(previous, ()):
        raise Conflict(lazy_gettext("A referral cannot move from this status to that one."))
    now = utcnow()
    values = {"status": status, "updated_at": now}
    if status == "accepted":
        values["accepted_at"] = now
    if status == "completed":
        values["completed_at"] = now
    if status in FINAL_STATUSES:
        values["closed_at"] = now
    # Compare-and-set: of two simultaneous moves only the first still finds the old status.
    won = db.session.execute(
        update(Referral).where(Referral.id == referral.id, Referral.status == previous)
        .values(**values).execution_options(synchronize_session=False)
    ).rowcount
    if not won:
        raise Conflict(MOVED_ALREADY)
    db.session.refresh(referral)
    _advance_clocks(referral, status, now)
    _write_event(referral, previous, status, reason, now)
    add_event(referral.case, "referral_moved", {"referral_id": str(referral.id), "from": previous, "to": status})
    if status == "completed" and referral.service_type == COMPLAINT_SERVICE:
        # The police received her complaint: she filed one (the case's complaint_filed).
        record_complaint_filed(referral.case, "complaint_referral_completed")
    record_model_write("update", referral, fields=["status"] + (["reason"] if reason else []),
                       detail={"from": previous, "to": status})
    db.session.flush()
    signals.referral_moved.send(referral, status=status)
    return referral


def _advance_clocks(referral: Referral, status: str, now) -> None:
    for clock in referral.clocks:
        if not clock.running:
            continue
        answers_acknowledgement = clock.rule.priority is not None and status in ("accepted", "rejected")
        if (clock.milestone == status) or answers_acknowledgement:
            clock.meet(now)
        elif status in FINAL_STATUSES:
            clock.stopped_at, clock.cancelled = now, status == "cancelled"
    if status == "accepted":
        rules = rules_in_effect(referral.service_type, referral.priority, referral.sent_at)
        _start_clocks(referral, [r for r in rules if r.anchor == "referral_accepted"], None)
    _refresh_next_due(referral)


# -- reading --------------------------------------------------------------------------
def complaint_completed(case: Case) -> bool:
    """A police complaint referral of the case was completed: she filed a complaint."""
    return db.session.scalar(select(Referral.id).where(
        Referral.case_id == case.id, Referral.service_type == COMPLAINT_SERVICE,
        Referral.status == "completed").limit(1)) is not None


def of_case(case: Case):
    return scope_referrals().where(Referral.case_id == case.id).order_by(Referral.sent_at.desc(), Referral.id)


def filtered(args: dict):
    statement = scope_referrals().order_by(Referral.sent_at.desc(), Referral.id)
    for name in ("status", "sector", "service_type", "case_id", "priority"):
        if name in args:
            statement = statement.where(getattr(Referral, name) == args[name])
    if "overdue" in args:
        now = utcnow()
        statement = statement.where(
            Referral.next_due_at < now if args["overdue"]
            else (Referral.next_due_at.is_(None) | (Referral.next_due_at >= now)))
    return statement


def events_of(referral: Referral) -> list[ReferralEvent]:
    """In order; events within one instant follow the state machine (a frozen test clock)."""
    events = db.session.scalars(select(ReferralEvent).where(ReferralEvent.referral_id == referral.id)).all()
    return sorted(events, key=event_order)


def event_order(event: ReferralEvent):
    return (event.at, STATUSES.index(event.to_status))


def overdue_cases_filter(statement, overdue: bool):
    """Cases with (or, given False, without) a referral whose clock has run out."""
    late = select(Referral.case_id).where(Referral.next_due_at < utcnow())
    return statement.where(Case.id.in_(late) if overdue else Case.id.not_in(late))


def next_due_by_case(case_ids) -> dict:
    """Each case's nearest running referral deadline (``{case_id: due_at}``; a case without
    a running clock is absent): one grouped query over the given cases (a list's page)."""
    from sqlalchemy import func

    if not case_ids:
        return {}
    rows = db.session.execute(
        select(Referral.case_id, func.min(Referral.next_due_at))
        .where(Referral.case_id.in_(list(case_ids)), Referral.next_due_at.is_not(None))
        .group_by(Referral.case_id))
    return {case_id: due for case_id, due in rows}
