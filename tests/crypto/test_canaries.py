"""No sensitive value in plaintext: database files (WAL and journal too), rows, logs."""

import logging
from pathlib import Path

from sqlalchemy import text

from caseflow.extensions import db
from testkit.api import bearer
from testkit.factories import UserFactory

CANARIES = {
    "given_names": "Canaria Qwertyuiop",
    "family_names": "Zzyzx Plaintextova",
    "alias": "Kanarienvogel",
    "document_number": "98765432",
    "phone": "+51 955 444 333",
    "address": "Jirón Canario 4242",
    "safe_contact": "Llamar tras las 19h clave pajarito",
    "gender_identity": "mujer trans canaria",
}


def _register(client, headers):
    body = {**CANARIES, "document_type": "DNI", "birth_date": "1987-06-05", "sex": "female"}
    response = client.post("/api/v1/survivors", json=body, headers=headers)
    assert response.status_code == 201
    survivor_id = response.get_json()["id"]
    assert client.post("/api/v1/cases", json={"survivor_id": survivor_id, "intake_channel": "walk_in",
                                              "priority": "high"}, headers=headers).status_code == 201
    found = client.get("/api/v1/survivors", query_string={"name": "canaria qwertyuiop zzyzx plaintextova"},
                       headers=headers).get_json()
    assert found["total"] == 1 and found["items"][0]["alias"] == CANARIES["alias"]
    whole = client.get(f"/api/v1/survivors/{survivor_id}", headers=headers).get_json()
    assert whole["phone"] == CANARIES["phone"]
    return survivor_id


def _needles():
    values = list(CANARIES.values()) + ["1987-06-05", "98.765.432"]
    needles = set()
    for value in values:
        needles.add(value.encode("utf-8"))
        needles.add(value.encode("utf-16-le"))
        needles.add(value.lower().encode("utf-8"))
    return needles


def test_no_canary_in_the_database_or_logs(client, app, db_kind, caplog):
    caplog.set_level(logging.DEBUG)
    _register(client, bearer(UserFactory()))
    db.session.remove()
    if db_kind == "sqlite":
        db_path = Path(db.engine.url.database)
        blobs = [p.read_bytes() for p in db_path.parent.glob(db_path.name + "*") if p.is_file()]
        assert any(len(b) > 0 for b in blobs)
    else:
        blobs = []
        with db.engine.connect() as conn:
            for table in db.metadata.sorted_tables:
                for row in conn.execute(text(f"SELECT CAST(t AS text) FROM {table.name} AS t")):
                    blobs.append(str(row[0]).encode("utf-8"))
                    # bytea columns render as hex: search their decoded bytes too
                    for part in str(row[0]).split("\\\\x")[1:]:
                        try:
                            blobs.append(bytes.fromhex(part.split(",")[0].split(")")[0].strip('"')))
                        except ValueError:
                            pass
    blobs.append(caplog.text.encode("utf-8"))
    for blob in blobs:
        for needle in _needles():
            assert needle not in blob, f"plaintext canary found: {needle[:4]!r}..."
