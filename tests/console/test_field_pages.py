"""The visitor's phone view and the liaison's inbox over the test client (the browser suite
drives them offline in Chromium): who reaches which page, the card only on her tap and
audited, one log per form however often it is sent, what the web app is allowed to do."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import func, select

from tests.console.test_pages import demo, sign_in  # noqa: F401  (fixture and helper)

ADDRESS = "Av. Ficticia 123, Lima"  # the demo's first woman (synthetic)


def _page(client, path="/visits"):
    response = client.get(path)
    assert response.status_code == 200, response.data[:300]
    return response.get_data(as_text=True)


def _visit_ids(html: str) -> list[str]:
    return re.findall(r'<article class="card mb-3 visit" id="visit-([0-9a-f-]{36})"', html)


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_the_mentor_sees_her_visits_without_her_address_until_she_taps(app, client, demo):  # noqa: F811
    sign_in(client, "mentora")
    response = client.get("/visits")
    html = response.get_data(as_text=True)
    policy = response.headers["Content-Security-Policy"]
    assert "manifest-src 'self'" in policy and "worker-src 'self'" in policy and "unsafe-inline" not in policy
    assert 'rel="manifest"' in html and 'lang="es"' in html
    ids = _visit_ids(html)
    assert ids, "the demo mentor has visits this week"
    assert ADDRESS not in html and "+51 900 000 001" not in html
    assert 'data-cache-hours="12"' in html

    from caseflow.audit.models import AuditEntry
    from caseflow.extensions import db

    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    card = client.get(f"/visits/{ids[0]}/card", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert ADDRESS in card and "<html" not in card
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) > before  # the read is on record


def test_the_offline_page_holds_no_visit(client, demo):  # noqa: F811
    sign_in(client, "mentora")
    shell = _page(client, "/visits/shell")
    assert _visit_ids(shell) == [] and 'data-shell="true"' in shell
    assert 'id="visit-template"' in shell and "CEM-LIMA-" not in shell


def test_the_cache_hours_are_the_setting(app, client, demo):  # noqa: F811
    app.config["CASEFLOW_FIELD_CACHE_HOURS"] = 3
    sign_in(client, "mentora")
    assert 'data-cache-hours="3"' in _page(client)


def test_each_role_reaches_only_its_own_pages(client, demo):  # noqa: F811
    sign_in(client, "mentora")
    assert client.get("/referrals").status_code == 403
    assert client.get("/cases").status_code == 403
    client.post("/logout", data={"csrf_token": _csrf(_page(client))})
    sign_in(client, "enlace.salud")
    assert client.get("/visits").status_code == 403
    assert client.get("/cases").status_code == 403
    assert client.get("/referrals").status_code == 200


def test_a_form_sent_twice_is_one_log_and_a_second_form_is_refused(app, client, demo):  # noqa: F811
    sign_in(client, "mentora")
    html = _page(client)
    visit_id = _visit_ids(html)[0]
    key = re.search(rf'id="visit-{visit_id}".*?name="idempotency_key" value="([^"]+)"', html, re.S).group(1)
    form = {"csrf_token": _csrf(html), "idempotency_key": key, "outcome": "rescheduled",
            "rescheduled_to": "2030-01-10T10:00", "notes": "Nota sintética"}
    first = client.post(f"/visits/{visit_id}/log", data=form)
    again = client.post(f"/visits/{visit_id}/log", data=form)
    assert first.status_code == 302 and again.status_code == 302  # the same log, answered again
    other = client.post(f"/visits/{visit_id}/log", data={**form, "idempotency_key": uuid.uuid4().hex})
    assert other.status_code == 409
    assert "ya se registró" in other.get_data(as_text=True).lower() or "ya fue" in other.get_data(as_text=True).lower()

    from caseflow.extensions import db
    from caseflow.visits.models import VisitLog

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(VisitLog).where(
            VisitLog.visit_id == uuid.UUID(visit_id))) == 1


def test_a_log_without_an_outcome_is_refused_beside_the_field(client, demo):  # noqa: F811
    sign_in(client, "mentora")
    html = _page(client)
    visit_id = _visit_ids(html)[0]
    refused = client.post(f"/visits/{visit_id}/log", data={"csrf_token": _csrf(html), "idempotency_key": "k" * 16})
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert f'id="e-{visit_id}-outcome"' in body and "<details class=\"log-visit\" open>" in body


def test_the_service_worker_serves_the_visits_and_signing_out_clears_the_phone(client, demo):  # noqa: F811
    with client.get("/static/field/sw.js") as worker:
        assert worker.status_code == 200 and worker.headers["Service-Worker-Allowed"] == "/visits"
    with client.get("/static/field/manifest.json") as answer:
        manifest = answer.get_json()
    assert manifest["scope"] == "/visits" and manifest["start_url"] == "/visits"
    sign_in(client, "mentora")
    out = client.post("/logout", data={"csrf_token": _csrf(_page(client))})
    assert out.status_code == 302 and out.headers["Clear-Site-Data"] == '"storage"'


def _hospital_referral(client) -> str:
    html = _page(client, "/referrals")
    return re.search(r'data-referral="([0-9a-f-]{36})"', html).group(1)


def test_a_liaison_never_opens_another_organizations_referral(client, demo):  # noqa: F811
    sign_in(client, "enlace.salud")
    referral_id = _hospital_referral(client)
    html = _page(client, "/referrals")
    client.post("/logout", data={"csrf_token": _csrf(html)})
    sign_in(client, "enlace.policia")
    assert client.get(f"/referrals/{referral_id}").status_code == 404
    assert referral_id not in _page(client, "/referrals")
    refused = client.post(f"/referrals/{referral_id}/move",
                          data={"csrf_token": _csrf(_page(client, "/referrals")), "status": "accepted"})
    assert refused.status_code == 404


def test_a_rejection_needs_its_reason_and_changes_nothing_without_it(client, demo):  # noqa: F811
    sign_in(client, "enlace.salud")
    referral_id = _hospital_referral(client)
    html = _page(client, f"/referrals/{referral_id}")
    refused = client.post(f"/referrals/{referral_id}/move", data={"csrf_token": _csrf(html), "status": "rejected"})
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert 'id="reason-rejected-error"' in body and "motivo" in body.lower()
    assert re.search(r'id="referral-status">Solicitada<', _page(client, f"/referrals/{referral_id}"))
    news = _page(client, "/referrals/news")
    assert "derivación nueva" in news


def test_her_calendar_link_is_shown_once_and_holds_no_address(client, demo):  # noqa: F811
    sign_in(client, "mentora")
    made = client.post("/visits/calendar", data={"csrf_token": _csrf(_page(client))})
    assert made.status_code == 200
    url = re.search(r'id="calendar-url"[^>]*href="([^"]+)"', made.get_data(as_text=True)).group(1)
    assert "token=" in url and url not in _page(client)  # shown once
    client.post("/logout", data={"csrf_token": _csrf(_page(client, "/"))})
    feed = client.get("/" + url.split("://", 1)[1].split("/", 1)[1])  # signed out: the token alone
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert "CEM-LIMA-" in feed.get_data(as_text=True) and ADDRESS not in feed.get_data(as_text=True)


def test_the_phone_view_and_the_inbox_speak_spanish_to_a_browser_set_to_english(client, demo):  # noqa: F811
    # The console's language is her switch, else Spanish: a phone whose browser asks for
    # English first still gets the centre's language on every page, not only on the case pages.
    sign_in(client, "mentora")
    english_browser = {"Accept-Language": "en-US,en;q=0.9"}
    for path in ("/visits", "/notifications"):
        html = client.get(path, headers=english_browser).get_data(as_text=True)
        assert 'lang="es"' in html, path
