def test_the_casework_routes_are_in_the_openapi_description(client):
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    paths = spec.get_json()["paths"]
    for path in ("/api/v1/cases/{case_id}/incidents", "/api/v1/incidents/{incident_id}",
                 "/api/v1/cases/{case_id}/consents", "/api/v1/consents/{consent_id}/withdraw",
                 "/api/v1/cases/{case_id}/risk-assessments", "/api/v1/instruments",
                 "/api/v1/cases/{case_id}/sessions", "/api/v1/sessions/{session_id}",
                 "/api/v1/cases/{case_id}/plan-items", "/api/v1/plan-items/{item_id}",
                 "/api/v1/cases/{case_id}/approvals", "/api/v1/approvals/{approval_id}/decision",
                 "/api/v1/cases/{case_id}/close", "/api/v1/cases/{case_id}/reopen"):
        assert path in paths, path
    assert {"get", "post"} <= set(paths["/api/v1/cases/{case_id}/sessions"])
