"""Referrals, their immutable transition events, their deadline clocks, and the deadline
rules (data, never code) those clocks come from. See docs/referrals.md."""

from __future__ import annotations

import math
import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Uuid, event, false, inspect, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.core.clock import utcnow
from caseflow.core.db import Timestamps, UTCDateTime, UUIDPrimaryKey
from caseflow.crypto.fields import EncryptedAttribute, Owner, encrypted_column
from caseflow.extensions import db
from caseflow.survivors.models import SurvivorOwned

#: The contract's service types grouped by the sector that provides them; ``other`` fits any.
SERVICE_SECTORS: dict[str, tuple[str, ...]] = {
    "hiv_pep": ("health",), "emergency_contraception": ("health",), "medical_care": ("health",),
    "medico_legal_exam": ("health",), "mental_health": ("health",),
    "complaint": ("police",),
    "protective_measures": ("justice",), "legal_proceedings": ("justice",),
    "shelter": ("social",), "social_support": ("social",), "economic_support": ("social",),
    "legal_aid": ("social",),
    # Care inside penitentiary establishments and after release (Bangkok Rules 6, 48, 45–47).
    "sexual_reproductive_health": ("health",), "maternity_care": ("health",),
    "reintegration_support": ("social",),
    "other": ("health", "police", "justice", "social", "ngo"),
}
SERVICE_TYPES = tuple(SERVICE_SECTORS)
RECEIVING_SECTORS = ("health", "police", "justice", "social", "ngo")
#: Organizations that receive referrals as another sector: a penitentiary establishment
#: offers the health service types its own health service provides, under health's
#: deadline rules (docs/custody.md).
SERVED_AS_SECTOR = {"penitentiary": "health"}


def serving_sector(organization_sector: str) -> str:
    """The sector whose services (and clocks) an organization of this sector provides."""
    return SERVED_AS_SECTOR.get(organization_sector, organization_sector)
PRIORITIES = ("high", "medium", "low")

#: Where a receiving organization's legal duty to send a case on (a ``referred_on`` clock,
#: the police's to the family court: Ley 30364, art. 15) takes it without her consent, and
#: where sending it meets that clock. Onward referrals elsewhere need her consent for the
#: recipient like any other.
ONWARD_DUTY_SECTORS = ("justice",)
#: A referral is sent on once its receiving organization has taken it up.
ONWARD_FROM_STATUSES = ("accepted", "in_progress")

#: FHIR Task states (shared domain notes, "Referral states").
STATUSES = ("requested", "accepted", "rejected", "in_progress", "completed", "cancelled", "failed")
OPEN_STATUSES = ("requested", "accepted", "in_progress")
FINAL_STATUSES = ("rejected", "completed", "cancelled", "failed")

#: Where a clock starts, and which step of the referral stops it. ``referred_on``: the
#: receiving organization sends the case on (an onward referral, e.g. the police send the
#: complaint to the family court; Ley 30364, art. 15).
ANCHORS = ("incident", "referral_sent", "referral_accepted")
MILESTONES = ("accepted", "completed", "referred_on")


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class DeadlineRule(UUIDPrimaryKey, Timestamps, db.Model):
    """One clock, as data: which referrals it applies to, where it starts, what stops it,
    how many calendar hours it runs, its source and when it is in effect.

    A rule applies either to a service type (service clocks) or to a priority
    (acknowledgement clocks), never both. Editing a rule never moves a deadline already
    given to a referral: each referral stores its own due times.
    """

    __tablename__ = "deadline_rules"
    __table_args__ = (
        CheckConstraint("(service_type IS NULL) <> (priority IS NULL)", name="one_selector"),
        CheckConstraint(_in("anchor", ANCHORS), name="anchor"),
        CheckConstraint(_in("milestone", MILESTONES), name="milestone"),
        CheckConstraint("hours > 0", name="hours_positive"),
        CheckConstraint("effective_to IS NULL OR effective_to > effective_from", name="effective_order"),
    )

    #: Short stable name of the clock (``hiv_pep``, ``acknowledge_high``).
    code: Mapped[str] = mapped_column(String(60), nullable=False, index=True)
    label: Mapped[str] = mapped_column(String(200), nullable=False)
    service_type: Mapped[str | None] = mapped_column(String(40), index=True)
    priority: Mapped[str | None] = mapped_column(String(10))
    anchor: Mapped[str] = mapped_column(String(20), nullable=False)
    milestone: Mapped[str] = mapped_column(String(20), nullable=False)
    hours: Mapped[int] = mapped_column(Integer, nullable=False)
    #: Where the rule comes from (law, clinical guidance), cited beside it.
    source: Mapped[str] = mapped_column(String(300), nullable=False)
    effective_from: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    effective_to: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def in_effect_at(self, moment: datetime) -> bool:
        return self.effective_from <= moment and (self.effective_to is None or moment < self.effective_to)


#: What the referral-timelines report reads of a referral besides its period (and centre).
REPORTED_COLUMNS = ("sector", "service_type", "status", "accepted_at", "completed_at", "deadline_rule_id", "id",
                    "parent_referral_id")


class Referral(UUIDPrimaryKey, Timestamps, SurvivorOwned, db.Model):
    """A case sent from a centre to another organization for one service.

    ``due_at``/``deadline_rule`` are the referral's governing deadline, fixed when it is
    sent (the service clock when a rule exists for the service type, otherwise the
    acknowledgement clock). ``next_due_at`` is the earliest clock still running, kept up to
    date on every transition so that "overdue" is one indexed comparison.
    """

    __tablename__ = "referrals"
    __table_args__ = (
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(_in("priority", PRIORITIES), name="priority"),
        CheckConstraint(_in("sector", RECEIVING_SECTORS), name="sector"),
        CheckConstraint("mandatory_report = false OR mandatory_report_basis IS NOT NULL",
                        name="mandatory_report_has_basis"),
        # Referrals with a running clock only (the others have no next_due_at), in due
        # order: the overdue view's pages and count, by centre and nationally (0007).
        Index("ix_referrals_open_from_org_due", "from_organization_id", "next_due_at", "id",
              postgresql_where=text("next_due_at IS NOT NULL"), sqlite_where=text("next_due_at IS NOT NULL")),
        Index("ix_referrals_open_due", "next_due_at", "id",
              postgresql_where=text("next_due_at IS NOT NULL"), sqlite_where=text("next_due_at IS NOT NULL")),
        Index("ix_referrals_to_org_status", "to_organization_id", "status"),
        # The report's periods, overall and by centre, holding every column it reads (0007).
        Index("ix_referrals_report_sent", "sent_at", *REPORTED_COLUMNS),
        Index("ix_referrals_report_from_org_sent", "from_organization_id", "sent_at", *REPORTED_COLUMNS),
    )

    #: The note is read by the receiving organization too: bound to it as well as to her case.
    __encryption_owner__ = Owner("survivor_id", also=("case_id", "to_organization_id"))

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"), nullable=False, index=True)
    survivor_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("survivors.id"), nullable=False, index=True)
    #: The referring centre (the case's centre) and the receiving organization.
    from_organization_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("organizations.id"), nullable=False)
    to_organization_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("organizations.id"), nullable=False)
    #: The receiving organization's sector when sent (reports group by it).
    sector: Mapped[str] = mapped_column(String(20), nullable=False)
    service_type: Mapped[str] = mapped_column(String(40), nullable=False)
    priority: Mapped[str] = mapped_column(String(10), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="requested")
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    sent_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    #: The consent in effect for the recipient when sent (null under a mandatory report alone).
    consent_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("consents.id"))
    #: Mandatory reporting (Ley 31156) overrides consent; its legal basis is recorded.
    mandatory_report: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    mandatory_report_basis: Mapped[str | None] = mapped_column(String(300))
    survivor_informed: Mapped[bool | None] = mapped_column(Boolean)
    #: The incident whose time starts clinical clocks.
    incident_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("incidents.id"))
    #: An onward referral: the referral whose receiving organization sent this one on (the
    #: police's complaint sent to the family court), and that organization. The referral
    #: stays the case's centre's (``from_organization_id``): its team follows the chain.
    parent_referral_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("referrals.id"), index=True)
    referred_by_organization_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("organizations.id"))

    deadline_rule_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("deadline_rules.id"))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When it reached a final state (completed, rejected, cancelled, failed).
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    note_ct: Mapped[bytes | None] = encrypted_column()
    note = EncryptedAttribute()

    case = relationship("Case", lazy="joined", innerjoin=True)
    from_organization = relationship("Organization", foreign_keys=[from_organization_id], lazy="joined")
    to_organization = relationship("Organization", foreign_keys=[to_organization_id], lazy="joined")
    referred_by_organization = relationship("Organization", foreign_keys=[referred_by_organization_id])
    deadline_rule = relationship(DeadlineRule, lazy="joined")
    clocks = relationship("ReferralClock", lazy="selectin",
                          order_by="(ReferralClock.due_at, ReferralClock.milestone)",
                          back_populates="referral")

    @property
    def overdue(self) -> bool:
        return self.next_due_at is not None and self.next_due_at < utcnow()


class ReferralClock(UUIDPrimaryKey, db.Model):
    """One running deadline of a referral, from one rule.

    ``met_at`` is when its milestone was reached (on time or late); ``stopped_at`` when
    the referral ended without reaching it (rejected, cancelled, failed), ``cancelled`` when
    that end was a cancellation (such a clock counts as neither met nor missed).

    ``sent_at`` and ``organization_id`` are the referral's sending moment and centre, copied
    when the clock starts (neither changes once a referral is sent): compliance over a
    national year then reads the clocks alone, not each clock joined to its referral
    (caseflow.statistics.compliance; measured in docs/performance.md).
    """

    __tablename__ = "referral_clocks"
    __table_args__ = (
        CheckConstraint(_in("milestone", MILESTONES), name="milestone"),
        Index("ix_referral_clocks_open_due", "due_at", "met_at", "stopped_at"),
        # A referral's clocks; with the rule and outcome, the report's headline-clock lookup
        # reads only this index (0007).
        Index("ix_referral_clocks_referral_rule", "referral_id", "rule_id", "due_at", "met_at", "stopped_at"),
        Index("ix_referral_clocks_sent", "sent_at"),
        Index("ix_referral_clocks_org_sent", "organization_id", "sent_at"),
    )

    referral_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("referrals.id"), nullable=False)
    rule_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("deadline_rules.id"), nullable=False)
    milestone: Mapped[str] = mapped_column(String(20), nullable=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Whole minutes from ``starts_at`` to ``met_at`` (to the nearest, half up), kept when
    #: the clock is met: compliance's median counts clocks per minute, and PostgreSQL can
    #: only know how few distinct minutes there are from a column's statistics.
    minutes_to_met: Mapped[int | None] = mapped_column(Integer)
    cancelled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    organization_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("organizations.id"), nullable=False)

    referral = relationship(Referral, back_populates="clocks")
    rule = relationship(DeadlineRule, lazy="joined")

    @property
    def running(self) -> bool:
        return self.met_at is None and self.stopped_at is None

    def meet(self, at: datetime) -> None:
        """Its milestone reached at ``at`` (on time or late)."""
        self.met_at = at
        self.minutes_to_met = whole_minutes(self.starts_at, at)


def whole_minutes(start: datetime, end: datetime) -> int:
    """Minutes from ``start`` to ``end`` to the nearest whole minute, half up: a clock's
    ``minutes_to_met`` (caseflow.statistics.medians holds the same rule as SQL)."""
    return math.floor((end - start).total_seconds() / 60 + 0.5)


class ReferralEvent(UUIDPrimaryKey, SurvivorOwned, db.Model):
    """One step of a referral: who (and for which organization) moved it, from what to
    what, when and why. Written once, never changed or deleted."""

    __tablename__ = "referral_events"
    __table_args__ = (
        CheckConstraint(_in("to_status", STATUSES), name="to_status"),
        Index("ix_referral_events_referral_at", "referral_id", "at"),
    )

    referral_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("referrals.id"), nullable=False)
    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"), nullable=False, index=True)
    survivor_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("survivors.id"), nullable=False)
    #: Null for the event that sends the referral.
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20), nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    organization_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("organizations.id"))

    reason_ct: Mapped[bytes | None] = encrypted_column()
    reason = EncryptedAttribute()


class ImmutableRecordError(RuntimeError):
    """A referral event was about to be changed or deleted."""


def _only_shredding(target) -> bool:
    """Erasure destroys her data by clearing ciphertexts; that is the one change allowed.

    (SQLAlchemy also calls ``before_update`` for rows marked dirty with no net change.)
    """
    changed = [attr for attr in inspect(target).attrs if attr.history.has_changes()]
    return all(attr.key.endswith("_ct") and attr.value is None for attr in changed)


@event.listens_for(ReferralEvent, "before_update")
def _refuse_update(_mapper, _connection, target):
    if not _only_shredding(target):
        raise ImmutableRecordError(f"referral event {target.id} is immutable")


@event.listens_for(ReferralEvent, "before_delete")
def _refuse_delete(_mapper, _connection, target):
    raise ImmutableRecordError(f"referral event {target.id} is immutable")
