import marshmallow as ma

from caseflow.core.pagination import PageArgs
from caseflow.scheduling.messages import render


class NotificationQuery(PageArgs):
    unread = ma.fields.Boolean(metadata={"description": "true: unread only; false: read only"})


class NotificationSchema(ma.Schema):
    id = ma.fields.UUID()
    kind = ma.fields.String(metadata={"enum": ["reminder", "escalation"]})
    topic = ma.fields.String()
    case_id = ma.fields.UUID(allow_none=True)
    case_code = ma.fields.String(allow_none=True)
    at = ma.fields.AwareDateTime(attribute="subject_at", allow_none=True)
    message = ma.fields.Function(lambda m: render(m.topic, m.case_code, m.subject_at, m.detail))
    detail = ma.fields.Dict(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    read_at = ma.fields.AwareDateTime(allow_none=True)
    read = ma.fields.Function(lambda m: m.read_at is not None)


class MarkReadSchema(ma.Schema):
    ids = ma.fields.List(ma.fields.UUID(), validate=ma.validate.Length(max=500), metadata={
        "description": "Messages to mark read; leave out to mark every unread one"})


class MarkedSchema(ma.Schema):
    marked = ma.fields.Integer()
