"""Visit plans in bulk, written as plain rows: the scheduler's benchmark (bench/scheduler_pass.py)
and the scheduler's tests fill a centre with thousands of plans through this one builder, so
neither imports the other. Wiring, like ``caseflow.demo``: nothing in the features imports it.
Synthetic data only (survivors with no identity at all)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

NOW = datetime(2026, 3, 1, 14, 0, tzinfo=timezone.utc)  # 09:00 in Lima


def fill(plans: int, due: int, chunk: int = 5000, *, behind: int = 0, prefix: str = "BENCH") -> None:
    """N plans at a centre of their own (``prefix`` names it, its people and its cases): the
    first ``due`` have a visit whose window opens tomorrow, the last ``behind`` have their next
    visit inside the horizon, the others have nothing to do before 4 March."""
    from caseflow.cases.models import Case
    from caseflow.crypto.keys import create_data_key
    from caseflow.directory.models import Organization, User
    from caseflow.extensions import db
    from caseflow.survivors.models import Survivor
    from caseflow.visits.models import Visit, VisitPlan

    org = Organization(id=uuid.uuid4(), code=prefix, name=f"{prefix} centre", sector="cem", service_types=[])
    users = [User(id=uuid.uuid4(), username=f"{prefix.lower()}{i}", password_hash="x", role=role,
                  organization_id=org.id)
             for i, role in enumerate(["supervisor"] + ["mentor"] * 20)]
    db.session.add(org)
    db.session.add_all(users)
    key = create_data_key(None)  # shared by rows that hold no ciphertext
    db.session.commit()
    mentors = [u.id for u in users[1:]]
    today = date(2026, 3, 1)
    for start in range(0, plans, chunk):
        survivors, cases, plan_rows, visits = [], [], [], []
        for i in range(start, min(plans, start + chunk)):
            sid, cid, pid = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
            survivors.append({"id": sid, "organization_id": org.id, "data_key_id": key.id, "document_type": "NONE",
                              "created_at": NOW, "updated_at": NOW})
            cases.append({"id": cid, "code": f"{prefix}-2026-{i:07d}", "survivor_id": sid, "organization_id": org.id,
                          "status": "open", "step": "follow_up", "priority": "medium", "intake_channel": "walk_in",
                          "opened_at": NOW, "last_contact_at": NOW, "created_at": NOW, "updated_at": NOW})
            is_due, is_behind = i < due, i >= plans - behind
            # Behind: visits on 26 February (its window closed this morning), 5, 12 and 19
            # March; the next, on 26 March, is inside the horizon (29 March).
            first = today + timedelta(days=1 if is_due else -3 if is_behind else 3)
            mentor = mentors[i % len(mentors)]
            plan_rows.append({"id": pid, "case_id": cid, "organization_id": org.id, "assignee_id": mentor,
                              "kind": "mentor_accompaniment", "status": "active", "starts_on": first,
                              "ends_on": first + timedelta(days=364), "cadence_days": 7, "window_days": 3,
                              "cadence_from_risk": True, "generation": 1, "next_sequence": 5,
                              "next_due_on": first + timedelta(days=28), "visits_generated": 4,
                              "created_at": NOW, "updated_at": NOW})
            for k in range(4):
                day = first + timedelta(days=7 * k)
                ws = datetime(day.year, day.month, day.day, 5, 0, tzinfo=timezone.utc)
                visits.append({"id": uuid.uuid4(), "plan_id": pid, "case_id": cid, "organization_id": org.id,
                               "assignee_id": mentor, "kind": "mentor_accompaniment", "generation": 1,
                               "sequence": k + 1, "due_on": day, "window_start": ws,
                               "window_end": ws + timedelta(days=3), "status": "planned",
                               "created_at": NOW, "updated_at": NOW})
        for model, rows in ((Survivor, survivors), (Case, cases), (VisitPlan, plan_rows), (Visit, visits)):
            db.session.execute(model.__table__.insert(), rows)
        db.session.commit()
