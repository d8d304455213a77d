"""Retention: the policy is data (``retention_rules``); this applies it.

``closed_cases``: when every case of a survivor has been closed for the rule's number of
years, her identifying data is erased (the same crypto-shredding as a requested erasure).
The scheduler calls :func:`apply_retention`; ``caseflow retention run --dry-run`` lists
what would go without touching anything.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import case, func, select

from caseflow.cases.models import Case
from caseflow.core.clock import utcnow
from caseflow.extensions import db
from caseflow.rights.erasure import erase_survivor
from caseflow.rights.models import RetentionRule
from caseflow.survivors.models import Survivor


def years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February in a year that has none
        return moment.replace(year=moment.year - years, day=28)


def due(rule: RetentionRule, now: datetime) -> list[dict]:
    cutoff = years_before(now, rule.years)
    still_open = func.sum(case((Case.closed_at.is_(None), 1), else_=0))
    rows = db.session.execute(
        select(Survivor.id, func.max(Case.closed_at), func.count(Case.id))
        .join(Case, Case.survivor_id == Survivor.id)
        .where(Survivor.erased_at.is_(None))
        .group_by(Survivor.id)
        .having(still_open == 0, func.max(Case.closed_at) <= cutoff)
        .order_by(Survivor.id)
    ).all()
    return [
        {"survivor_id": str(sid), "rule": rule.code, "last_closed_at": closed.isoformat() if closed else None,
         "cases": count}
        for sid, closed, count in rows
    ]


def apply_retention(now: datetime | None = None, dry_run: bool = True) -> list[dict]:
    """What the policy erases at ``now``; with ``dry_run`` nothing changes. Flushes, never
    commits: the scheduler's pass or the CLI command commits."""
    now = now or utcnow()
    done: list[dict] = []
    for rule in db.session.scalars(select(RetentionRule).where(RetentionRule.active.is_(True)).order_by(RetentionRule.id)):
        for item in due(rule, now):
            if any(d["survivor_id"] == item["survivor_id"] for d in done):
                continue
            if not dry_run:
                erase_survivor(uuid.UUID(item["survivor_id"]), detail={"retention_rule": rule.code})
            done.append(item)
    return done
