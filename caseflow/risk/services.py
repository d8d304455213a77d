"""Risk assessments: scored server-side from an instrument file; the case's risk level is
the latest assessment's, and every assessment is kept."""

from __future__ import annotations

from flask_babel import lazy_gettext
from flask_login import current_user
from sqlalchemy import select

from caseflow.access.policy import scope_case_records
from caseflow.audit.services import record_model_write
from caseflow.cases import steps
from caseflow.cases.models import Case
from caseflow.cases.services import add_event, follow_up_case_change
from caseflow.core.clock import utcnow
from caseflow.core.errors import Unprocessable, field_error
from caseflow.extensions import db
from caseflow.risk import catalogue
from caseflow.risk.models import RiskAssessment


def assess(case: Case, instrument_id: str, answers: dict) -> RiskAssessment:
    steps.ensure_open(case)
    instrument = catalogue.get(instrument_id)
    if instrument is None:
        raise field_error("instrument", lazy_gettext("No such instrument."))
    try:
        score, level = instrument.score(answers)
    except catalogue.AnswersInvalid as invalid:
        raise Unprocessable(errors={"answers": invalid.errors}) from None
    assessment = RiskAssessment(
        case_id=case.id, survivor_id=case.survivor_id, instrument=instrument.id,
        instrument_version=instrument.version, score=score, level=level, assessed_at=utcnow(),
        assessed_by_id=current_user.id,
    )
    assessment.ensure_id()
    assessment.answers = answers
    db.session.add(assessment)
    db.session.flush()
    previous = case.risk_level
    case.risk_level = _latest_level(case)
    add_event(case, "risk_assessed", {"assessment_id": str(assessment.id), "level": level,
                                      "previous_level": previous, "instrument": instrument.id})
    record_model_write("create", assessment, fields=["answers", "instrument", "level", "score"])
    # A reassessment answers a request for one (a safety concern logged on a visit).
    case.risk_reassessment_requested_at = None
    if previous != case.risk_level:
        record_model_write("update", case, fields=["risk_level"],
                           detail={"from": previous, "to": case.risk_level})
        follow_up_case_change(case, ["risk_level"])
    steps.advance(case, "assessment", "risk_assessed")
    return assessment


def _latest_level(case: Case) -> str | None:
    return db.session.scalar(
        select(RiskAssessment.level).where(RiskAssessment.case_id == case.id)
        .order_by(RiskAssessment.assessed_at.desc(), RiskAssessment.created_at.desc()).limit(1)
    )


def of_case(case: Case):
    return scope_case_records(RiskAssessment).where(RiskAssessment.case_id == case.id).order_by(
        RiskAssessment.assessed_at.desc(), RiskAssessment.id)


def has_risk_assessment(case: Case) -> bool:
    return db.session.scalar(select(RiskAssessment.id).where(RiskAssessment.case_id == case.id).limit(1)) is not None
