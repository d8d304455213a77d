from flask_smorest import Blueprint

from caseflow.access.policy import case_or_404, referral_or_404, require
from caseflow.core.errors import NotFound
from caseflow.core.pagination import PageArgs, page_schema, paginate
from caseflow.extensions import db
from caseflow.referrals import rules, services
from caseflow.referrals.models import DeadlineRule
from caseflow.referrals.schemas import (
    DeadlineRulePatchSchema,
    DeadlineRuleQuery,
    DeadlineRuleSchema,
    OnwardSchema,
    ReferralCreateSchema,
    ReferralDetailSchema,
    ReferralQuery,
    ReferralSchema,
    TransitionSchema,
)

blp = Blueprint("referrals", __name__, url_prefix="/api/v1", description="Referrals and their deadlines")

ReferralPage = page_schema(ReferralSchema, "ReferralPage")
DeadlineRulePage = page_schema(DeadlineRuleSchema, "DeadlineRulePage")


@blp.post("/cases/<uuid:case_id>/referrals")
@blp.arguments(ReferralCreateSchema)
@blp.response(201, ReferralDetailSchema)
def send_referral(data, case_id):
    """Refer the case to an organization: needs her consent for it in effect, or a
    mandatory report with its legal basis (409 otherwise)."""
    require("referral.send")
    return services.send(case_or_404(case_id), data)


@blp.get("/cases/<uuid:case_id>/referrals")
@blp.arguments(PageArgs, location="query")
@blp.response(200, ReferralPage)
def list_case_referrals(args, case_id):
    require("referral.read")
    return paginate(services.of_case(case_or_404(case_id)), args)


@blp.get("/referrals")
@blp.arguments(ReferralQuery, location="query")
@blp.response(200, ReferralPage)
def list_referrals(args):
    """Referrals sent by the caller's centre, or (liaisons) sent to her organization."""
    require("referral.read")
    return paginate(services.filtered(args), args)


@blp.get("/referrals/<uuid:referral_id>")
@blp.response(200, ReferralDetailSchema)
def get_referral(referral_id):
    return referral_or_404(referral_id)


@blp.post("/referrals/<uuid:referral_id>/transitions")
@blp.arguments(TransitionSchema)
@blp.response(200, ReferralDetailSchema)
def move_referral(data, referral_id):
    """Move the referral: the receiving organization accepts, rejects, progresses, completes
    or fails it; the referring centre cancels it. A reason is required for rejected,
    cancelled and failed. An impossible move, or one that lost a race, is 409."""
    return services.transition(referral_or_404(referral_id), data["status"], data.get("reason"))


@blp.post("/referrals/<uuid:referral_id>/onward")
@blp.arguments(OnwardSchema)
@blp.response(201, ReferralDetailSchema)
def refer_onward(data, referral_id):
    """The receiving organization sends the case on (the police send the complaint to the
    family court): a new referral with `parent_referral_id`. Sending it meets the parent's
    `referred_on` clock (Ley 30364, art. 15) and starts the recipient's own clocks. The
    legal duty is its basis toward the justice sector (recorded like a mandatory report);
    elsewhere her consent for the recipient is needed (409)."""
    return services.refer_onward(referral_or_404(referral_id), data)


# -- deadline rules -------------------------------------------------------------------
def _rule_or_404(rule_id):
    rule = db.session.get(DeadlineRule, rule_id)
    if rule is None:
        raise NotFound()
    return rule


@blp.get("/deadline-rules")
@blp.arguments(DeadlineRuleQuery, location="query")
@blp.response(200, DeadlineRulePage)
def list_deadline_rules(args):
    """The deadline rules, every version, with their sources and effective dates."""
    require("deadline_rule.read")
    return paginate(rules.listed(args), args)


@blp.post("/deadline-rules")
@blp.arguments(DeadlineRuleSchema)
@blp.response(201, DeadlineRuleSchema)
def create_deadline_rule(data):
    """Add a rule (administrators). Referrals already sent keep their deadlines."""
    require("deadline_rule.write")
    return rules.create_rule(data)


@blp.get("/deadline-rules/<uuid:rule_id>")
@blp.response(200, DeadlineRuleSchema)
def get_deadline_rule(rule_id):
    require("deadline_rule.read")
    return _rule_or_404(rule_id)


@blp.patch("/deadline-rules/<uuid:rule_id>")
@blp.arguments(DeadlineRulePatchSchema)
@blp.response(200, DeadlineRuleSchema)
def patch_deadline_rule(changes, rule_id):
    """Amend a rule (administrators); to change a clock from a date on, end this version
    with `effective_to` and add the new one."""
    require("deadline_rule.write")
    return rules.update_rule(_rule_or_404(rule_id), changes)
