"""Which deadlines have run out, or soon will: the supervisor's overdue view and the scan
the scheduler calls to escalate breaches. The clock is always passed in."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterator

from sqlalchemy import and_, or_, select

from caseflow.cases.models import Case
from caseflow.extensions import db
from caseflow.referrals.models import DeadlineRule, Referral, ReferralClock

#: "Due soon" in the supervisor's view: within a day.
DUE_SOON = timedelta(hours=24)


def overdue_or_due_soon(centre_id: uuid.UUID | None, now: datetime, within: timedelta = DUE_SOON):
    """Referrals whose earliest running clock has run out or runs out within ``within``,
    soonest first; ``centre_id`` None means every centre (a national supervisor).
    One range read on ``ix_referrals_from_org_next_due`` (or ``ix_referrals_next_due``)."""
    statement = select(Referral).where(Referral.next_due_at < now + within)
    if centre_id is not None:
        statement = statement.where(Referral.from_organization_id == centre_id)
    return statement.order_by(Referral.next_due_at, Referral.id)


@dataclass(frozen=True)
class BreachRow:
    """One running clock past (or near) its deadline. Codes and ids only, never PII."""

    clock_id: uuid.UUID
    referral_id: uuid.UUID
    case_id: uuid.UUID
    case_code: str
    centre_id: uuid.UUID
    to_organization_id: uuid.UUID
    service_type: str
    milestone: str
    rule_code: str
    due_at: datetime
    overdue: bool


def referrals_breaching(now: datetime, within: timedelta = timedelta(0), batch_size: int = 500) -> Iterator[BreachRow]:
    """Every running deadline clock due before ``now + within``, by due time, streamed in
    batches of ``batch_size`` (keyset pagination: each batch is one indexed range read and
    nothing is held across batches). Pure apart from reading: ``now`` is injected, nothing
    is written; the caller (the scheduler) decides what to escalate and records it."""
    horizon = now + within
    last: tuple[datetime, uuid.UUID] | None = None
    while True:
        statement = (
            select(ReferralClock.id, Referral.id, Case.id, Case.code, Referral.from_organization_id,
                   Referral.to_organization_id, Referral.service_type, ReferralClock.milestone,
                   DeadlineRule.code, ReferralClock.due_at)
            .join(Referral, Referral.id == ReferralClock.referral_id)
            .join(Case, Case.id == Referral.case_id)
            .join(DeadlineRule, DeadlineRule.id == ReferralClock.rule_id)
            .where(ReferralClock.met_at.is_(None), ReferralClock.stopped_at.is_(None),
                   ReferralClock.due_at < horizon)
            .order_by(ReferralClock.due_at, ReferralClock.id)
            .limit(batch_size)
        )
        if last is not None:
            statement = statement.where(or_(
                ReferralClock.due_at > last[0], and_(ReferralClock.due_at == last[0], ReferralClock.id > last[1])))
        rows = db.session.execute(statement).all()
        for row in rows:
            yield BreachRow(*row, overdue=row[9] < now)
        if len(rows) < batch_size:
            return
        last = (rows[-1][9], rows[-1][0])
