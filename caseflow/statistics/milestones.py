"""Each case's first milestones after first contact, kept instead of searched for.

The first-contact lines of compliance (caseflow.statistics.compliance.timelines) ask, for the
cases opened in a period, when each first had a line in its action plan, a referral sent and
a referral completed. Found at each request, that is the minimum over every referral and plan
line of the period's cases: at national scale 500,000 cases' 1,500,000 referrals, 4 s of
index probes and hashing (docs/performance.md). Kept here, one row per case in
``statistics_case_milestones``, the lines read one table's rows of the period.

Kept exact by recomputation: the row of a case is computed again from its plan lines and
referrals whenever one of the facts it reads changes, as the features announce it: the case
opened (``caseflow.cases.signals.case_opened``), a plan line added
(``caseflow.plans.signals.plan_item_added``), a referral sent or moved, completion included
(``caseflow.referrals.signals``). Neither plan lines nor referrals are ever deleted
(referrals refuse it), a case never changes centre nor opening moment; a case deleted takes
its row with it (``ON DELETE CASCADE``). ``refresh_all`` recomputes every row (a deployment
loaded otherwise than through the application; migration 0024_stats_columns does the same
in SQL).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import delete, func, insert, select

from caseflow.cases.models import Case
from caseflow.extensions import db
from caseflow.plans.models import PlanItem
from caseflow.referrals.models import Referral
from caseflow.statistics import medians
from caseflow.statistics.models import CaseMilestones

COLUMNS = ("case_id", "organization_id", "opened_at", "first_plan_at", "first_referral_at", "first_service_at",
           "plan_minutes", "referral_minutes", "service_minutes")


def _rows(case_ids=None):
    """The rule: (case, centre, opened, first plan line, first referral sent, first referral
    completed, and the whole minutes from the opening to each) for these cases, or every case."""
    first_plan = select(func.min(PlanItem.created_at)).where(PlanItem.case_id == Case.id).scalar_subquery()
    first_referral = select(func.min(Referral.sent_at)).where(Referral.case_id == Case.id).scalar_subquery()
    first_service = select(func.min(Referral.completed_at)).where(Referral.case_id == Case.id).scalar_subquery()
    firsts = select(Case.id.label("case_id"), Case.organization_id.label("organization_id"),
                    Case.opened_at.label("opened_at"), first_plan.label("first_plan_at"),
                    first_referral.label("first_referral_at"), first_service.label("first_service_at"))
    if case_ids is not None:
        firsts = firsts.where(Case.id.in_(case_ids))
    firsts = firsts.subquery()
    return select(*firsts.c, *(medians.whole_minutes(firsts.c.opened_at, firsts.c[f"first_{name}_at"])
                               for name in ("plan", "referral", "service")))


def refresh(case_ids: Iterable[uuid.UUID]) -> None:
    """Recompute the rows of these cases (no commit)."""
    ids = list(dict.fromkeys(case_ids))
    if not ids:
        return
    db.session.flush()
    db.session.execute(delete(CaseMilestones).where(CaseMilestones.case_id.in_(ids)))
    db.session.execute(insert(CaseMilestones).from_select(list(COLUMNS), _rows(ids)))


def refresh_all() -> int:
    """Recompute every row (no commit); returns the rows."""
    db.session.execute(delete(CaseMilestones))
    db.session.execute(insert(CaseMilestones).from_select(list(COLUMNS), _rows()))
    return db.session.scalar(select(func.count()).select_from(CaseMilestones))


def on_case_opened(case, **_) -> None:
    refresh([case.id])


def on_plan_item_added(item, **_) -> None:
    refresh([item.case_id])


def on_referral(referral, **_) -> None:
    refresh([referral.case_id])
