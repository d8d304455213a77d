"""The case list's custody filter: ``GET /cases?custody=in_custody|released``.

Registered with :func:`caseflow.cases.services.register_case_filter` from this feature's
``init_app``. A case matches by her current custody state as the case's own centre recorded
it (the latest of that centre's records, in the order :func:`services.history` reads them);
one correlated subquery per statement, on the ``survivor_id, since`` index.
"""

from __future__ import annotations

from sqlalchemy import select

from caseflow.cases.models import Case
from caseflow.custody.models import CustodyRecord


def current_custody_status():
    """Her current custody status at the case's centre (null: never recorded)."""
    return (select(CustodyRecord.status)
            .where(CustodyRecord.survivor_id == Case.survivor_id,
                   CustodyRecord.organization_id == Case.organization_id)
            .order_by(CustodyRecord.since.desc(), CustodyRecord.created_at.desc(), CustodyRecord.id.desc())
            .limit(1).correlate(Case).scalar_subquery())


def custody_cases_filter(statement, status: str):
    return statement.where(current_custody_status() == status)
