"""A client generated from the OpenAPI description (openapi-python-client) walks a
caseworker's first steps: sign in, register a survivor, open a case, list cases, read the
case, each answer parsed into its model (issue 15). The client is generated once per
session into a temporary folder; it talks to the app in-process (httpx's WSGI transport)."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from testkit.factories import PASSWORD, OrganizationFactory, UserFactory

PACKAGE = "caseflow_generated_client"


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    from tests.conftest import _make_app

    tool = shutil.which("openapi-python-client") or str(Path(sys.executable).with_name("openapi-python-client"))
    folder = tmp_path_factory.mktemp("generated-client")
    app = _make_app("sqlite://", folder)
    with app.test_client() as client:
        spec = client.get("/api/v1/openapi.json").get_json()
    (folder / "openapi.json").write_text(json.dumps(spec))
    done = subprocess.run(
        [tool, "generate", "--path", str(folder / "openapi.json"), "--meta", "none",
         "--output-path", str(folder / PACKAGE)],
        cwd=folder, capture_output=True, text=True, timeout=300)
    assert (folder / PACKAGE / "client.py").exists(), done.stdout + done.stderr
    sys.path.insert(0, str(folder))
    try:
        yield lambda name: importlib.import_module(f"{PACKAGE}.{name}")
    finally:
        sys.path.remove(str(folder))


def test_a_generated_client_walks_a_caseworkers_first_steps(app, generated):
    client_module = generated("client")
    models = generated("models")
    login = generated("api.auth.auth_create_token")
    register = generated("api.survivors.survivors_register_survivor")
    open_case = generated("api.cases.cases_open_case")
    list_cases = generated("api.cases.cases_list_cases")
    get_case = generated("api.cases.cases_get_case")

    centre = OrganizationFactory()
    worker = UserFactory(role="caseworker", organization=centre, discipline="admission")
    transport = httpx.WSGITransport(app=app)
    public = client_module.Client(base_url="http://caseflow.test", httpx_args={"transport": transport})

    token = login.sync_detailed(client=public, body=models.Credentials(username=worker.username, password=PASSWORD))
    assert token.status_code == 201, token.content
    assert isinstance(token.parsed, models.Token)
    api = client_module.AuthenticatedClient(base_url="http://caseflow.test", token=token.parsed.token,
                                            httpx_args={"transport": transport})

    survivor = register.sync_detailed(client=api, body=models.SurvivorCreate.from_dict({
        "given_names": "Ana Generada", "family_names": "Cliente Prueba", "alias": "Ana G",
        "document_type": "DNI", "document_number": "40123987", "sex": "female", "district": "150101"}))
    assert survivor.status_code == 201, survivor.content
    assert isinstance(survivor.parsed, models.Survivor) and survivor.parsed.alias == "Ana G"

    opened = open_case.sync_detailed(client=api, body=models.CaseCreate.from_dict({
        "survivor_id": str(survivor.parsed.id), "intake_channel": "walk_in", "priority": "high"}))
    assert opened.status_code == 201, opened.content
    assert isinstance(opened.parsed, models.CaseDetail) and opened.parsed.status == "open"

    listed = list_cases.sync_detailed(client=api)
    assert listed.status_code == 200, listed.content
    assert isinstance(listed.parsed, models.CasePage)
    assert [item.id for item in listed.parsed.items] == [opened.parsed.id]
    assert all(isinstance(item, models.Case) for item in listed.parsed.items)

    read = get_case.sync_detailed(client=api, case_id=opened.parsed.id)
    assert read.status_code == 200, read.content
    assert isinstance(read.parsed, models.CaseDetail) and read.parsed.code == opened.parsed.code

    missing = get_case.sync_detailed(client=api, case_id=survivor.parsed.id)
    assert missing.status_code == 404 and isinstance(missing.parsed, models.Error)
