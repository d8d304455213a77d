def init_app(app) -> None:
    """Statistics keep the pairs of reports of the same incident current (duplicates.py) from
    what the blind indexes and the incidents announce, and each case's first milestones
    (milestones.py) from what cases, plans and referrals announce."""
    from caseflow.cases import signals as cases
    from caseflow.crypto import signals as terms
    from caseflow.incidents import signals as incidents
    from caseflow.plans import signals as plans
    from caseflow.referrals import signals as referrals
    from caseflow.statistics import duplicates, milestones

    terms.terms_changed.connect(duplicates.on_terms_changed, weak=False)
    terms.index_switched.connect(duplicates.on_index_switched, weak=False)
    incidents.incident_recorded.connect(duplicates.on_incident_recorded, weak=False)
    cases.case_opened.connect(milestones.on_case_opened, weak=False)
    plans.plan_item_added.connect(milestones.on_plan_item_added, weak=False)
    referrals.referral_sent.connect(milestones.on_referral, weak=False)
    referrals.referral_moved.connect(milestones.on_referral, weak=False)
