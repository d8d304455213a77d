"""Programa Aurora's accompaniment report ("Mujeres acompañando mujeres"): mentors trained,
women who filed a complaint accompanied by mentors, women who did not accompanied by
community psychologists, each also by district (her incident's place). Counted by the
database; women are distinct survivors with a visit done in the period. Small counts are
suppressed like every statistic."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select

from caseflow.cases.models import Case
from caseflow.directory.models import User
from caseflow.extensions import db
from caseflow.incidents.models import Incident
from caseflow.statistics import suppression
from caseflow.training.models import Training
from caseflow.visits.models import Visit, VisitLog

#: Which visits count for each line, and the complaint it requires (when recorded).
LINES = {
    "accompanied_by_mentors": ("mentor_accompaniment", "yes"),
    "accompanied_by_psychologists": ("psychological_followup", "no"),
}


def _place_column():
    return getattr(Incident, "place_ubigeo", None)


def _women(kind: str, complaint: str, centre, start, end, by_district: bool):
    statement = (select().select_from(VisitLog).join(Visit, Visit.id == VisitLog.visit_id)
                 .join(Case, Case.id == VisitLog.case_id)
                 .where(VisitLog.outcome == "done", VisitLog.happened_at >= start, VisitLog.happened_at < end,
                        Visit.kind == kind))
    if centre is not None:
        statement = statement.where(Visit.organization_id == centre)
    complaint_filed = getattr(Case, "complaint_filed", None)
    if complaint_filed is not None:
        # Women who did not report: "no" or not known to have reported.
        statement = statement.where(complaint_filed == "yes" if complaint == "yes" else complaint_filed != "yes")
    women = func.count(func.distinct(VisitLog.survivor_id))
    if not by_district:
        return db.session.scalar(statement.add_columns(women)) or 0
    place = _place_column()
    district = (select(func.max(place)).where(Incident.case_id == Case.id).correlate(Case).scalar_subquery())
    district = func.coalesce(district, "unknown")
    return {row[0]: row[1] for row in db.session.execute(statement.add_columns(district, women).group_by(district))}


def mentors_trained(centre, end: datetime, required: int) -> int:
    attended = (select(Training.user_id).where(Training.held_on < end.date())
                .group_by(Training.user_id).having(func.count() >= required))
    statement = select(func.count()).select_from(User).where(User.role == "mentor", User.id.in_(attended))
    if centre is not None:
        statement = statement.where(User.organization_id == centre)
    return db.session.scalar(statement) or 0


def report(centre: uuid.UUID | None, start: datetime, end: datetime, threshold: int, required: int) -> dict:
    def shown(value):
        return None if suppression.primary(value, threshold) else value

    # Mentors are staff, not the women counted: their number is not a small cell to hide.
    result = {"mentors_trained": mentors_trained(centre, end, required), "training_sessions_required": required,
              "complaint_filed_recorded": getattr(Case, "complaint_filed", None) is not None,
              "by_district_available": _place_column() is not None}
    result["by_district"] = {}
    for line, (kind, complaint) in LINES.items():
        result[line] = shown(_women(kind, complaint, centre, start, end, by_district=False))
        districts = []
        if _place_column() is not None:
            counts = _women(kind, complaint, centre, start, end, by_district=True)
            names = sorted(counts)
            table = suppression.suppress_one_way([counts[n] for n in names], threshold)
            districts = [{"district": n, "count": None if i in table.hidden else counts[n], "suppressed": i in table.hidden}
                         for i, n in enumerate(names)]
        result["by_district"][line] = districts
    return result
