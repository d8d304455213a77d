"""Consent per recipient sector or organization."""


def init_app(app) -> None:
    """The access policy asks whether her consent covers an organization through this rule."""
    from caseflow.access.policy import register_consent_rule
    from caseflow.consents.services import may_share

    register_consent_rule(may_share)
