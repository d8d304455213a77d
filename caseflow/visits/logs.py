"""Logging what happened at a visit, exactly once per submission.

A phone on a poor connection retries. The ``Idempotency-Key`` header names a submission:
``(person, key)`` is unique in ``visit_logs``, so concurrent retries race on that
constraint and every loser answers with the winner's log. The same key with a different
body is refused (422) rather than silently answered with the first log.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone

from flask_babel import lazy_gettext
from flask_login import current_user
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from caseflow.audit.services import record_model_write
from caseflow.cases.models import Case
from caseflow.cases.services import add_event
from caseflow.core.clock import local_date, local_zone_name, utcnow
from caseflow.core.errors import Conflict, Unprocessable
from caseflow.crypto.keys import keyring
from caseflow.extensions import db
from caseflow.scheduling import outbox
from caseflow.visits.models import Visit, VisitLog

#: A phone's clock may run a little ahead.
CLOCK_SKEW = timedelta(minutes=10)
STATUS_FOR_OUTCOME = {"done": "done", "missed": "missed", "rescheduled": "rescheduled"}
KEY_REUSED = lazy_gettext("This Idempotency-Key was already used for a different submission.")


#: Outcomes that cannot be logged before the visit's window opens (rescheduling can).
EARLY_REFUSED = frozenset({"done", "missed"})


def request_digest(visit: Visit, data: dict) -> str:
    """Keyed digest of the submission (the notes are never stored in the clear or unkeyed).

    Keyed by a subkey of the keyring's audit key, not the cookie-signing secret: that secret
    is configuration that lives beside the database and may be rotated at will, which would
    turn a phone's retry into a refusal."""
    canonical = json.dumps({"visit": str(visit.id), **{k: _plain(v) for k, v in data.items()}},
                           sort_keys=True, separators=(",", ":"))
    return hmac.new(_digest_key(), canonical.encode(), hashlib.sha256).hexdigest()


def _digest_key() -> bytes:
    return hmac.new(keyring().audit_key, b"caseflow:visit-log-digest", hashlib.sha256).digest()


def _plain(value):
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    return value


def _existing(key: str) -> VisitLog | None:
    return db.session.scalars(
        select(VisitLog).where(VisitLog.logged_by_id == current_user.id, VisitLog.idempotency_key == key)
    ).first()


def _replay(existing: VisitLog, visit: Visit, digest: str) -> VisitLog:
    if existing.visit_id != visit.id or not hmac.compare_digest(existing.request_digest or "", digest):
        raise Unprocessable(KEY_REUSED, errors={"Idempotency-Key": [KEY_REUSED]})
    return existing


def _validate(visit: Visit, data: dict, now: datetime) -> None:
    errors = {}
    happened_at = data["happened_at"]
    if happened_at > now + CLOCK_SKEW:
        errors["happened_at"] = [lazy_gettext("The visit cannot have happened in the future.")]
    elif data["outcome"] in EARLY_REFUSED and happened_at + CLOCK_SKEW < visit.window_start:
        # A visit done (or missed) weeks before it was due is a slip of the wrong visit, and
        # it would silently take the place of the one she is owed; moving it is rescheduling.
        errors["happened_at"] = [lazy_gettext(
            "This visit's window has not opened yet: log it from its first day, or reschedule it.")]
    rescheduled_to = data.get("rescheduled_to")
    if data["outcome"] == "rescheduled":
        if rescheduled_to is None:
            errors["rescheduled_to"] = [lazy_gettext("Give the new date of a rescheduled visit.")]
        elif rescheduled_to <= now:
            errors["rescheduled_to"] = [lazy_gettext("The new date must be in the future.")]
    elif rescheduled_to is not None:
        errors["rescheduled_to"] = [lazy_gettext("Only a rescheduled visit has a new date.")]
    if data["outcome"] == "done" and not data.get("modality"):
        errors["modality"] = [lazy_gettext("Say how the visit took place.")]
    if errors:
        raise Unprocessable(errors=errors)


def log_visit(visit: Visit, data: dict, idempotency_key: str | None, now: datetime | None = None) -> VisitLog:
    now = now or utcnow()
    # The digest covers what was sent, before defaults, so a retry matches its original.
    digest = request_digest(visit, data)
    data = {**data, "happened_at": data.get("happened_at") or now}
    if idempotency_key:
        existing = _existing(idempotency_key)
        if existing is not None:
            return _replay(existing, visit, digest)
    _validate(visit, data, now)
    if visit.status != "planned":
        raise Conflict(lazy_gettext("This visit was already logged or cancelled."))
    log = VisitLog(visit_id=visit.id, case_id=visit.case_id, survivor_id=visit.case.survivor_id,
                   logged_by_id=current_user.id, outcome=data["outcome"], happened_at=data["happened_at"],
                   modality=data.get("modality"), safety_concern=bool(data.get("safety_concern")),
                   rescheduled_to=data.get("rescheduled_to"), idempotency_key=idempotency_key,
                   request_digest=digest, created_at=now)
    log.ensure_id()
    if data.get("notes"):
        log.notes = data["notes"]
    try:
        with db.session.begin_nested():
            db.session.add(log)
            db.session.flush()
    except IntegrityError:
        # A concurrent retry under the same key committed first: answer with its log.
        existing = _existing(idempotency_key) if idempotency_key else None
        if existing is None:
            raise Conflict() from None
        return _replay(existing, visit, digest)
    claimed = db.session.execute(
        update(Visit).where(Visit.id == visit.id, Visit.status == "planned")
        .values(status=STATUS_FOR_OUTCOME[data["outcome"]], updated_at=now)
        .returning(Visit.id).execution_options(synchronize_session=False)
    ).first()
    if claimed is None:
        raise Conflict(lazy_gettext("This visit was already logged or cancelled."))
    db.session.expire(visit, ["status"])
    _follow_up(visit, log, now)
    record_model_write("create", log, fields=[k for k, v in data.items() if v is not None],
                       detail={"outcome": log.outcome, "safety_concern": log.safety_concern})
    return log


def _follow_up(visit: Visit, log: VisitLog, now: datetime) -> None:
    case = visit.case
    add_event(case, f"visit_{log.outcome}", {"visit_id": str(visit.id), "log_id": str(log.id)})
    if log.outcome == "done":
        db.session.execute(
            update(Case).where(Case.id == case.id, or_(Case.last_contact_at.is_(None),
                                                        Case.last_contact_at < log.happened_at))
            .values(last_contact_at=log.happened_at).execution_options(synchronize_session=False)
        )
        db.session.expire(case, ["last_contact_at"])
    elif log.outcome == "missed":
        outbox.escalate(organization_id=visit.organization_id, topic="visit_missed", subject_id=visit.id,
                        case=case, subject_at=log.happened_at, detail={"visit_id": str(visit.id)}, now=now)
    elif log.outcome == "rescheduled":
        _reschedule(visit, log.rescheduled_to)
    if log.safety_concern:
        case.risk_reassessment_requested_at = now
        add_event(case, "risk_reassessment_requested", {"visit_id": str(visit.id), "log_id": str(log.id)})
        record_model_write("update", case, fields=["risk_reassessment_requested_at"])
        outbox.escalate(organization_id=visit.organization_id, topic="safety_concern", subject_id=log.id,
                        case=case, subject_at=log.happened_at, detail={"visit_id": str(visit.id)}, now=now)


def _reschedule(visit: Visit, new_start: datetime) -> Visit:
    """A new visit at the new time: a new row, so it gets its own reminder."""
    zone = local_zone_name()
    replacement = Visit(
        plan_id=visit.plan_id, case_id=visit.case_id, organization_id=visit.organization_id,
        assignee_id=visit.assignee_id, kind=visit.kind, generation=None, sequence=None,
        rescheduled_from_id=visit.id, due_on=local_date(new_start, zone), window_start=new_start,
        window_end=new_start + timedelta(days=visit.plan.window_days), status="planned",
    )
    replacement.ensure_id()
    db.session.add(replacement)
    db.session.flush()
    return replacement


def logs_of(visit: Visit) -> list[VisitLog]:
    """A visit's logs, oldest first (read through the visit, already within reach)."""
    return list(db.session.scalars(select(VisitLog).where(VisitLog.visit_id == visit.id)
                                   .order_by(VisitLog.created_at, VisitLog.id)))
