"""The case action plan (guidelines step 3): per need, a service type and a decision."""

from __future__ import annotations

from flask_login import current_user

from caseflow.access.policy import scope_case_records
from caseflow.audit.services import record_model_write
from caseflow.cases import steps
from caseflow.cases.models import Case
from caseflow.cases.services import add_event
from caseflow.extensions import db
from caseflow.plans import signals
from caseflow.plans.models import PlanItem


def add_item(case: Case, data: dict) -> PlanItem:
    steps.ensure_open(case)
    # The plan answers the assessment: adding the first item moves the case to action_plan
    # (refused, with the reason, while no risk assessment exists).
    if steps.STEP_ORDER[case.step] < steps.STEP_ORDER["action_plan"]:
        steps.move(case, "action_plan", "plan_item_added")
    item = PlanItem(
        case_id=case.id, survivor_id=case.survivor_id, need=data["need"],
        service_type=data["service_type"], decision=data["decision"],
        goal_status=data.get("goal_status", "in_progress"), created_by_id=current_user.id,
    )
    item.ensure_id()
    if data.get("note"):
        item.note = data["note"]
    db.session.add(item)
    db.session.flush()
    signals.plan_item_added.send(item)
    add_event(case, "plan_item_added", {"plan_item_id": str(item.id), "need": item.need,
                                        "service_type": item.service_type, "decision": item.decision})
    record_model_write("create", item, fields=sorted(data))
    return item


def update_item(item: PlanItem, changes: dict) -> PlanItem:
    """Follow-up (step 5): decisions change and goals are met; each change is an event."""
    case = db.session.get(Case, item.case_id)
    steps.ensure_open(case)
    changed = []
    for name in ("decision", "goal_status"):
        if name in changes and changes[name] != getattr(item, name):
            setattr(item, name, changes[name])
            changed.append(name)
    if "note" in changes:
        item.note = changes["note"] or None
        changed.append("note")
    if changed:
        db.session.flush()
        add_event(case, "plan_item_updated", {
            "plan_item_id": str(item.id),
            **{name: getattr(item, name) for name in changed if name != "note"},
        })
        record_model_write("update", item, fields=changed)
    return item


def of_case(case: Case):
    return scope_case_records(PlanItem).where(PlanItem.case_id == case.id).order_by(
        PlanItem.created_at, PlanItem.id)
