from flask import jsonify
from flask_smorest import Blueprint

from caseflow.access.policy import case_or_404, require
from caseflow.cases import detail, services
from caseflow.cases.ficha import code_lists as ficha_code_lists
from caseflow.cases.schemas import (
    AssignSchema,
    CaseCreateSchema,
    CaseDetailSchema,
    CasePatchSchema,
    CaseQuery,
    CaseSchema,
    CodeListsSchema,
)
from caseflow.core.pagination import page_schema, paginate

blp = Blueprint("cases", __name__, url_prefix="/api/v1/cases", description="Cases")

CasePage = page_schema(CaseSchema, "CasePage")


@blp.post("")
@blp.arguments(CaseCreateSchema)
@blp.response(201, CaseDetailSchema)
def open_case(data):
    require("case.open")
    return services.open_case(**data)


@blp.get("")
@blp.arguments(CaseQuery, location="query")
@blp.response(200, CasePage)
def list_cases(args):
    require("case.read")
    return paginate(services.filtered(args), args)


@blp.get("/<uuid:case_id>")
@blp.response(200, CaseDetailSchema)
def get_case(case_id):
    # Built from rows in CaseDetailSchema's shape (caseflow.cases.detail): answered as is.
    return jsonify(detail.case_detail(case_id))


@blp.patch("/<uuid:case_id>")
@blp.arguments(CasePatchSchema)
@blp.response(200, CaseDetailSchema)
def patch_case(changes, case_id):
    return services.update_case(case_or_404(case_id, "case.update"), changes)


@blp.post("/<uuid:case_id>/assign")
@blp.arguments(AssignSchema)
@blp.response(200, CaseDetailSchema)
def assign_case(data, case_id):
    return services.assign(case_or_404(case_id, "case.assign"), data["user_id"])


codes_blp = Blueprint("code_lists", __name__, url_prefix="/api/v1", description="Value lists with their labels")


@codes_blp.get("/code-lists")
@codes_blp.response(200, CodeListsSchema)
def code_lists():
    """The Ficha de Registro's value lists (case condition, informant, complaint filed) and
    the intersectional ones (ethnicity and mother tongue as INEI's 2017 census asks them,
    disability), each code with its label in the request's language."""
    return ficha_code_lists()
