from flask_smorest import Blueprint

from caseflow.access.policy import require, survivor_or_404
from caseflow.core.pagination import page_schema, paginate
from caseflow.survivors import services
from caseflow.survivors.schemas import (
    SurvivorCreateSchema,
    SurvivorFields,
    SurvivorQuery,
    SurvivorSchema,
    SurvivorSummarySchema,
)

blp = Blueprint("survivors", __name__, url_prefix="/api/v1/survivors", description="Survivors (encrypted)")

SurvivorPage = page_schema(SurvivorSummarySchema, "SurvivorPage")


@blp.post("")
@blp.arguments(SurvivorCreateSchema)
@blp.response(201, SurvivorSchema)
def register_survivor(data):
    require("survivor.register")
    return services.register(data)


@blp.get("")
@blp.arguments(SurvivorQuery, location="query")
@blp.response(200, SurvivorPage)
def list_survivors(args):
    """Exact search by document or by name; without either, the centre's survivors.

    Each item is her identity summary (names, alias, document, birth date, sex, district,
    registered elsewhere): `GET /survivors/{id}` gives the rest, to whom the case needs it.

    A search answers every match within the caller's reach (`total` exact, at most 100, so
    one page of `per_page=100` holds them all) or, when more than 100 survivors may match, a
    422 in the error shape with `code: "too_many_matches"` and a message on the field asking
    for more of her name (or her document). Nothing is decrypted for a refused search; a
    family name shared by many women is refused rather than answered in part."""
    require("survivor.read")
    if "document_number" in args:
        found = services.find_by_document(args["document_type"], args["document_number"])
    elif "name" in args:
        found = services.find_by_name(args["name"])
    else:
        return paginate(services.in_reach(), args)
    page, per_page = args["page"], args["per_page"]
    return {"items": found[(page - 1) * per_page: page * per_page], "total": len(found),
            "page": page, "per_page": per_page}


@blp.get("/<uuid:survivor_id>")
@blp.response(200, SurvivorSchema)
def get_survivor(survivor_id):
    return services.readable(survivor_or_404(survivor_id))


@blp.patch("/<uuid:survivor_id>")
@blp.arguments(SurvivorFields)
@blp.response(200, SurvivorSchema)
def correct_survivor(changes, survivor_id):
    return services.correct(survivor_or_404(survivor_id, "survivor.correct"), changes)
