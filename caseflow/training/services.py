"""Recording training sessions, and how many a person has attended."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext
from flask_login import current_user
from sqlalchemy import func, select

from caseflow.audit.services import record_model_write
from caseflow.core.clock import local_date, utcnow
from caseflow.core.errors import Conflict, field_error
from caseflow.extensions import db
from caseflow.training.models import Training


def record_training(person, *, held_on, topic: str) -> Training:
    """A supervisor of her centre records a session she attended."""
    today = local_date(utcnow())
    if held_on > today:
        raise field_error("held_on", lazy_gettext("Must not be in the future."))
    topic = topic.strip()
    if not topic:
        raise field_error("topic", lazy_gettext("Required."))
    exists = db.session.scalar(select(Training.id).where(
        Training.user_id == person.id, Training.held_on == held_on, Training.topic == topic))
    if exists is not None:
        raise Conflict(lazy_gettext("This session is already recorded."))
    training = Training(user_id=person.id, held_on=held_on, topic=topic, recorded_by_id=current_user.id)
    training.ensure_id()
    db.session.add(training)
    db.session.flush()
    record_model_write("create", training, fields=["held_on", "topic"])
    return training


def sessions_attended(user_id) -> int:
    return db.session.scalar(select(func.count()).select_from(Training).where(Training.user_id == user_id)) or 0


def sessions_attended_by(user_ids) -> dict:
    """Sessions attended by each of these people, in one grouped query (0 for none)."""
    ids = list(user_ids)
    if not ids:
        return {}
    counts = dict(db.session.execute(select(Training.user_id, func.count()).where(Training.user_id.in_(ids))
                                     .group_by(Training.user_id)).all())
    return {user_id: counts.get(user_id, 0) for user_id in ids}


def sessions_required() -> int:
    return int(current_app.config["CASEFLOW_MENTOR_TRAINING_SESSIONS"])


def of_person(person):
    return select(Training).where(Training.user_id == person.id).order_by(Training.held_on, Training.id)
