"""Recording incidents: the GBVIMS type, flags, age group and reporting delay are derived
here from the answers, never taken from the client."""

from __future__ import annotations

from datetime import datetime, time, timezone

from flask_babel import lazy_gettext
from flask_login import current_user

from caseflow.access.policy import scope_case_records
from caseflow.audit.services import record_model_write
from caseflow.cases import ficha, steps
from caseflow.cases.models import Case
from caseflow.cases.recording import local_date, local_zone, not_in_future, survivor_age_on
from caseflow.cases.services import add_event, set_condition
from caseflow.core.clock import utcnow
from caseflow.core.errors import field_error
from caseflow.extensions import db
from caseflow.incidents import classification
from caseflow.incidents.models import Incident
from caseflow.incidents.signals import incident_recorded

PLAIN_FIELDS = (
    "goods_or_money_exchanged", "violence_types", "perpetrator_relationship",
    "perpetrator_age_group", "perpetrator_count", "location_type", "place_ubigeo", "consent_for_statistics",
)


def _day_start(moment: datetime) -> datetime:
    """The start of ``moment``'s day where the centre is: only the day is known."""
    day = local_date(moment)
    return datetime.combine(day, time.min, tzinfo=local_zone()).astimezone(timezone.utc)


def record_incident(case: Case, data: dict) -> Incident:
    steps.ensure_open(case)
    occurred_at = data["occurred_at"].astimezone(timezone.utc)
    if not data.get("occurred_time_known", True):
        occurred_at = _day_start(occurred_at)
    not_in_future("occurred_at", occurred_at)
    reported_at = (data.get("reported_at") or utcnow()).astimezone(timezone.utc)
    not_in_future("reported_at", reported_at)
    if reported_at < occurred_at:
        raise field_error("reported_at", lazy_gettext("The report cannot come before the incident."))

    occurred_on = local_date(occurred_at)
    age = data.get("survivor_age")
    if age is None:
        age = survivor_age_on(case, occurred_on)
    acts = data["acts"]
    gbv_type = classification.classify(acts)
    flags = classification.derive_flags(gbv_type, age, data.get("goods_or_money_exchanged", False))

    incident = Incident(
        case_id=case.id, survivor_id=case.survivor_id, organization_id=case.organization_id, occurred_at=occurred_at,
        occurred_time_known=data.get("occurred_time_known", True), reported_at=reported_at,
        gbv_type=gbv_type, early_marriage=flags.early_marriage,
        possible_sexual_exploitation=flags.possible_sexual_exploitation,
        child_sexual_abuse=flags.child_sexual_abuse,
        reporting_delay=classification.reporting_delay_bucket(occurred_on, local_date(reported_at)),
        survivor_age_group=classification.age_group(age),
        survivor_age_group_mimp=classification.mimp_age_group(age), recorded_by_id=current_user.id,
        **{act: bool(acts.get(act)) for act in classification.ACTS},
        **{name: data[name] for name in PLAIN_FIELDS if name in data},
    )
    incident.violence_types = sorted(set(incident.violence_types or []))
    incident.ensure_id()
    if data.get("narrative"):
        incident.narrative = data["narrative"]
    db.session.add(incident)
    db.session.flush()
    incident_recorded.send(incident)
    add_event(case, "incident_recorded", {"incident_id": str(incident.id), "gbv_type": gbv_type})
    record_model_write("create", incident, fields=sorted(set(data) - {"survivor_age"}))
    condition = ficha.condition_after_incident(case, occurred_at)
    if condition is not None:
        set_condition(case, condition, "incident_recorded")
    steps.advance(case, "assessment", "incident_recorded")
    return incident


def update_incident(incident: Incident, changes: dict) -> Incident:
    """Correct the place, or record her consent to statistical use given or withdrawn later."""
    case = db.session.get(Case, incident.case_id)
    if changes != {"consent_for_statistics": False}:
        steps.ensure_open(case)  # withdrawing her consent is hers to do at any time
    changed = [name for name, value in changes.items() if getattr(incident, name) != value]
    for name in changed:
        setattr(incident, name, changes[name])
    if changed:
        add_event(case, "incident_updated", {"incident_id": str(incident.id), "fields": changed})
        record_model_write("update", incident, fields=changed)
    db.session.flush()
    return incident


def of_case(case: Case):
    return scope_case_records(Incident).where(Incident.case_id == case.id).order_by(
        Incident.occurred_at.desc(), Incident.id)
