"""A case's timeline, merged from every module that registers a source."""


def init_app(app) -> None:
    """The casework records' timeline entries."""
    from caseflow.timeline import sources

    sources.register_sources()
