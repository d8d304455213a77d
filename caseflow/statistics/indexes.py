"""Indexes that only statistics read (migration 0020_stats), declared here beside the
queries that use them rather than in the features' models: the de-duplication rule
(caseflow.statistics.duplicates) starts from the few survivor records marked registered
elsewhere and probes, per candidate, the incidents of a survivor by type and day."""

from __future__ import annotations

from sqlalchemy import Index, text

from caseflow.incidents.models import Incident
from caseflow.plans.models import PlanItem
from caseflow.referrals.models import Referral
from caseflow.survivors.models import Survivor

REGISTERED_ELSEWHERE = Index(
    "ix_survivors_registered_elsewhere", Survivor.__table__.c.id,
    postgresql_where=text("registered_elsewhere IS TRUE"), sqlite_where=text("registered_elsewhere IS 1"))
#: Holds every column the rule reads of the other report: an index-only probe per candidate.
INCIDENTS_OF_SURVIVOR = Index(
    "ix_incidents_survivor_statistics", Incident.__table__.c.survivor_id, Incident.__table__.c.gbv_type,
    Incident.__table__.c.occurred_at, Incident.__table__.c.case_id)
#: Each case's first referral and first service, and its first plan line, read from the index
#: alone (migration 0022_stats_speed): once by the first-contact lines, now by the recomputation
#: of a case's kept first milestones (caseflow.statistics.milestones) and by its migration.
REFERRALS_CASE_MILESTONES = Index(
    "ix_referrals_case_milestones", Referral.__table__.c.case_id, Referral.__table__.c.sent_at,
    Referral.__table__.c.completed_at)
PLAN_ITEMS_CASE_CREATED = Index(
    "ix_plan_items_case_created", PlanItem.__table__.c.case_id, PlanItem.__table__.c.created_at)
