from flask_smorest import Blueprint

from caseflow.access.policy import case_or_404, case_record_or_404, require
from caseflow.core.pagination import PageArgs, page_schema, paginate
from caseflow.sessions import services
from caseflow.sessions.models import AttentionSession
from caseflow.sessions.schemas import SessionCreateSchema, SessionDetailSchema, SessionSchema

blp = Blueprint("sessions", __name__, url_prefix="/api/v1", description="Attention sessions")

SessionPage = page_schema(SessionSchema, "SessionPage")


@blp.post("/cases/<uuid:case_id>/sessions")
@blp.arguments(SessionCreateSchema)
@blp.response(201, SessionDetailSchema)
def record_session(data, case_id):
    """Record a session of the caller's discipline (supervisors: any)."""
    require("session.record")
    return services.record_session(case_or_404(case_id), data)


@blp.get("/cases/<uuid:case_id>/sessions")
@blp.arguments(PageArgs, location="query")
@blp.response(200, SessionPage)
def list_sessions(args, case_id):
    """The case's sessions, newest first, without notes."""
    require("session.read")
    return paginate(services.of_case(case_or_404(case_id)), args)


@blp.get("/sessions/<uuid:session_id>")
@blp.response(200, SessionDetailSchema)
def get_session(session_id):
    """One session; its notes only for those allowed to read them (psychology: the
    discipline and the centre's supervisors)."""
    return case_record_or_404(AttentionSession, session_id, "session.read")
