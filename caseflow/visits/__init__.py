"""Follow-up visits by mentors and community psychologists: plans, visits, visit logs."""


def init_app(app) -> None:
    """Visits follow the case (its signals), add scans to the pass and entries to the timeline."""
    from caseflow.cases import signals
    from caseflow.visits import scans, services, timeline

    signals.risk_level_changed.connect(services.on_risk_level_changed)
    signals.case_closed.connect(services.on_case_closed)
    scans.register_scans()
    timeline.register_sources()
