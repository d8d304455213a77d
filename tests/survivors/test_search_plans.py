"""A name search reads its candidates and their reach from indexes alone (revision 0026): the
blind index's term gives her id, her centre and erasure come from ``ix_survivors_reach``, and
whether she has a case at the caller's centre from ``ix_cases_survivor_org``, never from her
row of ciphertexts. Plans are checked on SQLite (PostgreSQL's depend on its statistics:
docs/performance.md), after ``ANALYZE``: without statistics SQLite reads a survivor through
her primary key (and then her row), so a deployment on SQLite needs them (docs/operations.md).
All values are synthetic."""

import pytest
from sqlalchemy import text

from caseflow.extensions import db
from testkit.api import bearer
from testkit.factories import UserFactory, make_survivor
from tests.helpers import captured_sql


def test_the_refusal_count_reads_indexes_not_rows(client, db_kind):
    if db_kind != "sqlite":
        pytest.skip("plans are checked on SQLite; PostgreSQL's depend on its statistics (docs/performance.md)")
    worker = UserFactory()
    make_survivor(worker, given_names="Rosa Sintética", family_names="Quispe Mamani")
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    with captured_sql(lambda statement, parameters: (statement, parameters)
                      if statement.startswith("SELECT count(*)") else None) as seen:
        answer = client.get("/api/v1/survivors", query_string={"name": "Quispe Mamani"}, headers=bearer(worker))
    assert answer.status_code == 200 and answer.get_json()["total"] == 1
    (statement, parameters), = seen
    plan = " / ".join(row[-1] for row in db.session.connection().exec_driver_sql(
        "EXPLAIN QUERY PLAN " + statement, parameters))
    assert "COVERING INDEX ix_survivor_search_terms_lookup" in plan, plan
    assert "COVERING INDEX ix_survivors_reach" in plan, plan
    assert "INDEX ix_cases_survivor_org (survivor_id=? AND organization_id=?)" in plan, plan
    assert "SCAN" not in plan.replace("SCAN anon_1", ""), plan
