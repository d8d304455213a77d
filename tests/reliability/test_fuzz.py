"""API fuzzing, short form: every operation of /api/v1/openapi.json, as every role.

Schemathesis generates valid and invalid requests from the spec (hypothesis strategies, one
test per operation, read from the application's own spec at collection time so new routes
are fuzzed without a line here). Each request is sent in process as each of the six roles,
aimed most of the time at real records of the caller's own centre or of another one, and
every answer must: not be a 5xx, have a status, content type and body the spec documents,
and carry no sensitive value in an error body. ``make fuzz`` runs the long form against a
live server (bench/fuzz.py).
"""

from __future__ import annotations

import zlib

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode

from testkit.world import ROLES, make_realms
from tests.reliability.fuzzing import CANARY_VALUES, CHECKS, operation_labels

#: Examples per operation (positive and negative mixed); each is sent once per role.
MAX_EXAMPLES = 8


@pytest.fixture(scope="module")
def fuzz_world(database):
    """One populated database for every operation of this module (per backend)."""
    database.reset()
    app = database.app
    with app.app_context():
        client = app.test_client()
        realms = make_realms(client, "own", "other")
        for realm in realms.values():
            CANARY_VALUES.update(realm.canaries.values())
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
        yield schema, realms
        from caseflow.extensions import db

        db.session.remove()


def _aim(case, realms) -> None:
    """Put real ids in the path: own centre's (2 in 4), another's (1 in 4), or as generated."""
    if not case.path_parameters:
        return
    choice = zlib.crc32(repr(sorted(case.path_parameters.items())).encode()) % 4
    if choice == 3:
        return
    ids = realms["own" if choice < 2 else "other"].path_ids()
    for name in case.path_parameters:
        if name in ids:
            case.path_parameters[name] = ids[name]


@pytest.mark.parametrize("label", operation_labels())
def test_operation_as_every_role(fuzz_world, label):
    schema, realms = fuzz_world
    method, path = label.split(" ", 1)
    operation = schema[path][method].ok() if hasattr(schema[path][method], "ok") else schema[path][method]
    strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                         operation.as_strategy(GenerationMode.NEGATIVE))

    @given(case=strategy)
    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def send_as_every_role(case):
        _aim(case, realms)
        for role in ROLES:
            response = case.call(headers=realms["own"].headers(role))
            case.validate_response(response, checks=CHECKS)

    send_as_every_role()
