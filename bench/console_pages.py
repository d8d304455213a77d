"""Each console page's server time against the API route it shows, in the same run.

    PYTHONPATH=. CASEFLOW_ENV=testing .venv/bin/python -m bench.console_pages [ROUNDS]

On the demo data (SQLite, in a scratch folder), through Flask's test client (no network):
the page and its API route alternate, ROUNDS times each (default 200), and the medians and
their ratio are printed. Not yet part of ``make bench`` (no size parameter, no table in
docs/performance.md): the dashboard and the case list at 100,000 cases are still to measure.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from caseflow.demo import DEMO_PASSWORD
from caseflow.demo_server import build_app


def timed(client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (path, response.status_code)
    return elapsed


def main(rounds: int) -> None:
    app = build_app(Path(tempfile.mkdtemp()))
    client = app.test_client()
    client.post("/login", data={"username": "supervisora", "password": DEMO_PASSWORD})
    case_id = re.search(r"/cases/([0-9a-f-]{36})", client.get("/cases").get_data(as_text=True)).group(1)
    pairs = [
        ("/", "/api/v1/cases?awaiting_approval=true"),
        ("/cases", "/api/v1/cases"),
        (f"/cases/{case_id}", f"/api/v1/cases/{case_id}"),
        ("/supervision", "/api/v1/supervision/overdue"),
        ("/admin", "/api/v1/users"),
    ]
    print(f"{'page':<48} {'page ms':>8} {'API ms':>8} {'ratio':>6}")
    for page, api in pairs:
        page_times, api_times = [], []
        for _ in range(rounds):
            page_times.append(timed(client, page))
            api_times.append(timed(client, api))
        page_ms, api_ms = statistics.median(page_times) * 1000, statistics.median(api_times) * 1000
        shown = page if len(page) < 20 else page[:19] + "…"
        print(f"{shown + '  vs ' + api.split('?')[0][:26]:<48} {page_ms:8.2f} {api_ms:8.2f} {page_ms / api_ms:6.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
