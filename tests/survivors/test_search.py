"""Blind-index search: formatting variants match; only true matches come back."""

from hypothesis import given
from hypothesis import strategies as st

from caseflow.crypto import normalize
from testkit.api import bearer
from testkit.factories import UserFactory, make_survivor


def _search(client, headers, **params):
    response = client.get("/api/v1/survivors", query_string=params, headers=headers)
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["items"]]


def test_document_number_formatting_variants_match(client):
    worker = UserFactory()
    survivor = make_survivor(worker, document_number="12345678")
    make_survivor(worker, document_number="87654321")
    headers = bearer(worker)
    for variant in ("12.345.678", "12 345 678", "12345678", " 12-345-678 "):
        assert _search(client, headers, document_type="DNI", document_number=variant) == [str(survivor.id)]
    assert _search(client, headers, document_type="CE", document_number="12345678") == []


def test_name_search_ignores_case_accents_and_spacing(client):
    worker = UserFactory()
    survivor = make_survivor(worker, given_names="José", family_names="Pérez  Huamán")
    make_survivor(worker, given_names="Josefa", family_names="Pérez Huamán")
    headers = bearer(worker)
    for variant in ("jose perez huaman", "  JOSÉ   PÉREZ HUAMÁN ", "José Pérez Huamán"):
        assert _search(client, headers, name=variant) == [str(survivor.id)]


def test_a_tiny_index_still_returns_only_true_matches(client, app):
    app.config["CASEFLOW_BLIND_INDEX_BITS"] = 1  # two buckets: every term is shared
    worker = UserFactory()
    wanted = make_survivor(worker, document_number="11111111", given_names="Ana", family_names="Uno")
    others = [make_survivor(worker, document_number=str(22222222 + i), given_names="Eva", family_names=f"Otra {i}")
              for i in range(12)]
    from caseflow.crypto.models import SurvivorSearchTerm
    from caseflow.extensions import db

    terms = {t.term for t in db.session.query(SurvivorSearchTerm).filter_by(index_name="document")}
    assert terms <= {0, 1}  # collisions really happen
    headers = bearer(worker)
    assert _search(client, headers, document_type="DNI", document_number="11.111.111") == [str(wanted.id)]
    assert _search(client, headers, name="ana uno") == [str(wanted.id)]
    assert len(others) == 12


def test_search_terms_follow_a_correction(client):
    worker = UserFactory()
    survivor = make_survivor(worker, document_number="33333333")
    headers = bearer(worker)
    response = client.patch(f"/api/v1/survivors/{survivor.id}", json={"document_number": "44444444"}, headers=headers)
    assert response.status_code == 200
    assert _search(client, headers, document_type="DNI", document_number="33333333") == []
    assert _search(client, headers, document_type="DNI", document_number="44.444.444") == [str(survivor.id)]


@given(st.text(alphabet="0123456789", min_size=1, max_size=12), st.sampled_from([".", " ", "-", ""]))
def test_document_normalisation_ignores_separators(digits, separator):
    spaced = separator.join(digits)
    assert normalize.document_number(spaced) == normalize.document_number(digits) == digits


@given(st.text(min_size=1, max_size=40))
def test_name_normalisation_is_idempotent(name):
    once = normalize.person_name(name)
    assert normalize.person_name(once) == once
    assert "  " not in once and once == once.strip()


@given(st.lists(st.sampled_from(["josé", "maría", "pérez", "ñahui", "quispe"]), min_size=1, max_size=4))
def test_name_normalisation_ignores_case_and_accents(words):
    import unicodedata

    plain = " ".join(words)
    stripped = "".join(c for c in unicodedata.normalize("NFKD", plain) if not unicodedata.combining(c))
    assert normalize.person_name(plain.upper()) == normalize.person_name("  ".join(words)) == stripped


def test_searching_before_anyone_is_registered_finds_nobody(client):
    # A fresh deployment has no index state yet; the search (a read request, which must not
    # write) used to store it and failed with a 500.
    worker = UserFactory()
    for query in ("document_type=DNI&document_number=12345678", "name=Ana%20P%C3%A9rez"):
        response = client.get(f"/api/v1/survivors?{query}", headers=bearer(worker))
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.get_json()["items"] == []
    make_survivor(worker, document_number="12345678")
    found = client.get("/api/v1/survivors?document_type=DNI&document_number=12.345.678", headers=bearer(worker))
    assert [s["document_number"] for s in found.get_json()["items"]] == ["12345678"]
