"""Versioned risk instruments as data and the assessments made with them."""


def init_app(app) -> None:
    """The plan answers the assessment: a case enters *action_plan* only once assessed."""
    from flask_babel import lazy_gettext

    from caseflow.cases.steps import register_entry_rule
    from caseflow.risk.services import has_risk_assessment

    # 3. The plan answers the assessment: safety and risk come first.
    register_entry_rule("action_plan", has_risk_assessment,
                        lazy_gettext("Record a risk assessment before the action plan."))
