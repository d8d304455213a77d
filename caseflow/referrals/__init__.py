"""Referrals between sectors: consent-gated, deadline-tracked (docs/referrals.md)."""


def init_app(app) -> None:
    """The deadline scan and its notification topics, the referrals' timeline entries, and
    the cases filter on an overdue referral."""
    from caseflow.cases.services import register_case_filter
    from caseflow.referrals import scans, services, timeline

    scans.register_scans()
    timeline.register_sources()
    register_case_filter("overdue", services.overdue_cases_filter)
