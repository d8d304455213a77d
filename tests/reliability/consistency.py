"""What "nothing half-written" means, checked straight on the database after a fault."""

from __future__ import annotations

from sqlalchemy import select, text

from caseflow.audit.services import verify_chain
from caseflow.extensions import db


def inconsistencies() -> list[str]:
    """Every broken invariant a crash could leave behind; empty when the data is whole."""
    problems = []
    queries = {
        "survivor without a data key": "SELECT id FROM survivors WHERE data_key_id IS NULL AND erased_at IS NULL",
        "survivor whose data key row is missing": "SELECT s.id FROM survivors s LEFT JOIN data_keys k ON k.id = s.data_key_id "
                                                  "WHERE s.data_key_id IS NOT NULL AND k.id IS NULL",
        "case without its opening event": "SELECT c.id FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_events e "
                                          "WHERE e.case_id = c.id AND e.kind = 'case_opened')",
        "case whose survivor is missing": "SELECT c.id FROM cases c LEFT JOIN survivors s ON s.id = c.survivor_id WHERE s.id IS NULL",
        "event of a missing case": "SELECT e.id FROM case_events e LEFT JOIN cases c ON c.id = e.case_id WHERE c.id IS NULL",
    }
    for problem, query in queries.items():
        rows = db.session.execute(text(query)).all()
        if rows:
            problems.append(f"{len(rows)} {problem}")
    report = verify_chain()
    if not report.ok:
        problems.append(f"audit chain broken at entry {report.first_bad_id}: {report.reason}")
    db.session.rollback()
    return problems


def count(model) -> int:
    from sqlalchemy import func

    return db.session.scalar(select(func.count()).select_from(model))
