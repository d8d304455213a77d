import marshmallow as ma

from caseflow.core.fields import text


class RiskAssessmentCreateSchema(ma.Schema):
    instrument = text(60, required=True, metadata={"description": "An id from GET /instruments"})
    answers = ma.fields.Dict(keys=ma.fields.String(validate=ma.validate.Length(max=60)), required=True,
                             metadata={"description": "Item code → answer (true/false or a whole number)"})


class RiskAssessmentSchema(ma.Schema):
    id = ma.fields.UUID()
    case_id = ma.fields.UUID()
    instrument = ma.fields.String()
    instrument_version = ma.fields.Integer()
    score = ma.fields.Integer()
    level = ma.fields.String(metadata={"enum": ["leve", "moderado", "severo"]})
    assessed_at = ma.fields.AwareDateTime()
    assessed_by_id = ma.fields.UUID(allow_none=True)


class RiskAssessmentDetailSchema(RiskAssessmentSchema):
    answers = ma.fields.Dict()


class InstrumentSchema(ma.Schema):
    id = ma.fields.String()
    code = ma.fields.String()
    version = ma.fields.Integer()
    title = ma.fields.Dict()
    description = ma.fields.Dict()
    scoring = ma.fields.String()
    cutoffs = ma.fields.Dict(metadata={"description": "set_by: deployment; placeholders until set"})
    items = ma.fields.List(ma.fields.Dict())


class InstrumentListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(InstrumentSchema))
