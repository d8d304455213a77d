"""Shared by the statistics tests: three centres and a national supervisor."""

from __future__ import annotations

import pytest

from testkit.factories import Centre, OrganizationFactory, UserFactory
from tests.referrals.factories import Network


@pytest.fixture
def world(app):
    # Threshold 1: no cell is suppressed, so the hand counts are read exactly. (tests/statistics/
    # test_supplies.py has a world of its own.)
    app.config.update(CASEFLOW_STATISTICS_CONSENT="administrative", CASEFLOW_SMALL_CELL_THRESHOLD=1,
                      CASEFLOW_NATIONAL_ORGANIZATIONS=("MIMP-NACIONAL",))
    ministry = OrganizationFactory(sector="cem", code="MIMP-NACIONAL")
    return {"a": Centre(), "b": Centre(), "c": Centre(),
            "national": UserFactory(role="supervisor", organization=ministry, discipline=None)}


@pytest.fixture
def net(app):
    """The referral network of the compliance and first-milestone tests, nothing suppressed."""
    app.config.update(CASEFLOW_SMALL_CELL_THRESHOLD=1)
    return Network()
