"""The browser suite: Debian's Chromium driven by Playwright against a real caseflow."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
#: 0 (the default): a free port the system picks; CASEFLOW_BROWSER_TEST_PORT to choose one.
PORT = int(os.environ.get("CASEFLOW_BROWSER_TEST_PORT", "0"))
AXE = Path(__file__).with_name("vendor") / "axe.min.js"
AXE_SOURCE = AXE.read_text() if AXE.exists() else ""
#: Screenshots for docs/console.md: written there with CASEFLOW_SCREENSHOTS=docs, else to a
#: scratch folder (a test run leaves the docs as they were).
SCREENSHOTS = (Path(__file__).resolve().parents[3] / "docs" / "screenshots" if os.environ.get("CASEFLOW_SCREENSHOTS")
               == "docs" else Path(os.environ.get("TMPDIR", "/tmp")) / "caseflow-console-screenshots")

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    from caseflow.demo_server import Served, build_app

    app = build_app(tmp_path_factory.mktemp("console"))
    with Served(app, PORT) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield chromium
        chromium.close()


class Visitor:
    """One person's browser: every request it makes is kept, to check their origins."""

    def __init__(self, browser, served):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.url = served.url
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.console_errors: list[str] = []
        self.page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))

    def go(self, path: str):
        response = self.page.goto(self.url + path)
        return response

    def login(self, username: str, password: str = "demo-caseflow-2026"):
        self.go("/login")
        self.page.fill("#f-username", username)
        self.page.fill("#f-password", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state()

    def axe(self) -> list[dict]:
        """Serious or critical violations of axe-core's rules on the page as it is."""
        # Evaluated by the driver, not added as a script tag: the page's CSP rightly refuses
        # inline scripts.
        self.page.evaluate(AXE_SOURCE)
        result = self.page.evaluate("async () => await axe.run(document)")
        return [{"id": v["id"], "impact": v["impact"], "nodes": [n["html"][:120] for n in v["nodes"][:3]]}
                for v in result["violations"] if v["impact"] in ("serious", "critical")]

    def shot(self, name: str):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.url + "/") and url != self.url]

    def close(self):
        self.context.close()


@pytest.fixture
def visitor_on(browser):
    """Visitors signing in to a given served app, each closed at the end."""
    made = []

    def make(served):
        person = Visitor(browser, served)
        made.append(person)
        return person

    yield make
    for person in made:
        person.close()


@pytest.fixture
def visitor(visitor_on, served):
    """Visitors of the module's served demo."""
    return lambda: visitor_on(served)
