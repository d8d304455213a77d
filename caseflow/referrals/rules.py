"""Deadline rules as data: which rules apply when, and the administrator's edits.

Rules are never changed by code: the migration seeds the table from the shared domain
notes, and administrators add or amend rules through the API. Two versions of one clock
(same service type or priority, same milestone) may not be in effect at the same moment,
so "the rule that applies at creation" is always a single answer.
"""

from __future__ import annotations

from datetime import datetime, timezone

from flask_babel import lazy_gettext
from sqlalchemy import or_, select

from caseflow.audit.services import record_model_write
from caseflow.core.errors import Conflict, Unprocessable
from caseflow.extensions import db
from caseflow.referrals import deadlines
from caseflow.referrals.models import DeadlineRule

EDITABLE = ("code", "label", "service_type", "priority", "anchor", "milestone", "hours", "source",
            "effective_from", "effective_to")


def rules_in_effect(service_type: str, priority: str, at: datetime) -> list[DeadlineRule]:
    candidates = db.session.scalars(select(DeadlineRule).where(
        or_(DeadlineRule.service_type == service_type, DeadlineRule.priority == priority),
        DeadlineRule.effective_from <= at,
    ).order_by(DeadlineRule.code, DeadlineRule.effective_from)).all()
    return deadlines.rules_for(candidates, service_type=service_type, priority=priority, at=at)


def listed(args: dict):
    statement = select(DeadlineRule).order_by(DeadlineRule.code, DeadlineRule.effective_from)
    for name in ("service_type", "priority", "code"):
        if name in args:
            statement = statement.where(getattr(DeadlineRule, name) == args[name])
    if "at" in args:
        at = args["at"].astimezone(timezone.utc)
        statement = statement.where(DeadlineRule.effective_from <= at, or_(
            DeadlineRule.effective_to.is_(None), DeadlineRule.effective_to > at))
    return statement


def _check(rule: DeadlineRule) -> None:
    errors = {}
    if (rule.service_type is None) == (rule.priority is None):
        errors["service_type"] = [lazy_gettext("Name either a service type or a priority, not both.")]
    if rule.priority is not None and rule.milestone != "accepted":
        errors["milestone"] = [lazy_gettext("A priority rule is an acknowledgement clock: its milestone is accepted.")]
    if rule.effective_to is not None and rule.effective_to <= rule.effective_from:
        errors["effective_to"] = [lazy_gettext("Must be after effective_from.")]
    if errors:
        raise Unprocessable(errors=errors)
    overlapping = select(DeadlineRule.id).where(
        DeadlineRule.id != rule.id, DeadlineRule.milestone == rule.milestone,
        DeadlineRule.service_type == rule.service_type if rule.service_type is not None
        else DeadlineRule.priority == rule.priority,
        or_(DeadlineRule.effective_to.is_(None), DeadlineRule.effective_to > rule.effective_from),
    )
    if rule.effective_to is not None:
        overlapping = overlapping.where(DeadlineRule.effective_from < rule.effective_to)
    if db.session.scalar(overlapping.limit(1)) is not None:
        raise Conflict(lazy_gettext(
            "Another version of this clock is in effect in that period: end it first (effective_to)."))


def create_rule(data: dict) -> DeadlineRule:
    rule = DeadlineRule(**{name: data.get(name) for name in EDITABLE})
    rule.ensure_id()
    _check(rule)
    db.session.add(rule)
    db.session.flush()
    record_model_write("create", rule, fields=sorted(data))
    return rule


def update_rule(rule: DeadlineRule, changes: dict) -> DeadlineRule:
    for name, value in changes.items():
        setattr(rule, name, value)
    with db.session.no_autoflush:
        _check(rule)
    db.session.flush()
    record_model_write("update", rule, fields=sorted(changes))
    return rule
