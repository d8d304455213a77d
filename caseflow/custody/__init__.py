"""Survivors deprived of liberty: custody with its history, supplies handed to her inside,
and the people she does not want to be visited by (UN Bangkok Rules; docs/custody.md)."""


def init_app(app) -> None:
    """Custody's entries on the case timeline, and the case list's custody filter."""
    from caseflow.cases.services import register_case_filter
    from caseflow.custody import filters, timeline

    timeline.register_sources()
    register_case_filter("custody", filters.custody_cases_filter)
