"""What a search answers: who she is, enough to tell her from a namesake (her contact details
are for the case team of the woman opened), and a record of reading only the women shown."""

from sqlalchemy import func, select

from caseflow.audit.models import AuditEntry
from caseflow.extensions import db
from testkit.api import bearer
from testkit.factories import UserFactory, make_survivor

SUMMARY = {"id", "organization_id", "given_names", "family_names", "alias", "document_type", "document_number",
           "birth_date", "sex", "district", "registered_elsewhere", "created_at", "unreadable"}
CONTACT = {"phone", "address", "safe_contact", "gender_identity"}


def _reads(survivor_id, after: int = 0) -> list[list[str]]:
    return [entry.fields for entry in db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "read", AuditEntry.entity_type == "survivors",
        AuditEntry.entity_id == str(survivor_id), AuditEntry.id > after))]


def _last_entry() -> int:
    return db.session.scalar(select(func.max(AuditEntry.id))) or 0


def test_a_search_lists_who_she_is_and_not_how_to_reach_her(client):
    worker = UserFactory()
    her = make_survivor(worker, given_names="Ana Sintética", family_names="Quispe Mamani",
                        gender_identity="mujer", phone="+51 911 000 111", address="Calle Ficticia 9")
    headers = bearer(worker)
    answers = [
        client.get("/api/v1/survivors", query_string={"name": "Quispe Mamani"}, headers=headers),
        client.get("/api/v1/survivors", query_string={"document_type": "DNI", "document_number": her.document_number},
                   headers=headers),
        client.get("/api/v1/survivors", headers=headers),
    ]
    for answer in answers:
        assert answer.status_code == 200, answer.get_json()
        (item,) = answer.get_json()["items"]
        assert set(item) == SUMMARY
        assert item["given_names"] == "Ana Sintética" and item["document_number"] == her.document_number
        assert "911 000 111" not in answer.get_data(as_text=True)
    whole = client.get(f"/api/v1/survivors/{her.id}", headers=headers).get_json()
    assert whole["phone"] == "+51 911 000 111" and whole["address"] == "Calle Ficticia 9"


def test_only_the_women_answered_are_recorded_as_read_and_only_what_was_shown(client, app):
    app.config["CASEFLOW_BLIND_INDEX_BITS"] = 0  # one bucket: every woman is a candidate
    worker = UserFactory()
    her = make_survivor(worker, given_names="Ana Sintética", family_names="Quispe Mamani")
    namesake_in_the_index = make_survivor(worker, given_names="Rosa", family_names="Flores Rojas")
    before = _last_entry()
    response = client.get("/api/v1/survivors", query_string={"name": "Ana Quispe Mamani"}, headers=bearer(worker))
    assert [item["id"] for item in response.get_json()["items"]] == [str(her.id)]
    # Her names were checked and shown; the other candidate's were checked, never shown.
    assert _reads(her.id, before) == [["alias", "birth_date", "document_number", "family_names", "given_names"]]
    assert _reads(namesake_in_the_index.id, before) == []
