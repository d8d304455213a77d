from flask_smorest import Blueprint

from caseflow.access.policy import case_or_404, require
from caseflow.cases.schemas import CaseDetailSchema
from caseflow.closures import services
from caseflow.closures.schemas import CloseSchema, ClosureSchema, ReopenSchema
from caseflow.core.pagination import PageArgs, page_schema, paginate

blp = Blueprint("closures", __name__, url_prefix="/api/v1", description="Closing and reopening cases")

ClosurePage = page_schema(ClosureSchema, "ClosurePage")


@blp.post("/cases/<uuid:case_id>/close")
@blp.arguments(CloseSchema)
@blp.response(200, CaseDetailSchema)
def close_case(data, case_id):
    """Close with a reason and the checklist; needs a supervisor's approved closure request."""
    require("case.close")
    return services.close(case_or_404(case_id), data)


@blp.post("/cases/<uuid:case_id>/reopen")
@blp.arguments(ReopenSchema)
@blp.response(200, CaseDetailSchema)
def reopen_case(data, case_id):
    """Reopen with a reason; the case goes back to assessment."""
    require("case.reopen")
    return services.reopen(case_or_404(case_id), data)


@blp.get("/cases/<uuid:case_id>/closures")
@blp.arguments(PageArgs, location="query")
@blp.response(200, ClosurePage)
def list_closures(args, case_id):
    """Every closing of the case and its reopening, newest first."""
    require("case.read")
    return paginate(services.of_case(case_or_404(case_id)), args)
