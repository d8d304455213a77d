from flask_login import current_user
from flask_smorest import Blueprint

from caseflow.access.policy import case_or_404, case_record_or_404, require, survivor_or_404
from caseflow.core.pagination import PageArgs, page_schema, paginate
from caseflow.custody import services
from caseflow.custody.models import CustodyDisclosure, CustodyScreening, SupplyDelivery, VisitRestriction
from caseflow.custody.schemas import (
    CustodyCreateSchema,
    CustodySchema,
    DisclosureCreateSchema,
    DisclosureSchema,
    RestrictionCreateSchema,
    RestrictionSchema,
    ScreeningCreateSchema,
    ScreeningSchema,
    SupplyCreateSchema,
    SupplySchema,
)

blp = Blueprint("custody", __name__, url_prefix="/api/v1", description="Survivors deprived of liberty")

SupplyPage = page_schema(SupplySchema, "SupplyPage")
RestrictionPage = page_schema(RestrictionSchema, "RestrictionPage")
ScreeningPage = page_schema(ScreeningSchema, "ScreeningPage")
DisclosurePage = page_schema(DisclosureSchema, "DisclosurePage")


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


@blp.post("/cases/<uuid:case_id>/custody-screenings")
@blp.arguments(ScreeningCreateSchema)
@blp.response(201, ScreeningSchema)
def record_screening(data, case_id):
    """Admission screening (Bangkok Rules, rule 6); each area found becomes a need of her plan."""
    require("custody.record")
    return services.record_screening(case_or_404(case_id), data)


@blp.get("/cases/<uuid:case_id>/custody-screenings")
@blp.arguments(PageArgs, location="query")
@blp.response(200, ScreeningPage)
def list_screenings(args, case_id):
    require("custody.read")
    return paginate(services.screenings_of(case_or_404(case_id)), args)


@blp.get("/custody-screenings/<uuid:screening_id>")
@blp.response(200, ScreeningSchema)
def get_screening(screening_id):
    return case_record_or_404(CustodyScreening, screening_id, "custody.read")


@blp.post("/cases/<uuid:case_id>/custody-disclosures")
@blp.arguments(DisclosureCreateSchema)
@blp.response(201, DisclosureSchema)
def record_disclosure(data, case_id):
    """Abuse disclosed in custody (rule 7): her decision, the report her consent allows, support."""
    require("custody.record")
    return services.record_disclosure(case_or_404(case_id), data)


@blp.get("/cases/<uuid:case_id>/custody-disclosures")
@blp.arguments(PageArgs, location="query")
@blp.response(200, DisclosurePage)
def list_disclosures(args, case_id):
    require("custody.read")
    return paginate(services.disclosures_of(case_or_404(case_id)), args)


@blp.get("/custody-disclosures/<uuid:disclosure_id>")
@blp.response(200, DisclosureSchema)
def get_disclosure(disclosure_id):
    return case_record_or_404(CustodyDisclosure, disclosure_id, "custody.read")
