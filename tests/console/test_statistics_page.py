"""The console's statistics page over the test client: the API's tables drawn as bars and a
line by month, suppressed cells shown as suppressed (never as numbers), CSV, who may see it."""

from __future__ import annotations

import re

import pytest

from caseflow.core.clock import utcnow
from testkit.api import bearer
from tests.console.test_pages import sign_in


@pytest.fixture
def demo(app):
    from caseflow.audit.services import system_actor
    from caseflow.demo import load_demo
    from caseflow.extensions import db

    app.config.update(CASEFLOW_STATISTICS_CONSENT="administrative", CASEFLOW_SMALL_CELL_THRESHOLD=2)
    with app.app_context():
        system_actor("demo")
        load_demo()
        db.session.commit()
        db.session.remove()


def _api_table(client, path):
    from caseflow.directory.models import User
    from caseflow.extensions import db

    supervisor = db.session.scalars(db.select(User).where(User.username == "supervisora")).one()
    return client.get(f"/api/v1{path}", headers=bearer(supervisor)).get_json()


def test_the_page_draws_the_api_table_and_shows_suppressed_cells_as_suppressed(client, app, demo):
    sign_in(client, "supervisora")
    response = client.get("/statistics?indicator=cases&by=intake_channel")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<svg" in html and "<polyline" in html
    api = _api_table(client, "/statistics/cases?by=intake_channel")
    assert api["rows"], "the demo opens cases"
    table = re.search(r'<table class="table table-sm" id="stat-table">(.*?)</table>', html, re.S).group(1)
    shown = dict(re.findall(r"<tr><td>([a-z0-9_]+)</td><td>(.*?)</td></tr>", table))
    for row in api["rows"]:
        cell = shown[row["intake_channel"]]
        if row["suppressed"]:
            assert "badge" in cell and re.search(r">\s*\d+\s*<", cell) is None
        else:
            assert cell == str(row["count"])
    # As many grey stubs in the bars as suppressed cells.
    assert html.count('class="tl-bar tl-stopped" data-suppressed="true"') == sum(r["suppressed"] for r in api["rows"])
    total = re.search(r'id="stat-total">([^<]+)<', html).group(1)
    assert total == (str(api["total"]) if api["total"] is not None else "oculto")
    assert "/statistics/cases.csv?by=intake_channel" in html


def test_csv_links_give_the_api_csv_and_bad_dates_are_refused_beside_the_form(client, demo):
    sign_in(client, "supervisora")
    response = client.get("/statistics/cases.csv?by=intake_channel")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.get_data(as_text=True).splitlines()[0] == "intake_channel,count,suppressed"
    response = client.get("/statistics/compliance.csv")
    assert response.status_code == 200 and "first_contact_to_plan" in response.get_data(as_text=True)
    today = utcnow().date()
    response = client.get(f"/statistics?from={today}&to=2020-01-01")
    assert response.status_code == 422 and 'id="f-from"' in response.get_data(as_text=True)
    assert "<svg" not in response.get_data(as_text=True)


def test_only_supervisors_see_statistics(client, demo):
    sign_in(client, "admision")
    assert client.get("/statistics").status_code == 403
    assert client.get("/statistics/cases.csv").status_code == 403
    assert 'href="/statistics"' not in client.get("/").get_data(as_text=True)
