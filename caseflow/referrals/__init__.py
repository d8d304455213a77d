"""Referrals between sectors: consent-gated, deadline-tracked (docs/referrals.md)."""


def init_app(app) -> None:
    """The deadline scan and its notification topics, the referrals' timeline entries, and
    the cases filter on an overdue referral."""
    from caseflow.cases import signals
    from caseflow.cases.ficha import register_complaint_proof
    from caseflow.cases.services import register_case_filter
    from caseflow.closures.services import register_closure_blocker
    from caseflow.referrals import closing, scans, services, timeline

    register_closure_blocker(closing.open_referrals_refusal)
    signals.case_closed.connect(closing.stop_clocks, weak=False)
    scans.register_scans()
    timeline.register_sources()
    register_case_filter("overdue", services.overdue_cases_filter)
    register_complaint_proof(services.complaint_completed)
