"""The console's pages over the test client (the browser suite drives them in Chromium)."""

from __future__ import annotations

import re

import pytest

from caseflow.demo import DEMO_PASSWORD


@pytest.fixture
def demo(app):
    from caseflow.audit.services import system_actor
    from caseflow.demo import load_demo
    from caseflow.extensions import db

    with app.app_context():
        system_actor("demo")
        load_demo()
        db.session.commit()
        db.session.remove()


def sign_in(client, username="admision"):
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD, "otp": ""})
    assert response.status_code == 302, response.data[:300]
    return client


def csrf(client, path="/survivors/new") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def test_a_stranger_is_sent_to_sign_in_and_the_api_still_answers_json(client):
    response = client.get("/cases")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/api/v1/cases").get_json()["status"] == 401


def test_pages_allow_no_inline_script_and_load_only_their_own_files(client):
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    html = response.get_data(as_text=True)
    assert 'lang="es"' in html and 'name="otp"' in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") or s.startswith("#") for s in sources)
    assert "<script>" not in html


def test_wrong_credentials_are_refused_beside_the_form_in_spanish(client, demo):
    response = client.post("/login", data={"username": "admision", "password": "wrong", "otp": ""})
    assert response.status_code == 401
    assert "Usuario o contraseña" in response.get_data(as_text=True) or "inválid" in response.get_data(as_text=True)


def test_a_write_without_the_csrf_token_is_refused_and_changes_nothing(client, demo):
    sign_in(client)
    before = client.get("/cases").get_data(as_text=True).count("/cases/")
    response = client.post("/survivors/new", data={"given_names": "Sin Token", "intake_channel": "walk_in",
                                                   "priority": "high"})
    assert response.status_code == 403
    assert client.get("/cases").get_data(as_text=True).count("/cases/") == before


def test_the_case_list_shows_no_name_and_her_name_is_shown_for_one_case_on_request(client, demo):
    sign_in(client)
    listing = client.get("/cases").get_data(as_text=True)
    assert "CEM-LIMA-" in listing
    assert "Demo Rosa" not in listing and "Ejemplo Quispe" not in listing
    case_id = re.search(r"/cases/([0-9a-f-]{36})", listing).group(1)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Demo " not in page
    shown = client.post(f"/cases/{case_id}/name", data={"csrf_token": csrf(client)}, headers={"HX-Request": "true"})
    assert shown.status_code == 200 and "Demo" in shown.get_data(as_text=True)


def test_the_case_list_total_is_counted_only_up_to_its_cap(client, demo, monkeypatch):
    from caseflow.console import views

    sign_in(client, "supervisora")
    monkeypatch.setattr(views, "CASE_LIST_COUNT_CAP", 2)
    assert "Más de 2 casos" in client.get("/cases").get_data(as_text=True)


def test_a_nul_byte_is_refused_beside_the_field_and_script_is_escaped(client, demo):
    sign_in(client)
    token = csrf(client)
    response = client.post("/survivors/new", data={"csrf_token": token, "given_names": "a\x00b",
                                                   "intake_channel": "walk_in", "priority": "high"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Contiene un carácter no permitido." in html
    response = client.post("/survivors/new", data={"csrf_token": token, "family_names": "<script>x</script>",
                                                   "given_names": "B" * 200, "intake_channel": "walk_in",
                                                   "priority": "high"})
    assert response.status_code == 422 and "<script>x</script>" not in response.get_data(as_text=True)


def test_form_errors_use_the_api_schema_and_her_language(client, demo):
    sign_in(client)
    response = client.post("/survivors/new", data={"csrf_token": csrf(client), "given_names": "Falta Canal"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "invalid-feedback" in html and "f-intake_channel-error" in html
    client.get("/language?lang=en&next=/survivors/new")
    response = client.post("/survivors/new", data={"csrf_token": csrf(client), "given_names": "Falta Canal"})
    assert 'lang="en"' in response.get_data(as_text=True) and "Missing data for required field." in response.get_data(
        as_text=True)


def test_the_language_switch_only_returns_to_a_path_of_caseflow(client):
    response = client.get("/language?lang=en&next=//elsewhere.example/")
    assert response.headers["Location"] == "/"


def test_a_box_the_api_defaults_to_true_starts_ticked(client, demo):
    sign_in(client)
    listing = client.get("/cases").get_data(as_text=True)
    case_id = re.search(r"/cases/([0-9a-f-]{36})", listing).group(1)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    box = re.search(r'<input[^>]+id="incident-occurred_time_known"[^>]*>', page).group(0)
    assert "checked" in box
