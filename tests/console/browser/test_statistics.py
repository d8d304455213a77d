"""The statistics page in Chromium: a supervisor's bars and monthly line over a year of
synthetic incidents, suppressed cells drawn as suppressed, the CSV link, axe-core's serious
and critical rules, nothing from another origin; its screenshot for docs/statistics.md."""

from __future__ import annotations

from datetime import timedelta

import pytest
from werkzeug.serving import make_server

from tests.console.browser.conftest import Visitor

pytestmark = pytest.mark.browser


def _incidents(app):
    """Incidents over eight months at the demo's centre: many physical and psychological,
    one rape (a suppressed cell), by hand."""
    from caseflow.core.clock import frozen_time, utcnow
    from caseflow.directory.models import User
    from caseflow.extensions import db
    from testkit.api import bearer
    from testkit.factories import make_case

    client = app.test_client()
    with app.app_context():
        worker = db.session.scalars(db.select(User).where(User.username == "admision")).one()
        now = utcnow()
        plan = [({"physical_assault": True}, 3), ({"psychological_abuse": True}, 2), ({"penetration": True}, 0)]
        for month in range(8):
            for acts, times in plan:
                for _ in range(times if acts != {"penetration": True} else (1 if month == 2 else 0)):
                    moment = now - timedelta(days=30 * month + 1)
                    with frozen_time(moment):
                        case = make_case(worker)
                        response = client.post(f"/api/v1/cases/{case.id}/incidents", headers=bearer(worker), json={
                            "occurred_at": (moment - timedelta(days=1)).isoformat(), "acts": acts,
                            "violence_types": ["fisica"], "perpetrator_relationship": "partner"})
                        assert response.status_code == 201, response.get_json()
        db.session.remove()


@pytest.fixture(scope="module")
def statistics_served(tmp_path_factory):
    import threading

    from caseflow.demo_server import build_app

    app = build_app(tmp_path_factory.mktemp("statistics"))
    app.config.update(CASEFLOW_STATISTICS_CONSENT="administrative")
    _incidents(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    thread.join(5)


def test_supervisor_statistics_page(browser, statistics_served):
    person = Visitor(browser, statistics_served)
    try:
        person.login("supervisora")
        person.go("/statistics?indicator=incidents&by=gbv_type")
        page = person.page
        assert page.locator("h1").inner_text() == "Estadísticas"
        # Bars: physical 24, psychological 16; the one rape is suppressed (and a complement).
        assert page.locator("svg rect.tl-met").count() >= 1
        assert page.locator('svg rect[data-suppressed="true"]').count() >= 1
        assert "oculto" in page.locator("#stat-table").inner_text()
        # The line by month: eight months, none suppressed at this centre's 5 a month.
        assert page.locator("svg polyline").count() >= 1
        assert page.locator("svg circle").count() >= 8
        violations = person.axe()
        assert violations == [], violations
        assert person.foreign_requests() == []
        assert [e for e in person.console_errors if "Content Security Policy" in e] == []
        person.shot("statistics")
        # The CSV link answers the API's CSV.
        href = page.locator('a:text-is("CSV")').first.get_attribute("href")
        response = page.request.get(statistics_served.url + href)
        assert response.status == 200 and response.headers["content-type"].startswith("text/csv")
        assert response.text().splitlines()[0] == "gbv_type,count,suppressed"
        # The form changes the dimension.
        page.select_option("#f-by", "perpetrator_relationship")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        assert "by=perpetrator_relationship" in page.url
    finally:
        person.close()
