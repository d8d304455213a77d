"""The custody workflow in the console (docs/custody.md), and custody as a case-list filter."""

from __future__ import annotations

import re
from datetime import date, timedelta

from tests.console.test_pages import csrf, demo, sign_in  # noqa: F401  (demo: the fixture)


def _facility(client) -> str:
    sign_in(client, "admin")
    made = client.post("/admin/organizations", data={
        "csrf_token": csrf(client, "/admin"), "code": "EP-MUJERES-CHORRILLOS", "name": "EP de Mujeres de demostración",
        "sector": "penitentiary", "district": "150108", "service_types": ["medical_care", "mental_health"]})
    assert made.status_code == 302
    return next(o["id"] for o in client.get("/api/v1/organizations?sector=penitentiary").get_json()["items"])


def _post(client, case_id, action, **form):
    return client.post(f"/cases/{case_id}/custody/{action}",
                       data={"csrf_token": csrf(client, f"/cases/{case_id}/custody"), **form})


def test_custody_screening_disclosure_restriction_supply_and_release_from_the_case_page(client, demo):  # noqa: F811
    facility_id = _facility(client)
    sign_in(client, "admision")
    listing = client.get("/cases").get_data(as_text=True)
    case_id = re.search(r"/cases/([0-9a-f-]{36})", listing).group(1)
    code = re.search(rf'/cases/{case_id}">([^<]+)<', listing).group(1)
    assert f"/cases/{case_id}/custody" in client.get(f"/cases/{case_id}").get_data(as_text=True)

    taken = _post(client, case_id, "custody", status="in_custody", facility_id=facility_id,
                  since=(date.today() - timedelta(days=40)).isoformat())
    assert taken.status_code == 302, taken.get_data(as_text=True)[:1500]
    page = client.get(f"/cases/{case_id}/custody").get_data(as_text=True)
    assert "Privada de libertad" in page and "EP de Mujeres de demostración" in page
    assert code in client.get("/cases?custody=in_custody").get_data(as_text=True)
    assert code not in client.get("/cases?custody=released").get_data(as_text=True)

    screened = _post(client, case_id, "screening", screened_at="2026-11-01T10:00", **{
        "findings.mental_health": "on", "findings.suicide_risk": "on"})
    assert screened.status_code == 302, screened.get_data(as_text=True)[:1500]
    disclosed = _post(client, case_id, "disclosure", disclosed_at="2026-11-02T09:30", legal_recourse="declines",
                      protect_from_retaliation="on")
    assert disclosed.status_code == 302, disclosed.get_data(as_text=True)[:1500]
    restricted = _post(client, case_id, "restriction", person_name="<script>alert(1)</script> Sintético",
                       relationship="former_partner")
    assert restricted.status_code == 302
    supplied = _post(client, case_id, "supply", kind="hygiene_kit", delivered_at="2026-11-03T11:00")
    assert supplied.status_code == 302

    page = client.get(f"/cases/{case_id}/custody").get_data(as_text=True)
    assert "Salud mental" in page and "Riesgo suicida" in page
    assert "Ella no desea denunciar" in page and "Protect her from retaliation" not in page
    assert "Protegerla de represalias" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Sintético" in page and "<script>alert(1)" not in page
    assert "Expareja" in page and "Kit de higiene" in page
    # The flag shows on the case page to everyone working her case.
    assert "Protegerla de represalias" in client.get(f"/cases/{case_id}").get_data(as_text=True)

    # A release before she was taken into custody is refused beside the date, nothing changed.
    early = _post(client, case_id, "custody", status="released", facility_id=facility_id,
                  since=(date.today() - timedelta(days=400)).isoformat())
    assert early.status_code == 422 and 'id="custody-since-error"' in early.get_data(as_text=True)
    released = _post(client, case_id, "custody", status="released", facility_id=facility_id,
                     since=date.today().isoformat())
    assert released.status_code == 302
    assert "En libertad" in client.get(f"/cases/{case_id}/custody").get_data(as_text=True)
    assert code in client.get("/cases?custody=released").get_data(as_text=True)
    assert code not in client.get("/cases?custody=in_custody").get_data(as_text=True)


def test_an_unknown_custody_filter_is_refused_beside_the_filter(client, demo):  # noqa: F811
    sign_in(client, "admision")
    answer = client.get("/cases?custody=fugada")
    assert answer.status_code == 422 and 'custody-error' in answer.get_data(as_text=True)
