import marshmallow as ma
from flask_login import current_user

from caseflow.access.policy import readable_value, referral_identity_fields
from caseflow.consents.services import may_share
from caseflow.core.clock import utcnow
from caseflow.core.fields import aware_datetime, choice, text
from caseflow.core.pagination import PageArgs
from caseflow.core.rows import iso, text_or_none
from caseflow.directory.schemas import OrganizationRefSchema
from caseflow.referrals import deadlines, rule_texts
from caseflow.referrals.models import ANCHORS, MILESTONES, PRIORITIES, RECEIVING_SECTORS, SERVICE_TYPES, STATUSES


# -- deadline rules -------------------------------------------------------------------
class DeadlineRuleSchema(ma.Schema):
    id = ma.fields.UUID(dump_only=True)
    code = text(60, required=True, required_nonblank=True)
    label = text(200, required=True, required_nonblank=True)
    service_type = choice(SERVICE_TYPES, allow_none=True, load_default=None)
    priority = choice(PRIORITIES, allow_none=True, load_default=None, metadata={
        "description": "For acknowledgement clocks: the referral priority this rule applies to"})
    anchor = choice(ANCHORS, required=True, metadata={"description": "Where the clock starts"})
    milestone = choice(MILESTONES, required=True, metadata={"description": "What stops the clock"})
    hours = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=8784))
    source = text(300, required=True, required_nonblank=True)
    effective_from = aware_datetime(required=True)
    effective_to = aware_datetime(allow_none=True, load_default=None)
    created_at = ma.fields.AwareDateTime(dump_only=True)
    updated_at = ma.fields.AwareDateTime(dump_only=True)

    @ma.post_dump
    def _shown(self, data, **kwargs):
        return rule_texts.shown_rule(data)


class DeadlineRulePatchSchema(ma.Schema):
    code = text(60, required_nonblank=True)
    label = text(200, required_nonblank=True)
    service_type = choice(SERVICE_TYPES, allow_none=True)
    priority = choice(PRIORITIES, allow_none=True)
    anchor = choice(ANCHORS)
    milestone = choice(MILESTONES)
    hours = ma.fields.Integer(validate=ma.validate.Range(min=1, max=8784))
    source = text(300, required_nonblank=True)
    effective_from = aware_datetime()
    effective_to = aware_datetime(allow_none=True)


class DeadlineRuleQuery(PageArgs):
    service_type = choice(SERVICE_TYPES)
    priority = choice(PRIORITIES)
    code = text(60)
    at = aware_datetime(metadata={"description": "Only rules in effect at this moment"})


class DeadlineRuleRefSchema(ma.Schema):
    id = ma.fields.UUID()
    code = ma.fields.String()
    label = ma.fields.String()
    anchor = ma.fields.String()
    milestone = ma.fields.String()
    hours = ma.fields.Integer()
    source = ma.fields.String()

    @ma.post_dump
    def _shown(self, data, **kwargs):
        return rule_texts.shown_rule(data)


# -- referrals ------------------------------------------------------------------------
class MandatoryReportSchema(ma.Schema):
    legal_basis = text(300, required=True, required_nonblank=True, metadata={
        "description": "The law that obliges the report, e.g. 'Ley 31156, art. 2'"})
    survivor_informed = ma.fields.Boolean(allow_none=True, metadata={
        "description": "She was told before the report was made"})


class ReferralCreateSchema(ma.Schema):
    to_organization_id = ma.fields.UUID(required=True)
    service_type = choice(SERVICE_TYPES, required=True)
    priority = choice(PRIORITIES, metadata={"description": "Defaults to the case's priority"})
    note = text(5000, allow_none=True)
    incident_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "The incident that starts clinical clocks; defaults to the case's latest"})
    mandatory_report = ma.fields.Nested(MandatoryReportSchema, allow_none=True, load_default=None, metadata={
        "description": "Send without consent where the law requires a report (separate permission, audited)"})


class OnwardSchema(ma.Schema):
    """What the receiving organization sends on, and to whom (the police to the family court)."""

    to_organization_id = ma.fields.UUID(required=True)
    service_type = choice(SERVICE_TYPES, required=True)
    note = text(5000, allow_none=True, metadata={"description": "Encrypted; read by the recipient under her consent"})


class TransitionSchema(ma.Schema):
    status = choice(STATUSES, required=True)
    reason = text(2000, allow_none=True, metadata={"description": "Required for rejected, cancelled and failed"})


class ClockSchema(ma.Schema):
    id = ma.fields.UUID()
    rule = ma.fields.Nested(DeadlineRuleRefSchema)
    milestone = ma.fields.String()
    starts_at = ma.fields.AwareDateTime()
    due_at = ma.fields.AwareDateTime()
    met_at = ma.fields.AwareDateTime(allow_none=True)
    stopped_at = ma.fields.AwareDateTime(allow_none=True)
    state = ma.fields.Method("_state", metadata={
        "type": "string", "enum": ["running", "due_soon", "overdue", "met", "missed", "stopped"]})
    met = ma.fields.Method("_met", metadata={"type": "boolean", "nullable": True})

    def _clock_state(self, clock):
        return deadlines.state(clock.due_at, met_at=clock.met_at, stopped_at=clock.stopped_at,
                               now=utcnow(), withdrawn=clock.referral.status == "cancelled")

    def _state(self, clock):
        return self._clock_state(clock).state

    def _met(self, clock):
        return self._clock_state(clock).met


class ReferralSchema(ma.Schema):
    """A referral without its note or her identity (lists)."""

    id = ma.fields.UUID()
    case_id = ma.fields.UUID()
    case_code = ma.fields.Function(lambda r: r.case.code)
    from_organization = ma.fields.Nested(OrganizationRefSchema)
    to_organization = ma.fields.Nested(OrganizationRefSchema)
    sector = ma.fields.String()
    service_type = ma.fields.String()
    priority = ma.fields.String()
    status = ma.fields.String()
    created_at = ma.fields.AwareDateTime(attribute="sent_at", metadata={"description": "When it was sent"})
    sent_by_id = ma.fields.UUID(allow_none=True)
    due_at = ma.fields.AwareDateTime(allow_none=True)
    deadline_rule = ma.fields.Nested(DeadlineRuleRefSchema, allow_none=True)
    next_due_at = ma.fields.AwareDateTime(allow_none=True, metadata={"description": "The earliest clock still running"})
    overdue = ma.fields.Boolean()
    accepted_at = ma.fields.AwareDateTime(allow_none=True)
    completed_at = ma.fields.AwareDateTime(allow_none=True)
    closed_at = ma.fields.AwareDateTime(allow_none=True)
    consent_id = ma.fields.UUID(allow_none=True)
    mandatory_report = ma.fields.Method("_mandatory", metadata={"type": "object", "nullable": True})
    parent_referral_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "The referral whose receiving organization sent this one on (onward referrals)"})
    referred_by_organization_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "The organization that sent it on (null: sent by the centre)"})
    clocks = ma.fields.Nested(ClockSchema, many=True)

    def _mandatory(self, referral):
        if not referral.mandatory_report:
            return None
        return {"legal_basis": referral.mandatory_report_basis, "survivor_informed": referral.survivor_informed}


def referral_items(rows, now) -> list[dict]:
    """List entries built straight from rows of :func:`caseflow.referrals.breaches.with_clocks`
    (a referral's columns, then one of its clocks): exactly what :class:`ReferralSchema`
    dumps for these referrals (a test compares them), without loading entities or running a
    schema per field, which dominated a page of the overdue view. A field added to
    ``ReferralSchema`` must be added here too.

    Columns are read by their labels (``from_*``, ``to_*``, ``rule_*``, ``clock_*``, the
    clock's rule ``clock_rule_*``); a referral's rows are consecutive. An organization's or a
    rule's entry is built once per page and shared by the items that name it."""
    organizations: dict = {}
    rules: dict = {}

    def organization(id_, code, name, sector):
        ref = organizations.get(id_)
        if ref is None:
            ref = organizations[id_] = {"id": str(id_), "code": code, "name": name, "sector": sector}
        return ref

    def rule(row, prefix):
        id_ = getattr(row, prefix + "id")
        if id_ is None:
            return None
        ref = rules.get(id_)
        if ref is None:
            ref = rules[id_] = {"id": str(id_), **{name: getattr(row, prefix + name) for name in RULE_FIELDS}}
            ref["label"], ref["source"] = rule_texts.shown(ref["label"]), rule_texts.shown(ref["source"])
        return ref

    items = []
    item = None
    for row in rows:
        if item is None or item["id"] != str(row.id):
            next_due_at = row.next_due_at
            item = {
                "id": str(row.id), "case_id": str(row.case_id), "case_code": row.case_code,
                "from_organization": organization(row.from_id, row.from_code, row.from_name, row.from_sector),
                "to_organization": organization(row.to_id, row.to_code, row.to_name, row.to_sector),
                "sector": row.sector, "service_type": row.service_type, "priority": row.priority,
                "status": row.status, "created_at": iso(row.sent_at), "sent_by_id": text_or_none(row.sent_by_id),
                "due_at": iso(row.due_at), "deadline_rule": rule(row, "rule_"), "next_due_at": iso(next_due_at),
                "overdue": next_due_at is not None and next_due_at < now,
                "accepted_at": iso(row.accepted_at), "completed_at": iso(row.completed_at),
                "closed_at": iso(row.closed_at), "consent_id": text_or_none(row.consent_id),
                "mandatory_report": {"legal_basis": row.mandatory_report_basis,
                                     "survivor_informed": row.survivor_informed}
                if row.mandatory_report else None,
                "parent_referral_id": text_or_none(row.parent_referral_id),
                "referred_by_organization_id": text_or_none(row.referred_by_organization_id),
                "clocks": [],
            }
            items.append(item)
        if row.clock_id is None:
            continue
        state = deadlines.state(row.clock_due_at, met_at=row.clock_met_at, stopped_at=row.clock_stopped_at, now=now,
                                withdrawn=row.status == "cancelled")
        item["clocks"].append({
            "id": str(row.clock_id), "rule": rule(row, "clock_rule_"), "milestone": row.clock_milestone,
            "starts_at": iso(row.clock_starts_at), "due_at": row.clock_due_at.isoformat(),
            "met_at": iso(row.clock_met_at), "stopped_at": iso(row.clock_stopped_at),
            "state": state.state, "met": state.met})
    return items


#: A deadline rule's fields as the list entries show them (after its id).
RULE_FIELDS = ("code", "label", "anchor", "milestone", "hours", "source")


class ReferralEventSchema(ma.Schema):
    id = ma.fields.UUID()
    from_status = ma.fields.String(allow_none=True)
    to_status = ma.fields.String()
    at = ma.fields.AwareDateTime()
    actor_id = ma.fields.UUID(allow_none=True)
    organization_id = ma.fields.UUID(allow_none=True)
    reason = ma.fields.String(allow_none=True)


class _ReferralEvents(ma.fields.Nested):
    """The referral's events, read through the service (a typed array in the description)."""

    def get_value(self, obj, attr, accessor=None, default=ma.missing):
        from caseflow.referrals.services import events_of

        return events_of(obj)


class OnwardRefSchema(ma.Schema):
    """A referral sent on from this one: codes and times only (no note, no identity)."""

    id = ma.fields.UUID()
    to_organization = ma.fields.Nested(OrganizationRefSchema)
    sector = ma.fields.String()
    service_type = ma.fields.String()
    status = ma.fields.String()
    created_at = ma.fields.AwareDateTime(attribute="sent_at")
    due_at = ma.fields.AwareDateTime(allow_none=True)


class _Onward(ma.fields.Nested):
    def get_value(self, obj, attr, accessor=None, default=ma.missing):
        from caseflow.referrals.services import onward_of

        return onward_of(obj)


class ReferralDetailSchema(ReferralSchema):
    """With the note, the events and as much of her identity as the reader may see."""

    onward = _Onward(OnwardRefSchema, many=True, metadata={
        "description": "Referrals its receiving organization sent on from this one (the chain)"})

    note = ma.fields.Method("_note", metadata={"type": "string", "nullable": True, "description": (
        "The sending centre's note: for the receiving organization only while her consent to it is in effect")})
    survivor = ma.fields.Method("_survivor", metadata={"type": "object", "description": (
        "Her identity as far as the reader may see it: the receiving organization sees what "
        "her consent covers, or only her alias under a mandatory report without consent")})
    events = _ReferralEvents(ReferralEventSchema, many=True)

    def _note(self, referral):
        return readable_value(referral, "note")

    def _survivor(self, referral):
        survivor = referral.case.survivor
        if survivor.erased:
            return {"erased": True}
        # Only the receiving organization's reading depends on her consent to it.
        receiving = getattr(current_user, "organization_id", None) == referral.to_organization_id
        consent_in_effect = bool(receiving and may_share(referral.case, referral.to_organization))
        shown = {}
        for name in referral_identity_fields(referral, consent_in_effect):
            value = getattr(survivor, name)
            shown[name] = value.isoformat() if hasattr(value, "isoformat") else value
        return shown



class ReferralQuery(PageArgs):
    overdue = ma.fields.Boolean(metadata={"description": "true: a clock of the referral has run out"})
    sector = choice(RECEIVING_SECTORS)
    status = choice(STATUSES)
    service_type = choice(SERVICE_TYPES)
    priority = choice(PRIORITIES)
    case_id = ma.fields.UUID()
