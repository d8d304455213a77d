"""The CEM's Ficha de Registro de Casos on the case: its condition, who informed, whether she
filed a complaint, whether she is registered at another centre (docs/casework.md, "The
Ficha de Registro's fields", gives the rules and their source).

**Condition** (shared domain notes, "Programmes and their reports": nuevo; reingreso, she
returns after a closed case; reincidente, new violence after an earlier case; derivado,
referred from another service; continuador, a case carried over). Derived when the case is
opened, in this order, the first that holds:

1. she has an earlier case at this centre that was closed → ``reingreso``;
2. the case came from another service (intake by police, a health facility, a court, a
   prosecutor or another referral) → ``derivado``;
3. otherwise → ``nuevo``.

A ``reingreso`` case becomes ``reincidente`` when an incident is recorded on it that happened
after her earlier case here was closed (new violence after that case). The caseworker may
record the condition herself (opening the case, or ``PATCH /cases/{id}``), within what the
facts allow: ``nuevo`` not when she has an earlier case here, ``reingreso`` only after a
closed case here, ``reincidente`` only after an earlier case here or at another centre;
``derivado`` and ``continuador`` (a case carried over, e.g. from paper records) are hers to say.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext
from sqlalchemy import func, select

from caseflow.cases.models import Case
from caseflow.core import ubigeo
from caseflow.core.errors import field_error
from caseflow.extensions import db
from caseflow.survivors import codes
from caseflow.survivors.models import Survivor

CONDITIONS = {
    "nuevo": lazy_gettext("New (first time at the centre)"),
    "reingreso": lazy_gettext("Returning (after a closed case)"),
    "reincidente": lazy_gettext("Repeat violence (new violence after an earlier case)"),
    "derivado": lazy_gettext("Referred (from another service)"),
    "continuador": lazy_gettext("Continuing (case carried over)"),
}
#: Who informed the centre of the violence (the Ficha's "informante").
INFORMANTS = {
    "survivor": lazy_gettext("She herself"),
    "family": lazy_gettext("A relative"),
    "neighbour": lazy_gettext("A neighbour"),
    "acquaintance": lazy_gettext("A friend or acquaintance"),
    "institution": lazy_gettext("An institution"),
    "anonymous": lazy_gettext("Anonymous"),
    "other": lazy_gettext("Other"),
}
COMPLAINT_FILED = {
    "yes": lazy_gettext("Yes"),
    "no": lazy_gettext("No"),
    "unknown": lazy_gettext("Not known"),
}
#: Intake channels by which another service sent her: the case is ``derivado``. Línea 100
#: and Chat 100 are the programme's own lines, not another service.
REFERRING_CHANNELS = frozenset({"police", "health_facility", "court", "prosecutor", "other_referral"})


def _earlier_cases(survivor_id, organization_id, exclude=None):
    statement = select(Case.status, Case.closed_at).where(
        Case.survivor_id == survivor_id, Case.organization_id == organization_id)
    if exclude is not None:
        statement = statement.where(Case.id != exclude)
    return db.session.execute(statement).all()


def last_closed_at(survivor_id, organization_id, exclude=None) -> datetime | None:
    statement = select(func.max(Case.closed_at)).where(
        Case.survivor_id == survivor_id, Case.organization_id == organization_id, Case.status == "closed")
    if exclude is not None:
        statement = statement.where(Case.id != exclude)
    return db.session.scalar(statement)


def derive_condition(survivor_id, organization_id, intake_channel: str, exclude=None) -> str:
    earlier = _earlier_cases(survivor_id, organization_id, exclude)
    if any(status == "closed" for status, _closed in earlier):
        return "reingreso"
    if intake_channel in REFERRING_CHANNELS:
        return "derivado"
    return "nuevo"


def check_condition(condition: str, survivor_id, organization_id, exclude=None) -> None:
    """422 when the condition she is recorded with contradicts her history at the centre."""
    earlier = _earlier_cases(survivor_id, organization_id, exclude)
    if condition == "nuevo" and earlier:
        raise field_error("condition", lazy_gettext(
            "She has an earlier case at this centre: the Ficha counts her as reingreso or reincidente."))
    if condition == "reingreso" and not any(status == "closed" for status, _closed in earlier):
        raise field_error("condition", lazy_gettext(
            "Reingreso is for a woman who returns after a closed case at this centre; she has none."))
    if condition == "reincidente" and not earlier:
        elsewhere = db.session.scalar(select(Survivor.registered_elsewhere).where(Survivor.id == survivor_id))
        if not elsewhere:
            raise field_error("condition", lazy_gettext(
                "Reincidente is for new violence after an earlier case; she has no earlier case at this "
                "centre and is not registered at another."))


#: ``fn(case) -> bool``: the case holds proof that she filed a complaint (registered by the
#: referrals' ``init_app``: a completed police complaint referral).
_COMPLAINT_PROOFS: list = []


def register_complaint_proof(fn) -> None:
    if fn not in _COMPLAINT_PROOFS:
        _COMPLAINT_PROOFS.append(fn)


def check_complaint_filed(case: Case, value: str) -> None:
    """She did file a complaint when a police complaint referral of the case completed:
    ``no`` or ``unknown`` would then misstate it (422)."""
    if value != "yes" and any(proof(case) for proof in _COMPLAINT_PROOFS):
        raise field_error("complaint_filed", lazy_gettext(
            "A police complaint referral of this case was completed: she filed a complaint."))


def condition_after_incident(case: Case, occurred_at: datetime) -> str | None:
    """The case's new condition once an incident that happened at ``occurred_at`` is
    recorded, or None: new violence after her earlier, closed case makes it reincidente."""
    if case.condition != "reingreso":
        return None
    closed = last_closed_at(case.survivor_id, case.organization_id, exclude=case.id)
    if closed is not None and occurred_at > closed:
        return "reincidente"
    return None


def code_lists() -> dict:
    """Every list of the Ficha and of her intersectional fields, labelled in the request's language."""
    return {"condition": codes.labelled(CONDITIONS), "informant": codes.labelled(INFORMANTS),
            "complaint_filed": codes.labelled(COMPLAINT_FILED), "ethnicity": codes.labelled(codes.ETHNICITIES),
            "mother_tongue": codes.labelled(codes.MOTHER_TONGUES), "disability": codes.labelled(codes.DISABILITIES),
            "ubigeo_source": ubigeo.SOURCE}
