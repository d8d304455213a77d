"""Case conferences through the API: recorded by the case team with the organizations at the
table, decisions encrypted and read back only by the case team, listed, on the timeline,
audited; partners and other centres reach none of it."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select, text

from caseflow.audit.models import AuditEntry
from caseflow.core.clock import utcnow
from caseflow.extensions import db
from testkit.api import ago, get, post
from tests.helpers import assert_error
from tests.referrals.factories import Network

DECISIONS = "Acuerdo sintético: la fiscalía pide medidas; el hospital cita el martes."


def _conference(client, net, case, **overrides):
    body = {"held_at": ago(hours=3), "organization_ids": [str(net.police.id), str(net.hospital.id)],
            "decisions": DECISIONS, **overrides}
    return post(client, net.worker, f"/cases/{case.id}/conferences", body)


def test_a_conference_is_recorded_listed_read_and_on_the_timeline(client):
    net = Network()
    case = net.centre.case()
    recorded = _conference(client, net, case)
    assert recorded.status_code == 201, recorded.get_json()
    conference = recorded.get_json()
    assert conference["decisions"] == DECISIONS
    assert conference["organization_ids"] == [str(net.police.id), str(net.hospital.id)]

    listed = get(client, net.worker, f"/cases/{case.id}/conferences").get_json()
    assert listed["total"] == 1 and "decisions" not in listed["items"][0]
    read = get(client, net.centre.supervisor, f"/conferences/{conference['id']}")
    assert read.status_code == 200 and read.get_json()["decisions"] == DECISIONS
    reads = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "case_conferences",
                                                        AuditEntry.action == "read")).all()
    assert any("decisions" in (entry.fields or []) for entry in reads)
    created = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "case_conferences",
                                                          AuditEntry.action == "create")).all()
    assert [entry.entity_id for entry in created] == [conference["id"]]

    timeline = get(client, net.worker, f"/cases/{case.id}/timeline").get_json()
    entries = [e for e in timeline["items"] if e["kind"] == "case_conference"]
    assert len(entries) == 1 and DECISIONS not in str(timeline)

    # The decisions are ciphertext in the database, never the text.
    raw = db.session.execute(text("SELECT decisions_ct FROM case_conferences")).scalar()
    assert raw and DECISIONS.encode() not in bytes(raw)


def test_partners_and_other_centres_reach_no_conference(client):
    net, other = Network(), Network()
    case = net.centre.case()
    conference = _conference(client, net, case).get_json()
    for outsider in (net.officer, net.nurse):  # the partners at the table read nothing here
        assert_error(get(client, outsider, f"/conferences/{conference['id']}"), 403)
        assert_error(get(client, outsider, f"/cases/{case.id}/conferences"), 403)
        assert_error(post(client, outsider, f"/cases/{case.id}/conferences",
                          {"held_at": ago(hours=1), "organization_ids": [str(net.police.id)], "decisions": "x"}), 403)
    assert_error(get(client, other.worker, f"/conferences/{conference['id']}"), 404)
    assert_error(get(client, other.worker, f"/cases/{case.id}/conferences"), 404)
    assert_error(get(client, net.centre.admin, f"/conferences/{conference['id']}"), 403)


def test_bad_conferences_are_refused_and_nothing_is_written(client):
    net = Network()
    case = net.centre.case()
    future = (utcnow() + timedelta(days=1)).isoformat()
    assert_error(_conference(client, net, case, held_at=future), 422, "held_at")
    assert_error(_conference(client, net, case, organization_ids=[str(uuid.uuid4())]), 422, "organization_ids")
    assert_error(_conference(client, net, case, organization_ids=[]), 422, "organization_ids")
    assert_error(_conference(client, net, case, organization_ids=["not-an-id"]), 422, "organization_ids")
    body = assert_error(_conference(client, net, case, decisions=""), 422, "decisions")
    assert DECISIONS not in str(body)
    assert_error(_conference(client, net, case, held_at="2026-01-01T10:00:00"), 422, "held_at")  # no offset
    assert db.session.execute(text("SELECT count(*) FROM case_conferences")).scalar() == 0
