"""Values of a row as the API's JSON gives them, for responses built straight from rows
(where running a schema per field and loading entities cost more than the query)."""

from __future__ import annotations


def iso(moment):
    """What ``AwareDateTime`` dumps: ISO 8601 with the offset, or null."""
    return None if moment is None else moment.isoformat()


def text_or_none(value):
    """A UUID (or any value) as its string, or null."""
    return None if value is None else str(value)
