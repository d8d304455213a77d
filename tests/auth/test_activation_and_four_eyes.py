"""Accounts made through the API: activation, resets, and four eyes on the roles that read
cases; an administrator's account routes never reach a survivor's data."""

from __future__ import annotations

import itertools
from datetime import timedelta

from sqlalchemy import select

from caseflow.audit.models import AuditEntry
from caseflow.core.clock import frozen_time, utcnow
from caseflow.directory.models import User
from caseflow.extensions import db
from testkit.api import bearer
from testkit.factories import OrganizationFactory, UserFactory, make_case, survivor_values
from tests.auth.helpers import API, headers_for, token
from tests.helpers import assert_error

NEW_PASSWORD = "her own phrase of 2026"


def _centre():
    cem = OrganizationFactory(sector="cem")
    admin = UserFactory(role="admin", discipline=None, organization=OrganizationFactory(sector="ngo"))
    supervisor = UserFactory(role="supervisor", discipline=None, organization=cem)
    return cem, admin, supervisor


def _create(client, admin_headers, **body):
    response = client.post(f"{API}/users", json=body, headers=admin_headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_activation_is_single_use_and_expires_after_72_hours(client):
    cem, admin, _ = _centre()
    headers = bearer(admin)
    start = utcnow()
    with frozen_time(start):
        first = _create(client, headers, username="mentora.a", role="mentor", organization_id=str(cem.id))
        late = _create(client, headers, username="mentora.b", role="mentor", organization_id=str(cem.id))
    stored = db.session.scalar(select(User.activation_hash).where(User.username == "mentora.a"))
    assert stored and first["activation_token"] not in stored
    with frozen_time(start + timedelta(hours=71)):
        assert client.post(f"{API}/auth/activate", json={"token": first["activation_token"],
                                                         "password": NEW_PASSWORD}).status_code == 204
        assert_error(client.post(f"{API}/auth/activate", json={"token": first["activation_token"],
                                                               "password": NEW_PASSWORD + "x"}), 422, "token")
    with frozen_time(start + timedelta(hours=72, minutes=1)):
        assert_error(client.post(f"{API}/auth/activate", json={"token": late["activation_token"],
                                                               "password": NEW_PASSWORD}), 422, "token")
    assert token(client, "mentora.a", NEW_PASSWORD).status_code == 201
    assert token(client, "mentora.a", NEW_PASSWORD + "x").status_code == 401


def test_a_reset_gives_a_new_activation_and_ends_every_session(client, runner):
    cem, admin, _ = _centre()
    worker = UserFactory(organization=cem)
    her = headers_for(token(client, worker.username))
    admin_headers = bearer(admin)
    reset = client.post(f"{API}/users/{worker.id}/reset", headers=admin_headers)
    assert reset.status_code == 200
    assert_error(client.get(f"{API}/auth/me", headers=her), 401)
    assert token(client, worker.username).status_code == 401  # the old password is gone
    assert client.post(f"{API}/auth/activate", json={"token": reset.get_json()["activation_token"],
                                                     "password": NEW_PASSWORD}).status_code == 204
    assert token(client, worker.username, NEW_PASSWORD).status_code == 201
    # Whoever used the token (the administrator saw it) reaches no case until a supervisor
    # of the centre confirms the account again; the operator can, for a lone supervisor.
    signed_in = headers_for(token(client, worker.username, NEW_PASSWORD))
    assert_error(client.get(f"{API}/cases", headers=signed_in), 403)
    assert runner.invoke(args=["users", "confirm", "--username", worker.username]).exit_code == 0
    assert client.get(f"{API}/cases", headers=signed_in).status_code == 200
    assert runner.invoke(args=["users", "confirm", "--username", worker.username]).exit_code == 1
    # She is told, and the reset is on the record.
    from caseflow.scheduling.models import OutboxMessage

    assert db.session.scalar(select(OutboxMessage.topic).where(OutboxMessage.recipient_id == worker.id))
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "account_reset"))
    # Her own reset is not the administrator's to make.
    assert_error(client.post(f"{API}/users/{admin.id}/reset", headers=admin_headers), 403)


def test_a_content_role_waits_for_a_supervisor_of_her_centre(client):
    cem, admin, supervisor = _centre()
    other_supervisor = UserFactory(role="supervisor", discipline=None)
    make_case(supervisor)
    created = _create(client, bearer(admin), username="nueva.cw", role="caseworker", discipline="legal",
                      organization_id=str(cem.id))
    client.post(f"{API}/auth/activate", json={"token": created["activation_token"], "password": NEW_PASSWORD})
    her = headers_for(token(client, "nueva.cw", NEW_PASSWORD))
    assert client.get(f"{API}/auth/me", headers=her).get_json()["role_confirmed"] is False
    for path in ("/cases", "/survivors?name=Ana"):
        assert_error(client.get(API + path, headers=her), 403)
    # Neither the administrator nor a supervisor of another centre can confirm her.
    assert_error(client.post(f"{API}/users/{created['id']}/confirm", headers=bearer(admin)), 403)
    assert_error(client.post(f"{API}/users/{created['id']}/confirm", headers=bearer(other_supervisor)), 404)
    confirmed = client.post(f"{API}/users/{created['id']}/confirm", headers=bearer(supervisor))
    assert confirmed.status_code == 200 and confirmed.get_json()["role_confirmed"] is True
    assert client.get(f"{API}/cases", headers=her).get_json()["total"] == 1
    assert_error(client.post(f"{API}/users/{created['id']}/confirm", headers=bearer(supervisor)), 409)
    # Promoted through the API, she waits again (and her tokens end with the old role).
    admin_headers = bearer(admin)
    assert client.patch(f"{API}/users/{created['id']}", json={"role": "supervisor", "discipline": None},
                        headers=admin_headers).get_json()["role_confirmed"] is False
    assert_error(client.get(f"{API}/cases", headers=headers_for(token(client, "nueva.cw", NEW_PASSWORD))), 403)


def test_the_operators_cli_makes_a_centres_first_supervisor_without_confirmation(runner, client):
    org = OrganizationFactory(code="CEM-PRIMERA", sector="cem")
    result = runner.invoke(args=["users", "create", "--username", "primera", "--role", "supervisor",
                                 "--org", org.code, "--password-stdin"], input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert client.get(f"{API}/cases", headers=headers_for(token(client, "primera", NEW_PASSWORD))).status_code == 200


SURVIVOR_VALUES = survivor_values()
SECRETS = [SURVIVOR_VALUES[name] for name in ("family_names", "document_number", "phone", "address", "safe_contact")]


def test_no_sequence_of_account_routes_takes_an_administrator_to_a_survivor(client):
    """Every order of self-change, create, reset and confirm (and signing in with what she
    got): no answer ever carries a survivor's field, and every survivor route refuses her."""
    cem, admin, supervisor = _centre()
    from testkit.factories import make_survivor

    survivor = make_survivor(supervisor, **SURVIVOR_VALUES)
    make_case(supervisor, survivor)
    admin_headers = bearer(admin)
    counter = itertools.count()

    def self_change():
        return [client.patch(f"{API}/users/{admin.id}", json=change, headers=admin_headers)
                for change in ({"role": "supervisor"}, {"role": "caseworker", "discipline": "legal"})]

    def create_and_sign_in():
        n = next(counter)
        created = client.post(f"{API}/users", json={"username": f"titere{n}", "role": "supervisor",
                                                    "organization_id": str(cem.id)}, headers=admin_headers)
        body = created.get_json()
        activated = client.post(f"{API}/auth/activate", json={"token": body["activation_token"],
                                                              "password": NEW_PASSWORD})
        puppet = headers_for(token(client, f"titere{n}", NEW_PASSWORD))
        state["puppets"].append((body["id"], puppet))
        return [created, activated, *(client.get(API + path, headers=puppet) for path in survivor_paths)]

    def reset_supervisor():
        reset = client.post(f"{API}/users/{supervisor.id}/reset", headers=admin_headers)
        activated = client.post(f"{API}/auth/activate", json={"token": reset.get_json()["activation_token"],
                                                              "password": f"{NEW_PASSWORD} {next(counter)}"})
        return [reset, activated]

    def confirm_puppets():
        answers = []
        for user_id, puppet in state["puppets"]:
            answers.append(client.post(f"{API}/users/{user_id}/confirm", headers=admin_headers))
            answers.append(client.post(f"{API}/users/{user_id}/confirm", headers=puppet))
            answers.extend(client.get(API + path, headers=puppet) for path in survivor_paths)
        return answers

    survivor_paths = [f"/survivors/{survivor.id}", f"/survivors/{survivor.id}/export",
                      f"/survivors?document_type=DNI&document_number={SURVIVOR_VALUES['document_number']}",
                      "/cases", "/audit"]
    steps = {"self": self_change, "create": create_and_sign_in, "reset": reset_supervisor, "confirm": confirm_puppets}
    for order in itertools.permutations(steps):
        state = {"puppets": []}
        for name in order:
            for answer in steps[name]():
                text = answer.get_data(as_text=True)
                assert not any(value in text for value in SECRETS), (order, name, text[:200])
        for path in survivor_paths[:3]:
            assert client.get(API + path, headers=admin_headers).status_code in (403, 404)
    db.session.expire_all()
    assert db.session.get(User, admin.id).role == "admin"
    puppets = db.session.scalars(select(User).where(User.username.like("titere%"))).all()
    assert puppets and not any(p.role_confirmed for p in puppets)
