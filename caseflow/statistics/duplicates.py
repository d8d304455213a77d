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
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from caseflow.cases.models import Case
from caseflow.core.clock import local_zone, local_zone_name
from caseflow.crypto.models import BlindIndexState, SurvivorSearchTerm
from caseflow.extensions import db
from caseflow.incidents.models import Incident
from caseflow.survivors.models import Survivor

DOCUMENT_INDEX = "document"


def _local_day(column, moment: datetime):
    if db.session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone(local_zone_name(), column))
    minutes = int(moment.astimezone(local_zone()).utcoffset().total_seconds() // 60)
    return func.date(column, f"{minutes:+d} minutes")


def counted_once(start: datetime, end: datetime, other_counts=None):
    """A condition on an incident: true unless it is a later centre's report of an incident
    reported at another centre.

    The reports to drop are found once per statement, starting from the few survivor
    records marked ``registered_elsewhere`` (a partial index, migration 0020), never by a
    lookup per incident counted. ``other_counts(incident_alias)`` gives the conditions under
    which the other report counts (the consent rule), or None when every report counts.
    """
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
    conditions = [mine_survivor.registered_elsewhere.is_(True), mine.reported_at >= start, mine.reported_at < end,
                  other.gbv_type == mine.gbv_type,
                  _local_day(other.occurred_at, start) == _local_day(mine.occurred_at, start),
                  other_case.organization_id != mine_case.organization_id]
    if other_counts is not None:
        conditions.extend(other_counts(other))
    reported_later = (
        select(mine.id).select_from(mine_survivor)
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
    return Incident.id.not_in(reported_later)
