"""Organizations and accounts through the admin API and the command line."""

from sqlalchemy import select

from caseflow.directory.models import Organization, User
from caseflow.extensions import db
from testkit.api import bearer
from testkit.factories import PASSWORD, OrganizationFactory, UserFactory
from tests.helpers import assert_error


def _admin():
    return UserFactory(role="admin", discipline=None)


def test_admin_creates_an_organization_and_a_user_who_can_log_in(client):
    headers = bearer(_admin())
    org = client.post("/api/v1/organizations", json={
        "code": "HOSP-TEST", "name": "Hospital de prueba", "sector": "health", "district": "150101",
        "service_types": ["hiv_pep", "emergency_contraception"]}, headers=headers)
    assert org.status_code == 201
    # Issue 14 changed the contract: the API takes no password; she chooses hers by activation.
    user = client.post("/api/v1/users", json={
        "username": "enlace.prueba", "role": "liaison", "organization_id": org.get_json()["id"]}, headers=headers)
    assert user.status_code == 201 and "password" not in user.get_json()
    token = user.get_json()["activation_token"]
    assert client.post("/api/v1/auth/activate", json={"token": token, "password": "a-long-password-1"}).status_code == 204
    login = client.post("/api/v1/auth/tokens", json={"username": "enlace.prueba", "password": "a-long-password-1"})
    assert login.status_code == 201


def test_directory_filters_by_sector_service_and_district(client):
    OrganizationFactory(code="H1", sector="health", service_types=["hiv_pep"], district="150101")
    OrganizationFactory(code="H2", sector="health", service_types=["mental_health"], district="150142")
    OrganizationFactory(code="P1", sector="police", service_types=["complaint"], district="150101")
    headers = bearer(UserFactory())
    codes = lambda q: sorted(o["code"] for o in client.get(f"/api/v1/organizations?{q}", headers=headers).get_json()["items"])  # noqa: E731
    assert codes("sector=health") == ["H1", "H2"]
    assert codes("service_type=hiv_pep") == ["H1"]
    assert codes("district=150101&sector=police") == ["P1"]


def test_directory_rules_are_enforced(client):
    headers = bearer(_admin())
    health = OrganizationFactory(sector="health")
    cem = OrganizationFactory(sector="cem")
    base = {}
    cases = [
        ({"username": "sin.disciplina", "role": "caseworker", "organization_id": str(cem.id)}, "discipline"),
        ({"username": "cw.en.hospital", "role": "caseworker", "discipline": "legal",
          "organization_id": str(health.id)}, "organization_id"),
        ({"username": "enlace.en.cem", "role": "liaison", "organization_id": str(cem.id)}, "organization_id"),
        ({"username": "x", "role": "mentor", "organization_id": str(cem.id)}, "username"),
        # An administrator may not choose her password at all (issue 14).
        ({"username": "elegida", "role": "mentor", "organization_id": str(cem.id),
          "password": "a-long-password-1"}, "password"),
        ({"username": "huerfana", "role": "mentor", "organization_id": "00000000-0000-4000-8000-000000000000"},
         "organization_id"),
    ]
    for payload, field in cases:
        assert_error(client.post("/api/v1/users", json={**base, **payload}, headers=headers), 422, field)
    assert db.session.scalar(select(User).where(User.username == "sin.disciplina")) is None


def test_duplicates_are_409(client):
    headers = bearer(_admin())
    OrganizationFactory(code="DUP")
    assert_error(client.post("/api/v1/organizations", json={"code": "DUP", "name": "x", "sector": "cem"},
                             headers=headers), 409)
    existing = UserFactory()
    assert_error(client.post("/api/v1/users", json={
        "username": existing.username, "role": "mentor",
        "organization_id": str(existing.organization_id)}, headers=headers), 409)


def test_supervisors_list_only_their_centres_accounts_and_others_none(client):
    supervisor = UserFactory(role="supervisor", discipline=None)
    colleague = UserFactory(organization=supervisor.organization)
    UserFactory()
    listed = {u["id"] for u in client.get("/api/v1/users", headers=bearer(supervisor)).get_json()["items"]}
    assert listed == {str(supervisor.id), str(colleague.id)}
    # Issue 14: listing usernames is not for every member of staff.
    assert_error(client.get("/api/v1/users", headers=bearer(colleague)), 403)


def test_cli_creates_organizations_and_users_with_password_from_stdin(runner, client):
    result = runner.invoke(args=["orgs", "create", "--code", "cem-norte", "--name", "CEM Norte", "--sector", "cem",
                                 "--district", "150110"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Organization).where(Organization.code == "CEM-NORTE")) is not None
    result = runner.invoke(args=["users", "create", "--username", "nueva", "--role", "caseworker",
                                 "--org", "CEM-NORTE", "--discipline", "legal", "--password-stdin"],
                           input="stdin-password-123\n")
    assert result.exit_code == 0, result.output
    assert "stdin-password-123" not in result.output
    assert client.post("/api/v1/auth/tokens", json={"username": "nueva", "password": "stdin-password-123"}).status_code == 201


def test_cli_rejects_bad_input_with_a_clear_message(runner):
    result = runner.invoke(args=["orgs", "create", "--code", "X1", "--name", "X", "--sector", "bakery"])
    assert result.exit_code == 1 and "sector" in result.output
    result = runner.invoke(args=["users", "create", "--username", "nadie", "--role", "mentor", "--org", "NOPE",
                                 "--password-stdin"], input="stdin-password-123\n")
    assert result.exit_code == 1 and "NOPE" in result.output


def test_demo_is_idempotent_and_its_logins_work(runner, client):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "already" in second.output
    assert db.session.query(Organization).filter_by(code="CEM-LIMA").count() == 1
    from caseflow.demo import DEMO_PASSWORD

    token = client.post("/api/v1/auth/tokens", json={"username": "admision", "password": DEMO_PASSWORD})
    assert token.status_code == 201
    cases = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token.get_json()['token']}"})
    assert cases.get_json()["total"] == 3

    def as_(username):
        raw = client.post("/api/v1/auth/tokens", json={"username": username, "password": DEMO_PASSWORD})
        return {"Authorization": f"Bearer {raw.get_json()['token']}"}

    # Each role's login shows its part of the work.
    assert client.get("/api/v1/visits?assignee=me", headers=as_("mentora")).get_json()["total"] > 0
    hospital = client.get("/api/v1/referrals", headers=as_("enlace.salud")).get_json()
    assert [r["service_type"] for r in hospital["items"]] == ["hiv_pep"]
    assert client.get("/api/v1/referrals", headers=as_("enlace.juzgado")).get_json()["total"] == 1
    waiting = client.get("/api/v1/cases?awaiting_approval=true", headers=as_("supervisora")).get_json()
    assert waiting["total"] == 1
    assert client.get("/api/v1/cases?risk_level=severo", headers=as_("admision")).get_json()["total"] == 1


def test_unknown_user_login_never_touches_another_account(client):
    user = UserFactory()
    for _ in range(12):
        client.post("/api/v1/auth/tokens", json={"username": "no-such-user", "password": "wrong-password-123"})
    assert client.post("/api/v1/auth/tokens", json={"username": user.username, "password": PASSWORD}).status_code == 201
