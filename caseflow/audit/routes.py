from flask_smorest import Blueprint
from sqlalchemy import or_, select

from caseflow.access.policy import case_or_404, require, scope_audit
from caseflow.audit.models import AuditEntry
from caseflow.audit.schemas import AuditEntrySchema, AuditQuery
from caseflow.core.pagination import PageArgs, page_schema, paginate

blp = Blueprint("audit", __name__, url_prefix="/api/v1", description="Audit trail")

AuditPage = page_schema(AuditEntrySchema, "AuditPage")


def _filtered(statement, args):
    for name in ("action", "actor_id", "entity_type", "case_id", "survivor_id"):
        if name in args:
            statement = statement.where(getattr(AuditEntry, name) == args[name])
    if "since" in args:
        statement = statement.where(AuditEntry.at >= args["since"])
    if "until" in args:
        statement = statement.where(AuditEntry.at < args["until"])
    return statement.order_by(AuditEntry.id.desc())


@blp.get("/audit")
@blp.arguments(AuditQuery, location="query")
@blp.response(200, AuditPage)
def list_audit(args):
    """Who read or changed what (supervisors: their centre; administrators: everything)."""
    require("audit.read")
    return paginate(_filtered(scope_audit(), args), args)


@blp.get("/cases/<uuid:case_id>/access-log")
@blp.arguments(PageArgs, location="query")
@blp.response(200, AuditPage)
def case_access_log(args, case_id):
    """Every read and change of this case and its records, newest first."""
    case = case_or_404(case_id, "case.access_log")
    statement = select(AuditEntry).where(
        or_(AuditEntry.case_id == case.id, AuditEntry.survivor_id == case.survivor_id)
    ).order_by(AuditEntry.id.desc())
    return paginate(statement, args)
