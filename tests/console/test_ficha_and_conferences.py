"""The Ficha's fields and case conferences on the console's pages, times in the centre's zone
and the no-contact days from their one setting (over the test client)."""

from __future__ import annotations

import re

from tests.console.test_pages import csrf, demo, sign_in  # noqa: F401  (demo: the fixture)

SCRIPT = "<script>alert(1)</script>"
ISO_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _text(html: str) -> str:
    """What a person reads: the page without its tags and attributes."""
    return re.sub(r"<[^>]+>", " ", html)


def _register(client, **extra):
    data = {"csrf_token": csrf(client), "given_names": "Prueba", "family_names": "Ficha Sintética",
            "intake_channel": "walk_in", "priority": "medium", **extra}
    return client.post("/survivors/new", data=data)


def test_the_registration_form_offers_the_fichas_lists_by_their_labels_in_spanish_and_english(client, demo):  # noqa: F811
    sign_in(client)
    html = client.get("/survivors/new").get_data(as_text=True)
    for name in ("ethnicity", "mother_tongue", "disability", "interpreter_needed", "condition", "informant",
                 "complaint_filed"):
        assert f'name="{name}"' in html, name
    # The API's own lists and labels (GET /code-lists): "unknown" is the census' answer here.
    lists = client.get("/api/v1/code-lists").get_json()
    tongue = {item["code"]: item["label"] for item in lists["mother_tongue"]}
    assert f'<option value="unknown">{tongue["unknown"]}</option>' in html and tongue["unknown"] == "No sabe / no responde"
    assert '<option value="does_not_speak">does_not_speak' not in html
    assert '<option value="continuador">continuador' not in html
    client.get("/language?lang=en")
    english = client.get("/survivors/new").get_data(as_text=True)
    assert '<option value="none">No disability</option>' in english
    assert '<option value="reingreso">Returning (after a closed case)</option>' in english


def test_she_is_registered_with_the_fichas_fields_and_the_case_page_shows_them_read_only(client, demo):  # noqa: F811
    sign_in(client)
    answer = _register(client, ethnicity="quechua", mother_tongue="quechua", disability="sensory",
                       interpreter_needed="on", informant="family", complaint_filed="no")
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    case_id = answer.headers["Location"].rsplit("/", 1)[-1]
    case = client.get(f"/api/v1/cases/{case_id}").get_json()
    survivor = client.get(f"/api/v1/survivors/{case['survivor']['id']}").get_json()
    assert (survivor["ethnicity"], survivor["mother_tongue"], survivor["disability"], survivor["interpreter_needed"]) == (
        "quechua", "quechua", "sensory", True)
    assert (case["condition"], case["informant"], case["complaint_filed"]) == ("nuevo", "family", "no")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    ficha = re.search(r'<dl[^>]*id="ficha">.*?</dl>', page, re.S).group(0)
    assert "Nuevo (primera vez en el centro)" in ficha and "Un familiar" in ficha
    assert "nuevo<" not in ficha and ">family<" not in ficha  # labels, not codes
    assert 'name="condition"' not in ficha  # read-only


def test_a_forged_choice_or_a_nul_byte_in_a_new_registration_field_is_refused_beside_it(client, demo):  # noqa: F811
    sign_in(client)
    before = client.get("/api/v1/cases?per_page=1").get_json()["total"]
    for name in ("ethnicity", "mother_tongue", "disability", "condition", "informant", "complaint_filed"):
        for value in (SCRIPT, "a\x00b"):
            answer = _register(client, **{name: value})
            html = answer.get_data(as_text=True)
            assert answer.status_code == 422, (name, value)
            assert SCRIPT not in html
            assert re.search(rf'id="f-{name}-error">[^<]+', html), (name, value)
    assert client.get("/api/v1/cases?per_page=1").get_json()["total"] == before


def _open_case(client) -> str:
    answer = _register(client)
    assert answer.status_code == 302
    return answer.headers["Location"].rsplit("/", 1)[-1]


def test_a_bad_ubigeo_shows_the_apis_message_beside_the_field_and_a_good_one_its_names(client, demo):  # noqa: F811
    sign_in(client)
    case_id = _open_case(client)
    base = {"occurred_at": "2026-11-20T21:30", "acts.physical_assault": "on"}
    bad = client.post(f"/cases/{case_id}/incident", data={"csrf_token": csrf(client, f"/cases/{case_id}"), **base,
                                                          "place_ubigeo": "150199"})
    assert bad.status_code == 422
    assert re.search(r'id="incident-place_ubigeo-error">[^<]*UBIGEO', bad.get_data(as_text=True))
    assert client.get(f"/api/v1/cases/{case_id}/incidents").get_json()["total"] == 0
    good = client.post(f"/cases/{case_id}/incident", data={"csrf_token": csrf(client, f"/cases/{case_id}"), **base,
                                                           "place_ubigeo": "150132", "consent_for_statistics": "on"})
    assert good.status_code == 302
    incident = client.get(f"/api/v1/cases/{case_id}/incidents").get_json()["items"][0]
    assert incident["consent_for_statistics"] is True
    place = incident["place"]
    row = re.search(r'id="incident".*?<tbody>(.*?)</tbody>', client.get(f"/cases/{case_id}").get_data(as_text=True),
                    re.S).group(1)
    assert place["district"] == "San Juan de Lurigancho"
    assert "San Juan de Lurigancho, Lima, Lima (150132)" in row


def _organizations(client) -> list[dict]:
    return client.get("/api/v1/organizations?per_page=100").get_json()["items"]


def test_a_conference_is_recorded_listed_without_its_decisions_and_read_on_request(client, demo):  # noqa: F811
    sign_in(client)
    case_id = _open_case(client)
    orgs = _organizations(client)[:2]
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'id="conference"' in page and f'value="{orgs[0]["id"]}"' in page
    answer = client.post(f"/cases/{case_id}/conference", data={
        "csrf_token": csrf(client, f"/cases/{case_id}"), "held_at": "2026-11-30T09:15",
        "organization_ids": [org["id"] for org in orgs], "decisions": f"Acuerdo sintético {SCRIPT}"})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:800]
    conference = client.get(f"/api/v1/cases/{case_id}/conferences").get_json()["items"][0]
    assert conference["held_at"].startswith("2026-11-30T14:15")  # 09:15 in Lima is 14:15 UTC
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    section = re.search(r'<section id="conference".*?</section>', page, re.S).group(0)
    assert "Acuerdo sintético" not in section  # the list never carries the decisions
    assert orgs[0]["name"] in section and orgs[1]["name"] in section
    assert "30 nov 2026 9:15" in section  # the centre's wall time, as Spanish writes it
    shown = client.post(f"/cases/{case_id}/conferences/{conference['id']}",
                        data={"csrf_token": csrf(client, f"/cases/{case_id}")}, headers={"HX-Request": "true"})
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "Acuerdo sintético" in html
    assert SCRIPT not in html and "&lt;script&gt;" in html
    # Without htmx: the case page with that one conference's decisions in place.
    full = client.post(f"/cases/{case_id}/conferences/{conference['id']}",
                       data={"csrf_token": csrf(client, f"/cases/{case_id}")}).get_data(as_text=True)
    assert "Acuerdo sintético" in full and SCRIPT not in full
    # A conference of this case read under another case's address is not found.
    other = _open_case(client)
    assert client.post(f"/cases/{other}/conferences/{conference['id']}",
                       data={"csrf_token": csrf(client, f"/cases/{other}")}).status_code == 404


def test_a_conference_without_organizations_or_decisions_is_refused_beside_its_fields(client, demo):  # noqa: F811
    sign_in(client)
    case_id = _open_case(client)
    answer = client.post(f"/cases/{case_id}/conference", data={
        "csrf_token": csrf(client, f"/cases/{case_id}"), "held_at": "2026-11-30T09:15", "decisions": ""})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert re.search(r'id="conference-organization_ids-error">[^<]+', html)
    assert re.search(r'id="conference-decisions-error">[^<]+', html)
    assert client.get(f"/api/v1/cases/{case_id}/conferences").get_json()["total"] == 0


def test_the_case_page_shows_no_raw_utc_time(client, demo):  # noqa: F811
    sign_in(client, "supervisora")
    listing = client.get("/cases?per_page=100").get_data(as_text=True)
    assert not ISO_UTC.search(_text(listing))
    for case_id in dict.fromkeys(re.findall(r"/cases/([0-9a-f-]{36})", listing)):
        page = client.get(f"/cases/{case_id}").get_data(as_text=True)
        assert not ISO_UTC.search(_text(page)), ISO_UTC.search(_text(page)).group(0)


def test_the_no_contact_days_are_read_from_their_one_setting(app, client, demo, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "CASEFLOW_NO_CONTACT_DAYS", 45)
    sign_in(client)
    home = client.get("/").get_data(as_text=True)
    assert "45 días" in home and "30 días" not in home
    assert "45 días" in client.get("/cases").get_data(as_text=True)
