from flask_smorest import Blueprint

from caseflow.access.policy import case_or_404, case_record_or_404, require
from caseflow.core.errors import NotFound
from caseflow.core.pagination import PageArgs, page_schema, paginate
from caseflow.risk import catalogue, services
from caseflow.risk.models import RiskAssessment
from caseflow.risk.schemas import (
    InstrumentListSchema,
    InstrumentSchema,
    RiskAssessmentCreateSchema,
    RiskAssessmentDetailSchema,
    RiskAssessmentSchema,
)

blp = Blueprint("risk", __name__, url_prefix="/api/v1", description="Risk assessment")

RiskAssessmentPage = page_schema(RiskAssessmentSchema, "RiskAssessmentPage")


@blp.get("/instruments")
@blp.response(200, InstrumentListSchema)
def list_instruments():
    """Risk instruments with items, weights, cut-offs and Spanish and English wording."""
    require("risk.read")
    return {"items": [i.definition for i in catalogue.all_instruments()]}


@blp.get("/instruments/<string:instrument_id>")
@blp.response(200, InstrumentSchema)
def get_instrument(instrument_id):
    require("risk.read")
    instrument = catalogue.get(instrument_id)
    if instrument is None:
        raise NotFound()
    return instrument.definition


@blp.post("/cases/<uuid:case_id>/risk-assessments")
@blp.arguments(RiskAssessmentCreateSchema)
@blp.response(201, RiskAssessmentDetailSchema)
def assess_risk(data, case_id):
    """Score the answers with the instrument; the case's risk level becomes this level."""
    require("risk.assess")
    return services.assess(case_or_404(case_id), data["instrument"], data["answers"])


@blp.get("/cases/<uuid:case_id>/risk-assessments")
@blp.arguments(PageArgs, location="query")
@blp.response(200, RiskAssessmentPage)
def list_risk_assessments(args, case_id):
    """Every assessment of the case, newest first, without answers."""
    require("risk.read")
    return paginate(services.of_case(case_or_404(case_id)), args)


@blp.get("/risk-assessments/<uuid:assessment_id>")
@blp.response(200, RiskAssessmentDetailSchema)
def get_risk_assessment(assessment_id):
    """One assessment with its answers (the read is audited)."""
    return case_record_or_404(RiskAssessment, assessment_id, "risk.read")
