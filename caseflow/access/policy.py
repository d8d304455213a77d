"""Need-to-know, in one place (see docs/security.md and shared domain rules).

Two questions are answered here and nowhere else:

* **may** this person do this kind of thing at all (a permission of their role)? No → 403.
* **which records** can they see? Every query for case data starts from a ``scope_*``
  statement below, so a record outside a person's reach is simply not found → 404, and
  a route cannot forget a check by accident.

Mentors and community psychologists ("visiting roles") see the visits assigned to them
and, for a survivor they visit under an active plan, only the visit card (alias, safe
contact, address, phone, safety flags). Every case or survivor record read by them answers
404, so they cannot even learn that other records exist. Liaisons see the referrals sent to
their organization (:func:`scope_referrals`), with as much of her identity as her consent
allows (:func:`referral_identity_fields`).
"""

from __future__ import annotations

import uuid
from functools import cache

from flask import current_app
from flask_login import current_user
from sqlalchemy import and_, bindparam, false, or_, select

from caseflow.core.db import mapped
from caseflow.core.errors import Forbidden, NotFound
from caseflow.extensions import db

#: Casework along the six steps: everyone who carries cases at a centre.
CASEWORK = frozenset({
    "incident.record", "incident.read", "consent.record", "consent.read", "consent.withdraw",
    "risk.assess", "risk.read", "session.record", "session.read", "plan.write", "plan.read",
    "approval.request", "approval.read", "case.close", "case.reopen",
    # Case conferences (step 4): the case team records and reads them; partners do not.
    "conference.record", "conference.read",
    # Referrals (issue 4): send, follow, cancel; the case's timeline.
    "referral.send", "referral.read", "referral.cancel", "timeline.read", "deadline_rule.read",
    # Mandatory reporting (Ley 31156) overrides her consent: a permission of its own, so a
    # deployment can narrow who may invoke it without touching the rest of casework.
    "referral.mandatory_report",
    # Survivors deprived of liberty (docs/custody.md).
    "custody.record", "custody.read", "supply.record", "supply.read", "restriction.record", "restriction.read",
})

#: What each role may do. Administrators run the directory and read no case content.
PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({"directory.read", "directory.write", "account.list", "audit.read", "notification.read",
                        "deadline_rule.read", "deadline_rule.write"}),
    "supervisor": frozenset({
        # Accounts of her centre: list them, confirm a content role given to one of them.
        "account.list", "account.confirm",
        "directory.read", "survivor.register", "survivor.read", "survivor.correct",
        "case.open", "case.read", "case.update", "case.assign", "case.access_log", "audit.read",
        "approval.decide", "supervision.read", "report.read", "statistics.read", "training.record",
        # Erasure takes two supervisors of the centre (see caseflow.rights.erasure).
        "survivor.erase", "survivor.export",
        "visit.plan", "visit.read", "visit.log", "workload.read", "notification.read",
    }) | CASEWORK,
    "caseworker": frozenset({
        "directory.read", "survivor.register", "survivor.read", "survivor.correct",
        "case.open", "case.read", "case.update", "case.assign", "survivor.export",
        "visit.plan", "visit.read", "visit.log", "notification.read",
    }) | CASEWORK,
    "mentor": frozenset({"directory.read", "deadline_rule.read", "visit.read", "visit.log", "notification.read"}),
    "psychologist": frozenset({"directory.read", "deadline_rule.read", "visit.read", "visit.log",
                               "notification.read"}),
    # Liaisons act for the receiving organization of a referral: read it, respond to it.
    "liaison": frozenset({"directory.read", "deadline_rule.read", "referral.read", "referral.respond",
                          # Refer on what her organization received (the police to the court).
                          "referral.onward",
                          "notification.read", "restriction.facility_read"}),
}

#: Roles whose people work inside a centre and see its cases.
CENTRE_CASE_ROLES = frozenset({"supervisor", "caseworker"})
#: Roles that visit survivors in the field; the plan kind each may carry.
VISIT_KINDS_BY_ROLE: dict[str, str] = {
    "mentor": "mentor_accompaniment",
    "psychologist": "psychological_followup",
}
VISITING_ROLES = frozenset(VISIT_KINDS_BY_ROLE)
#: Roles that receive a centre's escalations (missed visits, safety concerns, deadlines).
ESCALATION_ROLES = frozenset({"supervisor"})

#: Roles whose people work for an organization that receives referrals.
RECEIVING_ROLES = frozenset({"liaison"})


#: What a content role gives before a supervisor of her centre confirms it: nothing of the
#: centre's cases (four eyes on whoever can read them; see caseflow.directory.services).
UNCONFIRMED = frozenset({"notification.read"})


def permissions_of(user) -> frozenset[str]:
    role = getattr(user, "role", None)
    if role in CENTRE_CASE_ROLES and not getattr(user, "role_confirmed", True):
        return UNCONFIRMED
    return PERMISSIONS.get(role, frozenset())


def may(user, permission: str) -> bool:
    return permission in permissions_of(user)


def require(permission: str, user=None) -> None:
    if not may(user or current_user, permission):
        raise Forbidden()


def _require_record(permission: str, user=None) -> None:
    """Like :func:`require`, but visiting roles get 404: a record outside their visits
    does not exist for them (not even as a 403 that confirms it)."""
    user = user or current_user
    if not may(user, permission):
        raise NotFound() if user.role in VISITING_ROLES else Forbidden()


# -- scopes ---------------------------------------------------------------------------
def _case_centre(user):
    """The centre whose cases this person works on, or None: the one rule behind
    :func:`scope_cases`, :func:`case_or_404` and the survivors in reach."""
    if user.role not in CENTRE_CASE_ROLES or not getattr(user, "role_confirmed", True):
        return None
    return user.organization_id


def scope_cases(user=None):
    Case = mapped("Case")

    centre = _case_centre(user or current_user)
    statement = select(Case)
    if centre is not None:
        return statement.where(Case.organization_id == centre)
    return statement.where(False)


def scope_survivors(user=None):
    """Survivors registered by the person's centre or with a case there."""
    Survivor = mapped("Survivor")

    reach = survivor_reach(user)
    statement = select(Survivor)
    if reach is None:
        return statement.where(False)
    return statement.where(survivors_within_reach()).params(reach)


def survivor_reach(user=None) -> dict | None:
    """The parameters of :func:`survivors_within_reach` for this person, or None when she
    reaches no survivor at all."""
    centre = _case_centre(user or current_user)
    return None if centre is None else {"centre": centre}


@cache
def survivors_within_reach():
    """:func:`scope_survivors`'s rule as a WHERE clause whose ``centre`` comes from
    :func:`survivor_reach`: built once, for statements built once (a search by document
    runs one on every request, and building it cost as much as running it).

    Her case at the centre is asked for per survivor (``EXISTS``, by the cases' survivor
    index), not as the set of the centre's cases: given that set (``IN``), PostgreSQL hashed
    every case of the centre and scanned every survivor for each search, 35-90 ms at 100,000
    survivors for a search that reads a hundred candidates (1 ms this way)."""
    Case = mapped("Case")
    Survivor = mapped("Survivor")

    case_here = select(Case.id).where(Case.survivor_id == Survivor.id, Case.organization_id == bindparam("centre"))
    return or_(Survivor.organization_id == bindparam("centre"), case_here.exists())


def scope_case_records(model, user=None):
    """Records hanging off a case (incidents, sessions, approvals...) within reach."""
    Case = mapped("Case")

    cases_in_reach = scope_cases(user).with_only_columns(Case.id)
    return select(model).where(model.case_id.in_(cases_in_reach))


def scope_referrals(user=None):
    """Referrals a person may read: those sent by her centre, or (liaisons) those sent to
    her organization. Nobody else sees a referral's content."""
    Referral = mapped("Referral")

    user = user or current_user
    statement = select(Referral)
    if user.role in CENTRE_CASE_ROLES:
        return statement.where(Referral.from_organization_id == user.organization_id)
    if user.role in RECEIVING_ROLES:
        return statement.where(Referral.to_organization_id == user.organization_id)
    return statement.where(False)


def is_national_supervisor(user=None) -> bool:
    """A supervisor of an organization listed in ``CASEFLOW_NATIONAL_ORGANIZATIONS``
    oversees every centre's referral deadlines and reports (codes and counts, not notes
    or identities: those stay with :func:`scope_referrals`)."""
    user = user or current_user
    if user.role != "supervisor":
        return False
    national = current_app.config.get("CASEFLOW_NATIONAL_ORGANIZATIONS") or ()
    return user.organization_code in national


def oversight_centre(user=None) -> uuid.UUID | None:
    """Whose referrals a supervisor reviews (overdue list, reports): her centre's, or
    None for every centre (a national supervisor). Others may not review (403)."""
    user = user or current_user
    require("supervision.read", user)
    return None if is_national_supervisor(user) else user.organization_id


def statistics_centre(user=None) -> uuid.UUID | None:
    """Whose records a person's statistics count: her centre's (a supervisor), or None for
    every centre (national oversight). Others see no statistics (403)."""
    user = user or current_user
    require("statistics.read", user)
    return None if is_national_supervisor(user) else user.organization_id


def may_break_down_by_place(user=None) -> bool:
    """Department, province, district and centre breakdowns are national oversight's: within
    one centre they would point at the few women of a rural district."""
    return is_national_supervisor(user or current_user)


def scope_users(user=None):
    """Administrators see every account; others the accounts of their own organization
    (listing them takes ``account.list``: administrators and supervisors)."""
    User = mapped("User")

    user = user or current_user
    statement = select(User)
    if user.role == "admin":
        return statement
    return statement.where(User.organization_id == user.organization_id)


def scope_notifications(user=None):
    """A person's notifications are hers alone, whatever her role."""
    OutboxMessage = mapped("OutboxMessage")

    user = user or current_user
    return select(OutboxMessage).where(OutboxMessage.recipient_id == user.id)


def user_or_404(user_id: uuid.UUID, permission: str = "directory.read", user=None):
    User = mapped("User")

    require(permission, user)
    return _one(scope_users(user), User, user_id)


def notification_or_404(message_id: uuid.UUID, user=None):
    OutboxMessage = mapped("OutboxMessage")

    require("notification.read", user)
    return _one(scope_notifications(user), OutboxMessage, message_id)


def scope_audit(user=None):
    from caseflow.audit.models import AuditEntry

    user = user or current_user
    statement = select(AuditEntry)
    if user.role == "admin":
        return statement
    if user.role == "supervisor":
        return statement.where(AuditEntry.organization_id == user.organization_id)
    return statement.where(False)


def _one(statement, model, record_id: uuid.UUID):
    found = db.session.scalars(statement.where(model.id == record_id)).one_or_none()
    if found is None:
        raise NotFound()
    return found


def case_lookup(case_id: uuid.UUID, permission: str = "case.read", user=None) -> dict:
    """The parameters of :func:`case_within_reach` for this caller and case, or 404 (for
    :func:`case_or_404` and for lookups that read a case's rows without loading it)."""
    _require_record(permission, user)
    centre = _case_centre(user or current_user)
    if centre is None:
        raise NotFound()
    return {"centre": centre, "case_id": case_id}


@cache
def case_within_reach():
    """:func:`scope_cases` narrowed to one case, as a WHERE clause whose ``centre`` and
    ``case_id`` come from :func:`case_lookup`. Built once: most requests look a case up, and
    building the clause cost as much as running it (a built statement keeps its compiled
    form's cache key)."""
    Case = mapped("Case")

    return and_(Case.organization_id == bindparam("centre"), Case.id == bindparam("case_id"))


def case_or_404(case_id: uuid.UUID, permission: str = "case.read", user=None):
    """The case, if within reach."""
    params = case_lookup(case_id, permission, user)
    found = db.session.scalars(_case_within_reach(), params).one_or_none()
    if found is None:
        raise NotFound()
    return found


@cache
def _case_within_reach():
    Case = mapped("Case")

    return select(Case).where(case_within_reach())


def survivor_or_404(survivor_id: uuid.UUID, permission: str = "survivor.read", user=None):
    Survivor = mapped("Survivor")

    _require_record(permission, user)
    return _one(scope_survivors(user), Survivor, survivor_id)


def referral_or_404(referral_id: uuid.UUID, permission: str = "referral.read", user=None):
    Referral = mapped("Referral")

    require(permission, user)
    return _one(scope_referrals(user), Referral, referral_id)


def case_record_or_404(model, record_id: uuid.UUID, permission: str, user=None):
    require(permission, user)
    return _one(scope_case_records(model, user), model, record_id)


# -- field-level rules ----------------------------------------------------------------
#: Sessions whose notes only the same discipline (and the centre's supervisors) may read.
#: Psychology notes are clinical: the legal or social caseworker sees that a session
#: happened, not what was said (issue 3; shared domain notes, "Need-to-know").
RESTRICTED_NOTES = frozenset({"psychology"})


def may_read_session_notes(session, user=None) -> bool:
    """Whether ``user`` may read this attention session's summary and next steps.

    Callers have already found the session through :func:`scope_case_records`, so it is a
    session of the person's centre.
    """
    user = user or current_user
    if not may(user, "session.read"):
        return False
    if session.discipline not in RESTRICTED_NOTES:
        return True
    if user.role == "supervisor":
        return True
    return user.role == "caseworker" and user.discipline == session.discipline


#: Whether her consent covers an organization now: the consents feature gives the policy its
#: rule at set-up (``caseflow.consents.init_app``), so the kernel imports no feature.
_CONSENT_RULE = []


def register_consent_rule(rule) -> None:
    """``rule(case, organization) -> truthy`` while a consent in effect covers it."""
    _CONSENT_RULE[:] = [rule]


def consent_in_effect(case, organization) -> bool:
    """No rule registered means no consent: the policy fails closed."""
    return bool(_CONSENT_RULE and _CONSENT_RULE[0](case, organization))


def may_read_referral_note(referral, user=None) -> bool:
    """A referral's free-text note: the sending centre's staff, and the receiving
    organization's liaisons only while her consent to that organization is in effect (the
    note is about her as much as her name is; issue 15). Nobody else."""
    user = user or current_user
    if user.role in CENTRE_CASE_ROLES:
        return user.organization_id == referral.from_organization_id
    if user.role in RECEIVING_ROLES and user.organization_id == referral.to_organization_id:
        return consent_in_effect(referral.case, referral.to_organization)
    if user.role in RECEIVING_ROLES and user.organization_id == getattr(referral, "referred_by_organization_id", None):
        return True  # the organization that referred on wrote it
    return False


def may_refer_onward(referral, user=None) -> bool:
    """Only the receiving organization of a referral sends it on (its liaisons)."""
    user = user or current_user
    return may(user, "referral.onward") and user.organization_id == referral.to_organization_id


def may_read_visit_log_notes(log, user=None) -> bool:
    """A visit log's notes: the case team of the case's centre, and the person who wrote them
    (her own notes come back to her). A visitor of another organization reads hers only while
    her consent to that organization is in effect, as with the visit card."""
    user = user or current_user
    if user.role in CENTRE_CASE_ROLES:
        return _case_centre(user) == log.case.organization_id
    if log.logged_by_id != user.id:
        return False
    if user.organization_id == log.case.organization_id:
        return True
    organization = db.session.get(mapped("Organization"), user.organization_id)
    return organization is not None and consent_in_effect(log.case, organization)


def _reaches_case_of(record, user) -> bool:
    """The default for a record hanging off a case: its sensitive fields are read by the
    staff of the case's centre. Her export gathers her records from every centre; those of a
    case elsewhere are that centre's to show."""
    case = getattr(record, "case", None)
    if case is None:
        case = db.session.get(mapped("Case"), record.case_id)
    return case is not None and _case_centre(user) == case.organization_id


#: The one table of field-level rules: (table, field) → who may read it, given a record the
#: reader has already found through a scope. Every exit asks :func:`may_read_field` (API
#: schemas, the survivor export, the visit card, the console); notifications and the
#: calendar carry codes only and no field listed here. A field not listed is read by
#: whoever reaches its record, except that an encrypted field of a record hanging off a case
#: follows :func:`_reaches_case_of`.
FIELD_RULES = {
    ("attention_sessions", "summary"): may_read_session_notes,
    ("attention_sessions", "next_steps"): may_read_session_notes,
    ("referrals", "note"): may_read_referral_note,
    ("visit_logs", "notes"): may_read_visit_log_notes,
}


def may_read_field(record, field: str, user=None) -> bool:
    """Whether ``user`` may read ``record.<field>`` — the one question every exit asks
    before it decrypts or shows a sensitive value (docs/security.md, "One rule for every
    exit"). Ask before reading: a denied field is then never decrypted nor audited as read."""
    user = user or current_user
    rule = FIELD_RULES.get((type(record).__tablename__, field))
    if rule is not None:
        return rule(record, user)
    if hasattr(record, "case_id") and _is_encrypted(type(record), field):
        return _reaches_case_of(record, user)
    return True


def readable_value(record, field: str, user=None):
    """``record.<field>`` if :func:`may_read_field` allows it, else None (not decrypted)."""
    return getattr(record, field) if may_read_field(record, field, user) else None


def _is_encrypted(model, field: str) -> bool:
    from caseflow.crypto.fields import encrypted_attributes

    return any(attr.name == field for attr in encrypted_attributes(model))


def may_hold_session(discipline: str, user=None) -> bool:
    """A caseworker records sessions of her own discipline; a supervisor of any."""
    user = user or current_user
    if not may(user, "session.record"):
        return False
    return user.role == "supervisor" or user.discipline == discipline


def may_decide_approval(approval, user=None) -> bool:
    """Only a supervisor decides, and never her own request (four eyes)."""
    user = user or current_user
    return may(user, "approval.decide") and approval.requested_by_id != user.id


# -- visits ---------------------------------------------------------------------------
def _centre_or_assignee(model, user=None):
    """Centre staff: their centre's rows. Visiting roles: the rows assigned to them."""
    user = user or current_user
    statement = select(model)
    if user.role in CENTRE_CASE_ROLES:
        return statement.where(model.organization_id == user.organization_id)
    if user.role in VISITING_ROLES:
        return statement.where(model.assignee_id == user.id)
    return statement.where(False)


def scope_visit_plans(user=None):
    VisitPlan = mapped("VisitPlan")

    return _centre_or_assignee(VisitPlan, user)


def scope_visits(user=None):
    Visit = mapped("Visit")

    return _centre_or_assignee(Visit, user)


def visit_or_404(visit_id: uuid.UUID, permission: str = "visit.read", user=None):
    Visit = mapped("Visit")

    _require_record(permission, user)
    return _one(scope_visits(user), Visit, visit_id)


def visit_plan_or_404(plan_id: uuid.UUID, permission: str = "visit.read", user=None):
    VisitPlan = mapped("VisitPlan")

    _require_record(permission, user)
    return _one(scope_visit_plans(user), VisitPlan, plan_id)


def may_read_visit_card(visit, user=None) -> bool:
    """What a visit needs (alias, safe contact, address, phone, safety flags): centre staff
    of the case's centre, or the person visiting her under an active plan."""
    VisitPlan = mapped("VisitPlan")

    user = user or current_user
    if user.role in CENTRE_CASE_ROLES:
        return may(user, "survivor.read") and visit.organization_id == user.organization_id
    if user.role in VISITING_ROLES:
        return db.session.scalar(
            select(VisitPlan.id).where(VisitPlan.case_id == visit.case_id, VisitPlan.assignee_id == user.id,
                                       VisitPlan.status == "active").limit(1)
        ) is not None
    return False


#: The visit card: what a visit needs of her identity and whereabouts.
VISIT_CARD_FIELDS = ("alias", "safe_contact", "address", "phone")
#: What a visitor of another organization keeps of it once no consent covers her organization.
VISIT_CARD_WITHOUT_CONSENT = ("alias",)


def visit_card_fields(visit, user=None) -> tuple[str, ...]:
    """Which card fields this person reads on this visit (docs/security.md, "Visit cards").

    A visitor of the case's own centre, and its staff, read the whole card. A visitor of
    another organization was assignable only under her consent to that organization; she
    reads the card only while that consent is in effect, and the alias alone once it is
    withdrawn (she still has a visit to make, and the centre arranges the rest)."""
    user = user or current_user
    if not may_read_visit_card(visit, user):
        return ()
    if user.role in VISITING_ROLES and user.organization_id != visit.organization_id:
        organization = db.session.get(mapped("Organization"), user.organization_id)
        if organization is None or not consent_in_effect(visit.case, organization):
            return VISIT_CARD_WITHOUT_CONSENT
    return VISIT_CARD_FIELDS


def may_carry_visit_kind(user, kind: str) -> bool:
    return VISIT_KINDS_BY_ROLE.get(user.role) == kind


def visiting_staff(organization_id):
    """Mentors and community psychologists of a centre (workload, assignment)."""
    User = mapped("User")

    return select(User).where(User.organization_id == organization_id, User.role.in_(VISITING_ROLES))


def scope_visitors(user=None):
    """Whom a person who plans visits may assign them to: the active mentors and community
    psychologists of her own centre (``GET /visits/visitors``). Anyone without a centre's
    cases (an administrator, a liaison, a visitor, an unconfirmed account) reaches nobody."""
    User = mapped("User")

    user = user or current_user
    centre = _case_centre(user)
    if centre is None or not may(user, "visit.plan"):
        return select(User).where(false())
    return visiting_staff(centre).where(User.active.is_(True))


def receiving_staff(organization_id):
    """Who acts on referrals sent to an organization (and hears that a deadline nears)."""
    User = mapped("User")

    return select(User).where(User.organization_id == organization_id, User.role.in_(RECEIVING_ROLES),
                              User.active.is_(True)).order_by(User.id)


def case_team(case_ids):
    """The staff who carry these cases (open assignments of active, confirmed caseworkers and
    supervisors of the case's centre): ``(case_id, user_id)`` rows. They hear their cases'
    escalations beside the centre's supervisors."""
    User = mapped("User")
    Case = mapped("Case")
    CaseAssignment = mapped("CaseAssignment")

    return (select(CaseAssignment.case_id, User.id)
            .join(User, User.id == CaseAssignment.user_id)
            .join(Case, Case.id == CaseAssignment.case_id)
            .where(CaseAssignment.case_id.in_(list(case_ids)), CaseAssignment.ended_at.is_(None),
                   User.active.is_(True), User.role.in_(CENTRE_CASE_ROLES), User.role_confirmed.is_(True),
                   User.organization_id == Case.organization_id)
            .order_by(CaseAssignment.case_id, User.id))


def approval_deciders(organization_id, requested_by_id):
    """Who decides an approval a person of this centre asked for: its other supervisors."""
    return escalation_recipients(organization_id).where(mapped("User").id != requested_by_id)


def escalation_recipients(organization_id):
    """Who hears about a centre's missed visits, safety concerns and breached deadlines."""
    User = mapped("User")

    return select(User).where(User.organization_id == organization_id, User.role.in_(ESCALATION_ROLES),
                              User.active.is_(True)).order_by(User.id)

# -- referrals ------------------------------------------------------------------------
#: Who moves a referral into each status (shared domain notes, "Referral states": only the
#: receiving organization accepts, rejects, progresses or completes; the referrer cancels).
RECEIVER_MOVES = frozenset({"accepted", "rejected", "in_progress", "completed", "failed"})
REFERRER_MOVES = frozenset({"cancelled"})


def may_move_referral(referral, status: str, user=None) -> bool:
    user = user or current_user
    if status in RECEIVER_MOVES:
        return may(user, "referral.respond") and user.organization_id == referral.to_organization_id
    if status in REFERRER_MOVES:
        return may(user, "referral.cancel") and user.organization_id == referral.from_organization_id
    return False


#: What a receiving organization learns of her identity while her consent for it is in
#: effect: enough to find and serve her. Her address is never sent (a leaked address can
#: put her in front of the aggressor); the centre arranges contact through safe_contact.
IDENTITY_WITH_CONSENT = (
    "alias", "given_names", "family_names", "document_type", "document_number", "birth_date",
    "phone", "safe_contact",
)
#: Sent under a mandatory report without consent (or after she withdrew it): the minimum.
IDENTITY_MINIMUM = ("alias",)
#: The centre reads her full record through /survivors; on a referral it sees the alias.
IDENTITY_FOR_CENTRE = ("alias",)


def referral_identity_fields(referral, consent_in_effect: bool, user=None) -> tuple[str, ...]:
    """Which of her identity fields this person sees on this referral.

    ``consent_in_effect`` is the consents' decision for the receiving organization, given as
    data: the policy decides what that decision allows, the consents decide whether it holds.
    """
    user = user or current_user
    if user.role in CENTRE_CASE_ROLES and user.organization_id == referral.from_organization_id:
        return IDENTITY_FOR_CENTRE
    if user.role in RECEIVING_ROLES and user.organization_id == referral.to_organization_id:
        return IDENTITY_WITH_CONSENT if consent_in_effect else IDENTITY_MINIMUM
    return ()
