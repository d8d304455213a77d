"""The pairs of reports of the same incident are kept (caseflow.statistics.duplicates), not
searched for at each request: after every kind of change that affects a pair, the count a
user sees is the rule's (docs/statistics.md), and the same as a recomputation from scratch."""

from __future__ import annotations

from caseflow.extensions import db
from caseflow.statistics import duplicates
from testkit.api import bearer, patch
from testkit.api import get as api_get
from testkit.factories import UserFactory, make_survivor
from tests.statistics.test_duplicates import (
    DOCUMENT,
    PHYSICAL,
    RAPE,
    _local,
    incident,
)


def by_centre(client, world) -> dict:
    """The national table by centre, checked against the pairs recomputed from scratch."""
    body = api_get(client, world["national"], "/statistics/incidents?by=centre").get_json()
    seen = {r["centre"]: r["count"] for r in body["rows"] if r["count"]}
    duplicates.refresh_all()
    db.session.commit()
    again = api_get(client, world["national"], "/statistics/incidents?by=centre").get_json()
    assert {r["centre"]: r["count"] for r in again["rows"] if r["count"]} == seen
    return seen


def reported_at_both(client, world):
    """Her rape reported at A, which registered her first, and the next hours at B."""
    her_a = make_survivor(world["a"].admission, document_number=DOCUMENT)
    her_b = make_survivor(world["b"].admission, document_number=DOCUMENT)
    incident(client, world["a"], her_a, RAPE, _local(3, 10))
    incident(client, world["b"], her_b, RAPE, _local(3, 16))
    return her_a, her_b


def test_the_first_centres_report_recorded_after_the_second_ones_still_counts_once(client, world):
    a, b = world["a"], world["b"]
    her_a = make_survivor(a.admission, document_number=DOCUMENT)
    her_b = make_survivor(b.admission, document_number=DOCUMENT)
    # B records the rape first; A, who registered her first, records it the next day.
    incident(client, b, her_b, RAPE, _local(3, 16))
    assert api_get(client, world["national"], "/statistics/incidents").get_json()["total"] == 1
    incident(client, a, her_a, RAPE, _local(3, 10))
    assert by_centre(client, world) == {a.org.code: 1}


def test_her_consent_withdrawn_at_the_first_centre_lets_the_second_report_count(client, app, world):
    app.config.update(CASEFLOW_STATISTICS_CONSENT="consent")
    a, b = world["a"], world["b"]
    her_a = make_survivor(a.admission, document_number=DOCUMENT)
    her_b = make_survivor(b.admission, document_number=DOCUMENT)
    first = incident(client, a, her_a, RAPE, _local(3, 10))
    assert patch(client, a.admission, f"/incidents/{first}", {"consent_for_statistics": True}).status_code == 200
    second = incident(client, b, her_b, RAPE, _local(3, 16))
    assert patch(client, b.admission, f"/incidents/{second}", {"consent_for_statistics": True}).status_code == 200
    assert by_centre(client, world) == {a.org.code: 1}
    # She withdraws her consent at A: A's report no longer counts, and B's is the one counted.
    assert patch(client, a.admission, f"/incidents/{first}", {"consent_for_statistics": False}).status_code == 200
    assert by_centre(client, world) == {b.org.code: 1}
    # Given again: A's report counts and B's is dropped again.
    assert patch(client, a.admission, f"/incidents/{first}", {"consent_for_statistics": True}).status_code == 200
    assert by_centre(client, world) == {a.org.code: 1}


def test_her_first_record_erased_lets_the_later_report_count(client, world):
    a, b = world["a"], world["b"]
    her_a, _her_b = reported_at_both(client, world)
    assert by_centre(client, world) == {a.org.code: 1}
    second_supervisor = UserFactory(role="supervisor", organization=a.org)
    for supervisor in (a.supervisor, second_supervisor):
        response = client.post(f"/api/v1/survivors/{her_a.id}/erase", json={"reason": "survivor_request"},
                               headers=bearer(supervisor))
        assert response.status_code in (200, 202), response.get_json()
    # Her terms are gone with her data at A: nothing recognises B's record as hers any more.
    assert by_centre(client, world) == {a.org.code: 1, b.org.code: 1}


def test_her_document_corrected_at_the_second_centre(client, world):
    a, b = world["a"], world["b"]
    _her_a, her_b = reported_at_both(client, world)
    incident(client, b, her_b, PHYSICAL, _local(3, 16))
    assert by_centre(client, world) == {a.org.code: 1, b.org.code: 1}
    # B's record was another woman's document after all: her rape is another incident.
    response = client.patch(f"/api/v1/survivors/{her_b.id}", json={"document_number": "51122334"},
                            headers=bearer(b.admission))
    assert response.status_code == 200, response.get_json()
    assert by_centre(client, world) == {a.org.code: 1, b.org.code: 2}
    # Corrected back to hers: the same incident again, counted once.
    response = client.patch(f"/api/v1/survivors/{her_b.id}", json={"document_number": DOCUMENT},
                            headers=bearer(b.admission))
    assert response.status_code == 200, response.get_json()
    assert by_centre(client, world) == {a.org.code: 1, b.org.code: 1}


def test_a_third_centres_report_after_the_others(client, world):
    a, b, c = world["a"], world["b"], world["c"]
    hers = [make_survivor(centre.admission, document_number=DOCUMENT) for centre in (a, b, c)]
    for centre, her in zip((c, b, a), reversed(hers)):
        incident(client, centre, her, RAPE, _local(3, 12))
    assert by_centre(client, world) == {a.org.code: 1}


def test_the_document_index_rebuilt_under_a_new_key_still_counts_once(client, app, world, tmp_path):
    from caseflow.keys.index_rebuild import rebuild
    from tests.keys.factories import keyring_file

    a, b = world["a"], world["b"]
    her_a = make_survivor(a.admission, document_number=DOCUMENT)
    her_b = make_survivor(b.admission, document_number=DOCUMENT)
    incident(client, a, her_a, RAPE, _local(3, 10))
    incident(client, b, her_b, RAPE, _local(3, 16))
    incident(client, b, make_survivor(b.admission), RAPE, _local(3, 16))  # another woman
    assert by_centre(client, world) == {a.org.code: 1, b.org.code: 1}
    with keyring_file(app, tmp_path / "keyring.json"):
        rebuild("document")
        # Every term is new (another key, maybe another width): the pairs follow the switch.
        assert by_centre(client, world) == {a.org.code: 1, b.org.code: 1}
