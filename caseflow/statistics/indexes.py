"""Indexes that only statistics read (migration 0020_stats), declared here beside the
queries that use them rather than in the features' models: the de-duplication rule
(caseflow.statistics.duplicates) starts from the few survivor records marked registered
elsewhere and probes, per candidate, the incidents of a survivor by type and day."""

from __future__ import annotations

from sqlalchemy import Index, text

from caseflow.incidents.models import Incident
from caseflow.survivors.models import Survivor

REGISTERED_ELSEWHERE = Index(
    "ix_survivors_registered_elsewhere", Survivor.__table__.c.id,
    postgresql_where=text("registered_elsewhere IS TRUE"), sqlite_where=text("registered_elsewhere IS 1"))
#: Holds every column the rule reads of the other report: an index-only probe per candidate.
INCIDENTS_OF_SURVIVOR = Index(
    "ix_incidents_survivor_statistics", Incident.__table__.c.survivor_id, Incident.__table__.c.gbv_type,
    Incident.__table__.c.occurred_at, Incident.__table__.c.case_id)
