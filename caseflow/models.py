"""Imports every model so the metadata (Alembic, tests) knows all tables."""
# ruff: noqa: I001  (in layer order: the mappers keep it, and key operations and exports walk them)

from caseflow.audit.models import AuditEntry  # noqa: F401
from caseflow.auth.models import AuthToken  # noqa: F401
from caseflow.cases.models import Case, CaseAssignment, CaseCodeCounter, CaseEvent  # noqa: F401
from caseflow.crypto.models import BlindIndexState, DataKey, SurvivorSearchTerm  # noqa: F401
from caseflow.directory.models import Organization, User  # noqa: F401
from caseflow.survivors.models import Survivor  # noqa: F401
from caseflow.incidents.models import Incident  # noqa: F401
from caseflow.consents.models import Consent  # noqa: F401
from caseflow.risk.models import RiskAssessment  # noqa: F401
from caseflow.sessions.models import AttentionSession  # noqa: F401
from caseflow.plans.models import PlanItem  # noqa: F401
from caseflow.conferences.models import CaseConference  # noqa: F401
from caseflow.approvals.models import Approval  # noqa: F401
from caseflow.closures.models import CaseClosure  # noqa: F401
from caseflow.keys.models import KeyCheck, KeyOperation  # noqa: F401
from caseflow.rights.models import ErasureRequest, RetentionRule  # noqa: F401
from caseflow.scheduling.models import OutboxMessage  # noqa: F401
from caseflow.visits.models import Visit, VisitLog, VisitPlan  # noqa: F401
from caseflow.referrals.models import DeadlineRule, Referral, ReferralClock, ReferralEvent  # noqa: F401
from caseflow.custody.models import (  # noqa: F401
    CustodyDisclosure, CustodyRecord, CustodyScreening, SupplyDelivery, VisitRestriction,
)
from caseflow.training.models import Training  # noqa: F401
from caseflow.statistics.models import ReportedEarlier  # noqa: F401
