"""Consent for sharing: recording, withdrawing, and the one question later work asks,
:func:`may_share` — may this case's data go to organization X now?

Rules (shared domain notes, "Consent and sharing"): nothing goes to another organization
without her informed consent for that recipient (a sector or a named organization), with
who gave it, how and when; it is revocable. Children: under 15 a guardian consents and the
child assents; from 15 she consents herself; when the guardian is the aggressor the
best-interest exception applies. Mandatory reporting (Ley 31156) is the referrals' concern:
it is an override recorded there, not a consent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timezone

from flask_babel import lazy_gettext
from flask_login import current_user
from sqlalchemy import select

from caseflow.access.policy import scope_case_records
from caseflow.audit.services import record_model_write
from caseflow.cases import steps
from caseflow.cases.models import Case
from caseflow.cases.recording import local_date, not_in_future, survivor_age_on
from caseflow.cases.services import add_event
from caseflow.consents.models import Consent
from caseflow.core.clock import utcnow
from caseflow.core.errors import Conflict, Unprocessable, field_error
from caseflow.directory.models import Organization
from caseflow.extensions import db

#: From this age a girl consents herself (shared domain notes).
SELF_CONSENT_AGE = 15
ADULT_AGE = 18


@dataclass(frozen=True)
class ConsentDecision:
    """The answer to "may this go to that organization now?", with the consent it rests on."""

    allowed: bool
    reason: str  # consent_in_effect | no_consent | consent_withdrawn
    consent: Consent | None = None

    def __bool__(self) -> bool:
        return self.allowed


def _recipient(data: dict) -> tuple[str, Organization | None]:
    organization = None
    org_id = data.get("recipient_organization_id")
    if org_id is not None:
        organization = db.session.get(Organization, org_id)
        if organization is None or not organization.active:
            raise field_error("recipient_organization_id", lazy_gettext("No such organization."))
        sector = data.get("recipient_sector") or organization.sector
        if sector != organization.sector:
            raise field_error("recipient_sector", lazy_gettext("The organization belongs to another sector."))
        return sector, organization
    if not data.get("recipient_sector"):
        raise field_error("recipient_sector", lazy_gettext("Name a recipient sector or organization."))
    return data["recipient_sector"], None


def check_giver(age: int | None, data: dict) -> None:
    """Who may give consent at her age; an unknown age leaves the choice to the caseworker."""
    given_by, assent = data["given_by"], data.get("child_assent")
    exception = data.get("best_interest_exception", False)
    if exception and (age is None or age >= SELF_CONSENT_AGE):
        raise field_error("best_interest_exception", lazy_gettext(
            "The best-interest exception applies only to a child under 15."))
    if age is None:
        return
    if age < SELF_CONSENT_AGE:
        if not assent:
            raise field_error("child_assent", lazy_gettext("A child under 15 must assent."))
        if given_by != "guardian" and not exception:
            raise field_error("given_by", lazy_gettext(
                "Under 15 a guardian consents (or the best-interest exception applies)."))
        if given_by == "guardian" and exception:
            raise field_error("given_by", lazy_gettext(
                "Under the best-interest exception the guardian does not consent."))
    elif given_by != "survivor":
        raise field_error("given_by", lazy_gettext("From 15 she consents herself."))


def record_consent(case: Case, data: dict) -> Consent:
    steps.ensure_open(case)
    sector, organization = _recipient(data)
    not_in_future("given_at", data["given_at"])
    check_giver(survivor_age_on(case, local_date(data["given_at"])), data)
    consent = Consent(
        case_id=case.id, survivor_id=case.survivor_id, recipient_sector=sector,
        recipient_organization_id=organization.id if organization else None,
        given_by=data["given_by"], child_assent=data.get("child_assent"),
        best_interest_exception=data.get("best_interest_exception", False),
        method=data["method"], given_at=data["given_at"].astimezone(timezone.utc), recorded_by_id=current_user.id,
    )
    consent.ensure_id()
    if data.get("note"):
        consent.note = data["note"]
    db.session.add(consent)
    db.session.flush()
    add_event(case, "consent_recorded", {"consent_id": str(consent.id), "recipient_sector": sector,
                                         "recipient_organization_id": str(organization.id) if organization else None})
    record_model_write("create", consent, fields=sorted(data))
    return consent


def withdraw(consent: Consent, note: str | None = None) -> Consent:
    if consent.withdrawn_at is not None:
        raise Conflict(lazy_gettext("This consent was already withdrawn."))
    consent.withdrawn_at = utcnow()
    consent.withdrawn_by_id = current_user.id
    if note:
        consent.withdrawal_note = note
    db.session.flush()
    case = db.session.get(Case, consent.case_id)
    add_event(case, "consent_withdrawn", {"consent_id": str(consent.id)})
    record_model_write("update", consent, fields=["withdrawn_at"] + (["withdrawal_note"] if note else []))
    return consent


def _covering(case: Case, organization: Organization):
    return select(Consent).where(
        Consent.case_id == case.id,
        (Consent.recipient_organization_id == organization.id)
        | (Consent.recipient_organization_id.is_(None) & (Consent.recipient_sector == organization.sector)),
    ).order_by(Consent.given_at.desc(), Consent.created_at.desc())


def may_share(case: Case, organization: Organization) -> ConsentDecision:
    """May this case's data go to ``organization`` now? Truthy when a consent is in effect.

    A consent naming the organization, or its whole sector, covers it; a withdrawn consent
    covers nothing. This does not check the caller's access: callers hold the case already.
    """
    consents = db.session.scalars(_covering(case, organization)).all()
    now = utcnow()
    for consent in consents:
        if consent.in_effect and consent.given_at <= now:
            return ConsentDecision(True, "consent_in_effect", consent)
    if consents:
        return ConsentDecision(False, "consent_withdrawn", consents[0])
    return ConsentDecision(False, "no_consent", None)


def covered_organization_ids(case: Case) -> set:
    """Organizations her consents in effect cover now: named ones and those of a named sector."""
    now = utcnow()
    in_effect = [c for c in db.session.scalars(select(Consent).where(Consent.case_id == case.id))
                 if c.in_effect and c.given_at <= now]
    named = {c.recipient_organization_id for c in in_effect if c.recipient_organization_id}
    sectors = {c.recipient_sector for c in in_effect if c.recipient_organization_id is None}
    if sectors:
        named |= set(db.session.scalars(select(Organization.id).where(Organization.sector.in_(sectors))))
    return named


def coverage(case: Case, organization_id) -> ConsentDecision:
    organization = db.session.get(Organization, organization_id)
    if organization is None:
        raise Unprocessable(errors={"organization_id": [lazy_gettext("No such organization.")]})
    return may_share(case, organization)


def of_case(case: Case):
    return scope_case_records(Consent).where(Consent.case_id == case.id).order_by(
        Consent.given_at.desc(), Consent.id)
