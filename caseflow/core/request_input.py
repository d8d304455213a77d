"""What every request's input must be before any schema reads it.

Checked once, here, for every route, rather than field by field: no NUL byte (PostgreSQL
refuses it in text and answered 500) and no lone UTF-16 surrogate (it cannot be encoded as
UTF-8) in any JSON string, object key or query parameter; JSON nested no deeper than
:data:`MAX_JSON_DEPTH`; and every value written as an ISO 8601 date or time within
:data:`YEARS` (year 1 or 9999 with an offset overflowed the conversion to UTC). Each is a
422 in the contract's shape naming the field, and changes nothing.
"""

from __future__ import annotations

import re

from flask import request
from flask_babel import lazy_gettext

from caseflow.core.errors import Unprocessable

#: Deeper than any body of the API (a risk assessment's answers are the deepest, at 3).
MAX_JSON_DEPTH = 32
#: Dates and times the service accepts: anything outside is a typing mistake or a probe.
YEARS = (1900, 2100)

_ISO_DATE_OR_TIME = re.compile(
    r"^(?P<year>[+-]?\d{4,})-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|z|[+-]\d{2}(:?\d{2})?)?)?$")
_UNSAFE_CHARACTER = re.compile("[\x00\ud800-\udfff]")

UNSAFE_TEXT = lazy_gettext("Contains a character that is not allowed (NUL or an unpaired surrogate).")
OUT_OF_RANGE = lazy_gettext("Must be a date between the years {low} and {high}.")
TOO_DEEP = lazy_gettext("The request body is nested too deeply.")


def _problem(value: str):
    if _UNSAFE_CHARACTER.search(value):
        return UNSAFE_TEXT
    match = _ISO_DATE_OR_TIME.match(value)
    if match and not YEARS[0] <= int(match.group("year")) <= YEARS[1]:
        return OUT_OF_RANGE.format(low=YEARS[0], high=YEARS[1])
    return None


def _check_json(document) -> dict:
    """Walk the parsed body without recursion; field errors by dotted path."""
    errors: dict = {}
    stack = [(document, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, (dict, list)) and depth > MAX_JSON_DEPTH:
            return {"_json": [TOO_DEEP]}
        if isinstance(value, dict):
            for key, item in value.items():
                name = f"{path}.{key}" if path else str(key)
                if _UNSAFE_CHARACTER.search(key):
                    errors.setdefault(path or "_json", [UNSAFE_TEXT])
                    continue
                stack.append((item, name, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}.{index}" if path else str(index), depth + 1)
                         for index, item in enumerate(value))
        elif isinstance(value, str):
            problem = _problem(value)
            if problem is not None:
                errors.setdefault(path or "_json", [problem])
    return errors


def refuse_unsafe_input() -> None:
    """A ``before_request`` hook: raise a 422 for input no route may see."""
    errors: dict = {}
    for name, value in request.args.items(multi=True):
        problem = UNSAFE_TEXT if _UNSAFE_CHARACTER.search(name) else _problem(value)
        if problem is not None:
            errors.setdefault(name if not _UNSAFE_CHARACTER.search(name) else "_query", [problem])
    # Only a body is parsed: a GET carrying the JSON content type but no body would otherwise
    # pay for a failed parse on every read (a third of this hook's cost on get case).
    if request.is_json and request.content_length != 0 and request.get_data(cache=True):
        try:
            document = request.get_json(silent=True)
        except RecursionError:  # the parser's own limit, far above ours
            raise Unprocessable(errors={"_json": [TOO_DEEP]}) from None
        if document is not None:
            errors.update(_check_json(document))
    if errors:
        raise Unprocessable(errors=errors)
