"""The case list's custody filter (``GET /cases?custody=``): her current state at the case's
centre, from the latest of its custody records."""

from datetime import date, timedelta

from testkit.api import get
from tests.custody.test_custody import _prison
from tests.helpers import assert_error


def _codes(client, prison, query):
    answer = get(client, prison.worker, f"/cases?{query}")
    assert answer.status_code == 200, answer.get_json()
    return {item["id"] for item in answer.get_json()["items"]}


def test_the_case_list_filters_by_her_current_custody(client):
    prison = _prison(client)
    free_case = prison.centre.case()  # never in custody
    case_id = str(prison.case.id)
    assert case_id not in _codes(client, prison, "custody=in_custody")

    taken = prison.custody(status="in_custody", since=(date.today() - timedelta(days=30)).isoformat())
    assert taken.status_code == 201, taken.get_json()
    assert _codes(client, prison, "custody=in_custody") == {case_id}
    assert _codes(client, prison, "custody=released") == set()

    released = prison.custody(status="released", since=date.today().isoformat())
    assert released.status_code == 201, released.get_json()
    assert _codes(client, prison, "custody=in_custody") == set()
    assert _codes(client, prison, "custody=released") == {case_id}
    # Without the filter both cases are listed; a case never in custody matches neither state.
    assert {case_id, str(free_case.id)} <= _codes(client, prison, "per_page=100")


def test_an_unknown_custody_state_is_refused(client):
    prison = _prison(client)
    answer = get(client, prison.worker, "/cases?custody=escaped")
    assert_error(answer, 422)
    assert "custody" in answer.get_json()["errors"]
