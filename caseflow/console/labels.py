"""What a form field is called on the page (its name stays the API's field name)."""

from __future__ import annotations

from flask_babel import gettext, lazy_gettext

from caseflow.cases import ficha
from caseflow.core.clock import no_contact_days
from caseflow.survivors import codes

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
    "no_contact": lambda: gettext("No contact for %(days)s days", days=no_contact_days()), "overdue": lazy_gettext("Overdue referral"),
    "custody": lazy_gettext("Custody"), "facility_id": lazy_gettext("Penitentiary establishment"),
    "since": lazy_gettext("Since"), "expected_release_on": lazy_gettext("Expected release"),
    "screened_at": lazy_gettext("Screened at"), "notes": lazy_gettext("Notes"),
    "disclosed_at": lazy_gettext("Disclosed at"), "legal_recourse": lazy_gettext("Her decision on legal recourse"),
    "authority_id": lazy_gettext("Competent authority"), "consent_method": lazy_gettext("How she consented"),
    "protect_from_retaliation": lazy_gettext("Protect her from retaliation"),
    "referral_id": lazy_gettext("Referral"), "person_name": lazy_gettext("Person's name"),
    "relationship": lazy_gettext("Relationship"), "active": lazy_gettext("Active"),
    "delivered_at": lazy_gettext("Delivered at"), "held_on": lazy_gettext("Held on"), "topic": lazy_gettext("Topic"),
    "code": lazy_gettext("Code"), "name": lazy_gettext("Name"), "sector": lazy_gettext("Sector"),
    "service_types": lazy_gettext("Service types"), "full_name": lazy_gettext("Full name"),
    "email": lazy_gettext("Email"), "role": lazy_gettext("Role"), "organization_id": lazy_gettext("Organization"),
    "token": lazy_gettext("Activation code"),
    # the Ficha de Registro's fields (docs/casework.md)
    "ethnicity": lazy_gettext("Ethnic self-identification"),
    "interpreter_needed": lazy_gettext("She needs an interpreter"),
    "condition": lazy_gettext("Condition"), "informant": lazy_gettext("Who informed the centre"),
    "complaint_filed": lazy_gettext("Complaint filed"),
    "registered_elsewhere": lazy_gettext("Registered at another centre"),
    "place_ubigeo": lazy_gettext("Place (district UBIGEO)"), "place": lazy_gettext("Place"),
    "consent_for_statistics": lazy_gettext("She consents to statistical use"),
    # case conferences
    "held_at": lazy_gettext("Held at"), "organization_ids": lazy_gettext("Organizations taking part"),
    "decisions": lazy_gettext("Decisions"),
}


def field_label(name: str) -> str:
    """The label for a field named ``parent.child``: its own, else its name made readable."""
    last = name.split(".")[-1]
    label = LABELS.get(last)
    if callable(label):
        return label()
    return str(label) if label is not None else gettext(last.replace("_", " ").capitalize())


#: What a code is called on the page (the code stays the API's value: forms post it, the
#: API answers it). Codes shared by several lists mean the same there ("other", "partner").
CHOICES = {
    # statuses, steps, priorities, risk levels
    "open": lazy_gettext("Open"), "closed": lazy_gettext("Closed"),
    "engagement": lazy_gettext("Engagement"), "assessment": lazy_gettext("Assessment"),
    "action_plan": lazy_gettext("Action plan"), "implementation": lazy_gettext("Implementation"),
    "follow_up": lazy_gettext("Follow-up"), "closure": lazy_gettext("Closure"),
    "high": lazy_gettext("High"), "medium": lazy_gettext("Medium"), "low": lazy_gettext("Low"),
    "leve": lazy_gettext("Mild"), "moderado": lazy_gettext("Moderate"), "severo": lazy_gettext("Severe"),
    # GBVIMS types and violence types
    "rape": lazy_gettext("Rape"), "sexual_assault": lazy_gettext("Sexual assault"),
    "physical_assault": lazy_gettext("Physical assault"), "forced_marriage": lazy_gettext("Forced marriage"),
    "denial_of_resources": lazy_gettext("Denial of resources, opportunities or services"),
    "psychological_emotional_abuse": lazy_gettext("Psychological or emotional abuse"),
    "non_gbv": lazy_gettext("Not GBV"),
    "penetration": lazy_gettext("Penetration"), "sexual_contact": lazy_gettext("Sexual contact"),
    "psychological_abuse": lazy_gettext("Psychological abuse"),
    "fisica": lazy_gettext("Physical"), "psicologica": lazy_gettext("Psychological"),
    "sexual": lazy_gettext("Sexual"), "economica_patrimonial": lazy_gettext("Economic or patrimonial"),
    # perpetrators, places
    "partner": lazy_gettext("Partner"), "former_partner": lazy_gettext("Former partner"),
    "family": lazy_gettext("Family"), "acquaintance": lazy_gettext("Acquaintance"),
    "authority": lazy_gettext("Authority"), "stranger": lazy_gettext("Stranger"), "other": lazy_gettext("Other"),
    "home": lazy_gettext("Home"), "street": lazy_gettext("Street"), "workplace": lazy_gettext("Workplace"),
    "school": lazy_gettext("School"), "institution": lazy_gettext("Institution"), "online": lazy_gettext("Online"),
    "age_0_11": lazy_gettext("0 to 11 years"), "age_12_17": lazy_gettext("12 to 17 years"),
    "age_18_25": lazy_gettext("18 to 25 years"), "age_26_40": lazy_gettext("26 to 40 years"),
    "age_41_60": lazy_gettext("41 to 60 years"), "age_61_plus": lazy_gettext("61 years or more"),
    "unknown": lazy_gettext("Unknown"),
    # sectors, roles, disciplines
    "cem": lazy_gettext("Women's emergency centre (CEM)"), "health": lazy_gettext("Health"),
    "police": lazy_gettext("Police"), "justice": lazy_gettext("Justice"), "social": lazy_gettext("Social services"),
    "ngo": lazy_gettext("NGO"), "penitentiary": lazy_gettext("Penitentiary establishment"),
    "admin": lazy_gettext("Administrator"), "supervisor": lazy_gettext("Supervisor"),
    "caseworker": lazy_gettext("Caseworker"), "mentor": lazy_gettext("Mentor"),
    "psychologist": lazy_gettext("Community psychologist"), "liaison": lazy_gettext("Liaison"),
    "admission": lazy_gettext("Admission"), "psychology": lazy_gettext("Psychology"), "legal": lazy_gettext("Legal"),
    # service types and plan needs
    "hiv_pep": lazy_gettext("HIV post-exposure prophylaxis"),
    "emergency_contraception": lazy_gettext("Emergency contraception"),
    "medical_care": lazy_gettext("Medical care"), "medico_legal_exam": lazy_gettext("Medico-legal examination"),
    "mental_health": lazy_gettext("Mental health"), "complaint": lazy_gettext("Police complaint"),
    "protective_measures": lazy_gettext("Protective measures"), "legal_proceedings": lazy_gettext("Legal proceedings"),
    "shelter": lazy_gettext("Shelter"), "social_support": lazy_gettext("Social support"),
    "economic_support": lazy_gettext("Economic support"), "legal_aid": lazy_gettext("Legal aid"),
    "sexual_reproductive_health": lazy_gettext("Sexual and reproductive health"),
    "maternity_care": lazy_gettext("Maternity care"), "reintegration_support": lazy_gettext("Reintegration support"),
    "psychosocial": lazy_gettext("Psychosocial"), "safety": lazy_gettext("Safety"),
    # plan decisions and goals
    "referred": lazy_gettext("Referred"), "own_agency": lazy_gettext("Provided by the centre"),
    "already_received": lazy_gettext("Already received"), "declined_by_survivor": lazy_gettext("Declined by her"),
    "unavailable": lazy_gettext("Service unavailable"), "not_applicable": lazy_gettext("Not applicable"),
    "in_progress": lazy_gettext("In progress"), "met": lazy_gettext("Met"),
    # approvals, referrals, clocks
    "pending": lazy_gettext("Pending"), "approved": lazy_gettext("Approved"), "rejected": lazy_gettext("Rejected"),
    "requested": lazy_gettext("Requested"), "accepted": lazy_gettext("Accepted"), "completed": lazy_gettext("Completed"),
    "cancelled": lazy_gettext("Cancelled"), "failed": lazy_gettext("Failed"),
    "running": lazy_gettext("Running"), "due_soon": lazy_gettext("Due soon"), "overdue": lazy_gettext("Overdue"),
    "missed": lazy_gettext("Missed"), "stopped": lazy_gettext("Stopped"),
    "incident": lazy_gettext("Incident"), "referral_sent": lazy_gettext("Referral sent"),
    "referral_accepted": lazy_gettext("Referral accepted"),
    # consents
    "survivor": lazy_gettext("She herself"), "guardian": lazy_gettext("Guardian"),
    "written": lazy_gettext("Written"), "verbal": lazy_gettext("Verbal"),
    # closure and reopening reasons
    "needs_met": lazy_gettext("Her needs were met"), "no_contact": lazy_gettext("No contact"),
    "survivor_request": lazy_gettext("At her request"), "left_area": lazy_gettext("She left the area"),
    "transferred": lazy_gettext("Transferred"), "new_incident": lazy_gettext("A new incident"),
    "new_needs": lazy_gettext("New needs"), "closed_in_error": lazy_gettext("Closed in error"),
    "court_order": lazy_gettext("Court order"), "duplicate_record": lazy_gettext("Duplicate record"),
    "guardian_request": lazy_gettext("At her guardian's request"), "retention": lazy_gettext("Retention period"),
    # registration
    "walk_in": lazy_gettext("Came in person"), "linea_100": lazy_gettext("Línea 100"), "chat_100": lazy_gettext("Chat 100"),
    "health_facility": lazy_gettext("Health facility"), "court": lazy_gettext("Court"),
    "prosecutor": lazy_gettext("Prosecutor's office"), "other_referral": lazy_gettext("Other referral"),
    "female": lazy_gettext("Female"), "male": lazy_gettext("Male"), "intersex": lazy_gettext("Intersex"),
    "none": lazy_gettext("None"),  # disability codes: FIELD_CHOICES, from survivors/codes.py
    "DNI": lazy_gettext("DNI"), "CE": lazy_gettext("Foreigner's card (CE)"), "PASSPORT": lazy_gettext("Passport"),
    "OTHER": lazy_gettext("Other document"), "NONE": lazy_gettext("No document"),
    # visits
    "mentor_accompaniment": lazy_gettext("Mentor accompaniment"),
    "psychological_followup": lazy_gettext("Psychological follow-up"),
    # a visit plan's status (PLAN_STATUSES)
    "active": lazy_gettext("Under way"), "ended": lazy_gettext("Ended"),
    "home_visit": lazy_gettext("Home visit"), "phone": lazy_gettext("Phone"), "meeting": lazy_gettext("Meeting"),
    "accompaniment": lazy_gettext("Accompaniment"), "in_facility": lazy_gettext("In the facility"),
    "done": lazy_gettext("Done"), "rescheduled": lazy_gettext("Rescheduled"), "planned": lazy_gettext("Planned"),
    "yes": lazy_gettext("yes"), "no": lazy_gettext("no"),
    # custody
    "in_custody": lazy_gettext("In custody"), "released": lazy_gettext("Released"),
    "hygiene_kit": lazy_gettext("Hygiene kit"), "clothing": lazy_gettext("Clothing"), "bedding": lazy_gettext("Bedding"),
    "baby_supplies": lazy_gettext("Baby supplies"), "menstrual_products": lazy_gettext("Menstrual products"),
    "food": lazy_gettext("Food"), "hiv_sti": lazy_gettext("HIV and STIs"), "suicide_risk": lazy_gettext("Suicide risk"),
    "drug_dependency": lazy_gettext("Drug dependency"),
    "violence_before_admission": lazy_gettext("Violence before admission"),
    "wants_to_report": lazy_gettext("She wants to report it"), "declines": lazy_gettext("She declines"),
    "undecided": lazy_gettext("Undecided"),
}

#: The fields whose values are codes: shown by their label, in lists and on records.
CODE_FIELDS = frozenset({
    "status", "step", "priority", "risk_level", "level", "gbv_type", "violence_types", "perpetrator_relationship",
    "location_type", "sector", "recipient_sector", "role", "discipline", "service_type", "service_types", "need",
    "decision", "goal_status", "kind", "reason", "given_by", "method", "milestone", "state", "intake_channel",
    "modality", "outcome", "relationship", "legal_recourse", "area", "complaint_filed", "anchor", "document_type",
    "condition", "informant", "ethnicity", "mother_tongue", "disability",
})


#: Lists whose codes are labelled by the field they belong to ("unknown", "other" differ from
#: list to list): the API's own code lists (``GET /code-lists``), not a second copy.
FIELD_CHOICES = {
    "condition": ficha.CONDITIONS, "informant": ficha.INFORMANTS, "complaint_filed": ficha.COMPLAINT_FILED,
    "ethnicity": codes.ETHNICITIES, "mother_tongue": codes.MOTHER_TONGUES, "disability": codes.DISABILITIES,
}


def choice_label(code, field: str | None = None) -> str:
    """The label of a code in her language (the field's own list first, when it has one); a
    code without one is shown as it is."""
    if isinstance(code, (list, tuple)):
        return ", ".join(choice_label(item, field) for item in code)
    if code is None:
        return "—"
    own = FIELD_CHOICES.get((field or "").split(".")[-1])
    label = own.get(str(code)) if own is not None else None
    if label is None:
        label = CHOICES.get(str(code))
    return str(label) if label is not None else str(code)
