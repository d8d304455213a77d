"""A case's timeline, merged from every module that registers a source."""
