import marshmallow as ma

from caseflow.core.fields import choice
from caseflow.rights.models import ERASURE_REASONS


class EraseSchema(ma.Schema):
    reason = choice(ERASURE_REASONS, required=True, metadata={
        "description": "The legal ground, as a code (survivor_request: her right of cancellation, Ley 29733 "
                       "art. 20); never free text, as it outlives her data"
    })


class ErasureRequestSchema(ma.Schema):
    id = ma.fields.UUID()
    survivor_id = ma.fields.UUID()
    status = ma.fields.String(metadata={"description": "pending, carried_out"})
    requested_by_id = ma.fields.UUID()
    requested_at = ma.fields.AwareDateTime()
    confirmed_by_id = ma.fields.UUID(allow_none=True)
    confirmed_at = ma.fields.AwareDateTime(allow_none=True)


class ExportQuery(ma.Schema):
    format = ma.fields.String(validate=ma.validate.OneOf(["json", "html"]), load_default=None)
