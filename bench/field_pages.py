"""The visitor's phone view against the API routes it stands on, in the same run.

    PYTHONPATH=. CASEFLOW_ENV=testing .venv/bin/python -m bench.field_pages [ROUNDS]

On the demo data (SQLite, in a scratch folder), through Flask's test client (no network),
signed in as the demo mentor:

- her list: ``GET /visits`` (the page: the API's list, rendered, with a log form per visit)
  against ``GET /api/v1/visits?assignee=me&from=&to=`` over the same days;
- a visit log: the page's form post ``POST /visits/{id}/log`` (answered with a redirect)
  against ``POST /api/v1/visits/{id}/log`` with an ``Idempotency-Key``; each logs a visit
  as rescheduled, which plans the next one, so the rounds walk a chain of fresh visits.

The two alternate, ROUNDS times each (default 200); medians and their ratio are printed.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from caseflow.demo import DEMO_PASSWORD
from caseflow.demo_server import build_app


def _next_visit(app, visit_id: str) -> str:
    from sqlalchemy import select

    from caseflow.extensions import db
    from caseflow.visits.models import Visit

    with app.app_context():
        replacement = db.session.scalar(select(Visit.id).where(Visit.rescheduled_from_id == uuid.UUID(visit_id)))
        db.session.remove()
    return str(replacement)


def main(rounds: int) -> None:
    app = build_app(Path(tempfile.mkdtemp()))
    client = app.test_client()
    client.post("/login", data={"username": "mentora", "password": DEMO_PASSWORD})
    html = client.get("/visits").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    days = re.search(r'data-list-from="([^"]+)" data-list-to="([^"]+)"', html)
    api_list = f"/api/v1/visits?assignee=me&per_page=100&from={days.group(1)}&to={days.group(2)}"
    visit_id = re.search(r'id="visit-([0-9a-f-]{36})"', html).group(1)

    page_times, api_times = [], []
    for _ in range(rounds):
        for path, times in (("/visits", page_times), (api_list, api_times)):
            started = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, (path, response.status_code)
    rows = [("GET /visits  vs GET /api/v1/visits", page_times, api_times)]

    from caseflow.core.clock import utcnow

    later = (utcnow() + timedelta(days=30)).replace(microsecond=0)
    form_times, log_times = [], []
    for round_number in range(rounds):
        moved = (later + timedelta(minutes=round_number)).isoformat()
        started = time.perf_counter()
        response = client.post(f"/visits/{visit_id}/log", data={
            "csrf_token": csrf, "idempotency_key": uuid.uuid4().hex, "outcome": "rescheduled",
            "rescheduled_to": moved[:16]})
        form_times.append(time.perf_counter() - started)
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        visit_id = _next_visit(app, visit_id)
        started = time.perf_counter()
        response = client.post(f"/api/v1/visits/{visit_id}/log", json={"outcome": "rescheduled", "rescheduled_to": moved},
                               headers={"Idempotency-Key": uuid.uuid4().hex, "X-CSRF-Token": csrf})
        log_times.append(time.perf_counter() - started)
        assert response.status_code == 201, response.get_json()
        visit_id = _next_visit(app, visit_id)
    rows.append(("POST /visits/{id}/log  vs POST /api/v1/visits/{id}/log", form_times, log_times))

    print(f"rounds: {rounds}")
    print(f"{'page vs API route':<58} {'page ms':>8} {'API ms':>8} {'ratio':>6}")
    for name, page, api in rows:
        page_ms, api_ms = statistics.median(page) * 1000, statistics.median(api) * 1000
        print(f"{name:<58} {page_ms:8.2f} {api_ms:8.2f} {page_ms / api_ms:6.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
