"""The visit card: the only survivor data a mentor or community psychologist sees."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from caseflow.access.policy import VISIT_CARD_FIELDS, visit_card_fields
from caseflow.core.clock import utcnow
from caseflow.crypto.fields import is_unreadable
from caseflow.extensions import db
from caseflow.visits.models import Visit, VisitLog

#: A safety concern reported this recently is shown on the card.
RECENT_CONCERN = timedelta(days=90)
CARD_FIELDS = VISIT_CARD_FIELDS


def safety_flags(visit: Visit) -> list[str]:
    """Codes only. Casework may add flags of its own here (e.g. from the safety plan)."""
    case = visit.case
    flags = []
    if case.risk_level == "severo":
        flags.append("high_risk")
    if case.risk_reassessment_requested_at is not None:
        flags.append("risk_reassessment_requested")
    concern = db.session.scalar(
        select(VisitLog.id).where(VisitLog.case_id == case.id, VisitLog.safety_concern.is_(True),
                                  VisitLog.happened_at >= utcnow() - RECENT_CONCERN).limit(1)
    )
    if concern is not None:
        flags.append("safety_concern_reported")
    return flags


def visit_card(visit: Visit) -> dict | None:
    """Decrypted (and so audited) only as far as the policy lets this person read it."""
    fields = visit_card_fields(visit)
    if not fields:
        return None
    survivor = visit.case.survivor
    if survivor.erased:
        return None
    # Fields the policy withholds are not decrypted (nor audited as read): null on the card.
    card = {name: getattr(survivor, name) if name in fields else None for name in CARD_FIELDS}
    card["unreadable"] = is_unreadable(survivor)
    card["safety_flags"] = safety_flags(visit)
    return card
