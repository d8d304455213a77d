"""Imports every model so the metadata (Alembic, tests) knows all tables."""

from caseflow.audit.models import AuditEntry  # noqa: F401
from caseflow.auth.models import AuthToken  # noqa: F401
from caseflow.cases.models import Case, CaseAssignment, CaseCodeCounter, CaseEvent  # noqa: F401
from caseflow.crypto.models import BlindIndexState, DataKey, SurvivorSearchTerm  # noqa: F401
from caseflow.directory.models import Organization, User  # noqa: F401
from caseflow.survivors.models import Survivor  # noqa: F401
from caseflow.scheduling.models import OutboxMessage  # noqa: F401
from caseflow.visits.models import Visit, VisitLog, VisitPlan  # noqa: F401
