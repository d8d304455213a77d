"""The supervisor views read indexes, not tables: their statements' plans on SQLite (whose
planner picks the same plans on an empty database as on a full one, having no statistics)."""

from datetime import datetime, timedelta, timezone

import pytest

from caseflow.extensions import db
from caseflow.referrals import breaches, reports
from testkit.factories import OrganizationFactory
from tests.helpers import captured_sql

NOW = datetime(2026, 5, 4, 15, 0, tzinfo=timezone.utc)


def _statements():
    return captured_sql(lambda statement, parameters: None if statement.startswith(("BEGIN", "EXPLAIN"))
                        else (statement, parameters))

def _plans(seen) -> list[str]:
    connection = db.session.connection()
    return [" / ".join(row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters))
            for statement, parameters in seen]


@pytest.fixture
def centre(app, db_kind):
    if db_kind != "sqlite":
        pytest.skip("plans are checked on SQLite; PostgreSQL's depend on its statistics (docs/performance.md)")
    return OrganizationFactory(sector="cem")


def test_the_overdue_view_reads_its_partial_indexes_in_order(centre):
    for centre_id, index in ((centre.id, "ix_referrals_open_from_org_due"), (None, "ix_referrals_open_due")):
        with _statements() as seen:
            breaches.overdue_page(centre_id, NOW, per_page=20)
            breaches.overdue_page(centre_id, NOW, per_page=20, cursor=breaches.encode_cursor(NOW, centre.id))
            breaches.overdue_total(centre_id, NOW)
        for plan in _plans(seen):
            assert f"INDEX {index}" in plan, plan
            assert "SCAN referrals" not in plan, plan
            # The page is read in the index's order; only its own rows (with their clocks)
            # are sorted afterwards.
            assert "TEMP B-TREE" not in plan.split(" / SCAN page")[0], plan
        assert f"COVERING INDEX {index}" in _plans(seen)[-1]  # the count reads the index alone


def test_the_report_reads_covering_indexes(centre):
    for centre_id, index in ((centre.id, "ix_referrals_report_from_org_sent"), (None, "ix_referrals_report_sent")):
        with _statements() as seen:
            reports.referral_timelines(centre_id, NOW - timedelta(days=30), NOW, NOW)
        plans = _plans(seen)
        assert plans and all(f"COVERING INDEX {index}" in plan for plan in plans), plans
        assert "COVERING INDEX ix_referral_clocks_referral_rule" in plans[0], plans[0]
