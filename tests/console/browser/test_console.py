"""The console in a real browser: a caseworker carries a case from registration to
closure, the supervisor decides and reviews; every page passes axe-core's serious and
critical rules, asks nothing of any other origin, and breaks no CSP rule."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

CHECKED: dict[str, list] = {}


def check_page(person, name: str):
    """What every page must be: no serious or critical accessibility violation, nothing
    from another origin, no CSP refusal in the console; and its screenshot for the docs."""
    violations = person.axe()
    assert violations == [], f"{name}: {violations}"
    assert person.foreign_requests() == []
    assert [e for e in person.console_errors if "Content Security Policy" in e] == [], name
    person.shot(name)


def open_section(page, section: str):
    page.click(f"#{section} details summary")


def test_caseworker_path_and_supervisor_review(visitor):
    worker = visitor()
    worker.go("/")
    assert worker.page.url.endswith("/login?next=/%3F") or "/login" in worker.page.url
    assert worker.page.locator("html").get_attribute("lang") == "es"
    assert worker.page.locator("#f-otp").count() == 1
    check_page(worker, "login")
    worker.login("admision")
    assert "Mis pendientes" in worker.page.content()
    assert worker.page.locator("#idle-limit").is_visible()
    check_page(worker, "home-caseworker")

    # Registration by keyboard alone.
    worker.go("/survivors/new")
    check_page(worker, "survivor-new")
    page = worker.page
    page.focus("#f-given_names")
    page.keyboard.type("Prueba Teclado")
    page.keyboard.press("Tab")
    page.keyboard.type("Sintética Ruiz")
    page.focus("#f-intake_channel")
    page.keyboard.press("ArrowDown")
    # The Ficha's fields: her census answers, a disability, an interpreter; who informed.
    for select in ("#f-mother_tongue", "#f-ethnicity", "#f-disability", "#f-informant", "#f-complaint_filed"):
        page.focus(select)
        page.keyboard.press("ArrowDown")
    page.focus("#f-interpreter_needed")
    page.keyboard.press("Space")
    page.focus("#f-priority")
    page.keyboard.press("ArrowDown")
    for _ in range(12):  # on to the submit button by Tab alone
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/cases/[0-9a-f-]{36}$"))
    case_url = page.url
    assert "Prueba Teclado" not in page.content()  # her name is not on the case page until asked
    ficha = page.inner_text("#ficha")
    assert "La propia persona usuaria" in ficha and "Sí" in ficha, ficha  # labels of the API's lists
    check_page(worker, "case")

    # Her name on request, for this case alone.
    page.click("text=Mostrar su nombre")
    page.wait_for_selector("#survivor-name")
    assert "Prueba Teclado" in page.inner_text("#survivor-name")

    # 1. Incident
    open_section(page, "incident")
    page.fill("#incident-occurred_at", "2026-11-30T21:30")
    page.check("#incident-acts-physical_assault")
    page.fill("#incident-place_ubigeo", "150199")  # not a district: the API's message beside it
    page.click("#incident form button[type=submit]")
    page.wait_for_load_state()
    assert "UBIGEO" in page.inner_text("#incident-place_ubigeo-error")
    page.fill("#incident-occurred_at", "2026-11-30T21:30")
    page.check("#incident-acts-physical_assault")
    page.fill("#incident-place_ubigeo", "150132")
    page.check("#incident-consent_for_statistics")
    page.click("#incident form button[type=submit]")
    page.wait_for_load_state()
    assert "San Juan de Lurigancho, Lima, Lima" in page.inner_text("#incident table")
    assert "physical_assault" in page.content() or "Agresión" in page.content() or page.locator(
        "#incident table").count() == 1
    # 2. Consent for health
    open_section(page, "consent")
    page.select_option("#consent-recipient_sector", "health")
    page.select_option("#consent-given_by", "survivor")
    page.select_option("#consent-method", "verbal")
    page.fill("#consent-given_at", "2026-12-01T09:00")
    page.click("#consent form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#consent table").count() == 1
    # 3. Risk, from the instrument's items
    page.click("#risk details summary")
    page.check("#a-threats_to_kill-yes")
    page.click("#risk form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#risk table").count() == 1
    # 4. Session
    open_section(page, "session")
    page.select_option("#session-discipline", "admission")
    page.fill("#session-started_at", "2026-12-01T10:00")
    page.fill("#session-duration_minutes", "45")
    page.click("#session form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#session table").count() == 1, page.inner_text("main")[:500]
    # 4. A case conference: listed without its decisions, read on request.
    open_section(page, "conference")
    page.fill("#conference-held_at", "2026-12-01T11:00")
    page.locator("#conference input[name=organization_ids]").first.check()
    page.fill("#conference-decisions", "Acompañamiento semanal acordado")
    page.click("#conference form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#conference table").count() == 1, page.inner_text("main")[:500]
    assert "Acompañamiento semanal" not in page.inner_text("#conference")
    page.click("#conference table button")
    page.wait_for_selector(".conference-decisions")
    assert "Acompañamiento semanal acordado" in page.inner_text("#conference")
    check_page(worker, "case-conference")
    # 5. Plan and its approval
    open_section(page, "plan")
    page.select_option("#plan-need", "health")
    page.select_option("#plan-service_type", "medical_care")
    page.select_option("#plan-decision", "referred")
    page.click("#plan form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#plan table").count() == 1, page.inner_text("main")[:500]
    open_section(page, "approval")
    page.select_option("#approval-kind", "action_plan")
    page.click("#approval form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#approval table").count() == 1, page.inner_text("main")[:500]

    supervisor = visitor()
    supervisor.login("supervisora")
    check_page(supervisor, "home-supervisor")
    supervisor.page.goto(case_url)
    supervisor.page.select_option("#approval form.row select[name=decision]", "approved")
    supervisor.page.fill("#approval form.row [name=note]", "Plan revisado")
    supervisor.page.click("#approval form.row button")
    supervisor.page.wait_for_load_state()
    assert "Aprobada" in supervisor.page.inner_text("#approval table")

    # 6. Referral with its clocks
    page.goto(case_url)
    open_section(page, "referral")
    page.select_option("#referral-to_organization_id", label="Hospital de demostración Lima (Salud)")
    page.select_option("#referral-service_type", "medical_care")
    page.click("#referral form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#referral table").count() == 1, page.inner_text("main")[:800]
    assert page.locator("#referral svg rect").count() >= 1
    check_page(worker, "case-with-clocks")

    # The referral ends (cancelled by the centre, with its reason), then closure: the
    # supervisor approves the closure request, the caseworker closes with the checklist.
    page.select_option("#referral form.referral-move select[name=status]", "cancelled")
    page.fill("#referral form.referral-move [name=reason]", "Atendida en otro establecimiento")
    page.click("#referral form.referral-move button")
    page.wait_for_load_state()
    assert "Cancelada" in page.inner_text("#referral table"), page.inner_text("main")[:600]
    open_section(page, "approval")
    page.select_option("#approval-kind", "closure")
    page.click("#approval form:not(.row) button[type=submit]")
    page.wait_for_load_state()
    supervisor.page.goto(case_url)
    supervisor.page.select_option("#approval form.row select[name=decision]", "approved")
    supervisor.page.fill("#approval form.row [name=note]", "Cierre revisado")
    supervisor.page.click("#approval form.row button")
    supervisor.page.wait_for_load_state()
    page.goto(case_url)
    open_section(page, "close")
    page.select_option("#close-reason", "needs_met")
    page.check("#close-needs_met")
    page.check("#close-safety_plan_reviewed")
    page.check("#close-survivor_informed_may_return")
    page.click("#close form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#reopen").count() == 1, page.inner_text("main")[:800]
    check_page(worker, "case-closed")
    page.click("#reopen details summary")
    page.select_option("#reopen-reason", "new_needs")
    page.click("#reopen form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#reopen").count() == 0, page.inner_text("main")[:800]

    # Supervisor review
    for path, name in (("/supervision", "supervision"), ("/supervision/audit", "audit"),
                       (case_url.removeprefix(worker.url) + "/access-log", "access-log"), ("/cases", "cases")):
        response = supervisor.go(path)
        assert response.status == 200, path
        check_page(supervisor, name)
    csv = supervisor.page.request.get(supervisor.url + "/supervision/referral-timelines.csv")
    assert csv.status == 200 and "text/csv" in csv.headers["content-type"]


def test_language_switch_and_search(visitor):
    person = visitor()
    person.login("admision")
    person.page.click("text=English")
    assert person.page.locator("html").get_attribute("lang") == "en"
    assert "My pending work" in person.page.content()
    person.go("/survivors?name=Demo+Rosa+Ejemplo+Quispe")
    assert "Demo Rosa" in person.page.content()
    check_page(person, "survivors-search")


def test_every_text_field_takes_script_and_nul_without_a_500(visitor):
    person = visitor()
    person.login("admision")
    person.go("/survivors/new")
    names = person.page.eval_on_selector_all("main form input[type=text], main form textarea",
                                             "els => els.map(e => e.name)")
    token = person.page.get_attribute("input[name=csrf_token]", "value")
    base = {"csrf_token": token, "intake_channel": "walk_in", "priority": "high"}
    for name in names:
        for value in ("<script>alert(1)</script>", "a\x00b"):
            response = person.page.request.post(person.url + "/survivors/new", form={**base, name: value},
                                                max_redirects=0)
            assert response.status < 500, (name, response.status)
            body = response.text()
            assert "<script>alert(1)</script>" not in body, name
    check_page(person, "survivor-new-refused")


def test_other_roles_get_a_first_page(visitor):
    for username in ("admin", "enlace.salud", "mentora"):
        person = visitor()
        person.login(username)
        assert person.page.locator("h1").count() >= 1
        check_page(person, f"home-{username.replace('.', '-')}")
