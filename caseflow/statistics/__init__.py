def init_app(app) -> None:
    """Statistics keep the pairs of reports of the same incident current (duplicates.py) from
    what the blind indexes and the incidents announce."""
    from caseflow.crypto import signals as terms
    from caseflow.incidents import signals as incidents
    from caseflow.statistics import duplicates

    terms.terms_changed.connect(duplicates.on_terms_changed, weak=False)
    terms.index_switched.connect(duplicates.on_index_switched, weak=False)
    incidents.incident_recorded.connect(duplicates.on_incident_recorded, weak=False)
