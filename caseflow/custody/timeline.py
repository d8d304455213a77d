"""Custody on the case timeline: entering custody, release, supplies handed over. Codes,
dates and the facility only; the names of the people she refuses as visitors stay sealed."""

from __future__ import annotations

from datetime import datetime, time, timezone

from sqlalchemy import select

from caseflow.cases.models import Case
from caseflow.cases.timeline import TimelineEntry, register_timeline_source
from caseflow.custody.models import CustodyDisclosure, CustodyRecord, SupplyDelivery
from caseflow.extensions import db


def custody_entries(case: Case):
    records = db.session.scalars(select(CustodyRecord).where(
        CustodyRecord.survivor_id == case.survivor_id, CustodyRecord.organization_id == case.organization_id))
    for record in records:
        yield TimelineEntry(datetime.combine(record.since, time(), tzinfo=timezone.utc), f"custody_{record.status}",
                            "penitentiary", record_id=record.id,
                            detail={"facility_id": str(record.facility_id),
                                    "expected_release_on": record.expected_release_on and
                                    record.expected_release_on.isoformat()})
    for supply in db.session.scalars(select(SupplyDelivery).where(SupplyDelivery.case_id == case.id)):
        yield TimelineEntry(supply.delivered_at, "supply_delivered", "cem", record_id=supply.id,
                            detail={"kind": supply.kind})
    for disclosure in db.session.scalars(select(CustodyDisclosure).where(CustodyDisclosure.case_id == case.id)):
        yield TimelineEntry(disclosure.disclosed_at, "custody_disclosure", "penitentiary", record_id=disclosure.id,
                            detail={"legal_recourse": disclosure.legal_recourse,
                                    "referral_id": disclosure.referral_id and str(disclosure.referral_id)})


def register_sources() -> None:
    """Called from the custody's ``init_app``."""
    register_timeline_source("custody", custody_entries)
