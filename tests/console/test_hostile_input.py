"""Every field typed into, of every form of the case page and of the custody page gets ``<script>``
and a NUL byte: escaped, refused beside the field with a message, never a 500, nothing changed."""

from __future__ import annotations

import re

import pytest

from caseflow.console import bridge
from caseflow.console.custody import CUSTODY_ACTIONS
from caseflow.console.forms import describe
from caseflow.console.views import CASE_ACTIONS
from tests.console.test_pages import csrf, demo, sign_in  # noqa: F401  (demo: the fixture)

SCRIPT = "<script>alert(1)</script>"
NUL = "a\x00b"
#: What a case holds, read by the API after each refused post: it must not move.
HOLDINGS = ("incidents", "consents", "risk-assessments", "sessions", "plan-items", "approvals", "referrals",
            "closures", "supplies", "visit-restrictions", "custody-screenings", "custody-disclosures", "conferences")


def _text_fields(app, endpoint, skip=()) -> list[str]:
    with app.test_request_context():
        fields = describe(bridge.arguments_schema(endpoint), skip=skip)

    def walk(items):
        for item in items:
            if item.kind == "group":
                yield from walk(item.children)
            elif item.kind not in ("checkbox", "checkboxes"):
                yield item.name  # text, and every field typed into (dates, numbers, choices) too
    return list(walk(fields))


def _holdings(client, case_id) -> dict:
    held = {name: client.get(f"/api/v1/cases/{case_id}/{name}?per_page=100").get_json().get("total")
            for name in HOLDINGS}
    held["case"] = {k: v for k, v in client.get(f"/api/v1/cases/{case_id}").get_json().items()
                    if k in ("status", "step", "risk_level", "priority")}
    return held


def _forms(app):
    forms = []
    for action, endpoint in CASE_ACTIONS.items():
        skip = ("answers", "instrument") if action == "risk" else ()
        names = _text_fields(app, endpoint, skip)
        if action == "risk":
            names += ["instrument", "answers.q1"]  # the instrument's hidden field and an answer
        forms.append((f"/cases/{{case}}/{action}", names))
    for action, (endpoint, skip) in CUSTODY_ACTIONS.items():
        forms.append((f"/cases/{{case}}/custody/{action}", _text_fields(app, endpoint, skip)))
    forms.append(("/cases/{case}/records/withdraw/{consent}", ["note"]))
    return forms


@pytest.fixture
def case_with_consent(client, demo):  # noqa: F811
    sign_in(client, "admision")
    case_id = re.search(r"/cases/([0-9a-f-]{36})", client.get("/cases").get_data(as_text=True)).group(1)
    consents = client.get(f"/api/v1/cases/{case_id}/consents").get_json()["items"]
    consent_id = consents[0]["id"] if consents else None
    return case_id, consent_id


def test_every_field_of_the_case_and_custody_forms_escapes_script_and_refuses_a_nul_byte(app, client, case_with_consent):
    case_id, consent_id = case_with_consent
    before = _holdings(client, case_id)
    checked = 0
    for path, names in _forms(app):
        if "{consent}" in path and consent_id is None:
            continue
        url = path.format(case=case_id, consent=consent_id)
        assert names, url
        for name in names:
            for value in (SCRIPT, NUL):
                answer = client.post(url, data={"csrf_token": csrf(client, f"/cases/{case_id}"), name: value})
                html = answer.get_data(as_text=True)
                assert answer.status_code < 500, (url, name, html[:800])
                assert SCRIPT not in html, (url, name)
                if value == NUL:
                    assert answer.status_code == 422, (url, name)
                    field_id = name.replace(".", "-")
                    assert re.search(rf'id="[\w-]*-{re.escape(field_id)}-error">[^<]*carácter no permitido', html) or (
                        # hidden inputs (the instrument, an answer's radio) have no field of their own
                        name in ("instrument", "answers.q1") and "carácter no permitido" in html), (url, name)
                    assert _holdings(client, case_id) == before, (url, name)
                checked += 1
    assert checked >= 40  # every form of both pages was reached
