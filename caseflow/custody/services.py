"""Recording custody, supplies and visit restrictions; release starts her follow-up.

Custody belongs to her, not to one case: it is recorded on the survivor, by the centre
that works with her, and shown on each of her open cases at that centre as an event.
"""

from __future__ import annotations

from datetime import timezone

from flask_babel import lazy_gettext
from flask_login import current_user
from sqlalchemy import select

from caseflow.access.policy import scope_case_records
from caseflow.audit.services import record_model_write
from caseflow.cases import steps
from caseflow.cases.models import Case
from caseflow.cases.recording import not_in_future
from caseflow.cases.services import add_event
from caseflow.consents.services import may_share
from caseflow.core.clock import utcnow
from caseflow.core.errors import Conflict, Forbidden, Unprocessable, field_error
from caseflow.custody.models import CustodyRecord, SupplyDelivery, VisitRestriction
from caseflow.directory.models import Organization
from caseflow.extensions import db
from caseflow.survivors.models import Survivor
from caseflow.visits.services import create_plan
from caseflow.visits.services import today as visits_today

FACILITY_SECTOR = "penitentiary"


def history(survivor: Survivor, organization_id) -> list[CustodyRecord]:
    """Her custody records as her centre recorded them, oldest first."""
    return list(db.session.scalars(
        select(CustodyRecord)
        .where(CustodyRecord.survivor_id == survivor.id, CustodyRecord.organization_id == organization_id)
        .order_by(CustodyRecord.since, CustodyRecord.created_at, CustodyRecord.id)))


def current_of(records: list[CustodyRecord]) -> CustodyRecord | None:
    return records[-1] if records else None


def _facility(facility_id) -> Organization:
    facility = db.session.get(Organization, facility_id)
    if facility is None or not facility.active or facility.sector != FACILITY_SECTOR:
        raise field_error("facility_id", lazy_gettext("No such penitentiary establishment."))
    return facility


def _open_cases(survivor: Survivor, organization_id) -> list[Case]:
    return list(db.session.scalars(
        select(Case).where(Case.survivor_id == survivor.id, Case.organization_id == organization_id,
                           Case.status == "open").order_by(Case.opened_at)))


def record_custody(survivor: Survivor, data: dict) -> dict:
    """Append a custody change. A release with ``follow_up`` plans the visits after it on
    her open case, so that release does not end her support (Bangkok Rules 45–47)."""
    centre = current_user.organization_id
    facility = _facility(data["facility_id"])
    records = history(survivor, centre)
    current = current_of(records)
    errors = {}
    if data["status"] == "released":
        if current is None or current.status != "in_custody":
            raise Conflict(lazy_gettext("She is not recorded as in custody: there is nothing to release."))
        if data["since"] < current.since:
            errors["since"] = [lazy_gettext("The release is before the date she was taken into custody.")]
    elif data.get("follow_up"):
        errors["follow_up"] = [lazy_gettext("A follow-up plan starts with a release.")]
    expected = data.get("expected_release_on")
    if expected is not None and (data["status"] == "released" or expected < data["since"]):
        errors["expected_release_on"] = [lazy_gettext("An expected release goes with custody, after its start.")]
    if errors:
        raise Unprocessable(errors=errors)
    record = CustodyRecord(survivor_id=survivor.id, organization_id=centre, status=data["status"],
                           facility_id=facility.id, since=data["since"], expected_release_on=expected,
                           recorded_by_id=current_user.id)
    record.ensure_id()
    db.session.add(record)
    db.session.flush()
    cases = _open_cases(survivor, centre)
    for case in cases:
        add_event(case, f"custody_{data['status']}", {"custody_id": str(record.id), "facility_id": str(facility.id),
                                                      "since": record.since.isoformat()})
    record_model_write("create", record, fields=sorted(k for k in data if k != "follow_up"))
    plan = None
    follow_up = data.get("follow_up")
    if follow_up:
        if not cases:
            raise Conflict(lazy_gettext("She has no open case at this centre to plan her follow-up on."))
        # A release recorded a few days late still starts her visits now, not in the past.
        starts_on = max(record.since, visits_today(utcnow()))
        plan = create_plan(cases[-1], assignee_id=follow_up["assignee_id"], kind=follow_up["kind"],
                           starts_on=starts_on, cadence_days=follow_up.get("cadence_days"),
                           count=follow_up.get("count"))
    records.append(record)
    return {"current": record, "history": records, "follow_up_plan_id": plan.id if plan else None}


def custody_of(survivor: Survivor) -> dict:
    records = history(survivor, current_user.organization_id)
    return {"current": current_of(records), "history": records}


def record_supply(case: Case, data: dict) -> SupplyDelivery:
    steps.ensure_open(case)
    not_in_future("delivered_at", data["delivered_at"])
    survivor = db.session.get(Survivor, case.survivor_id)
    held = [r for r in history(survivor, case.organization_id) if r.since <= data["delivered_at"].date()]
    facility_id = held[-1].facility_id if held and held[-1].status == "in_custody" else None
    supply = SupplyDelivery(case_id=case.id, survivor_id=case.survivor_id, kind=data["kind"],
                            delivered_at=data["delivered_at"].astimezone(timezone.utc),
                            delivered_by_id=current_user.id, facility_id=facility_id)
    supply.ensure_id()
    db.session.add(supply)
    db.session.flush()
    add_event(case, "supply_delivered", {"supply_id": str(supply.id), "kind": supply.kind})
    record_model_write("create", supply, fields=sorted(data))
    return supply


def supplies_of(case: Case):
    return scope_case_records(SupplyDelivery).where(SupplyDelivery.case_id == case.id).order_by(
        SupplyDelivery.delivered_at.desc(), SupplyDelivery.id)


def add_restriction(case: Case, data: dict) -> VisitRestriction:
    steps.ensure_open(case)
    restriction = VisitRestriction(survivor_id=case.survivor_id, case_id=case.id, relationship=data["relationship"],
                                   active=True, created_by_id=current_user.id)
    restriction.ensure_id()
    restriction.person_name = data["person_name"]
    if data.get("reason"):
        restriction.reason = data["reason"]
    db.session.add(restriction)
    db.session.flush()
    add_event(case, "visit_restriction_added", {"restriction_id": str(restriction.id),
                                                "relationship": restriction.relationship})
    record_model_write("create", restriction, fields=sorted(data))
    return restriction


def restrictions_of(case: Case):
    return scope_case_records(VisitRestriction).where(
        VisitRestriction.case_id == case.id, VisitRestriction.active.is_(True)).order_by(VisitRestriction.created_at)


def facility_restrictions(facility_id) -> list[VisitRestriction]:
    """What the facility's staff must enforce at the gate: the restrictions of the women it
    holds now, only where her consent covers the facility (withdrawn: nothing)."""
    ever_here = select(CustodyRecord.survivor_id).where(CustodyRecord.facility_id == facility_id)
    latest = {}
    for record in db.session.scalars(select(CustodyRecord).where(CustodyRecord.survivor_id.in_(ever_here))
                                     .order_by(CustodyRecord.since, CustodyRecord.created_at)):
        latest[(record.survivor_id, record.organization_id)] = record
    held = {key for key, record in latest.items()
            if record.status == "in_custody" and record.facility_id == facility_id}
    facility = db.session.get(Organization, facility_id)
    if facility is None or facility.sector != FACILITY_SECTOR:
        raise Forbidden()
    if not held:
        return []
    rows = db.session.execute(
        select(VisitRestriction, Case).join(Case, Case.id == VisitRestriction.case_id)
        .where(VisitRestriction.active.is_(True), VisitRestriction.survivor_id.in_({s for s, _ in held}))
        .order_by(VisitRestriction.created_at)).all()
    consent = {}
    shown = []
    for restriction, case in rows:
        if (restriction.survivor_id, case.organization_id) not in held:
            continue
        if case.id not in consent:
            consent[case.id] = bool(may_share(case, facility))
        if consent[case.id]:
            shown.append(restriction)
    return shown
