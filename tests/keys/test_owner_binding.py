"""Ciphertexts bound to their owner: a row moved by hand to another survivor, case or centre
reads as unreadable there (no other woman's data, no 500), ``crypto verify`` names it, and
rows sealed before the binding are re-sealed by ``crypto reencrypt``."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

import caseflow.models  # noqa: F401  (every model mapped: the columns below are discovered)
from caseflow.crypto import aead
from caseflow.crypto.fields import (
    EncryptedAttribute,
    Owner,
    encrypted_attributes,
    is_unreadable,
    owner_of,
    unaudited_reads,
)
from caseflow.crypto.keys import data_key
from caseflow.crypto.models import DataKey
from caseflow.extensions import db
from caseflow.incidents.models import Incident
from caseflow.survivors.models import Survivor
from testkit.api import get, incident_body, post
from testkit.factories import Centre, make_case, make_survivor

NARRATIVE = "Relato canario Tucan de la primera"
GIVEN = "Eufrosina Canaria"


def _last_json(output: str) -> dict:
    return json.loads([line for line in output.splitlines() if line.startswith("{")][-1])


def _move(model, row_id, **values) -> None:
    """What an insider with database access does: an UPDATE of the owner's columns."""
    db.session.commit()
    db.session.execute(model.__table__.update().where(model.__table__.c.id == row_id).values(**values))
    db.session.commit()  # expires what this session had loaded


def _incident_at(client, centre: Centre, narrative: str = NARRATIVE):
    case = centre.case()
    answer = post(client, centre.admission, f"/cases/{case.id}/incidents", incident_body(narrative=narrative))
    assert answer.status_code == 201, answer.get_data(as_text=True)
    return case, uuid.UUID(answer.get_json()["id"])


# -- the reproduction, through the API ----------------------------------------------
def test_an_incident_moved_to_another_centres_case_is_unreadable_there(client, runner):
    here, there = Centre(), Centre()
    _case, incident_id = _incident_at(client, here)
    other = there.case()
    other_case_id, other_survivor_id = other.id, other.survivor_id
    _move(Incident, incident_id, case_id=other_case_id, survivor_id=other_survivor_id)

    answer = get(client, there.admission, f"/incidents/{incident_id}")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_json()["narrative"] is None and answer.get_json()["unreadable"] is True
    assert NARRATIVE not in answer.get_data(as_text=True)
    # Her case and its list go on.
    assert get(client, there.admission, f"/cases/{other_case_id}").status_code == 200
    listed = get(client, there.admission, f"/cases/{other_case_id}/incidents")
    assert listed.status_code == 200 and str(incident_id) in listed.get_data(as_text=True)

    result = runner.invoke(args=["crypto", "verify"])
    assert result.exit_code == 1
    assert f"unreadable: incidents.narrative_ct of row {incident_id}" in result.output
    assert {"table": "incidents", "column": "narrative_ct", "id": str(incident_id)} in _last_json(result.output)["unreadable"]
    assert NARRATIVE not in result.output


def test_an_incident_moved_to_another_case_of_hers_elsewhere_is_unreadable(client):
    """Only the case moved (her survivor id kept): access goes through the case, so the case
    is bound too."""
    here, there = Centre(), Centre()
    _case, incident_id = _incident_at(client, here)
    other_case_id = there.case().id
    _move(Incident, incident_id, case_id=other_case_id)
    answer = get(client, there.admission, f"/incidents/{incident_id}")
    assert answer.status_code == 200 and answer.get_json()["narrative"] is None
    assert answer.get_json()["unreadable"] is True


def test_a_survivor_moved_to_another_centre_shows_that_centre_no_identity(client, runner):
    here, there = Centre(), Centre()
    survivor = make_survivor(here.admission, given_names=GIVEN, family_names="Trazable Uno")
    neighbour = make_survivor(there.admission, given_names="Valentina Vecina", family_names="Intacta Dos")
    survivor_id, neighbour_id = survivor.id, neighbour.id
    _move(Survivor, survivor_id, organization_id=there.org.id)

    one = get(client, there.admission, f"/survivors/{survivor_id}")
    assert one.status_code == 200, one.get_data(as_text=True)
    body = one.get_json()
    assert body["unreadable"] is True
    assert body["given_names"] is None and body["family_names"] is None and body["phone"] is None
    assert GIVEN not in one.get_data(as_text=True)
    listed = get(client, there.admission, "/survivors")
    assert listed.status_code == 200
    items = {item["id"]: item for item in listed.get_json()["items"]}
    assert items[str(survivor_id)]["unreadable"] is True and items[str(survivor_id)]["given_names"] is None
    assert items[str(neighbour_id)]["unreadable"] is False and items[str(neighbour_id)]["given_names"] == "Valentina Vecina"

    result = runner.invoke(args=["crypto", "verify"])
    assert result.exit_code == 1
    assert f"unreadable: survivors.given_names_ct of row {survivor_id}" in result.output
    assert f"row {neighbour_id}" not in result.output
    assert GIVEN not in result.output


def test_moved_back_it_reads_again(client):
    """Fail closed, not destroyed: the operator who finds the row puts it back."""
    here, there = Centre(), Centre()
    survivor = make_survivor(here.admission, given_names=GIVEN)
    survivor_id, home = survivor.id, here.org.id
    _move(Survivor, survivor_id, organization_id=there.org.id)
    _move(Survivor, survivor_id, organization_id=home)
    body = get(client, here.admission, f"/survivors/{survivor_id}").get_json()
    assert body["unreadable"] is False and body["given_names"] == GIVEN


def test_a_header_naming_another_survivors_key_is_refused(app, client):
    """The header's data key must be the owner's, even when everything else is hers: a
    ciphertext sealed under another woman's key (with her row's associated data) fails."""
    here = Centre()
    her, other = make_survivor(here.admission), make_survivor(here.admission)
    her_id, other_key_id = her.id, other.data_key_id
    with app.test_request_context():
        forged = aead.seal_field(data_key(other_key_id), other_key_id, b"Nombre ajeno",
                                 aead.field_context("survivors", "given_names_ct", her_id,
                                                    (("id", her_id), ("organization_id", here.org.id))))
    _move(Survivor, her_id, given_names_ct=forged)
    body = get(client, here.admission, f"/survivors/{her_id}").get_json()
    assert body["unreadable"] is True and body["given_names"] is None


# -- every encrypted column of every model -------------------------------------------------
def _encrypted_columns():
    found = []
    for mapper in sorted(db.Model.registry.mappers, key=lambda m: m.class_.__name__):
        model = mapper.class_
        if getattr(model, "__tablename__", None) and mapper.inherits is None:
            found += [(model, attr) for attr in encrypted_attributes(model)]
    return found


COLUMNS = _encrypted_columns()


def _sample(attr: EncryptedAttribute):
    return {"str": "Valor canario Ñandú", "date": date(1990, 5, 17), "json": {"canario": ["Ñandú", 1]}}[attr.kind]


class _World:
    """Two survivors at two centres, each with a case."""

    def __init__(self):
        self.here, self.there = Centre(), Centre()
        self.case_a, self.case_b = self.here.case(), self.there.case()
        self.a = db.session.get(Survivor, self.case_a.survivor_id)
        self.b = db.session.get(Survivor, self.case_b.survivor_id)

    def values(self, owner: Owner, side: str) -> dict:
        """Owner columns pointing at survivor A's records ("a") or at B's ("b")."""
        survivor, case, org = (self.a, self.case_a, self.here.org) if side == "a" else (self.b, self.case_b, self.there.org)
        values = {}
        for name in owner.also:
            if name == "case_id":
                values[name] = case.id
            elif name.endswith("organization_id"):
                values[name] = org.id
            else:  # another bound record (a visit): any other id moves it
                values[name] = uuid.UUID(int=1 if side == "a" else 2)
        if owner.survivor != "id":
            values[owner.survivor] = survivor.id
        return values

    def record(self, model, attr, legacy: bool = False):
        """A record of A's holding a sealed value (not flushed: the model's other columns do
        not matter to its ciphertext)."""
        owner = owner_of(model)
        if model is Survivor:
            instance = self.a
        else:
            instance = model(**self.values(owner, "a"))
        setattr(instance, attr.name, _sample(attr))
        if legacy:  # as sealed before revision 0015_owner_binding
            ciphertext = getattr(instance, attr.column)
            key_id = aead.field_key_id(ciphertext)
            with unaudited_reads():
                plaintext = attr._encode(getattr(instance, attr.name))
            setattr(instance, attr.column, aead.seal_field(
                data_key(key_id), key_id, plaintext,
                aead.field_context(instance.__tablename__, attr.column, instance.id), version=aead.LEGACY_FORMAT))
        return instance


def _read(app, instance, attr):
    with app.test_request_context(), unaudited_reads():
        return getattr(instance, attr.name)


def test_every_encrypted_column_is_found(app):
    tables = {model.__tablename__ for model, _attr in COLUMNS}
    assert {"survivors", "incidents", "attention_sessions", "risk_assessments", "plan_items", "visit_logs",
            "referrals", "custody_records", "visit_restrictions", "consents"} <= tables


# Her own row cannot move to another survivor (its id is her id); before the binding, a move
# of her row to another centre is not detected (docs/operations.md: run the re-encryption).
MOVES = [(model, attr, legacy) for model, attr in COLUMNS for legacy in (False, True)
         if not (legacy and model is Survivor)]


@pytest.mark.parametrize(("model", "attr", "legacy"), MOVES,
                         ids=[f"{m.__tablename__}.{a.column}-{'before-0015' if old else 'owner-bound'}"
                              for m, a, old in MOVES])
def test_moved_to_another_survivor_it_is_unreadable(app, model, attr, legacy):
    world = _World()
    instance = world.record(model, attr, legacy=legacy)
    assert _read(app, instance, attr) == _sample(attr) and not is_unreadable(instance)
    owner = owner_of(model)
    moved = world.values(owner, "b")
    if model is Survivor:
        moved = {"organization_id": world.there.org.id}
    for name, value in moved.items():
        setattr(instance, name, value)
    assert _read(app, instance, attr) is None
    assert is_unreadable(instance)
    db.session.rollback()


BOUND = [(model, attr, name) for model, attr in COLUMNS for name in owner_of(model).also]


@pytest.mark.parametrize(("model", "attr", "name"), BOUND,
                         ids=[f"{m.__tablename__}.{a.column}-{n}" for m, a, n in BOUND])
def test_any_bound_column_moved_alone_makes_it_unreadable(app, model, attr, name):
    world = _World()
    instance = world.record(model, attr)
    setattr(instance, name, world.values(owner_of(model), "b")[name])
    assert _read(app, instance, attr) is None and is_unreadable(instance)
    db.session.rollback()


def test_a_model_with_encrypted_values_and_no_owner_is_refused():
    with pytest.raises(Exception) as refused:  # noqa: PT011 (Python 3.11 wraps it in a RuntimeError)
        type("Orphan", (), {"secret": EncryptedAttribute()})
    assert "__encryption_owner__" in f"{refused.value} {refused.value.__cause__}"


# -- rows from before the binding ------------------------------------------------------------
def _to_legacy(model, row_id) -> int:
    """Re-seal a stored row's values in format 1, as every row was before this revision."""
    db.session.commit()
    instance = db.session.get(model, row_id)
    count = 0
    with unaudited_reads():
        for attr in encrypted_attributes(model):
            ciphertext = getattr(instance, attr.column)
            if ciphertext is None:
                continue
            key_id = aead.field_key_id(ciphertext)
            plaintext = attr._encode(getattr(instance, attr.name))
            setattr(instance, attr.column, aead.seal_field(
                data_key(key_id), key_id, plaintext, aead.field_context(model.__tablename__, attr.column, row_id),
                version=aead.LEGACY_FORMAT))
            count += 1
    db.session.commit()
    return count


def test_old_rows_stay_readable_and_reencrypt_binds_them(client, runner):
    here = Centre()
    case, incident_id = _incident_at(client, here)
    survivor_id = case.survivor_id
    legacy = _to_legacy(Survivor, survivor_id) + _to_legacy(Incident, incident_id)
    assert get(client, here.admission, f"/incidents/{incident_id}").get_json()["narrative"] == NARRATIVE

    before = runner.invoke(args=["crypto", "verify"])
    assert before.exit_code == 0, before.output
    assert _last_json(before.output)["fields_old_binding"] == legacy
    assert "run `caseflow crypto reencrypt`" in before.output

    result = runner.invoke(args=["crypto", "reencrypt", "--grace", "0"])
    assert result.exit_code == 0, result.output
    after = runner.invoke(args=["crypto", "verify"])
    assert after.exit_code == 0 and _last_json(after.output)["fields_old_binding"] == 0
    db.session.rollback()  # read what is stored now
    incident = db.session.get(Incident, incident_id)
    assert aead.field_format(incident.narrative_ct) == aead.FORMAT_VERSION
    body = get(client, here.admission, f"/incidents/{incident_id}").get_json()
    assert body["narrative"] == NARRATIVE and body["unreadable"] is False
    assert get(client, here.admission, f"/survivors/{survivor_id}").get_json()["unreadable"] is False


def test_an_old_row_moved_to_another_survivor_fails_on_her_key(client):
    """Before re-encryption the associated data does not name the owner, but the header's
    data key is still checked: another woman's key is refused."""
    here, there = Centre(), Centre()
    _case, incident_id = _incident_at(client, here)
    _to_legacy(Incident, incident_id)
    other = there.case()
    _move(Incident, incident_id, case_id=other.id, survivor_id=other.survivor_id)
    answer = get(client, there.admission, f"/incidents/{incident_id}")
    assert answer.status_code == 200 and answer.get_json()["narrative"] is None
    assert answer.get_json()["unreadable"] is True


def test_reencrypt_stops_at_a_moved_row_naming_it_and_launders_nothing(client, runner):
    here, there = Centre(), Centre()
    _case, incident_id = _incident_at(client, here)
    other = there.case()
    other_survivor_id = other.survivor_id
    key_before = db.session.get(Survivor, other_survivor_id).data_key_id
    _move(Incident, incident_id, case_id=other.id, survivor_id=other_survivor_id)
    stored = bytes(db.session.get(Incident, incident_id).narrative_ct)
    db.session.rollback()  # read what is stored now

    result = runner.invoke(args=["crypto", "reencrypt", "--survivor", str(other_survivor_id), "--grace", "0"])
    assert result.exit_code == 1
    assert f"incidents.narrative_ct of row {incident_id}" in result.output
    db.session.rollback()  # read what is stored now
    assert db.session.get(Survivor, other_survivor_id).data_key_id == key_before
    assert bytes(db.session.get(Incident, incident_id).narrative_ct) == stored
    assert get(client, there.admission, f"/incidents/{incident_id}").get_json()["narrative"] is None


# -- the migration ----------------------------------------------------------------------------
def test_the_migration_gives_every_data_key_its_survivor(app, client):
    here = Centre()
    case = make_case(here.admission)
    survivor_id = case.survivor_id
    db.session.rollback()  # read what is stored now
    downgrade(revision="0011_exits")
    upgrade()
    db.session.rollback()  # read what is stored now
    survivor = db.session.get(Survivor, survivor_id)
    assert survivor.data_key_id is not None
    assert db.session.scalar(select(DataKey.survivor_id).where(DataKey.id == survivor.data_key_id)) == survivor_id
    body = get(client, here.admission, f"/survivors/{survivor_id}").get_json()
    assert body["unreadable"] is False and body["given_names"]
