"""Survivors deprived of liberty: custody with its history, supplies handed to her inside,
and the people she does not want to be visited by (UN Bangkok Rules; docs/custody.md)."""


def init_app(app) -> None:
    """Custody's entries on the case timeline."""
    from caseflow.custody import timeline

    timeline.register_sources()
