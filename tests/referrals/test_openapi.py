def test_the_referral_routes_are_in_the_openapi_description(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/cases/{case_id}/referrals", "/api/v1/referrals", "/api/v1/referrals/{referral_id}",
                 "/api/v1/referrals/{referral_id}/transitions", "/api/v1/deadline-rules",
                 "/api/v1/deadline-rules/{rule_id}", "/api/v1/cases/{case_id}/timeline",
                 "/api/v1/supervision/overdue", "/api/v1/reports/referral-timelines"):
        assert path in paths, path
    assert {"get", "post"} <= set(paths["/api/v1/cases/{case_id}/referrals"])
    assert {"get", "patch"} <= set(paths["/api/v1/deadline-rules/{rule_id}"])
