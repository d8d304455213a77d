"""The OpenAPI description tells the truth (issue 15): every operation has a unique
operationId and documents the errors it can answer in the contract's shape; no array
without its item type; the report's CSV answer is described."""

from __future__ import annotations

import pytest

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture()
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def _operations(spec):
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def _resolve(spec, node):
    while isinstance(node, dict) and "$ref" in node:
        section, kind, name = node["$ref"].split("/")[1:]
        node = spec[section][kind][name]
    return node


def test_every_operation_has_a_unique_stable_operation_id(spec):
    ids = [op.get("operationId") for _, _, op in _operations(spec)]
    assert len(ids) >= 80 and all(ids), [p for p, _, op in _operations(spec) if not op.get("operationId")]
    assert len(set(ids)) == len(ids)
    paths = spec["paths"]
    assert paths["/api/v1/cases"]["get"]["operationId"] == "cases_list_cases"
    assert paths["/api/v1/sessions/{session_id}"]["get"]["operationId"] == "sessions_get_session"


def test_every_operation_documents_its_errors_in_the_error_shape(spec):
    error = spec["components"]["schemas"]["Error"]
    assert {"status", "message", "errors"} <= set(error["properties"])
    for path, method, op in _operations(spec):
        responses = op["responses"]
        public = "403" not in responses
        if not public:
            assert {"401", "403"} <= set(responses), (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if "requestBody" in op or any(p.get("in") == "query" for p in op.get("parameters", [])):
            assert "422" in responses, (method, path)
        if method != "get" and not public:
            assert "409" in responses, (method, path)
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                content = _resolve(spec, response)["content"]["application/json"]["schema"]
                assert _resolve(spec, content) is error, (method, path, status)
    assert {"401", "422", "429"} <= set(spec["paths"]["/api/v1/auth/login"]["post"]["responses"])


def _arrays(spec, node, where):
    if isinstance(node, dict):
        if node.get("type") == "array":
            yield where, node
        for key, value in node.items():
            yield from _arrays(spec, value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _arrays(spec, value, f"{where}[{index}]")


def test_no_array_without_its_item_type(spec):
    untyped = [where for where, node in _arrays(spec, spec, "$") if not node.get("items")]
    assert untyped == []
    schemas = spec["components"]["schemas"]
    assert schemas["Case"]["properties"]["assigned_to"]["items"] == {"$ref": "#/components/schemas/Assignee"}
    assert schemas["ReferralDetail"]["properties"]["events"]["items"] == {"$ref": "#/components/schemas/ReferralEvent"}


def test_the_reports_csv_answer_is_described(spec):
    content = spec["paths"]["/api/v1/reports/referral-timelines"]["get"]["responses"]["200"]["content"]
    assert {"application/json", "text/csv"} <= set(content)
