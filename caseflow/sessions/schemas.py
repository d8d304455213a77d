import marshmallow as ma

from caseflow.access.policy import may_read_field, readable_value
from caseflow.core.fields import aware_datetime, choice, text
from caseflow.crypto.fields import is_unreadable
from caseflow.directory.models import DISCIPLINES


class SessionCreateSchema(ma.Schema):
    discipline = choice(DISCIPLINES, required=True)
    started_at = aware_datetime(required=True)
    duration_minutes = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=720))
    summary = text(20000, allow_none=True)
    next_steps = text(5000, allow_none=True)


class SessionSchema(ma.Schema):
    """That a session happened; visible to everyone working the case."""

    id = ma.fields.UUID()
    case_id = ma.fields.UUID()
    discipline = ma.fields.String()
    started_at = ma.fields.AwareDateTime()
    duration_minutes = ma.fields.Integer()
    held_by_id = ma.fields.UUID(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    notes_visible = ma.fields.Method("_notes_visible", metadata={
        "type": "boolean", "description": "false when the caller may not read this session's notes"})

    def _notes_visible(self, session):
        return may_read_field(session, "summary")


class SessionDetailSchema(SessionSchema):
    """With its notes, only for those the access policy lets read them (reads audited)."""

    summary = ma.fields.Method("_summary", metadata={"type": "string", "nullable": True})
    next_steps = ma.fields.Method("_next_steps", metadata={"type": "string", "nullable": True})

    #: Last: it is known once the notes have been decrypted.
    unreadable = ma.fields.Function(is_unreadable, metadata={
        "description": "True when its notes could not be decrypted (damaged data, or a record moved "
                       "to another survivor or case): they are null; the operator is alerted"})

    def _summary(self, session):
        return readable_value(session, "summary")

    def _next_steps(self, session):
        return readable_value(session, "next_steps")
