from flask_smorest import Blueprint

from caseflow.access.policy import case_or_404, case_record_or_404, require
from caseflow.consents import services
from caseflow.consents.models import Consent
from caseflow.consents.schemas import (
    ConsentCreateSchema,
    ConsentDecisionSchema,
    ConsentDetailSchema,
    ConsentSchema,
    CoverageQuery,
    WithdrawSchema,
)
from caseflow.core.pagination import PageArgs, page_schema, paginate

blp = Blueprint("consents", __name__, url_prefix="/api/v1", description="Consent for sharing")

ConsentPage = page_schema(ConsentSchema, "ConsentPage")


@blp.post("/cases/<uuid:case_id>/consents")
@blp.arguments(ConsentCreateSchema)
@blp.response(201, ConsentDetailSchema)
def record_consent(data, case_id):
    require("consent.record")
    return services.record_consent(case_or_404(case_id), data)


@blp.get("/cases/<uuid:case_id>/consents")
@blp.arguments(PageArgs, location="query")
@blp.response(200, ConsentPage)
def list_consents(args, case_id):
    """Every consent of the case, withdrawn ones included (history is never deleted)."""
    require("consent.read")
    return paginate(services.of_case(case_or_404(case_id)), args)


@blp.get("/cases/<uuid:case_id>/consents/coverage")
@blp.arguments(CoverageQuery, location="query")
@blp.response(200, ConsentDecisionSchema)
def consent_coverage(args, case_id):
    """May this case's data go to the organization now, and which consent covers it?"""
    require("consent.read")
    return services.coverage(case_or_404(case_id), args["organization_id"])


@blp.get("/consents/<uuid:consent_id>")
@blp.response(200, ConsentDetailSchema)
def get_consent(consent_id):
    return case_record_or_404(Consent, consent_id, "consent.read")


@blp.post("/consents/<uuid:consent_id>/withdraw")
@blp.arguments(WithdrawSchema)
@blp.response(200, ConsentDetailSchema)
def withdraw_consent(data, consent_id):
    """Withdraw: the record stays, its effect ends."""
    return services.withdraw(case_record_or_404(Consent, consent_id, "consent.withdraw"), data.get("note"))
