"""Compliance reads the clocks alone: each carries its referral's sending moment and centre
and whether a cancellation stopped it (revision 0025), and each rule's median is found in a
histogram of whole minutes. Checked here: the copied facts against the referral, through the
API; a cancelled referral counted neither met nor missed; the median against Python's over
many shapes (odd and even counts, ties, two versions of one rule); and the revision's fill
against what the application writes. All values are synthetic."""

from __future__ import annotations

import random
import statistics
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, select

from caseflow.core.clock import frozen_time
from caseflow.extensions import db
from caseflow.referrals.models import DeadlineRule, ReferralClock
from testkit.api import get, incident_body, post
from testkit.factories import make_case
from tests.referrals.factories import consent, move, rape_incident, refer

UTC = timezone.utc
T0 = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
H = timedelta(hours=1)
PERIOD = "from=2026-03-01&to=2026-03-31"


def _rows(client, user):
    with frozen_time(T0 + 400 * H):
        body = get(client, user, f"/statistics/compliance?{PERIOD}").get_json()
    return {r["rule"]: r for r in body["rows"]}


def _pep(client, net, case, sent):
    with frozen_time(sent):
        response = refer(client, net.worker, case, net.hospital, "hiv_pep", priority="high")
        assert response.status_code == 201, response.get_json()
    return response.get_json()


def _facts(referral_id):
    return [(c.sent_at, c.organization_id, c.cancelled, c.stopped_at is not None, c.minutes_to_met)
            for c in db.session.scalars(select(ReferralClock).where(ReferralClock.referral_id == uuid.UUID(referral_id))
                                        .order_by(ReferralClock.starts_at, ReferralClock.rule_id))]


def test_clocks_carry_their_referrals_facts_and_a_cancellation_counts_neither_way(client, net):
    with frozen_time(T0 - H):
        case = make_case(net.worker, priority="high")
        consent(client, net.worker, case, sector="health")
        rape_incident(client, net.worker, case, T0 - 20 * H)
    kept = _pep(client, net, case, T0)
    cancelled = _pep(client, net, case, T0 + H)
    rejected = _pep(client, net, case, T0 + 2 * H)
    with frozen_time(T0 + 3 * H):
        assert move(client, net.worker, cancelled["id"], "cancelled", reason="Ya no lo necesita").status_code == 200
        assert move(client, net.nurse, rejected["id"], "rejected", reason="Sin stock sintético").status_code == 200
        assert move(client, net.nurse, kept["id"], "accepted").status_code == 200
    with frozen_time(T0 + 10 * H):
        assert move(client, net.nurse, kept["id"], "in_progress").status_code == 200
        assert move(client, net.nurse, kept["id"], "completed").status_code == 200

    centre = net.centre.org.id
    # Each clock (the PEP rule's and the acknowledgement's) has its referral's moment and centre.
    assert {(sent, org) for sent, org, *_ in _facts(kept["id"])} == {(T0, centre)}
    assert _facts(cancelled["id"]) == [(T0 + H, centre, True, True, None)] * 2
    assert not any(flag for _s, _o, flag, *_rest in _facts(rejected["id"]))
    # Met: the PEP clock 30 h after the incident, the acknowledgement 3 h after sending.
    assert sorted(f[4] for f in _facts(kept["id"])) == [180, 1800]

    pep = _rows(client, net.centre.supervisor)["hiv_pep"]
    # Kept: met (30 h after the incident). Rejected: stopped unmet, missed. Cancelled: neither.
    assert (pep["total"], pep["met"], pep["missed"], pep["open"]) == (2, 1, 1, 0)
    assert pep["median_hours"] == 30.0


def test_an_onward_referral_carries_the_centres_facts_not_the_polices(client, net):
    with frozen_time(T0):
        case = net.centre.case()
        assert post(client, net.worker, f"/cases/{case.id}/incidents", incident_body()).status_code == 201
        consent(client, net.worker, case, sector="police")
        complaint = refer(client, net.worker, case, net.police, "complaint", priority="high").get_json()
        assert move(client, net.officer, complaint["id"], "accepted").status_code == 200
    with frozen_time(T0 + 5 * H):
        sent = post(client, net.officer, f"/referrals/{complaint['id']}/onward",
                    {"to_organization_id": str(net.court.id), "service_type": "protective_measures"})
        assert sent.status_code == 201, sent.get_json()
    facts = _facts(sent.get_json()["id"])
    assert facts and all(f[:2] == (T0 + 5 * H, net.centre.org.id) for f in facts)
    rules = _rows(client, net.centre.supervisor)
    assert rules["police_to_family_court"]["met"] == 1
    assert rules["police_to_family_court"]["median_hours"] == 5.0


def _shapes():
    """Deterministic lists of seconds to the milestone: odd and even counts, ties, whole
    hours, and seconds well away from a half minute (where the two databases' rounding of
    an exact half could differ)."""
    rng = random.Random(20261202)
    shapes = [[3600], [3600, 7200], [60, 60, 60, 120], [36000] * 5 + [36060]]
    for _ in range(12):
        n = rng.randint(1, 30)
        shapes.append([rng.randint(0, 150) * 60 + rng.choice((0, 5, 20, 40, 55)) for _ in range(n)])
    return shapes


@pytest.mark.parametrize("seconds", _shapes())
def test_the_median_of_the_histogram_is_the_median_of_the_clocks_to_the_minute(client, net, seconds):
    with frozen_time(T0 - H):
        case = make_case(net.worker, priority="low")
        consent(client, net.worker, case, sector="health")
        rape_incident(client, net.worker, case, T0 - 20 * H)
    referral = _pep(client, net, case, T0)
    db.session.execute(delete(ReferralClock))
    current = db.session.scalars(select(DeadlineRule).where(DeadlineRule.code == "hiv_pep")).first()
    # An earlier version of the same rule: its clocks count with the current one's.
    earlier = DeadlineRule(code="hiv_pep", label=current.label, service_type="hiv_pep", anchor=current.anchor,
                           milestone=current.milestone, hours=current.hours, source=current.source,
                           effective_from=current.effective_from - timedelta(days=3650),
                           effective_to=current.effective_from)
    db.session.add(earlier)
    db.session.flush()
    for i, duration in enumerate(seconds):
        clock = ReferralClock(
            referral_id=uuid.UUID(referral["id"]), rule_id=(earlier if i % 2 else current).id, milestone="completed",
            starts_at=T0, due_at=T0 + 72 * H, sent_at=T0, organization_id=net.centre.org.id)
        clock.meet(T0 + timedelta(seconds=duration))
        db.session.add(clock)
    # Two not met: counted (missed, open), never in the median.
    db.session.add(ReferralClock(referral_id=uuid.UUID(referral["id"]), rule_id=current.id, milestone="completed",
                                 starts_at=T0, due_at=T0 + 500 * H, sent_at=T0, organization_id=net.centre.org.id))
    db.session.add(ReferralClock(referral_id=uuid.UUID(referral["id"]), rule_id=current.id, milestone="completed",
                                 starts_at=T0, due_at=T0 + H, sent_at=T0, organization_id=net.centre.org.id))
    db.session.commit()

    pep = _rows(client, net.centre.supervisor)["hiv_pep"]
    minutes = [round(s / 60) for s in seconds]
    assert pep["median_hours"] == round(statistics.median(minutes) / 60, 2)
    assert (pep["met"] + pep["missed"], pep["open"]) == (len(seconds) + 1, 1)


def test_the_revisions_fill_what_the_application_keeps(client, net):
    """Revisions 0025-0027 taken down and up again over clocks and milestones the application
    wrote: the fill gives each clock the same moment, centre, cancellation and minutes, and
    each case the same minutes to its milestones."""
    from flask_migrate import downgrade, upgrade

    with frozen_time(T0 - H):
        case = make_case(net.worker, priority="high")
        consent(client, net.worker, case, sector="health")
        rape_incident(client, net.worker, case, T0 - 20 * H)
    kept, cancelled = _pep(client, net, case, T0), _pep(client, net, case, T0 + H)
    with frozen_time(T0 + 3 * H):
        assert move(client, net.worker, cancelled["id"], "cancelled", reason="Ya no lo necesita").status_code == 200
        assert move(client, net.nurse, kept["id"], "accepted").status_code == 200
    written = {ident: _facts(ident) for ident in (kept["id"], cancelled["id"])}
    assert any(f[2] for f in written[cancelled["id"]])
    kept_minutes = _milestone_minutes()
    assert kept_minutes == [(None, 60, None)]  # the first referral an hour after first contact
    db.session.commit()
    db.session.remove()
    try:
        downgrade(revision="0024_stats_columns")  # takes 0027, 0026 and 0025 down
    finally:
        upgrade()
    assert {ident: _facts(ident) for ident in written} == written
    assert _milestone_minutes() == kept_minutes  # 0027 fills them as the application keeps them


def _milestone_minutes():
    from caseflow.statistics.models import CaseMilestones

    return [(r.plan_minutes, r.referral_minutes, r.service_minutes)
            for r in db.session.scalars(select(CaseMilestones))]
