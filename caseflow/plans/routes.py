from flask_smorest import Blueprint

from caseflow.access.policy import case_or_404, case_record_or_404, require
from caseflow.core.pagination import PageArgs, page_schema, paginate
from caseflow.plans import services
from caseflow.plans.models import PlanItem
from caseflow.plans.schemas import (
    PlanItemCreateSchema,
    PlanItemDetailSchema,
    PlanItemPatchSchema,
    PlanItemSchema,
)

blp = Blueprint("plans", __name__, url_prefix="/api/v1", description="Case action plan")

PlanItemPage = page_schema(PlanItemSchema, "PlanItemPage")


@blp.post("/cases/<uuid:case_id>/plan-items")
@blp.arguments(PlanItemCreateSchema)
@blp.response(201, PlanItemDetailSchema)
def add_plan_item(data, case_id):
    require("plan.write")
    return services.add_item(case_or_404(case_id), data)


@blp.get("/cases/<uuid:case_id>/plan-items")
@blp.arguments(PageArgs, location="query")
@blp.response(200, PlanItemPage)
def list_plan_items(args, case_id):
    """The action plan, in the order it was written, without notes."""
    require("plan.read")
    return paginate(services.of_case(case_or_404(case_id)), args)


@blp.get("/plan-items/<uuid:item_id>")
@blp.response(200, PlanItemDetailSchema)
def get_plan_item(item_id):
    return case_record_or_404(PlanItem, item_id, "plan.read")


@blp.patch("/plan-items/<uuid:item_id>")
@blp.arguments(PlanItemPatchSchema)
@blp.response(200, PlanItemDetailSchema)
def update_plan_item(changes, item_id):
    """Follow-up: change the decision, mark the goal met or not applicable."""
    return services.update_item(case_record_or_404(PlanItem, item_id, "plan.write"), changes)
