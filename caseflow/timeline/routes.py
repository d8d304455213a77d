import marshmallow as ma
from flask_smorest import Blueprint

from caseflow.access.policy import case_or_404
from caseflow.cases.timeline import build_timeline

blp = Blueprint("timeline", __name__, url_prefix="/api/v1", description="A case's timeline")


class TimelineEntrySchema(ma.Schema):
    at = ma.fields.AwareDateTime()
    kind = ma.fields.String()
    sector = ma.fields.String(allow_none=True)
    deadline_at = ma.fields.AwareDateTime(allow_none=True)
    met = ma.fields.Boolean(allow_none=True, metadata={
        "description": "Whether the deadline was met; null without a deadline or while it runs"})
    record_id = ma.fields.UUID(allow_none=True)
    detail = ma.fields.Dict()


class TimelineSchema(ma.Schema):
    case_id = ma.fields.UUID()
    items = ma.fields.Nested(TimelineEntrySchema, many=True)


@blp.get("/cases/<uuid:case_id>/timeline")
@blp.response(200, TimelineSchema)
def case_timeline(case_id):
    """Everything that happened on the case, in time order: incident, intake, consents,
    sessions, risk assessments, plan, approvals, referrals with their transitions and
    deadlines, and whatever other modules register."""
    case = case_or_404(case_id, "timeline.read")
    return {"case_id": case.id, "items": build_timeline(case)}
