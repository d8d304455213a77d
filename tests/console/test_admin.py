"""Administration in the console: organizations and accounts written through the API's own
routes (activation shown once, reset after re-authentication, deactivation, a supervisor's
confirmation), the mentors' training, and hostile input on every administration form."""

from __future__ import annotations

import re

from caseflow.demo import DEMO_PASSWORD
from tests.console.test_pages import csrf, demo, sign_in  # noqa: F401  (demo: the fixture)

STRONG = "una-clave-larga-y-propia-2026"


def _organization(client, code):
    html = client.get("/admin").get_data(as_text=True)
    row = re.search(rf"<tr><td>{code}</td>.*?</tr>", html, re.S)
    return row.group(0) if row else None


def _account_id(client, username):
    listing = client.get("/api/v1/users?per_page=100").get_json()["items"]
    return next(u["id"] for u in listing if u["username"] == username)


def _create(client, **form):
    return client.post("/admin/users", data={"csrf_token": csrf(client, "/admin"), **form})


def _token(html):
    return re.search(r'id="activation-token" readonly value="([^"]+)"', html).group(1)


def _organization_id(client, code):
    return next(o["id"] for o in client.get("/api/v1/organizations?per_page=100").get_json()["items"]
                if o["code"] == code)


def test_an_account_is_created_with_an_activation_shown_once_and_she_chooses_her_password(app, client, demo):  # noqa: F811
    sign_in(client, "admin")
    created = _create(client, username="nueva.mentora", role="mentor", organization_id=_organization_id(
        client, "CEM-LIMA"), full_name="Mentora Sintética")
    html = created.get_data(as_text=True)
    assert created.status_code == 201, html[:2000]
    assert created.headers["Cache-Control"] == "no-store" and created.headers["Referrer-Policy"] == "no-referrer"
    token = _token(html)
    assert f"/activate?token={token}" in html
    # Shown once: the page read again does not carry it.
    assert token not in client.get("/admin").get_data(as_text=True)

    stranger = app.test_client()
    form = stranger.get(f"/activate?token={token}")
    assert form.status_code == 200 and token in form.get_data(as_text=True)
    weak = stranger.post("/activate", data={"token": token, "password": "corta"})
    assert weak.status_code == 422 and 'id="f-password-error"' in weak.get_data(as_text=True)
    done = stranger.post("/activate", data={"token": token, "password": STRONG})
    assert done.status_code == 302 and "activated=1" in done.headers["Location"]
    signed = stranger.post("/login", data={"username": "nueva.mentora", "password": STRONG, "otp": ""})
    assert signed.status_code == 302
    # Single use: the same link again is refused beside the field, in her language.
    again = app.test_client().post("/activate", data={"token": token, "password": STRONG + "x"})
    assert again.status_code in (400, 401, 409, 410, 422) and "alert" in again.get_data(as_text=True)


def test_a_reset_asks_her_password_again_and_ends_the_other_persons_sessions(app, client, demo):  # noqa: F811
    mentor = sign_in(app.test_client(), "mentora")
    assert mentor.get("/").status_code == 200
    sign_in(client, "admin")
    mentor_id = _account_id(client, "mentora")
    wrong = client.post(f"/admin/users/{mentor_id}/reset", data={"csrf_token": csrf(client, "/admin"),
                                                                 "password": "not-her-password"})
    assert wrong.status_code == 401
    assert 'id="activation-token"' not in wrong.get_data(as_text=True)
    # Nothing changed: the mentor is still signed in and her password still works.
    assert mentor.get("/").status_code == 200
    assert app.test_client().post("/login", data={"username": "mentora", "password": DEMO_PASSWORD,
                                                  "otp": ""}).status_code == 302

    reset = client.post(f"/admin/users/{mentor_id}/reset", data={"csrf_token": csrf(client, "/admin"),
                                                                 "password": DEMO_PASSWORD})
    assert reset.status_code == 200, reset.get_data(as_text=True)[:2000]
    assert _token(reset.get_data(as_text=True))
    assert mentor.get("/").status_code == 302  # her session ended: sent to sign in
    assert app.test_client().post("/login", data={"username": "mentora", "password": DEMO_PASSWORD,
                                                  "otp": ""}).status_code == 401


def test_a_deactivated_account_cannot_sign_in_and_an_admin_cannot_deactivate_herself(app, client, demo):  # noqa: F811
    sign_in(client, "admin")
    mentor_id = _account_id(client, "mentora")
    off = client.post(f"/admin/users/{mentor_id}/active", data={"csrf_token": csrf(client, "/admin"),
                                                                "active": "false"})
    assert off.status_code == 302
    assert app.test_client().post("/login", data={"username": "mentora", "password": DEMO_PASSWORD,
                                                  "otp": ""}).status_code == 401
    own = client.post(f"/admin/users/{_account_id(client, 'admin')}/active",
                      data={"csrf_token": csrf(client, "/admin"), "active": "false"})
    assert own.status_code == 403 and "No puede cambiar su propio rol" in own.get_data(as_text=True)


def test_a_content_role_waits_for_a_supervisor_of_her_centre_who_confirms_it_in_the_console(app, client, demo):  # noqa: F811
    sign_in(client, "admin")
    created = _create(client, username="nueva.admision", role="caseworker", discipline="admission",
                      organization_id=_organization_id(client, "CEM-LIMA"))
    assert created.status_code == 201
    token = _token(created.get_data(as_text=True))
    # The administrator is not a supervisor: she has no confirm button.
    assert "/confirm" not in created.get_data(as_text=True)
    worker = app.test_client()
    worker.post("/activate", data={"token": token, "password": STRONG})
    sign_in_worker = worker.post("/login", data={"username": "nueva.admision", "password": STRONG, "otp": ""})
    assert sign_in_worker.status_code == 302
    assert worker.get("/cases").status_code == 403

    supervisor = sign_in(app.test_client(), "supervisora")
    page = supervisor.get("/admin").get_data(as_text=True)
    worker_id = _account_id(supervisor, "nueva.admision")
    assert f"/admin/users/{worker_id}/confirm" in page
    confirmed = supervisor.post(f"/admin/users/{worker_id}/confirm", data={"csrf_token": csrf(supervisor, "/admin")})
    assert confirmed.status_code == 302
    assert worker.get("/cases").status_code == 200
    # Another centre's supervisor could not have: she does not even see the account.
    other = sign_in(app.test_client(), "supervisora.ves")
    assert "nueva.admision" not in other.get("/admin").get_data(as_text=True)


def test_organizations_are_created_and_their_service_types_edited(client, demo):  # noqa: F811
    sign_in(client, "admin")
    made = client.post("/admin/organizations", data={
        "csrf_token": csrf(client, "/admin"), "code": "ep-mujeres-demo", "name": "EP de Mujeres de prueba",
        "sector": "penitentiary", "district": "150101", "service_types": ["medical_care", "maternity_care"]})
    assert made.status_code == 302
    row = _organization(client, "EP-MUJERES-DEMO")
    assert "Establecimiento penitenciario" in row and "Atención de la maternidad" in row
    org_id = _organization_id(client, "EP-MUJERES-DEMO")
    form = client.get(f"/admin/organizations/{org_id}").get_data(as_text=True)
    assert re.search(r'value="maternity_care" checked', form)
    edited = client.post(f"/admin/organizations/{org_id}", data={
        "csrf_token": csrf(client, "/admin"), "name": "EP de Mujeres de prueba", "active": "on",
        "service_types": ["mental_health"]})
    assert edited.status_code == 302
    row = _organization(client, "EP-MUJERES-DEMO")
    assert "Salud mental" in row and "maternidad" not in row


def test_an_administrator_never_reaches_case_content(client, demo):  # noqa: F811
    sign_in(client, "admision")
    case_id = re.search(r"/cases/([0-9a-f-]{36})", client.get("/cases").get_data(as_text=True)).group(1)
    sign_in(client, "admin")
    assert client.get("/").headers["Location"].endswith("/admin")
    assert client.get("/cases").status_code == 403
    assert client.get(f"/cases/{case_id}").status_code in (403, 404)
    assert client.post(f"/cases/{case_id}/name", data={"csrf_token": csrf(client, "/admin")}).status_code in (403, 404)
    page = client.get("/admin").get_data(as_text=True)
    assert "Demo Rosa" not in page and "/cases/" not in page


def test_the_supervisor_sees_each_mentors_training_and_records_one(client, demo):  # noqa: F811
    sign_in(client, "supervisora")
    mentor_id = _account_id(client, "mentora")
    before = client.get(f"/api/v1/users/{mentor_id}/trainings").get_json()
    page = client.get("/admin").get_data(as_text=True)
    assert f"{before['sessions']} de {before['required']}" in page
    recorded = client.post(f"/admin/users/{mentor_id}/trainings", data={
        "csrf_token": csrf(client, "/admin"), "held_on": "2026-11-20", "topic": "Acompañamiento en comisaría"})
    assert recorded.status_code == 302
    page = client.get("/admin").get_data(as_text=True)
    assert f"{before['sessions'] + 1} de {before['required']}" in page and "Acompañamiento en comisaría" in page


HOSTILE = ("<script>alert(1)</script>", "a\x00b")

#: Each administration form with its text fields, and what a valid post carries besides.
ADMIN_FORMS = [
    ("admin", "/admin/organizations", {"code": "HOSTIL-1", "name": "Nombre", "sector": "ngo"}, ("name",)),
    ("admin", "/admin/users", {"username": "hostil.uno", "role": "mentor", "full_name": "Nombre"},
     ("full_name", "username", "email")),
    ("supervisora", "trainings", {"held_on": "2026-11-20", "topic": "Tema"}, ("topic",)),
]


def test_every_text_field_of_the_administration_forms_escapes_script_and_refuses_a_nul_byte(client, demo):  # noqa: F811
    for who, path, valid, text_fields in ADMIN_FORMS:
        sign_in(client, who)
        if path == "trainings":
            path = f"/admin/users/{_account_id(client, 'mentora')}/trainings"
        if "organization_id" not in valid and path == "/admin/users":
            valid = {**valid, "organization_id": _organization_id(client, "CEM-LIMA")}
        for name in text_fields:
            for value in HOSTILE:
                before = client.get("/admin").get_data(as_text=True)
                answer = client.post(path, data={"csrf_token": csrf(client, "/admin"), **valid, name: value})
                html = answer.get_data(as_text=True)
                assert answer.status_code < 500, (path, name, html[:500])
                assert "<script>alert(1)</script>" not in html
                if "\x00" in value:
                    assert answer.status_code == 422, (path, name)
                    assert re.search(r'id="[\w-]+-' + name + r'-error">[^<]*carácter no permitido', html), (path, name)
                    after = client.get("/admin").get_data(as_text=True)
                    assert after.count("<tr>") == before.count("<tr>"), (path, name)
    # A password field too: the reset's re-authentication.
    sign_in(client, "admin")
    answer = client.post(f"/admin/users/{_account_id(client, 'mentora')}/reset",
                         data={"csrf_token": csrf(client, "/admin"), "password": "a\x00b"})
    assert answer.status_code == 422 and "carácter no permitido" in answer.get_data(as_text=True)
    assert app_sign_in_still_works(client)


def app_sign_in_still_works(client) -> bool:
    return client.application.test_client().post(
        "/login", data={"username": "mentora", "password": DEMO_PASSWORD, "otp": ""}).status_code == 302
