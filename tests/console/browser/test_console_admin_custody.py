"""Administration and the custody workflow in a real browser: every new page passes
axe-core's serious and critical rules, asks nothing of another origin, and breaks no CSP rule."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.console.browser.test_console import check_page

pytestmark = pytest.mark.browser

PASSWORD = "una-clave-larga-y-propia-2026"


def _facility(visitor, code: str) -> None:
    admin = visitor()
    admin.login("admin")
    page = admin.page
    page.click("#organizations details summary")
    page.fill("#org-code", code)
    page.fill("#org-name", f"EP de Mujeres {code}")
    page.select_option("#org-sector", "penitentiary")
    page.check("#org-service_types-medical_care")
    page.check("#org-service_types-mental_health")
    page.click("#organizations form button[type=submit]")
    page.wait_for_load_state()
    assert code in page.inner_text("#organizations table")


def test_administration_creates_an_account_she_activates_and_a_supervisor_trains_a_mentor(visitor):
    admin = visitor()
    admin.login("admin")
    assert admin.page.url.endswith("/admin")
    check_page(admin, "admin")
    page = admin.page
    page.click("#organizations table a >> nth=0")
    page.wait_for_load_state()
    assert "/admin/organizations/" in page.url and page.locator("#org-service_types-medical_care").count() == 1
    check_page(admin, "organization")
    admin.go("/admin")
    page.click("#accounts details:not(.d-inline-block) summary")
    page.fill("#acc-username", "mentora.nueva")
    page.fill("#acc-full_name", "Mentora Sintética Nueva")
    page.select_option("#acc-role", "mentor")
    page.select_option("#acc-organization_id", label="CEM Lima Cercado (demo) (Centro Emergencia Mujer (CEM))")
    page.click("#accounts form[action$='/admin/users'] button[type=submit]")
    page.wait_for_load_state()
    link = page.input_value("#activation-link")
    assert "/activate?token=" in link
    check_page(admin, "admin-activation")
    # Shown once: the page read again has no activation on it.
    admin.go("/admin")
    assert admin.page.locator("#activation-link").count() == 0

    she = visitor()
    she.page.goto(link)
    check_page(she, "activate")
    she.page.fill("#f-password", PASSWORD)
    she.page.click("main button[type=submit]")
    she.page.wait_for_url(re.compile(r"/login\?activated=1$"))
    she.login("mentora.nueva", PASSWORD)
    assert "/login" not in she.page.url

    supervisor = visitor()
    supervisor.login("supervisora")
    supervisor.go("/admin")
    row = supervisor.page.locator("#training tr", has_text="mentora.nueva")
    assert "0 de" in row.inner_text()
    row.locator("input[name=held_on]").fill("2026-11-20")
    row.locator("input[name=topic]").fill("Acompañamiento en comisaría")
    row.locator("button[type=submit]").click()
    supervisor.page.wait_for_load_state()
    assert "1 de" in supervisor.page.locator("#training tr", has_text="mentora.nueva").inner_text()
    check_page(supervisor, "admin-supervisor")


def test_custody_from_admission_screening_through_disclosure_to_release(visitor):
    _facility(visitor, "EP-MUJERES-NAVEGADOR")
    worker = visitor()
    worker.login("admision")
    worker.go("/cases")
    page = worker.page
    first = page.locator("main table a").first
    code = first.inner_text()
    first.click()
    page.wait_for_load_state()
    page.click("#custody-banner a")
    page.wait_for_load_state()
    check_page(worker, "custody")

    page.click("#custody details summary")
    page.select_option("#custody-status", "in_custody")
    page.select_option("#custody-facility_id", label="EP de Mujeres EP-MUJERES-NAVEGADOR (Establecimiento penitenciario)")
    page.fill("#custody-since", (date.today() - timedelta(days=60)).isoformat())
    page.click("#custody form button[type=submit]")
    page.wait_for_load_state()
    assert "Privada de libertad" in page.inner_text("#custody-state")

    page.click("#screening details summary")
    page.fill("#screening-screened_at", "2026-11-01T10:00")
    page.check("#screening-findings-mental_health")
    page.check("#screening-findings-violence_before_admission")
    page.click("#screening form button[type=submit]")
    page.wait_for_load_state()
    assert "Salud mental" in page.inner_text("#screening table")

    page.click("#disclosure details summary")
    page.fill("#disclosure-disclosed_at", "2026-11-02T09:30")
    page.select_option("#disclosure-legal_recourse", "declines")
    page.click("#disclosure form button[type=submit]")
    page.wait_for_load_state()
    assert "Ella no desea denunciar" in page.inner_text("#disclosure table")
    assert "Protegerla de represalias" in page.inner_text("#custody-state")

    page.click("#restriction details summary")
    page.fill("#restriction-person_name", "Persona Sintética Restringida")
    page.select_option("#restriction-relationship", "former_partner")
    page.click("#restriction form button[type=submit]")
    page.wait_for_load_state()
    page.click("#supply details summary")
    page.select_option("#supply-kind", "hygiene_kit")
    page.fill("#supply-delivered_at", "2026-11-03T11:00")
    page.click("#supply form button[type=submit]")
    page.wait_for_load_state()
    assert "Kit de higiene" in page.inner_text("#supply table")

    page.click("#custody details summary")
    page.select_option("#custody-status", "released")
    page.select_option("#custody-facility_id", label="EP de Mujeres EP-MUJERES-NAVEGADOR (Establecimiento penitenciario)")
    page.fill("#custody-since", date.today().isoformat())
    page.click("#custody form button[type=submit]")
    page.wait_for_load_state()
    assert "En libertad" in page.inner_text("#custody-state")
    check_page(worker, "custody-released")

    worker.go("/cases")
    page.select_option("#f-custody", "released")
    page.click("main form[method=get] button")
    page.wait_for_load_state()
    assert "custody=released" in page.url and code in page.inner_text("main table")
    check_page(worker, "cases-custody")
