from flask_smorest import Blueprint
from flask_login import current_user

from caseflow.access.policy import case_or_404, case_record_or_404, require, survivor_or_404
from caseflow.core.pagination import PageArgs, page_schema, paginate
from caseflow.custody import services, timeline  # noqa: F401  (timeline: registers its source)
from caseflow.custody.models import SupplyDelivery, VisitRestriction
from caseflow.custody.schemas import (
    CustodyCreateSchema, CustodySchema, RestrictionCreateSchema, RestrictionSchema, SupplyCreateSchema, SupplySchema,
)

blp = Blueprint("custody", __name__, url_prefix="/api/v1", description="Survivors deprived of liberty")

SupplyPage = page_schema(SupplySchema, "SupplyPage")
RestrictionPage = page_schema(RestrictionSchema, "RestrictionPage")


@blp.post("/survivors/<uuid:survivor_id>/custody")
@blp.arguments(CustodyCreateSchema)
@blp.response(201, CustodySchema)
def record_custody(data, survivor_id):
    """Record that she entered custody at a facility, or was released (with her follow-up)."""
    return services.record_custody(survivor_or_404(survivor_id, "custody.record"), data)


@blp.get("/survivors/<uuid:survivor_id>/custody")
@blp.response(200, CustodySchema)
def get_custody(survivor_id):
    """Her custody now and its history, as her centre recorded it."""
    return services.custody_of(survivor_or_404(survivor_id, "custody.read"))


@blp.post("/cases/<uuid:case_id>/supplies")
@blp.arguments(SupplyCreateSchema)
@blp.response(201, SupplySchema)
def record_supply(data, case_id):
    """Record what was handed to her (a hygiene kit...)."""
    require("supply.record")
    return services.record_supply(case_or_404(case_id), data)


@blp.get("/cases/<uuid:case_id>/supplies")
@blp.arguments(PageArgs, location="query")
@blp.response(200, SupplyPage)
def list_supplies(args, case_id):
    require("supply.read")
    return paginate(services.supplies_of(case_or_404(case_id)), args)


@blp.get("/supplies/<uuid:supply_id>")
@blp.response(200, SupplySchema)
def get_supply(supply_id):
    return case_record_or_404(SupplyDelivery, supply_id, "supply.read")


@blp.post("/cases/<uuid:case_id>/visit-restrictions")
@blp.arguments(RestrictionCreateSchema)
@blp.response(201, RestrictionSchema)
def add_restriction(data, case_id):
    """Someone she does not want to be visited by (Bangkok Rules, rule 44)."""
    require("restriction.record")
    return services.add_restriction(case_or_404(case_id), data)


@blp.get("/cases/<uuid:case_id>/visit-restrictions")
@blp.arguments(PageArgs, location="query")
@blp.response(200, RestrictionPage)
def list_restrictions(args, case_id):
    require("restriction.read")
    return paginate(services.restrictions_of(case_or_404(case_id)), args)


@blp.get("/visit-restrictions/<uuid:restriction_id>")
@blp.response(200, RestrictionSchema)
def get_restriction(restriction_id):
    return case_record_or_404(VisitRestriction, restriction_id, "restriction.read")


@blp.get("/facility/visit-restrictions")
@blp.response(200, RestrictionPage)
def facility_restrictions():
    """For a penitentiary establishment's liaison: whom the women held there refuse as
    visitors, where their consent covers the establishment; nothing else of their cases."""
    require("restriction.facility_read")
    items = services.facility_restrictions(current_user.organization_id)
    return {"items": items, "total": len(items), "page": 1, "per_page": max(len(items), 1)}
