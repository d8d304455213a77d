"""A name search never lists part of its matches: too many women for one answer is a 422
that asks for more of her name (nothing decrypted), and a narrower search finds her wherever
she stands in the order of registration."""

from sqlalchemy import func, select, update

from caseflow.audit.models import AuditEntry
from caseflow.cases.models import Case
from caseflow.extensions import db
from caseflow.survivors import services
from testkit.api import bearer
from testkit.factories import PASSWORD, UserFactory, make_case, make_survivor
from tests.helpers import assert_error

GIVEN = ["Ana", "Rosa", "Luz", "Flor", "Edith", "Norma"]


def _survivor_reads() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "read", AuditEntry.entity_type == "survivors"))


def _search(client, headers, name, **params):
    return client.get("/api/v1/survivors", query_string={"name": name, **params}, headers=headers)


def _quispes(worker, count):
    return [make_survivor(worker, given_names=GIVEN[i % len(GIVEN)], family_names="Quispe Mamani")
            for i in range(count)]


def test_more_women_than_one_answer_holds_is_refused_asking_for_her_given_name(client, monkeypatch):
    monkeypatch.setattr(services, "SEARCH_LIMIT", 4)
    worker = UserFactory()
    _quispes(worker, 5)
    headers = bearer(worker)
    reads_before = _survivor_reads()

    body = assert_error(_search(client, headers, "quispe mamani"), 422, "name")
    assert body["code"] == "too_many_matches"
    assert "nombre" in body["errors"]["name"][0] and "documento" in body["errors"]["name"][0]
    english = assert_error(_search(client, {**headers, "Accept-Language": "en"}, "Quispe Mamani"), 422, "name")
    assert "given name" in english["errors"]["name"][0] and "document" in english["errors"]["name"][0]
    for refusal in (body, english):  # neither a count nor a name in the refusal
        text = refusal["message"] + " ".join(refusal["errors"]["name"])
        assert not any(digit in text for digit in "0123456789") and "quispe" not in text.lower()
    assert _survivor_reads() == reads_before  # nothing decrypted, so nothing read


def test_a_narrower_search_finds_her_though_registered_after_the_limit(client, monkeypatch):
    # The old search kept the first SEARCH_LIMIT matches and dropped the rest silently: the
    # woman registered last was never found by her family names.
    monkeypatch.setattr(services, "SEARCH_LIMIT", 4)
    worker = UserFactory()
    _quispes(worker, 4)
    her = make_survivor(worker, given_names="Milagros Ruth", family_names="Quispe Mamani")
    headers = bearer(worker)

    family = _search(client, headers, "Quispe Mamani")
    assert family.status_code == 422, "an answer without her must not look complete"
    narrowed = _search(client, headers, "Milagros Quispe Mamani")
    assert narrowed.status_code == 200, narrowed.get_json()
    assert [item["id"] for item in narrowed.get_json()["items"]] == [str(her.id)]
    assert narrowed.get_json()["total"] == 1


def test_exactly_the_limit_is_answered_whole(client, monkeypatch):
    monkeypatch.setattr(services, "SEARCH_LIMIT", 4)
    worker = UserFactory()
    women = _quispes(worker, 4)
    make_survivor(worker, given_names="Ana", family_names="Quispe Condori")
    response = _search(client, bearer(worker), "QUISPE MAMANÍ", per_page=2, page=2)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["total"] == 4
    assert [item["id"] for item in body["items"]] == [str(w.id) for w in women[2:]]


def test_women_outside_her_reach_do_not_count_toward_the_limit(client, monkeypatch):
    monkeypatch.setattr(services, "SEARCH_LIMIT", 4)
    worker, elsewhere = UserFactory(), UserFactory()
    _quispes(elsewhere, 6)
    here = _quispes(worker, 3)
    response = _search(client, bearer(worker), "Quispe Mamani")
    assert response.status_code == 200, response.get_json()
    assert sorted(item["id"] for item in response.get_json()["items"]) == sorted(str(w.id) for w in here)
    # One of them with a case at this centre is within reach: four now, still answered...
    case = make_case(elsewhere, survivor=_quispes(elsewhere, 1)[0])
    db.session.execute(update(Case).where(Case.id == case.id).values(organization_id=worker.organization_id))
    db.session.commit()
    assert _search(client, bearer(worker), "Quispe Mamani").get_json()["total"] == 4
    # ...and a fifth within reach is one too many.
    _quispes(worker, 1)
    assert_error(_search(client, bearer(worker), "Quispe Mamani"), 422, "name")


def test_at_the_real_limit_a_hundred_are_answered_and_a_hundred_and_one_refused(client):
    worker = UserFactory()
    _quispes(worker, services.SEARCH_LIMIT)
    headers = bearer(worker)
    answered = _search(client, headers, "Quispe Mamani", per_page=100)
    assert answered.status_code == 200 and answered.get_json()["total"] == 100
    assert len(answered.get_json()["items"]) == 100
    latest = make_survivor(worker, given_names="Sofía", family_names="Quispe Mamani")
    assert_error(_search(client, headers, "Quispe Mamani"), 422, "name")
    narrowed = _search(client, headers, "Sofia Quispe Mamani").get_json()
    assert [item["id"] for item in narrowed["items"]] == [str(latest.id)]


def test_the_console_shows_the_refusal_beside_the_name_field(client, monkeypatch):
    monkeypatch.setattr(services, "SEARCH_LIMIT", 4)
    worker = UserFactory()
    _quispes(worker, 5)
    signed_in = client.post("/login", data={"username": worker.username, "password": PASSWORD, "otp": ""})
    assert signed_in.status_code == 302
    page = client.get("/survivors", query_string={"name": "Quispe Mamani"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="s-name" name="name"' in html and "is-invalid" in html
    assert "Añada uno de sus nombres" in html
    assert "Quispe Mamani</li>" not in html


def test_the_openapi_description_names_the_refusal(client):
    operation = client.get("/api/v1/openapi.json").get_json()["paths"]["/api/v1/survivors"]["get"]
    assert "422" in operation["responses"]
    assert "too_many_matches" in operation["description"]
    name = next(p for p in operation["parameters"] if p["name"] == "name")
    assert "too_many_matches" in name["description"]


def test_a_document_search_with_too_many_candidates_is_refused_on_its_field(client, app, monkeypatch):
    # A document has about one candidate; only a tiny index (every term shared) makes many.
    monkeypatch.setattr(services, "SEARCH_LIMIT", 4)
    app.config["CASEFLOW_BLIND_INDEX_BITS"] = 0  # one bucket: every document is a candidate
    worker = UserFactory()
    for i in range(5):
        make_survivor(worker, document_number=str(50000000 + i))
    reads_before = _survivor_reads()
    response = client.get("/api/v1/survivors", headers=bearer(worker),
                          query_string={"document_type": "DNI", "document_number": "50000003"})
    body = assert_error(response, 422, "document_number")
    assert body["code"] == "too_many_matches" and "50000003" not in response.get_data(as_text=True)
    assert _survivor_reads() == reads_before
