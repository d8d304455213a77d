"""The same incident reported at two centres counts once (GBVIMS statistics drop incidents
reported elsewhere), recognised without decrypting anything.

Two incident records are the same incident when, at different centres, they have

- the same document blind-index term for the survivor (``survivor_search_terms``, the
  ``document`` index's active version: an HMAC of her normalised document, truncated),
- the same local day of occurrence, and
- the same GBVIMS type,

and the survivor record of one of them is marked ``registered_elsewhere`` (her document was
already registered at another centre when this one registered her): the truncated term alone
is shared by several women on purpose, the marking says she really is known elsewhere. The
report kept is the one of the centre that registered her first; the one of a record
registered later is dropped. The other report must itself count (the consent rule), so
dropping never loses the incident altogether. The rule: docs/statistics.md.

The pairs (later report, earlier report) are kept in ``statistics_reported_earlier``,
recomputed for a survivor whenever a fact the rule reads changes: her terms (registration,
when ``registered_elsewhere`` is set, correction of her document, erasure, an index rebuild:
``caseflow.crypto.signals``) and her incidents (``caseflow.incidents.signals``). A pair
depends only on the facts of its two reports, their survivors, cases and terms, so
recomputing the pairs that involve her is exact. The other report's consent changes at any
time and is read at each request. At national scale this is what keeps a table from probing,
for each of a year's 10,000 candidates, the incidents of the ~16 survivors that share her
truncated term (1.4–2 s of every incident table: docs/performance.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import and_, delete, func, insert, or_, select, union
from sqlalchemy.orm import aliased

from caseflow.cases.models import Case
from caseflow.core.clock import local_zone, local_zone_name, utcnow
from caseflow.crypto.models import BlindIndexState, SurvivorSearchTerm
from caseflow.extensions import db
from caseflow.incidents.models import Incident
from caseflow.statistics.models import ReportedEarlier
from caseflow.survivors.models import Survivor

DOCUMENT_INDEX = "document"


def _local_day(column, moment: datetime):
    if db.session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone(local_zone_name(), column))
    minutes = int(moment.astimezone(local_zone()).utcoffset().total_seconds() // 60)
    return func.date(column, f"{minutes:+d} minutes")


def counted_once(other_counts=None):
    """A condition on an incident: true unless it is a later centre's report of an incident
    reported at another centre whose report counts. ``other_counts(incident_alias)`` gives
    the conditions under which the other report counts (the consent rule), or None when
    every report counts. One hashed anti-join over the kept pairs (tens of thousands at
    national scale), whatever the period."""
    later_reports = select(ReportedEarlier.incident_id)
    if other_counts is not None:
        earlier = aliased(Incident, name="earlier_incident")
        conditions = other_counts(earlier)
        if conditions:
            later_reports = (later_reports.join(earlier, earlier.id == ReportedEarlier.earlier_incident_id)
                             .where(*conditions))
    return Incident.id.not_in(later_reports)


def _pairs(*, later_of=None, earlier_of=None):
    """The rule as a statement of (later report, earlier report): every pair, or those whose
    later (``later_of``) or earlier (``earlier_of``) report belongs to these survivors."""
    mine = aliased(Incident, name="later_incident")
    mine_case = aliased(Case, name="later_case")
    mine_survivor = aliased(Survivor, name="later_survivor")
    other = aliased(Incident, name="other_incident")
    other_case = aliased(Case, name="other_case")
    other_survivor = aliased(Survivor, name="other_survivor")
    mine_term = aliased(SurvivorSearchTerm, name="mine_term")
    other_term = aliased(SurvivorSearchTerm, name="other_term")
    version = (select(BlindIndexState.active_version).where(BlindIndexState.name == DOCUMENT_INDEX)
               .scalar_subquery())
    registered_before = or_(other_survivor.created_at < mine_survivor.created_at,
                            and_(other_survivor.created_at == mine_survivor.created_at,
                                 other_survivor.id < mine_survivor.id))
    now = utcnow()
    conditions = [mine_survivor.registered_elsewhere.is_(True),
                  other.gbv_type == mine.gbv_type,
                  _local_day(other.occurred_at, now) == _local_day(mine.occurred_at, now),
                  other_case.organization_id != mine_case.organization_id]
    if later_of is not None:
        conditions.append(mine_survivor.id.in_(later_of))
    if earlier_of is not None:
        conditions.append(other_survivor.id.in_(earlier_of))
    return (
        select(mine.id.label("incident_id"), other.id.label("earlier_incident_id")).select_from(mine_survivor)
        .join(mine, mine.survivor_id == mine_survivor.id)
        .join(mine_case, mine_case.id == mine.case_id)
        .join(mine_term, and_(mine_term.survivor_id == mine_survivor.id, mine_term.index_name == DOCUMENT_INDEX,
                              mine_term.version == version))
        .join(other_term, and_(other_term.index_name == DOCUMENT_INDEX, other_term.version == mine_term.version,
                               other_term.term == mine_term.term, other_term.survivor_id != mine_survivor.id))
        .join(other_survivor, and_(other_survivor.id == other_term.survivor_id, registered_before))
        .join(other, other.survivor_id == other_survivor.id)
        .join(other_case, other_case.id == other.case_id)
        .where(*conditions)
    )


def refresh(survivor_ids: Iterable[uuid.UUID]) -> None:
    """Recompute the pairs in which a report of these survivors is either side (no commit)."""
    ids = list(dict.fromkeys(survivor_ids))
    if not ids:
        return
    db.session.flush()  # her terms and incidents just added are what the rule reads
    theirs = select(Incident.id).where(Incident.survivor_id.in_(ids))
    db.session.execute(delete(ReportedEarlier).where(
        or_(ReportedEarlier.incident_id.in_(theirs), ReportedEarlier.earlier_incident_id.in_(theirs))))
    pairs = union(_pairs(later_of=ids), _pairs(earlier_of=ids)).subquery()
    db.session.execute(insert(ReportedEarlier).from_select(
        ["incident_id", "earlier_incident_id"], select(pairs.c.incident_id, pairs.c.earlier_incident_id)))


def refresh_all() -> int:
    """Recompute every pair (no commit): after an index switches version, and to fill the
    table of a deployment loaded otherwise than through the application. Returns the pairs."""
    db.session.execute(delete(ReportedEarlier))
    pairs = _pairs().subquery()
    db.session.execute(insert(ReportedEarlier).from_select(
        ["incident_id", "earlier_incident_id"], select(pairs.c.incident_id, pairs.c.earlier_incident_id).distinct()))
    return db.session.scalar(select(func.count()).select_from(ReportedEarlier))


def on_terms_changed(survivor_id, **_) -> None:
    refresh([survivor_id])


def on_incident_recorded(incident, **_) -> None:
    refresh([incident.survivor_id])


def on_index_switched(name, **_) -> None:
    if name == DOCUMENT_INDEX:
        refresh_all()
