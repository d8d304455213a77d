"""What a form field is called on the page (its name stays the API's field name)."""

from __future__ import annotations

from flask_babel import gettext, lazy_gettext

LABELS = {
    "username": lazy_gettext("Username"), "password": lazy_gettext("Password"),
    "otp": lazy_gettext("Verification code"),
    "given_names": lazy_gettext("Given names"), "family_names": lazy_gettext("Family names"),
    "alias": lazy_gettext("Alias"), "document_type": lazy_gettext("Document type"),
    "document_number": lazy_gettext("Document number"), "birth_date": lazy_gettext("Date of birth"),
    "sex": lazy_gettext("Sex"), "gender_identity": lazy_gettext("Gender identity"), "phone": lazy_gettext("Phone"),
    "address": lazy_gettext("Address"), "safe_contact": lazy_gettext("Safe contact"),
    "district": lazy_gettext("District (UBIGEO)"), "mother_tongue": lazy_gettext("Mother tongue"),
    "disability": lazy_gettext("Disability"), "intake_channel": lazy_gettext("Intake channel"),
    "priority": lazy_gettext("Priority"), "occurred_at": lazy_gettext("Occurred at"),
    "reported_at": lazy_gettext("Reported at"), "narrative": lazy_gettext("Narrative"),
    "note": lazy_gettext("Note"), "reason": lazy_gettext("Reason"), "status": lazy_gettext("Status"),
    "step": lazy_gettext("Step"), "risk_level": lazy_gettext("Risk level"),
    "service_type": lazy_gettext("Service type"), "to_organization_id": lazy_gettext("Receiving organization"),
    "recipient_sector": lazy_gettext("Recipient sector"),
    "recipient_organization_id": lazy_gettext("Recipient organization"),
    "given_by": lazy_gettext("Given by"), "given_at": lazy_gettext("Given at"), "method": lazy_gettext("Method"),
    "discipline": lazy_gettext("Discipline"), "started_at": lazy_gettext("Started at"),
    "duration_minutes": lazy_gettext("Duration (minutes)"), "summary": lazy_gettext("Summary"),
    "next_steps": lazy_gettext("Next steps"), "need": lazy_gettext("Need"), "decision": lazy_gettext("Decision"),
    "goal_status": lazy_gettext("Goal status"), "kind": lazy_gettext("Kind"),
    "needs_met": lazy_gettext("Her needs were met"), "safety_plan_reviewed": lazy_gettext("Safety plan reviewed"),
    "survivor_informed_may_return": lazy_gettext("She knows she may come back"),
    "acts": lazy_gettext("Acts"), "violence_types": lazy_gettext("Violence types"),
    "assigned_to": lazy_gettext("Assigned to"), "awaiting_approval": lazy_gettext("Awaiting approval"),
    "no_contact": lazy_gettext("No contact for 30 days"), "overdue": lazy_gettext("Overdue referral"),
}


def field_label(name: str) -> str:
    """The label for a field named ``parent.child``: its own, else its name made readable."""
    last = name.split(".")[-1]
    label = LABELS.get(last)
    return str(label) if label is not None else gettext(last.replace("_", " ").capitalize())
