from flask import Response, request
from flask_smorest import Blueprint

from caseflow.access.policy import survivor_or_404
from caseflow.auth.services import require_recent_authentication
from caseflow.rights import erasure, export
from caseflow.rights.schemas import EraseSchema, ErasureRequestSchema, ExportQuery

blp = Blueprint("survivor-rights", __name__, url_prefix="/api/v1/survivors",
                description="Survivors' data rights: erasure and export")


@blp.post("/<uuid:survivor_id>/erase")
@blp.arguments(EraseSchema)
@blp.response(202, ErasureRequestSchema, description="Asked; a second supervisor of the centre must confirm")
@blp.alt_response(200, schema=ErasureRequestSchema, description="Confirmed: her data was erased")
def erase_survivor(data, survivor_id):
    """Crypto-shredding erasure, by two supervisors of the centre."""
    survivor = survivor_or_404(survivor_id, "survivor.erase")
    require_recent_authentication()  # signed in again within five minutes
    request_, done = erasure.request_or_confirm(survivor, data["reason"])
    return request_, 200 if done else 202


@blp.get("/<uuid:survivor_id>/export")
@blp.arguments(ExportQuery, location="query")
@blp.doc(responses={"200": {
    "description": "Everything held about her, decrypted: JSON, or printable HTML "
                   "(`Accept: text/html` or `?format=html`)",
    "content": {"application/json": {"schema": {"type": "object"}}, "text/html": {"schema": {"type": "string"}}},
}})
def export_survivor(args, survivor_id):
    """Her access right: every record about her, decrypted; audited."""
    survivor = survivor_or_404(survivor_id, "survivor.export")
    require_recent_authentication()  # signed in again within five minutes
    content = export.export_survivor(survivor)
    wants_html = args.get("format") == "html" or (
        args.get("format") is None
        and request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"
    )
    if wants_html:
        response = Response(export.export_html(content), mimetype="text/html")
        response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
        return response
    return content
