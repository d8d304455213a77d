"""SQL injection and path traversal probes in every string parameter the spec declares.

The parameters are read from /api/v1/openapi.json, so routes added later are probed too.
Every answer must be JSON below 500, searches must not widen (a probe finds nothing), and
the database must be intact afterwards.
"""

from __future__ import annotations

from urllib.parse import quote

from caseflow.directory.models import User
from testkit.api import bearer
from testkit.factories import Centre
from tests.reliability.consistency import count, inconsistencies

PROBES = ("' OR '1'='1", "1; DROP TABLE users; --", "\" OR 1=1 --", "') UNION SELECT password_hash FROM users --",
          "../../../../etc/passwd", "..%2f..%2f..%2fetc%2fpasswd", "..\\..\\windows\\win.ini", "%00", "${jndi:ldap://x}")


def _string_parameters(spec):
    """(method, path, location, name) for every string parameter and top-level string body field."""
    schemas = spec["components"]["schemas"]
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "patch", "put", "delete"):
                continue
            for parameter in item.get("parameters", []) + operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if schema.get("type") == "string" and schema.get("format") != "uuid":
                    yield method, path, parameter["in"], parameter["name"]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            body = schemas.get(body.get("$ref", "").rsplit("/", 1)[-1], body)
            for name, field in body.get("properties", {}).items():
                if field.get("type") == "string" and field.get("format") != "uuid":
                    yield method, path, "body", name


def test_every_string_parameter_resists_injection_and_traversal(client):
    centre = Centre()
    case = centre.case()
    callers = {"caseworker": bearer(centre.admission), "admin": bearer(centre.admin)}
    users_before = count(User)
    spec = client.get("/api/v1/openapi.json").get_json()
    # Reads first: once a write has stored a probe as a name, a search for it rightly finds her.
    targets = sorted(_string_parameters(spec), key=lambda target: target[0] != "get")
    assert len(targets) > 30, "the spec should declare many string parameters"
    failures = []
    for method, path, location, name in targets:
        concrete = path.replace("{case_id}", str(case.id)).replace("{survivor_id}", str(case.survivor_id))
        for probe in PROBES:
            url, body = concrete, None
            if location == "path":
                url = concrete.replace("{" + name + "}", quote(probe, safe=""))
            elif location == "query":
                url = f"{concrete}?{name}={quote(probe, safe='')}"
            else:
                body = {name: probe}
            if "{" in url:
                url = url.split("{")[0] + "00000000-0000-0000-0000-000000000000" + url.split("}", 1)[1]
            for role, headers in callers.items():
                response = client.open(url, method=method.upper(), json=body, headers=headers)
                if response.status_code >= 500 or not response.is_json:
                    failures.append(f"{method.upper()} {path} {location}:{name}={probe!r} as {role}: {response.status_code}")
                elif method == "get" and location == "query" and response.status_code == 200:
                    total = response.get_json().get("total")
                    if total and name in ("name", "document_number"):
                        failures.append(f"{method.upper()} {path} ?{name}={probe!r} widened the search to {total}")
    assert not failures, "\n".join(failures)
    assert count(User) == users_before
    assert inconsistencies() == []
