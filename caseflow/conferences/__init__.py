"""Case conferences (step 4 of the Inter-Agency guidelines, and the monthly inter-institutional
table a centre coordinates with its partners): when, which organizations, what was decided
(encrypted). docs/casework.md, "Case conferences"."""


def init_app(app) -> None:
    """The conferences' entries on the case timeline."""
    from caseflow.cases.timeline import register_timeline_source
    from caseflow.conferences.services import timeline_entries

    register_timeline_source("conferences", timeline_entries)
