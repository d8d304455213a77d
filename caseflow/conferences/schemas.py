import marshmallow as ma

from caseflow.access.policy import readable_value
from caseflow.core.fields import aware_datetime, text


class ConferenceCreateSchema(ma.Schema):
    held_at = aware_datetime(required=True)
    organization_ids = ma.fields.List(ma.fields.UUID(), required=True, validate=ma.validate.Length(min=1, max=60),
                                      metadata={"description": "The organizations taking part (directory ids)"})
    decisions = text(20000, required=True, required_nonblank=True, metadata={
        "description": "What was agreed, and by whom (encrypted)"})


class ConferenceSchema(ma.Schema):
    """That a conference was held, when and with whom (lists; nothing decrypted)."""

    id = ma.fields.UUID()
    case_id = ma.fields.UUID()
    held_at = ma.fields.AwareDateTime()
    organization_ids = ma.fields.List(ma.fields.UUID())
    recorded_by_id = ma.fields.UUID(allow_none=True)
    created_at = ma.fields.AwareDateTime()


class ConferenceDetailSchema(ConferenceSchema):
    """With its decisions (the read is audited)."""

    decisions = ma.fields.Method("_decisions", metadata={"type": "string", "nullable": True})

    def _decisions(self, conference):
        return readable_value(conference, "decisions")
