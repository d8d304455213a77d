from flask_smorest import Blueprint

from caseflow.access.policy import case_or_404, case_record_or_404, require
from caseflow.approvals import services
from caseflow.approvals.models import Approval
from caseflow.approvals.schemas import (
    ApprovalDetailSchema,
    ApprovalQuery,
    ApprovalRequestSchema,
    ApprovalSchema,
    DecisionSchema,
)
from caseflow.core.pagination import page_schema, paginate

blp = Blueprint("approvals", __name__, url_prefix="/api/v1", description="Supervisor approvals")

ApprovalPage = page_schema(ApprovalSchema, "ApprovalPage")


@blp.post("/cases/<uuid:case_id>/approvals")
@blp.arguments(ApprovalRequestSchema)
@blp.response(201, ApprovalDetailSchema)
def request_approval(data, case_id):
    """Ask a supervisor to approve the action plan or the closure."""
    require("approval.request")
    return services.request(case_or_404(case_id), data["kind"], data.get("note"))


@blp.get("/cases/<uuid:case_id>/approvals")
@blp.arguments(ApprovalQuery, location="query")
@blp.response(200, ApprovalPage)
def list_approvals(args, case_id):
    require("approval.read")
    return paginate(services.of_case(case_or_404(case_id), args), args)


@blp.get("/approvals/<uuid:approval_id>")
@blp.response(200, ApprovalDetailSchema)
def get_approval(approval_id):
    return case_record_or_404(Approval, approval_id, "approval.read")


@blp.post("/approvals/<uuid:approval_id>/decision")
@blp.arguments(DecisionSchema)
@blp.response(200, ApprovalDetailSchema)
def decide_approval(data, approval_id):
    """A supervisor of the centre approves or rejects, with a note; a decision is final."""
    approval = case_record_or_404(Approval, approval_id, "approval.read")
    return services.decide(approval, data["decision"], data["note"])
