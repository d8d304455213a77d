"""What the API fuzzer checks, shared by the in-process short form (``make test``) and the
long form against a live server (``make fuzz``, bench/fuzz.py).
"""

from __future__ import annotations

import json
import os

import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

#: Operations that end the caller's own session or token: fuzzing them would leave every
#: later request answering 401. Logout and revocation are proved in tests/auth.
EXCLUDED = (("POST", "/api/v1/auth/logout"), ("DELETE", "/api/v1/auth/tokens/current"))

#: Values planted in the fuzzed database that no error body may ever contain (the live
#: form passes them to the schemathesis CLI's process as a JSON list in the environment).
CANARY_VALUES: set[str] = set(json.loads(os.environ.get("CASEFLOW_FUZZ_CANARIES", "[]")))


@schemathesis.check
def no_sensitive_value_in_errors(ctx, response, case):
    """An error body never carries a survivor's name, document, phone, address or notes."""
    if response.status_code < 400:
        return None
    body = response.text
    leaked = sorted(value for value in CANARY_VALUES if value in body)
    if leaked:
        raise AssertionError(f"error body {response.status_code} contains sensitive value(s) {leaked}")
    return None


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          no_sensitive_value_in_errors]


def operation_labels() -> list[str]:
    """``METHOD /path`` of every fuzzed operation, read from the application's own spec."""
    from caseflow import create_app
    from caseflow.crypto.keyring import Keyring

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "CASEFLOW_KEYRING": Keyring.generate().to_json(),
                      "SECRET_KEY": "collection-only-secret-key-0000000000"})
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    methods = {"get", "put", "post", "patch", "delete"}
    labels = [f"{method.upper()} {path}" for path, item in spec["paths"].items() for method in item if method in methods]
    return sorted(label for label in labels if tuple(label.split(" ", 1)) not in EXCLUDED)
