"""The visitor's phone view and the liaison's inbox in a real browser, at 360×740.

A mentor logs visits with the connection cut (``context.set_offline``), reloads, comes back:
the server holds one log per visit, whatever the retries, the reload or a second tab did. What
the phone keeps is read back: no address, phone, narrative or note in plaintext, under a key
the page cannot export; signing out leaves nothing. A safety concern reaches the supervisor's
notifications at once. A liaison accepts, starts and completes a PEP referral and cannot open
another organization's one. Every page passes axe-core's serious and critical rules and asks
nothing of another origin.
"""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.console.browser.conftest import Visitor
from tests.console.browser.test_console import check_page

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
#: Synthetic women visited in these tests (their card is what must not stay on the phone).
WOMEN = [
    {"given_names": "Prueba Campo", "family_names": "Sintética Uno", "alias": "Campo 1", "document_type": "NONE",
     "birth_date": date(1991, 5, 5), "sex": "female", "phone": "+51 900 555 101",
     "address": "Jr. Canario Sintético 101, Chaupimarca", "safe_contact": "Solo mañanas", "district": "190101"},
    {"given_names": "Prueba Campo", "family_names": "Sintética Dos", "alias": "Campo 2", "document_type": "NONE",
     "birth_date": date(1988, 8, 8), "sex": "female", "phone": "+51 900 555 202",
     "address": "Av. Ficticia Yanacancha 202", "safe_contact": "Mensaje antes", "district": "190113"},
    {"given_names": "Prueba Campo", "family_names": "Sintética Tres", "alias": "Campo 3", "document_type": "NONE",
     "birth_date": date(1979, 3, 3), "sex": "female", "phone": "+51 900 555 303",
     "address": "Calle Inventada Simón Bolívar 303", "safe_contact": "Llamar a su hermana", "district": "190104"},
]
NOTES = "Nota sintética de la visita: todo tranquilo"
NARRATIVE = "Relato sintético de demostración."

DUMP_STORAGE = """async () => {
  const out = {idb: [], caches: [], local: JSON.stringify(localStorage), session: JSON.stringify(sessionStorage),
               keys: []};
  const asText = (v) => JSON.stringify(v, (k, x) => (x instanceof Uint8Array || x instanceof ArrayBuffer)
      ? new TextDecoder("latin1").decode(x) : x);
  for (const info of await indexedDB.databases()) {
    const db = await new Promise((ok, no) => { const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result);
                                                r.onerror = () => no(r.error); });
    for (const name of db.objectStoreNames) {
      const store = db.transaction(name).objectStore(name);
      const keys = await new Promise(ok => { const q = store.getAllKeys(); q.onsuccess = () => ok(q.result); });
      const values = await new Promise(ok => { const q = store.getAll(); q.onsuccess = () => ok(q.result); });
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v instanceof CryptoKey) {
          let exported = true;
          try { await crypto.subtle.exportKey("raw", v); } catch (e) { exported = false; }
          out.keys.push({extractable: v.extractable, exported: exported, algorithm: v.algorithm.name});
        } else {
          out.idb.push({db: info.name, store: name, key: String(keys[i]), text: asText(v)});
        }
      }
    }
    db.close();
  }
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      out.caches.push({cache: name, url: request.url, text: await response.text()});
    }
  }
  return out;
}"""


class Phone(Visitor):
    """A mentor's phone: a 360×740 touch screen, its requests kept to check their origins."""

    def __init__(self, browser, served, context=None):
        self.context = context or browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="es-PE")
        self.page = self.context.new_page()
        self.url = served.url
        self.requests = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.console_errors = []
        self.page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))

    def tab(self, browser, served):
        return Phone(browser, served, context=self.context)

    def ready_offline(self):
        """Wait until the service worker controls the page, its page is kept and her list is sealed."""
        self.page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20000)
        self.page.wait_for_function("() => caches.match('/visits/shell').then(r => !!r)", polling=250, timeout=20000)
        self.page.wait_for_function(
            "() => new Promise(ok => { const r = indexedDB.open('caseflow-field'); r.onsuccess = () => {"
            " const q = r.result.transaction('records').objectStore('records').get('visits');"
            " q.onsuccess = () => { r.result.close(); ok(!!q.result); }; }; })", polling=250, timeout=20000)

    def storage(self) -> dict:
        return self.page.evaluate(DUMP_STORAGE)


@pytest.fixture(scope="module")
def field_world(tmp_path_factory):
    """A caseflow of its own (demo data and three women on the demo mentor's list today),
    served on a free port."""
    from caseflow.demo_server import Served, build_app

    app = build_app(tmp_path_factory.mktemp("field"))
    visits = {}
    with app.app_context():
        from caseflow.cases.services import open_case
        from caseflow.core.acting import acting_as
        from caseflow.core.clock import local_date, utcnow
        from caseflow.directory.models import User
        from caseflow.extensions import db
        from caseflow.survivors.services import register
        from caseflow.visits.models import Visit
        from caseflow.visits.services import create_plan

        admision = db.session.scalars(select(User).where(User.username == "admision")).one()
        mentora = db.session.scalars(select(User).where(User.username == "mentora")).one()
        today = local_date(utcnow())
        with acting_as(admision):
            for name, woman in zip("ABC", WOMEN):
                survivor = register(dict(woman))
                case = open_case(survivor_id=survivor.id, intake_channel="walk_in", priority="medium")
                create_plan(case, assignee_id=mentora.id, kind="mentor_accompaniment", starts_on=today,
                            cadence_days=7, count=4)
                first = db.session.scalars(select(Visit).where(Visit.case_id == case.id, Visit.due_on == today)).one()
                visits[name] = (str(first.id), case.code, str(case.id))
                if name == "A":
                    _complaint_to_the_police(case)
        db.session.commit()
        db.session.remove()
    server = Served(app, 0)
    server.url = f"http://127.0.0.1:{server.server.server_port}"
    with server:
        yield app, server, visits


def _complaint_to_the_police(case):
    """Her complaint sent to the demo police station, with her consent (synthetic)."""
    from caseflow.consents.schemas import ConsentCreateSchema
    from caseflow.consents.services import record_consent
    from caseflow.core.clock import utcnow
    from caseflow.directory.models import Organization
    from caseflow.extensions import db
    from caseflow.incidents.schemas import IncidentCreateSchema
    from caseflow.incidents.services import record_incident
    from caseflow.referrals.schemas import ReferralCreateSchema
    from caseflow.referrals.services import send

    police = db.session.scalars(select(Organization).where(Organization.code == "COMISARIA-LIMA")).one()
    now = utcnow()
    record_incident(case, IncidentCreateSchema().load({
        "occurred_at": (now.replace(microsecond=0)).isoformat(), "acts": {"physical_assault": True},
        "violence_types": ["fisica"], "perpetrator_relationship": "partner", "location_type": "home"}))
    record_consent(case, ConsentCreateSchema().load({
        "recipient_sector": "police", "given_by": "survivor", "method": "written", "given_at": now.isoformat()}))
    send(case, ReferralCreateSchema().load({"to_organization_id": str(police.id), "service_type": "complaint",
                                            "priority": "high", "note": "Denuncia sintética (prueba)."}))


def logs_of(app, visit_id: str) -> int:
    import uuid

    from caseflow.extensions import db
    from caseflow.visits.models import VisitLog

    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(VisitLog).where(
            VisitLog.visit_id == uuid.UUID(visit_id)))
        db.session.remove()
        return count


def wait_for_logs(app, visit_id: str, expected: int, page, seconds: float = 40) -> int:
    """Polls the server's database; the page's events (and route handlers) run meanwhile."""
    deadline = time.monotonic() + seconds
    count = logs_of(app, visit_id)
    while count < expected and time.monotonic() < deadline:
        page.wait_for_timeout(500)
        count = logs_of(app, visit_id)
    return count


def fill_log(page, visit_id: str, outcome="done", notes=NOTES, safety=False):
    card = page.locator(f"#visit-{visit_id}")
    card.locator("summary").click()
    card.locator(f"#o-{visit_id}-{outcome}").check()
    card.locator(f"#m-{visit_id}").select_option("home_visit")
    card.locator(f"#n-{visit_id}").fill(notes)
    if safety:
        card.locator(f"#s-{visit_id}").check()
    card.locator("button[type=submit]").click()


@pytest.fixture
def phone(browser, field_world):
    made = []

    def make():
        person = Phone(browser, field_world[1])
        made.append(person)
        return person

    yield make
    for person in made:
        person.close()


def test_offline_log_after_a_lost_answer_and_a_reload_is_one_log(phone, browser, field_world):
    app, served, visits = field_world
    visit_id, code, case_id = visits["A"]
    mentor = phone()
    mentor.login("mentora")
    mentor.go("/visits")
    page = mentor.page
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing runs off the screen
    assert code in page.inner_text("[data-section=today]")
    mentor.ready_offline()
    check_page(mentor, "field-visits")

    # Her card on a tap (the API's read, audited); it is not kept on the phone.
    page.locator(f"#visit-{visit_id} [data-card-link]").click()
    page.wait_for_selector(f"#card-{visit_id} [data-card=address]")
    assert WOMEN[0]["address"] in page.inner_text(f"#card-{visit_id}")
    check_page(mentor, "field-card")

    # A mentor never reaches a case page.
    assert mentor.go(f"/cases/{case_id}").status in (403, 404)
    assert WOMEN[0]["address"] not in page.content()
    mentor.go("/visits")
    mentor.ready_offline()

    # No signal: the log waits on the phone.
    mentor.context.set_offline(True)
    fill_log(page, visit_id)
    expect_text(page, f"#visit-{visit_id} [data-slot=queued]", "Guardado en este teléfono")
    assert logs_of(app, visit_id) == 0

    # What the phone holds now: her list and the waiting log, sealed; no address, phone,
    # note or narrative in plaintext anywhere, under a key nobody can export.
    held = mentor.storage()
    names = {entry["key"] for entry in held["idb"]}
    assert {"visits", "meta", f"log:{visit_id}"} <= names
    assert held["keys"] == [{"extractable": False, "exported": False, "algorithm": "AES-GCM"}]
    everything = " ".join([held["local"], held["session"]] + [e["text"] for e in held["idb"]] +
                          [e["text"] for e in held["caches"]])
    for woman in WOMEN:
        for secret in (woman["address"], woman["phone"], woman["safe_contact"], woman["family_names"]):
            assert secret not in everything
    assert NOTES not in everything and NARRATIVE not in everything
    assert code not in " ".join(e["text"] for e in held["idb"])  # even the list's case codes are sealed
    assert {e["url"].removeprefix(served.url) for e in held["caches"]} >= {"/visits/shell"}

    # Reloaded without signal: the page and her list come from the phone.
    page.reload()
    page.wait_for_selector(f"#visit-{visit_id}")
    assert code in page.inner_text("[data-section=today]")
    expect_text(page, f"#visit-{visit_id} [data-slot=queued]", "Guardado en este teléfono")
    assert page.locator("#idle-limit").count() == 0  # no countdown sending her to an unreachable sign-in
    check_page(mentor, "field-visits-offline")

    # Back online, but the server's answer to the first send is lost on the way: the log is
    # on the server, the phone does not know and sends it again with the same key.
    lost = []

    def lose_answer(route):
        route.fetch()
        lost.append(route.request.headers.get("idempotency-key"))
        route.abort()

    page.route(re.compile(r".*/api/v1/visits/[0-9a-f-]+/log$"), lose_answer)
    mentor.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    assert wait_for_logs(app, visit_id, 1, page) == 1
    deadline = time.monotonic() + 20
    while not lost and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    page.unroute(re.compile(r".*/api/v1/visits/[0-9a-f-]+/log$"))
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect_text(page, f"#visit-{visit_id} [data-slot=queued]", "Enviado", timeout=30000)
    page.reload()
    page.wait_for_load_state()
    page.wait_for_timeout(1000)
    assert logs_of(app, visit_id) == 1
    assert lost and lost[0]

    # Signing out leaves nothing on the phone.
    page.click("form[action$='/logout'] button")
    page.wait_for_url(re.compile(r"/login"))
    left = mentor.storage()
    assert left["idb"] == [] and left["keys"] == [] and left["caches"] == []


def test_two_tabs_offline_send_one_log(phone, browser, field_world):
    app, served, visits = field_world
    visit_id, code, _ = visits["B"]
    first = phone()
    first.login("mentora")
    first.go("/visits")
    first.ready_offline()
    second = first.tab(browser, served)
    second.go("/visits")
    second.page.wait_for_selector(f"#visit-{visit_id}")
    first.context.set_offline(True)
    fill_log(first.page, visit_id)
    expect_text(first.page, f"#visit-{visit_id} [data-slot=queued]", "Guardado en este teléfono")
    fill_log(second.page, visit_id, notes=NOTES + " (otra pestaña)")
    expect_text(second.page, f"#visit-{visit_id} [data-slot=queued]", "Ya está guardado")
    first.context.set_offline(False)
    for tab in (first, second):
        tab.page.evaluate("window.dispatchEvent(new Event('online'))")
    assert wait_for_logs(app, visit_id, 1, second.page) == 1
    for tab in (first, second):
        tab.page.reload()
        tab.page.wait_for_load_state()
    first.page.wait_for_timeout(2000)
    assert logs_of(app, visit_id) == 1
    assert first.foreign_requests() == [] and second.foreign_requests() == []


def test_a_safety_concern_reaches_the_supervisor(phone, visitor_on, field_world):
    app, served, visits = field_world
    visit_id, code, _ = visits["C"]
    mentor = phone()
    mentor.login("mentora")
    mentor.go("/visits")
    fill_log(mentor.page, visit_id, safety=True)
    assert wait_for_logs(app, visit_id, 1, mentor.page) == 1
    supervisor = visitor_on(served)
    supervisor.login("supervisora")
    supervisor.go("/notifications")
    concern = supervisor.page.locator("#notifications li[data-topic=safety_concern]")
    assert concern.count() == 1
    assert code in concern.inner_text()
    check_page(supervisor, "notifications-supervisor")
    # Her card now carries the flag for whoever visits next.
    mentor.go(f"/visits/{visit_id}/card")
    assert "Se informó una preocupación de seguridad" in mentor.page.inner_text("[data-card=safety_flags]")
    check_page(mentor, "field-card-page")


def test_liaison_accepts_and_completes_a_pep_referral(phone, visitor_on, field_world):
    app, served, _ = field_world
    liaison = phone()
    liaison.login("enlace.salud")
    liaison.go("/referrals")
    page = liaison.page
    page.wait_for_selector("#news-new")
    check_page(liaison, "inbox")
    page.click("a:has-text('Profilaxis posexposición al VIH')")
    page.wait_for_url(re.compile(r"/referrals/[0-9a-f-]{36}$"))
    referral_url = page.url
    assert "Profilaxis" in page.inner_text("main")  # the note: her consent covers the hospital
    check_page(liaison, "inbox-referral")
    page.click("#move-accepted button")
    expect_text(page, "#referral-status", "Aceptada")
    page.click("#move-in_progress button")
    expect_text(page, "#referral-status", "En curso")
    page.click("#move-failed button")  # no reason: refused beside the field, nothing changes
    expect_text(page, "#move-failed .invalid-feedback", "motivo")
    expect_text(page, "#referral-status", "En curso")
    page.click("#move-completed button")
    expect_text(page, "#referral-status", "Completada")
    check_page(liaison, "inbox-referral-completed")

    # The police liaison never sees the hospital's referral.
    police = phone()
    police.login("enlace.policia")
    assert police.go(referral_url.removeprefix(served.url)).status == 404
    police.go("/referrals")
    page = police.page
    assert "Profilaxis posexposición al VIH" not in page.inner_text("main")

    # The police accept the complaint and refer it on to the family court.
    page.click("a:has-text('Denuncia policial')")
    page.wait_for_url(re.compile(r"/referrals/[0-9a-f-]{36}$"))
    page.click("#move-accepted button")
    expect_text(page, "#referral-status", "Aceptada")
    page.select_option("#onward-to_organization_id", label="Juzgado de Familia de demostración (Justicia)")
    page.select_option("#onward-service_type", "protective_measures")
    page.fill("#onward-note", "Denuncia sintética remitida al juzgado")
    check_page(police, "inbox-refer-on")
    page.click("#onward form button")
    expect_text(page, "main", "Se envió la nueva derivación")
    expect_text(page, "#onward-sent", "Medidas de protección")
    court = phone()
    court.login("enlace.juzgado")
    court.go("/referrals")
    court.page.wait_for_selector("#news-new")
    assert court.page.locator("#section-new a:has-text('Medidas de protección'), "
                              "#section-due_soon a:has-text('Medidas de protección')").count() >= 1


def expect_text(page, selector: str, text: str, timeout: float = 15000):
    from playwright.sync_api import expect

    expect(page.locator(selector)).to_contain_text(text, timeout=timeout)


def test_what_the_phone_keeps_is_wiped_after_the_cache_hours(phone, field_world):
    app, served, visits = field_world
    mentor = phone()
    mentor.login("mentora")
    mentor.go("/visits")
    mentor.ready_offline()
    hours = app.config["CASEFLOW_FIELD_CACHE_HOURS"]
    assert mentor.page.get_attribute("#field", "data-cache-hours") == str(hours)
    # Her list was kept one minute more than the limit ago (the clock moved on, not the data).
    mentor.page.evaluate("""hours => new Promise(ok => { const r = indexedDB.open('caseflow-field');
        r.onsuccess = () => { const t = r.result.transaction('records', 'readwrite');
          const s = t.objectStore('records'); const q = s.get('meta');
          q.onsuccess = () => { s.put({...q.result, saved_at: Date.now() - hours * 3600000 - 60000}, 'meta'); };
          t.oncomplete = () => { r.result.close(); ok(); }; }; })""", hours)
    mentor.context.set_offline(True)
    mentor.page.reload()
    expect_text(mentor.page, "#field-status", f"más de {hours} horas")
    assert mentor.page.locator("article.visit").count() == 0  # nothing of hers is shown
    held = mentor.storage()
    assert not [e for e in held["idb"] if e["key"] in ("visits", "meta") or e["key"].startswith("log:")]
    mentor.context.set_offline(False)
