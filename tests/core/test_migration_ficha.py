"""Revision 0016_ficha gives the rows that existed before it the values docs/casework.md
promises: the case's condition read from her history, complaint_filed from completed police
complaints, mother tongues mapped to census codes, no statistics consent assumed. Run on a
fresh database of each kind, with rows written as revision 0011_exits knew them."""

from __future__ import annotations

import uuid
from datetime import timedelta

import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import text

from caseflow.core.clock import utcnow
from caseflow.core.db import UTCDateTime
from tests.conftest import KEYRING_JSON
from tests.helpers import scratch_postgresql

NOW = utcnow()
META = sa.MetaData()


def _table(name, *columns):
    return sa.Table(name, META, sa.Column("id", sa.Uuid(), primary_key=True),
                    sa.Column("created_at", UTCDateTime), sa.Column("updated_at", UTCDateTime), *columns)


ORGS = _table("organizations", sa.Column("code", sa.String), sa.Column("name", sa.String),
              sa.Column("sector", sa.String), sa.Column("service_types", sa.JSON), sa.Column("active", sa.Boolean))
USERS = _table("users", sa.Column("username", sa.String), sa.Column("role", sa.String),
               sa.Column("organization_id", sa.Uuid()), sa.Column("active", sa.Boolean),
               sa.Column("role_confirmed", sa.Boolean))
SURVIVORS = _table("survivors", sa.Column("organization_id", sa.Uuid()), sa.Column("document_type", sa.String),
                   sa.Column("mother_tongue", sa.String))
CASES = _table("cases", sa.Column("code", sa.String), sa.Column("survivor_id", sa.Uuid()),
               sa.Column("organization_id", sa.Uuid()), sa.Column("status", sa.String), sa.Column("step", sa.String),
               sa.Column("priority", sa.String), sa.Column("intake_channel", sa.String),
               sa.Column("opened_at", UTCDateTime), sa.Column("closed_at", UTCDateTime))
APPROVALS = _table("approvals", sa.Column("case_id", sa.Uuid()), sa.Column("survivor_id", sa.Uuid()),
                   sa.Column("kind", sa.String), sa.Column("status", sa.String), sa.Column("requested_at", UTCDateTime),
                   sa.Column("decided_at", UTCDateTime))
CLOSURES = _table("case_closures", sa.Column("case_id", sa.Uuid()), sa.Column("survivor_id", sa.Uuid()),
                  sa.Column("approval_id", sa.Uuid()), sa.Column("reason", sa.String), sa.Column("needs_met", sa.Boolean),
                  sa.Column("safety_plan_reviewed", sa.Boolean), sa.Column("survivor_informed_may_return", sa.Boolean),
                  sa.Column("closed_at", UTCDateTime))
INCIDENTS = _table("incidents", sa.Column("case_id", sa.Uuid()), sa.Column("survivor_id", sa.Uuid()),
                   sa.Column("occurred_at", UTCDateTime), sa.Column("occurred_time_known", sa.Boolean),
                   sa.Column("reported_at", UTCDateTime),
                   *[sa.Column(act, sa.Boolean) for act in (
                       "penetration", "sexual_contact", "physical_assault", "forced_marriage", "denial_of_resources",
                       "psychological_abuse", "goods_or_money_exchanged", "early_marriage",
                       "possible_sexual_exploitation", "child_sexual_abuse")],
                   sa.Column("gbv_type", sa.String), sa.Column("reporting_delay", sa.String),
                   sa.Column("survivor_age_group", sa.String), sa.Column("survivor_age_group_mimp", sa.String),
                   sa.Column("violence_types", sa.JSON))
REFERRALS = _table("referrals", sa.Column("case_id", sa.Uuid()), sa.Column("survivor_id", sa.Uuid()),
                   sa.Column("from_organization_id", sa.Uuid()), sa.Column("to_organization_id", sa.Uuid()),
                   sa.Column("sector", sa.String), sa.Column("service_type", sa.String),
                   sa.Column("priority", sa.String), sa.Column("status", sa.String), sa.Column("sent_at", UTCDateTime),
                   sa.Column("mandatory_report", sa.Boolean))


def _days_ago(days):
    return NOW - timedelta(days=days)


class Rows:
    def __init__(self, conn):
        self.conn = conn
        self.centre = self._add(ORGS, code="CEM-M", name="CEM", sector="cem", service_types=[], active=True)
        self.police = self._add(ORGS, code="PNP-M", name="Comisaría", sector="police", service_types=["complaint"],
                                active=True)
        self.supervisor = self._add(USERS, username="sup.m", role="supervisor", organization_id=self.centre,
                                    active=True, role_confirmed=True)
        self.count = 0

    def _add(self, table, **values):
        row_id = uuid.uuid4()
        self.conn.execute(table.insert().values(id=row_id, created_at=NOW, updated_at=NOW, **values))
        return row_id

    def survivor(self, mother_tongue=None):
        return self._add(SURVIVORS, organization_id=self.centre, document_type="NONE", mother_tongue=mother_tongue)

    def case(self, survivor, opened_days_ago, intake_channel="walk_in", closed_days_ago=None):
        self.count += 1
        case = self._add(CASES, code=f"CEM-M-2026-{self.count:05d}", survivor_id=survivor,
                         organization_id=self.centre, status="closed" if closed_days_ago else "open",
                         step="closure" if closed_days_ago else "assessment", priority="medium",
                         intake_channel=intake_channel, opened_at=_days_ago(opened_days_ago),
                         closed_at=closed_days_ago and _days_ago(closed_days_ago))
        if closed_days_ago:
            approval = self._add(APPROVALS, case_id=case, survivor_id=survivor, kind="closure", status="approved",
                                 requested_at=_days_ago(closed_days_ago + 1), decided_at=_days_ago(closed_days_ago + 1))
            self._add(CLOSURES, case_id=case, survivor_id=survivor, approval_id=approval, reason="needs_met",
                      needs_met=True, safety_plan_reviewed=True, survivor_informed_may_return=True,
                      closed_at=_days_ago(closed_days_ago))
        return case

    def incident(self, case, survivor, occurred_days_ago):
        return self._add(INCIDENTS, case_id=case, survivor_id=survivor, occurred_at=_days_ago(occurred_days_ago),
                         occurred_time_known=True, reported_at=_days_ago(max(occurred_days_ago - 1, 0)),
                         penetration=False, sexual_contact=False, physical_assault=True, forced_marriage=False,
                         denial_of_resources=False, psychological_abuse=False, goods_or_money_exchanged=False,
                         early_marriage=False, possible_sexual_exploitation=False, child_sexual_abuse=False,
                         gbv_type="physical_assault", reporting_delay="days_0_3", survivor_age_group="unknown",
                         survivor_age_group_mimp="unknown", violence_types=["fisica"])

    def complaint(self, case, survivor, status):
        return self._add(REFERRALS, case_id=case, survivor_id=survivor, from_organization_id=self.centre,
                         to_organization_id=self.police, sector="police", service_type="complaint", priority="high",
                         status=status, sent_at=_days_ago(3), mandatory_report=False)


def _migrate_existing_rows(url):
    from caseflow import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "CASEFLOW_KEYRING": KEYRING_JSON,
                      "SECRET_KEY": "test-secret-key-that-is-long-enough-000"})
    with app.app_context():
        from caseflow.extensions import db

        upgrade(revision="0011_exits")
        with db.engine.begin() as conn:
            rows = Rows(conn)
            quechua, spanish, unknown, nothing, aymara = (
                rows.survivor("Quechua "), rows.survivor("castellano"), rows.survivor("Klingon"), rows.survivor(),
                rows.survivor("Aymara"))
            first = rows.case(quechua, 100, closed_days_ago=50)
            returning = rows.case(quechua, 10, intake_channel="police")
            rows.incident(returning, quechua, 60)  # before her first case closed: the same violence
            closed = rows.case(spanish, 100, closed_days_ago=50)
            repeat = rows.case(spanish, 10)
            rows.incident(repeat, spanish, 5)  # after it closed: new violence
            referred = rows.case(unknown, 20, intake_channel="health_facility")
            rows.complaint(referred, unknown, "completed")
            walked_in = rows.case(nothing, 5)
            rows.complaint(walked_in, nothing, "in_progress")
            by_line = rows.case(aymara, 5, intake_channel="linea_100")
        upgrade(revision="0016_ficha")
        with db.engine.connect() as conn:
            cases = {row.id: row for row in conn.execute(
                sa.select(sa.column("id", sa.Uuid()), sa.column("condition"), sa.column("complaint_filed"),
                          sa.column("informant")).select_from(sa.table("cases")))}
            tongues = dict(conn.execute(sa.select(sa.column("id", sa.Uuid()), sa.column("mother_tongue"))
                                        .select_from(sa.table("survivors"))).all())
            incidents = conn.execute(text("SELECT consent_for_statistics, place_ubigeo FROM incidents")).all()
        db.engine.dispose()

    assert {name: cases[case].condition for name, case in [
        ("first", first), ("returning", returning), ("closed", closed), ("repeat", repeat),
        ("referred", referred), ("walked_in", walked_in), ("by_line", by_line)]} == {
        "first": "nuevo", "returning": "reingreso", "closed": "nuevo", "repeat": "reincidente",
        "referred": "derivado", "walked_in": "nuevo", "by_line": "nuevo"}
    assert cases[referred].complaint_filed == "yes"
    assert {cases[c].complaint_filed for c in (first, returning, closed, repeat, walked_in, by_line)} == {"unknown"}
    assert {row.informant for row in cases.values()} == {None}
    assert tongues == {quechua: "quechua", spanish: "spanish", unknown: "unknown", nothing: None, aymara: "aimara"}
    assert sorted(tuple(row) for row in incidents) == [(False, None), (False, None)]


def test_existing_rows_get_the_ficha_values_on_sqlite(tmp_path):
    _migrate_existing_rows(f"sqlite:///{tmp_path / 'ficha.db'}")


def test_existing_rows_get_the_ficha_values_on_postgresql():
    with scratch_postgresql("caseflow_ficha") as url:
        _migrate_existing_rows(url)
