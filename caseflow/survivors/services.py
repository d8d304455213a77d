"""Registering, correcting and finding survivors."""

from __future__ import annotations

from functools import cache

from flask_babel import lazy_gettext
from flask_login import current_user
from sqlalchemy import bindparam, func, select

from caseflow.access.policy import scope_survivors, survivor_reach, survivors_within_reach
from caseflow.audit.services import record_model_write
from caseflow.core.clock import utcnow
from caseflow.core.errors import Conflict, Gone, Unprocessable
from caseflow.crypto import blind_index, normalize
from caseflow.crypto.fields import unaudited_reads
from caseflow.crypto.keys import create_data_key, unwrap_data_keys
from caseflow.crypto.models import DataKey
from caseflow.extensions import db
from caseflow.survivors.models import Survivor

PLAIN_FIELDS = ("document_type", "sex", "district", "mother_tongue", "disability", "ethnicity", "interpreter_needed")
#: The most survivors a search by name or document answers with (one page of the largest
#: size): with more candidates it asks for a narrower search instead of decrypting them all.
SEARCH_LIMIT = 100


def _validate(values: dict) -> None:
    errors: dict[str, list] = {}
    doc_type, number = values.get("document_type"), values.get("document_number")
    if doc_type == "NONE" and number:
        errors["document_number"] = [lazy_gettext("No document number when the document type is NONE.")]
    if doc_type not in (None, "NONE") and not (number and normalize.document_number(number)):
        errors["document_number"] = [lazy_gettext("A document number is required for this document type.")]
    if not (values.get("given_names") or values.get("alias")):
        errors["given_names"] = [lazy_gettext("Give her names or at least an alias.")]
    birth_date = values.get("birth_date")
    if birth_date is not None and (birth_date > utcnow().date() or birth_date.year < 1900):
        errors["birth_date"] = [lazy_gettext("The birth date must be in the past.")]
    if errors:
        raise Unprocessable(errors=errors)


def _document_key(document_type: str | None, number: str | None) -> str | None:
    if not number or document_type in (None, "NONE"):
        return None
    return f"{document_type}:{normalize.document_number(number)}"


def index_values(survivor: Survivor) -> dict[str, str | None]:
    """Her normalised values per blind index (also used by ``crypto rebuild-index``)."""
    return {
        "document": _document_key(survivor.document_type, survivor.document_number),
        "name": normalize.name_variants(survivor.given_names, survivor.family_names),
    }


def _reindex(survivor: Survivor) -> None:
    blind_index.write_terms(survivor.id, index_values(survivor))


def register(values: dict) -> Survivor:
    """Register her, unless her document is already registered within the caller's reach
    (409 naming that survivor). Registered only at another centre, she is registered here
    too, marked ``registered_elsewhere`` without saying which centre holds her."""
    _validate(values)
    registered = _registered_with_document(values.get("document_type"), values.get("document_number"))
    in_reach = _within_reach(registered)
    if in_reach:
        raise Conflict(lazy_gettext("A survivor with this document is already registered."),
                       extra={"existing_id": str(in_reach[0])})
    survivor = Survivor(organization_id=current_user.organization_id, created_by_id=current_user.id,
                        registered_elsewhere=bool(registered))
    survivor.ensure_id()
    survivor.data_key_id = create_data_key(survivor.id).id
    _assign(survivor, values)
    db.session.add(survivor)
    db.session.flush()
    _reindex(survivor)
    record_model_write("create", survivor, fields=[k for k, v in values.items() if v is not None])
    return survivor


def _registered_with_document(document_type: str | None, number: str | None) -> list:
    """The ids of every survivor, at any centre, registered with this document. The blind
    index gives the candidates; their decrypted documents are compared here only, never
    shown, so these reads are not a disclosure to record."""
    wanted = _document_key(document_type, number)
    if wanted is None:
        return []
    rows = db.session.execute(_any_centre_candidates(), blind_index.candidate_params("document", wanted)).all()
    unwrap_data_keys([key for _survivor, *key in rows if key[0] is not None])
    with unaudited_reads():
        return [s.id for s, *_key in rows if _document_key(s.document_type, s.document_number) == wanted]


@cache
def _any_centre_candidates():
    return (
        select(Survivor)
        .outerjoin(DataKey, DataKey.id == Survivor.data_key_id)
        .add_columns(DataKey.id, DataKey.kek_id, DataKey.wrapped, DataKey.survivor_id)
        .where(Survivor.id.in_(blind_index.candidates()), Survivor.erased_at.is_(None))
        .order_by(Survivor.created_at)
    )


def _within_reach(survivor_ids: list) -> list:
    if not survivor_ids:
        return []
    reach = scope_survivors().with_only_columns(Survivor.id).where(Survivor.id.in_(survivor_ids))
    return list(db.session.scalars(reach.order_by(Survivor.created_at)))


def _assign(survivor: Survivor, values: dict) -> None:
    for name, value in values.items():
        setattr(survivor, name, value)


def correct(survivor: Survivor, changes: dict) -> Survivor:
    """Rectification (Ley 29733): fields are replaced, the audit names which ones."""
    readable(survivor)
    merged = {name: getattr(survivor, name) for name in ("document_type", "document_number", "given_names", "alias", "birth_date")}
    merged.update(changes)
    _validate(merged)
    _assign(survivor, changes)
    db.session.flush()
    if {"document_type", "document_number", "given_names", "family_names"} & set(changes):
        _reindex(survivor)
    record_model_write("update", survivor, fields=list(changes))
    return survivor


def readable(survivor: Survivor) -> Survivor:
    if survivor.erased:
        raise Gone()
    return survivor


class TooManyMatches(Unprocessable):
    """More women may match than one answer holds: she is asked for more of the name (or
    the document) rather than shown part of the matches as if it were all of them."""

    def __init__(self, field: str, message):
        super().__init__(message, errors={field: [message]}, extra={"code": "too_many_matches"})


TOO_MANY_NAMES = lazy_gettext(
    "Too many survivors have this name to list them. Add one of her given names, or search by her document.")
TOO_MANY_DOCUMENTS = lazy_gettext(
    "Too many survivors match this document to list them. Check the number and its type.")


def _true_matches(index_name: str, normalised: str, matches, field: str, refusal, count_first: bool) -> list[Survivor]:
    """Every survivor within reach whose value really matches, in order of registration;
    refused (422 on ``field``), before anything is decrypted, when more than ``SEARCH_LIMIT``
    are candidates: an exact answer would mean decrypting them all.

    ``count_first`` counts the candidates before loading any (a name search, where a
    common pair of family names has many): a refusal then costs one short query. A search
    by document has about one candidate and loads them at once, one statement as before."""
    reach = survivor_reach()
    if reach is None:
        return []
    params = {**reach, **blind_index.candidate_params(index_name, normalised), "limit": SEARCH_LIMIT + 1}
    if count_first:
        # On the connection: ids are not entities, and the ORM's execution path cost more
        # than the statement itself.
        counted = db.session.connection().execute(_candidate_count(), params).scalar_one()
        if counted > SEARCH_LIMIT:
            raise TooManyMatches(field, refusal)
        if not counted:
            return []
    # The same candidates again, with their keys (a registration in between may add one:
    # hence the second check). Loaded rows are not decrypted until a field is read.
    rows = db.session.execute(_candidates_with_keys(), params).all()
    if len(rows) > SEARCH_LIMIT:
        raise TooManyMatches(field, refusal)
    unwrap_data_keys([key for _survivor, *key in rows if key[0] is not None])
    # Checking a candidate's value is not showing it: a namesake the blind index merely
    # collided with was not disclosed, so only what the answer then serialises is recorded
    # as read (and the values checked are decrypted once: the answer reuses them).
    with unaudited_reads():
        return [survivor for survivor, *_key in rows if matches(survivor)]


def _candidates_within_reach():
    return (Survivor.id.in_(blind_index.candidates()), survivors_within_reach(), Survivor.erased_at.is_(None))


@cache
def _candidate_count():
    """How many of a blind-index term's candidates are within the caller's reach, counted up
    to ``limit`` (one past what an answer may hold, so the count stops there): one number
    back, not the ids. Built once."""
    capped = select(Survivor.id).where(*_candidates_within_reach()).limit(bindparam("limit")).subquery()
    return select(func.count()).select_from(capped)


@cache
def _candidates_with_keys():
    """Those candidates, each with her wrapped data key (checking her decrypted value would
    otherwise fetch the key on its own, one more round trip per candidate): built once, its
    text the same on every request (so PostgreSQL's driver prepares it)."""
    return (
        select(Survivor)
        .outerjoin(DataKey, DataKey.id == Survivor.data_key_id)
        .add_columns(DataKey.id, DataKey.kek_id, DataKey.wrapped, DataKey.survivor_id)
        .where(*_candidates_within_reach())
        .order_by(Survivor.created_at)
        .limit(bindparam("limit"))
    )


def find_by_document(document_type: str, number: str) -> list[Survivor]:
    wanted = _document_key(document_type, number)
    if wanted is None:
        return []
    return _true_matches(
        "document", wanted,
        lambda s: _document_key(s.document_type, s.document_number) == wanted,
        "document_number", TOO_MANY_DOCUMENTS, count_first=False,
    )


def find_by_name(name: str) -> list[Survivor]:
    wanted = normalize.person_name(name)
    if not wanted:
        return []
    return _true_matches(
        "name", wanted,
        lambda s: wanted in normalize.name_variants(s.given_names, s.family_names),
        "name", TOO_MANY_NAMES, count_first=True,
    )


def in_reach():
    return scope_survivors().where(Survivor.erased_at.is_(None)).order_by(Survivor.created_at.desc())


def by_ids(ids) -> list[Survivor]:
    return list(db.session.scalars(select(Survivor).where(Survivor.id.in_(ids))))
