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
from caseflow.consents.services import may_share, record_consent
from caseflow.core.clock import utcnow
from caseflow.core.errors import Conflict, Forbidden, Unprocessable, field_error
from caseflow.custody.models import (
    SCREENING_AREAS,
    CustodyDisclosure,
    CustodyRecord,
    CustodyScreening,
    SupplyDelivery,
    VisitRestriction,
)
from caseflow.directory.models import Organization
from caseflow.extensions import db
from caseflow.plans.services import add_item
from caseflow.referrals.services import send as send_referral
from caseflow.survivors.models import Survivor
from caseflow.visits.services import create_plan
from caseflow.visits.services import today as visits_today

FACILITY_SECTOR = "penitentiary"
#: Who is competent for abuse disclosed in custody, and the service asked of each.
AUTHORITY_SERVICES = {"police": "complaint", "justice": "legal_proceedings"}
#: Children up to this age live with their mothers inside (INPE) and call for maternity care.
CHILD_IN_FACILITY_AGE = 3


def _plan_need(case: Case, need: str, service_type: str, decision: str):
    """Add a need to her action plan, or None while the plan cannot take items yet (no risk
    assessment): the need is then shown as waiting, never silently dropped."""
    try:
        return add_item(case, {"need": need, "service_type": service_type, "decision": decision})
    except Conflict:
        return None


def _maternity_care_needed(record: CustodyRecord | None) -> bool:
    if record is None or record.status != "in_custody":
        return False
    maternity = record.maternity or {}
    return bool(maternity.get("pregnant")) or any(age < CHILD_IN_FACILITY_AGE
                                                 for age in maternity.get("children_ages", []))


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
    if data.get("pregnant") is not None or data.get("children_ages"):
        record.maternity = {"pregnant": data.get("pregnant"), "children_ages": sorted(data.get("children_ages") or [])}
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
    plan_items = []
    if cases and _maternity_care_needed(record):
        item = _plan_need(cases[-1], "health", "maternity_care", "referred")
        plan_items = [item.id] if item else []
    records.append(record)
    return {**_summary(survivor, records), "follow_up_plan_id": plan.id if plan else None,
            "plan_item_ids": plan_items}


def _summary(survivor: Survivor, records: list[CustodyRecord]) -> dict:
    current = current_of(records)
    case_ids = [case.id for case in _open_cases(survivor, current_user.organization_id)]
    protect = bool(case_ids) and db.session.scalar(select(CustodyDisclosure.id).where(
        CustodyDisclosure.case_id.in_(case_ids), CustodyDisclosure.protect_from_retaliation.is_(True)).limit(1))
    return {"current": current, "history": records, "protect_from_retaliation": bool(protect),
            "maternity_care_needed": _maternity_care_needed(current)}


def custody_of(survivor: Survivor) -> dict:
    return _summary(survivor, history(survivor, current_user.organization_id))


def record_screening(case: Case, data: dict) -> CustodyScreening:
    """Admission screening (rule 6): each area found becomes a need of her plan."""
    steps.ensure_open(case)
    not_in_future("screened_at", data["screened_at"])
    screening = CustodyScreening(case_id=case.id, survivor_id=case.survivor_id,
                                 screened_at=data["screened_at"].astimezone(timezone.utc),
                                 screened_by_id=current_user.id)
    screening.ensure_id()
    areas = {area: bool(data["findings"].get(area, False)) for area in SCREENING_AREAS}
    plan_items = {}
    for area, found in areas.items():
        if found:
            need, service_type = SCREENING_AREAS[area]
            item = _plan_need(case, need, service_type, "referred")
            plan_items[area] = str(item.id) if item else None
    screening.findings = {"areas": areas, "plan_items": plan_items}
    if data.get("notes"):
        screening.notes = data["notes"]
    db.session.add(screening)
    db.session.flush()
    add_event(case, "custody_screening_recorded", {"screening_id": str(screening.id)})
    record_model_write("create", screening, fields=sorted(data))
    return screening


def screenings_of(case: Case):
    return scope_case_records(CustodyScreening).where(CustodyScreening.case_id == case.id).order_by(
        CustodyScreening.screened_at.desc(), CustodyScreening.id)


def record_disclosure(case: Case, data: dict) -> CustodyDisclosure:
    """Abuse disclosed in custody (rule 7): with her wish to report and her consent, the
    referral to the competent authority goes at once; psychological support either way."""
    steps.ensure_open(case)
    not_in_future("disclosed_at", data["disclosed_at"])
    referral = None
    if data["legal_recourse"] == "wants_to_report":
        errors = {}
        authority = db.session.get(Organization, data["authority_id"]) if data.get("authority_id") else None
        if authority is None or not authority.active or authority.sector not in AUTHORITY_SERVICES:
            errors["authority_id"] = [lazy_gettext("Name the competent authority: a police or justice organization.")]
        if not data.get("consent_method"):
            errors["consent_method"] = [lazy_gettext("Say how she consented to the report.")]
        if errors:
            raise Unprocessable(errors=errors)
        record_consent(case, {"recipient_organization_id": authority.id, "given_by": "survivor",
                              "method": data["consent_method"], "given_at": data["disclosed_at"],
                              "note": None})
        referral = send_referral(case, {"to_organization_id": authority.id, "priority": "high",
                                        "service_type": AUTHORITY_SERVICES[authority.sector]})
    elif data.get("authority_id") or data.get("consent_method"):
        raise field_error("legal_recourse", lazy_gettext("A report to an authority needs her wish to report."))
    support = _plan_need(case, "psychosocial", "mental_health", "own_agency")
    disclosure = CustodyDisclosure(case_id=case.id, survivor_id=case.survivor_id,
                                   disclosed_at=data["disclosed_at"].astimezone(timezone.utc),
                                   legal_recourse=data["legal_recourse"],
                                   protect_from_retaliation=data["protect_from_retaliation"],
                                   referral_id=referral.id if referral else None, recorded_by_id=current_user.id)
    disclosure.ensure_id()
    if data.get("narrative"):
        disclosure.narrative = data["narrative"]
    db.session.add(disclosure)
    db.session.flush()
    add_event(case, "custody_disclosure_recorded", {"disclosure_id": str(disclosure.id),
                                                    "legal_recourse": disclosure.legal_recourse})
    record_model_write("create", disclosure, fields=sorted(data))
    disclosure.support_plan_item_id = support.id if support else None
    return disclosure


def disclosures_of(case: Case):
    return scope_case_records(CustodyDisclosure).where(CustodyDisclosure.case_id == case.id).order_by(
        CustodyDisclosure.disclosed_at.desc(), CustodyDisclosure.id)


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
