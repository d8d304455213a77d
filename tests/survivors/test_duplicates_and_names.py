"""Casework in the field: a document registered twice is caught; names found by parts."""

from caseflow.extensions import db
from caseflow.keys.index_rebuild import rebuild
from testkit.api import bearer
from testkit.factories import OrganizationFactory, UserFactory, make_survivor, survivor_values
from tests.helpers import assert_error
from tests.keys.factories import keyring_file


def _register(client, headers, **overrides):
    values = survivor_values(**overrides)
    values["birth_date"] = values["birth_date"].isoformat()
    return client.post("/api/v1/survivors", json=values, headers=headers)


def _names(client, headers, name):
    response = client.get("/api/v1/survivors", query_string={"name": name}, headers=headers)
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["items"]]


def test_a_document_already_registered_here_is_a_conflict_naming_her(client):
    worker = UserFactory()
    existing = make_survivor(worker, document_number="45678901")
    headers = bearer(worker)
    response = _register(client, headers, document_number="45.678.901", given_names="Otra")
    body = assert_error(response, 409)
    assert body["existing_id"] == str(existing.id)
    assert "45678901" not in response.get_data(as_text=True)
    listed = client.get("/api/v1/survivors", headers=headers).get_json()
    assert listed["total"] == 1  # nothing was created


def test_a_colleague_of_the_same_centre_gets_the_conflict_too(client):
    worker = UserFactory()
    survivor = make_survivor(worker, document_number="45678902")
    colleague = UserFactory(organization=worker.organization)
    body = assert_error(_register(client, bearer(colleague), document_number="45678902"), 409)
    assert body["existing_id"] == str(survivor.id)


def test_registered_only_at_another_centre_is_created_and_marked_without_naming_it(client):
    other_centre = UserFactory(organization=OrganizationFactory(name="CEM Lejano"))
    make_survivor(other_centre, document_number="45678903")
    worker = UserFactory()
    response = _register(client, bearer(worker), document_number="45678903")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["registered_elsewhere"] is True
    assert body["organization_id"] == str(worker.organization_id)
    text = response.get_data(as_text=True)
    assert str(other_centre.organization_id) not in text and "Lejano" not in text
    fresh = _register(client, bearer(worker), document_number="45678904")
    assert fresh.status_code == 201 and fresh.get_json()["registered_elsewhere"] is False


def test_a_new_document_or_no_document_registers_as_before(client):
    worker = UserFactory()
    headers = bearer(worker)
    assert _register(client, headers, document_type="NONE", document_number=None).status_code == 201
    assert _register(client, headers, document_type="NONE", document_number=None).status_code == 201


def test_family_names_alone_or_one_given_name_with_them_find_her(client):
    worker = UserFactory()
    her = make_survivor(worker, given_names="Ana María", family_names="Quispe Mamani")
    make_survivor(worker, given_names="Rosa", family_names="Quispe Condori")
    headers = bearer(worker)
    for variant in ("quispe mamani", "QUISPE  MAMANÍ", "Ana Quispe Mamani", "maria quispe mamani",
                    "Ana María Quispe Mamani"):
        assert _names(client, headers, variant) == [str(her.id)], variant
    assert _names(client, headers, "Rosa Quispe Mamani") == []
    assert _names(client, headers, "Ana Mamani") == []


def test_name_parts_stay_within_reach(client):
    elsewhere = UserFactory()
    make_survivor(elsewhere, given_names="Luz", family_names="Huamán Ccori")
    assert _names(client, bearer(UserFactory()), "huaman ccori") == []


def test_rebuild_index_gives_earlier_survivors_their_name_part_terms(client, app, tmp_path):
    from caseflow.crypto import blind_index
    from caseflow.crypto.models import SurvivorSearchTerm

    worker = UserFactory()
    her = make_survivor(worker, given_names="Eva", family_names="Ticona Apaza")
    # As registered before name parts were indexed: her full name's term only.
    db.session.query(SurvivorSearchTerm).filter_by(survivor_id=her.id, index_name="name").delete()
    state = blind_index.state("name")
    db.session.add(SurvivorSearchTerm(
        survivor_id=her.id, index_name="name", version=state.active_version,
        term=blind_index.term_for("name", state.active_version, state.active_bits, "eva ticona apaza")))
    db.session.commit()
    headers = bearer(worker)
    assert _names(client, headers, "eva ticona apaza") == [str(her.id)]
    assert _names(client, headers, "ticona apaza") == []
    with keyring_file(app, tmp_path / "keyring.json"):
        rebuild("name")
        assert _names(client, headers, "ticona apaza") == [str(her.id)]
        assert _names(client, headers, "eva ticona apaza") == [str(her.id)]
