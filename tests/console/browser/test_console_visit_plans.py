"""Visit plans in a real browser: a caseworker starts a mentor's plan from the case page, and
records a release with its follow-up plan; each page passes axe-core's serious and critical
rules, asks nothing of another origin, and breaks no CSP rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.console.browser.test_console import check_page
from tests.console.browser.test_console_admin_custody import _facility

pytestmark = pytest.mark.browser

FACILITY = "EP de Mujeres EP-PLANES-NAVEGADOR (Establecimiento penitenciario)"


def test_a_caseworker_starts_a_mentors_plan_and_a_release_with_its_follow_up(visitor):
    _facility(visitor, "EP-PLANES-NAVEGADOR")
    worker = visitor()
    worker.login("admision")
    worker.go("/cases")
    page = worker.page
    page.locator("main table a").nth(1).click()
    page.wait_for_load_state()
    page.click("#visit-plans-link a")
    page.wait_for_load_state()

    page.select_option("#plan-kind", "mentor_accompaniment")
    mentor = page.locator("#plan-assignee_id option", has_text="(mentora)")
    assert "sesiones de formación" in mentor.inner_text() and "aún no asignable" not in mentor.inner_text()
    page.select_option("#plan-assignee_id", mentor.get_attribute("value"))
    page.fill("#plan-starts_on", date.today().isoformat())
    check_page(worker, "visit-plan-new")
    page.click("#start form button[type=submit]")
    page.wait_for_load_state()
    row = page.locator("#plans tr.visit-plan").last
    text = row.inner_text()
    assert "Acompañamiento" in text and "48" in text
    assert date.today().isoformat() in text and (date.today() + timedelta(days=7)).isoformat() in text
    check_page(worker, "visit-plans")

    # A start in the past is refused beside its field, the plan count unchanged.
    plans = page.locator("#plans tr.visit-plan").count()
    page.select_option("#plan-kind", "mentor_accompaniment")
    page.select_option("#plan-assignee_id", mentor.get_attribute("value"))
    page.fill("#plan-starts_on", (date.today() - timedelta(days=2)).isoformat())
    page.click("#start form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#plan-starts_on-error").is_visible()
    assert page.locator("#plans tr.visit-plan").count() == plans

    page.click("main h1 a")
    page.wait_for_load_state()
    page.click("#custody-banner a")
    page.wait_for_load_state()
    page.click("#custody details summary")
    page.select_option("#custody-status", "in_custody")
    page.select_option("#custody-facility_id", label=FACILITY)
    page.fill("#custody-since", (date.today() - timedelta(days=30)).isoformat())
    page.select_option("#custody-pregnant", "true")
    page.fill("#custody-children_ages", "1")
    page.click("#custody form button[type=submit]")
    page.wait_for_load_state()
    assert "Privada de libertad" in page.inner_text("#custody-state")

    page.click("#custody details summary")
    page.select_option("#custody-status", "released")
    page.select_option("#custody-facility_id", label=FACILITY)
    page.fill("#custody-since", date.today().isoformat())
    psychologist = page.locator("#custody-follow_up-assignee_id option", has_text="(psicologa.comunitaria)")
    page.select_option("#custody-follow_up-assignee_id", psychologist.get_attribute("value"))
    page.select_option("#custody-follow_up-kind", "psychological_followup")
    page.fill("#custody-follow_up-cadence_days", "14")
    page.fill("#custody-follow_up-count", "6")
    # The pointer off the summary button and its colour transition over (axe reads the colours).
    page.mouse.move(0, 0)
    page.wait_for_timeout(400)
    check_page(worker, "custody-release-follow-up")
    page.click("#custody form button[type=submit]")
    page.wait_for_load_state()
    assert "En libertad" in page.inner_text("#custody-state")
    page.goto(page.url.split("#")[0].replace("/custody", "/visit-plans"))
    follow_up = page.locator("#plans tr.visit-plan", has_text="Seguimiento psicológico").last.inner_text()
    assert "14" in follow_up and "6" in follow_up and date.today().isoformat() in follow_up
