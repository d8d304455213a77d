"""What a case's closure means for its referrals: it waits for them to end, and stops their
clocks once it happens. Registered with closures and the cases' signals in ``init_app``."""

from __future__ import annotations

from flask_babel import lazy_gettext
from sqlalchemy import select, update

from caseflow.cases.models import Case
from caseflow.core.clock import utcnow
from caseflow.core.errors import Conflict
from caseflow.extensions import db
from caseflow.referrals.models import OPEN_STATUSES, Referral, ReferralClock


def open_referrals_refusal(case: Case) -> Conflict | None:
    """A referral still requested or under way would go on escalating as breached for a case
    nobody carries any more: it is ended (completed, cancelled...) first."""
    open_referrals = list(db.session.scalars(select(Referral).where(
        Referral.case_id == case.id, Referral.status.in_(OPEN_STATUSES)).order_by(Referral.created_at)))
    if not open_referrals:
        return None
    return Conflict(
        lazy_gettext("End the case's referrals before closing it."),
        errors={"referrals": [f"{r.id} ({r.service_type}: {r.status})" for r in open_referrals]},
        extra={"open_referrals": [{"id": str(r.id), "service_type": r.service_type, "status": r.status}
                                  for r in open_referrals]},
    )


def stop_clocks(case: Case) -> None:
    """No clock of a closed case escalates: one still running (a referral ended without
    reaching a milestone its rule still counts) stops with the case."""
    now = utcnow()
    referral_ids = select(Referral.id).where(Referral.case_id == case.id)
    db.session.execute(update(ReferralClock).where(
        ReferralClock.referral_id.in_(referral_ids), ReferralClock.met_at.is_(None),
        ReferralClock.stopped_at.is_(None)).values(stopped_at=now).execution_options(synchronize_session=False))
    db.session.execute(update(Referral).where(Referral.case_id == case.id, Referral.next_due_at.is_not(None))
                       .values(next_due_at=None).execution_options(synchronize_session=False))
