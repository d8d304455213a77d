"""Consent per recipient, who may give it at her age, withdrawal, and may_share."""

from datetime import timedelta

import pytest

from caseflow.consents.services import may_share
from caseflow.core.clock import utcnow
from caseflow.extensions import db
from testkit.api import ago, get, post
from testkit.factories import Centre, OrganizationFactory, make_case, make_survivor
from tests.helpers import assert_error


def _case_of_age(centre, years):
    birth = utcnow().date() - timedelta(days=int(365.25 * years) + 10)
    return make_case(centre.admission, make_survivor(centre.admission, birth_date=birth))


def _consent(client, centre, case, **body):
    return post(client, centre.admission, f"/cases/{case.id}/consents", {
        "recipient_sector": "health", "method": "written", "given_at": ago(minutes=1), **body})


@pytest.mark.parametrize(("age", "body", "status", "field"), [
    (30, {"given_by": "survivor"}, 201, None),
    (30, {"given_by": "guardian"}, 422, "given_by"),
    (16, {"given_by": "survivor"}, 201, None),           # from 15 she consents herself
    (16, {"given_by": "guardian"}, 422, "given_by"),
    (12, {"given_by": "guardian", "child_assent": True}, 201, None),
    (12, {"given_by": "guardian"}, 422, "child_assent"),
    (12, {"given_by": "survivor", "child_assent": True}, 422, "given_by"),
    # The guardian is the aggressor: the best-interest exception, with her assent.
    (12, {"given_by": "survivor", "child_assent": True, "best_interest_exception": True}, 201, None),
    (16, {"given_by": "survivor", "best_interest_exception": True}, 422, "best_interest_exception"),
])
def test_who_gives_consent_at_her_age(client, age, body, status, field):
    centre = Centre()
    response = _consent(client, centre, _case_of_age(centre, age), **body)
    if field:
        assert_error(response, status, field)
    else:
        assert response.status_code == status, response.get_json()


def test_withdrawal_keeps_the_record_and_ends_its_effect(client):
    centre = Centre()
    case = centre.case()
    hospital = OrganizationFactory(sector="health")
    other_hospital = OrganizationFactory(sector="health")
    police = OrganizationFactory(sector="police")
    named = _consent(client, centre, case, recipient_organization_id=str(hospital.id), given_by="survivor").get_json()
    assert named["recipient_sector"] == "health"

    assert may_share(case, hospital).allowed
    assert may_share(case, hospital).consent.id.hex == named["id"].replace("-", "")
    assert not may_share(case, other_hospital)  # named organization only
    assert may_share(case, police).reason == "no_consent"

    withdrawn = post(client, centre.admission, f"/consents/{named['id']}/withdraw", {"note": "Cambió de idea."})
    assert withdrawn.status_code == 200 and withdrawn.get_json()["in_effect"] is False
    db.session.expire_all()
    decision = may_share(case, hospital)
    assert (decision.allowed, decision.reason) == (False, "consent_withdrawn")
    assert_error(post(client, centre.admission, f"/consents/{named['id']}/withdraw", {}), 409)

    # History is kept; a sector-wide consent covers every organization of the sector.
    _consent(client, centre, case, given_by="survivor")
    listed = get(client, centre.admission, f"/cases/{case.id}/consents").get_json()
    assert listed["total"] == 2
    coverage = get(client, centre.admission,
                   f"/cases/{case.id}/consents/coverage?organization_id={other_hospital.id}").get_json()
    assert coverage["allowed"] is True and coverage["consent"]["recipient_organization"] is None


def test_sector_must_match_the_named_organization(client):
    centre = Centre()
    police = OrganizationFactory(sector="police")
    assert_error(_consent(client, centre, centre.case(), given_by="survivor",
                          recipient_organization_id=str(police.id)), 422, "recipient_sector")


def test_consent_given_in_the_future_is_refused(client):
    centre = Centre()
    future = (utcnow() + timedelta(hours=3)).isoformat()
    assert_error(_consent(client, centre, centre.case(), given_by="survivor", given_at=future), 422, "given_at")


def test_unknown_birth_date_leaves_the_giver_to_the_caseworker(client):
    centre = Centre()
    case = make_case(centre.admission, make_survivor(centre.admission, birth_date=None))
    assert _consent(client, centre, case, given_by="guardian").status_code == 201
