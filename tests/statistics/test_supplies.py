"""Supplies handed to survivors in custody, counted by facility and kind with small cells
suppressed, a centre's own and national oversight's every centre (hand-counted, via the API)."""

from __future__ import annotations

import pytest

from testkit.api import ago, get, post
from testkit.factories import Centre, OrganizationFactory, UserFactory
from tests.helpers import assert_error


@pytest.fixture
def world(app):
    app.config.update(CASEFLOW_SMALL_CELL_THRESHOLD=3, CASEFLOW_NATIONAL_ORGANIZATIONS=("MIMP-NACIONAL",))
    ministry = OrganizationFactory(sector="cem", code="MIMP-NACIONAL")
    return {"a": Centre(), "b": Centre(),
            "f1": OrganizationFactory(sector="penitentiary", code="EP-UNO", service_types=["medical_care"]),
            "f2": OrganizationFactory(sector="penitentiary", code="EP-DOS", service_types=["medical_care"]),
            "national": UserFactory(role="supervisor", organization=ministry, discipline=None)}


def woman(client, centre, facility=None):
    case = centre.case()
    if facility is not None:
        response = post(client, centre.admission, f"/survivors/{case.survivor_id}/custody",
                        {"status": "in_custody", "facility_id": str(facility.id), "since": "2026-01-10"})
        assert response.status_code == 201, response.get_json()
    return case


def hand(client, centre, case, kind, times=1):
    for _ in range(times):
        response = post(client, centre.admission, f"/cases/{case.id}/supplies", {"kind": kind, "delivered_at": ago(days=1)})
        assert response.status_code == 201, response.get_json()


def populate(client, world):
    """By hand. Centre A: at EP-UNO three women, two hygiene kits each (6) and one of them two
    menstrual products (2); at EP-DOS one hygiene kit (1); a woman not in custody one (unknown, 1).
    Centre B: at EP-UNO five hygiene kits. A: 10 (EP-UNO 8); national: 15 (EP-UNO 13)."""
    a, b = world["a"], world["b"]
    for k in range(3):
        case = woman(client, a, world["f1"])
        hand(client, a, case, "hygiene_kit", 2)
        if k == 0:
            hand(client, a, case, "menstrual_products", 2)
    hand(client, a, woman(client, a, world["f2"]), "hygiene_kit")
    hand(client, a, woman(client, a), "hygiene_kit")
    hand(client, b, woman(client, b, world["f1"]), "hygiene_kit", 5)


def test_supplies_by_facility_and_kind_hand_counted(client, world):
    populate(client, world)
    a = world["a"]
    body = get(client, a.supervisor, "/statistics/supplies?by=facility").get_json()
    assert body["scope"] == "centre" and body["total"] == 10
    rows = {r["facility"]: r for r in body["rows"]}
    assert rows["EP-UNO"]["count"] == 8
    # 1 and 1: both below 3, hidden (each the other's complement).
    assert rows["EP-DOS"] == {"facility": "EP-DOS", "count": None, "suppressed": True}
    assert rows["unknown"]["count"] is None and rows["unknown"]["suppressed"]

    body = get(client, a.supervisor, "/statistics/supplies?by=facility,supply_kind").get_json()
    cells = {(r["facility"], r["supply_kind"]): r["count"] for r in body["rows"]}
    assert cells[("EP-UNO", "menstrual_products")] is None and cells[("EP-DOS", "hygiene_kit")] is None
    # EP-UNO's line (8) would give its hidden 2 from a shown 6: the 6 is hidden with it.
    assert cells[("EP-UNO", "hygiene_kit")] is None
    assert cells[("EP-DOS", "menstrual_products")] == 0
    assert body["total"] == 10

    body = get(client, a.supervisor, "/statistics/supplies?by=supply_kind,month").get_json()
    assert body["total"] == 10


def test_national_oversight_counts_every_centre_and_centres_only_their_own(client, world):
    populate(client, world)
    body = get(client, world["national"], "/statistics/supplies?by=facility").get_json()
    assert body["scope"] == "national" and body["total"] == 15
    assert {r["facility"]: r["count"] for r in body["rows"]}["EP-UNO"] == 13
    body = get(client, world["national"], "/statistics/supplies?by=centre").get_json()
    assert {r["centre"]: r["count"] for r in body["rows"]} == {world["a"].org.code: 10, world["b"].org.code: 5}
    assert get(client, world["b"].supervisor, "/statistics/supplies").get_json()["total"] == 5
    assert_error(get(client, world["a"].supervisor, "/statistics/supplies?by=centre"), 403)
    assert_error(get(client, world["a"].admission, "/statistics/supplies"), 403)
    assert_error(get(client, world["a"].supervisor, "/statistics/supplies?by=gbv_type"), 422, "by")
    catalogue = get(client, world["a"].supervisor, "/statistics").get_json()
    supplies = next(i for i in catalogue["items"] if i["name"] == "supplies")
    assert {d["name"] for d in supplies["dimensions"]} == {"facility", "supply_kind", "centre", "month", "quarter", "year"}
