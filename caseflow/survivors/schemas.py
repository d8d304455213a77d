import marshmallow as ma
from flask_babel import lazy_gettext

from caseflow.core.fields import choice, text
from caseflow.core.pagination import PageArgs
from caseflow.crypto.fields import is_unreadable
from caseflow.directory.schemas import UBIGEO
from caseflow.survivors.codes import mother_tongue_code
from caseflow.survivors.models import DISABILITIES, DOCUMENT_TYPES, ETHNICITIES, MOTHER_TONGUES, SEXES


class SurvivorFields(ma.Schema):
    given_names = text(120, allow_none=True)
    family_names = text(120, allow_none=True)
    alias = text(60, allow_none=True, metadata={"description": "What mentors and messages may call her"})
    document_type = choice(DOCUMENT_TYPES)
    document_number = text(20, allow_none=True)
    birth_date = ma.fields.Date(allow_none=True)
    sex = choice(SEXES, allow_none=True)
    gender_identity = text(60, allow_none=True, metadata={
        "description": "Self-described (e.g. woman, trans woman, non-binary); optional"
    })
    phone = text(30, allow_none=True)
    address = text(300, allow_none=True)
    safe_contact = text(500, allow_none=True, metadata={"description": "Safe times and ways to contact her"})
    district = ma.fields.String(allow_none=True, validate=UBIGEO)
    mother_tongue = choice(MOTHER_TONGUES, allow_none=True, metadata={
        "description": "INEI census 2017 codes (GET /code-lists); a language's name (Quechua, castellano) "
                       "is taken as its code"})
    disability = choice(DISABILITIES, allow_none=True)
    ethnicity = choice(ETHNICITIES, allow_none=True, metadata={
        "description": "Ethnic self-identification as INEI's 2017 census asks it (GET /code-lists)"})
    interpreter_needed = ma.fields.Boolean(allow_none=True)

    @ma.pre_load
    def _language_names(self, data, **kwargs):
        if isinstance(data, dict) and "mother_tongue" in data:
            data = {**data, "mother_tongue": mother_tongue_code(data["mother_tongue"])}
        return data


class SurvivorCreateSchema(SurvivorFields):
    document_type = choice(DOCUMENT_TYPES, load_default="NONE")


class SurvivorSchema(SurvivorFields):
    id = ma.fields.UUID()
    organization_id = ma.fields.UUID()
    registered_elsewhere = ma.fields.Boolean(allow_none=True, metadata={
        "description": "Her document was already registered at another centre (which one is not said)"
    })
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()
    #: Last: it is known once the fields above have been decrypted.
    unreadable = ma.fields.Function(is_unreadable, metadata={
        "description": "True when one of her fields could not be decrypted (damaged or moved data): "
                       "those fields are null; the operator is alerted"})


class SurvivorSummarySchema(SurvivorSchema):
    """Who she is, enough to tell her from a namesake: what a list or a search answers.

    A search by family names shows every woman sharing them; her phone, address, safe
    contact, gender identity and the Ficha's intersectional codes are need-to-know for the
    case team of the woman opened (``GET /survivors/{id}``), not for everyone listed beside
    her. Fewer values shown is also fewer decrypted and fewer recorded as read."""

    class Meta:
        exclude = ("phone", "address", "safe_contact", "gender_identity", "mother_tongue", "disability",
                   "ethnicity", "interpreter_needed", "updated_at")


class SurvivorQuery(PageArgs):
    document_type = choice(DOCUMENT_TYPES)
    document_number = text(40)
    name = text(250, metadata={"description": "Exact full name, her family names alone, or one given name with her family names; case, accents and spacing ignored. "
        "More than 100 possible matches: 422 `too_many_matches` (add a given name)"})

    @ma.validates_schema
    def _document_pair(self, data, **kwargs):
        if ("document_number" in data) != ("document_type" in data):
            raise ma.ValidationError(
                lazy_gettext("Search by document needs both document_type and document_number."),
                "document_number",
            )
