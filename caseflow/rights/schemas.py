import marshmallow as ma

from caseflow.core.fields import text


class EraseSchema(ma.Schema):
    reason = text(500, required=True, required_nonblank=True, metadata={
        "description": "The legal ground (e.g. her request under Ley 29733); nothing about her"
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
