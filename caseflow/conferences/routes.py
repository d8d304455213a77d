from flask_smorest import Blueprint

from caseflow.access.policy import case_or_404, case_record_or_404, require
from caseflow.conferences import services
from caseflow.conferences.models import CaseConference
from caseflow.conferences.schemas import ConferenceCreateSchema, ConferenceDetailSchema, ConferenceSchema
from caseflow.core.pagination import PageArgs, page_schema, paginate

blp = Blueprint("conferences", __name__, url_prefix="/api/v1", description="Case conferences")

ConferencePage = page_schema(ConferenceSchema, "ConferencePage")


@blp.post("/cases/<uuid:case_id>/conferences")
@blp.arguments(ConferenceCreateSchema)
@blp.response(201, ConferenceDetailSchema)
def record_conference(data, case_id):
    """Record a case conference: when, the organizations taking part, the decisions (encrypted)."""
    require("conference.record")
    return services.record_conference(case_or_404(case_id), data)


@blp.get("/cases/<uuid:case_id>/conferences")
@blp.arguments(PageArgs, location="query")
@blp.response(200, ConferencePage)
def list_conferences(args, case_id):
    """The case's conferences, latest first, without their decisions."""
    require("conference.read")
    return paginate(services.of_case(case_or_404(case_id)), args)


@blp.get("/conferences/<uuid:conference_id>")
@blp.response(200, ConferenceDetailSchema)
def get_conference(conference_id):
    """One conference with its decisions (the read is audited)."""
    return case_record_or_404(CaseConference, conference_id, "conference.read")
