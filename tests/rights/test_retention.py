"""Retention as data: closed cases past the period lose their identifying data."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from caseflow.cases.models import Case
from caseflow.crypto.models import DataKey
from caseflow.extensions import db
from caseflow.rights.models import RetentionRule
from caseflow.rights.retention import apply_retention
from caseflow.survivors.models import Survivor
from testkit.factories import UserFactory, make_case

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


def _close(case, at):
    db.session.execute(update(Case).where(Case.id == case.id).values(status="closed", closed_at=at, closure_reason="needs_met"))
    db.session.commit()


def _policy(years: int, active: bool = True) -> None:
    """The migration seeds the default rule (10 years); the PostgreSQL test reset empties
    tables, so tests state the policy they rely on."""
    rule = db.session.query(RetentionRule).filter_by(code="closed_cases_identifying_data").first()
    if rule is None:
        rule = RetentionRule(code="closed_cases_identifying_data", applies_to="closed_cases", years=10)
        db.session.add(rule)
    rule.years, rule.active = years, active
    db.session.commit()


def test_dry_run_lists_then_run_erases_only_what_is_due(app, runner, db_kind):
    if db_kind == "sqlite":  # the seeded default survives the SQLite reset
        assert db.session.query(RetentionRule).one().years == 10
    _policy(2)
    worker = UserFactory()
    old = make_case(worker)
    _close(old, NOW - timedelta(days=3 * 365))
    recent = make_case(worker)
    _close(recent, NOW - timedelta(days=100))
    mixed = make_case(worker)
    _close(mixed, NOW - timedelta(days=5 * 365))
    make_case(worker, survivor=db.session.get(Survivor, mixed.survivor_id))  # still open
    result = runner.invoke(args=["retention", "run", "--dry-run", "--now", NOW.isoformat()])
    assert result.exit_code == 0, result.output
    assert str(old.survivor_id) in result.output and "would erase" in result.output
    assert json.loads(result.output.strip().splitlines()[-1]) == {"dry_run": True, "would_erase": 1}
    assert db.session.get(Survivor, old.survivor_id).erased_at is None  # nothing changed
    keys = db.session.query(DataKey).count()
    result = runner.invoke(args=["retention", "run", "--now", NOW.isoformat()])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(Survivor, old.survivor_id).erased_at is not None
    assert db.session.get(Survivor, recent.survivor_id).erased_at is None
    assert db.session.get(Survivor, mixed.survivor_id).erased_at is None
    assert db.session.query(DataKey).count() == keys - 1
    assert apply_retention(NOW, dry_run=True) == []  # applied once, nothing left
    assert runner.invoke(args=["retention", "run", "--now", "yesterday"]).exit_code == 1


def test_inactive_rules_do_nothing(app):
    _policy(0, active=False)
    worker = UserFactory()
    _close(make_case(worker), NOW - timedelta(days=400))
    assert apply_retention(NOW, dry_run=False) == []
