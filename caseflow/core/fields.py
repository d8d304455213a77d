"""Schema fields with bounded sizes and translatable messages.

Every string a client sends has a maximum length, so an oversized value is a clear 422
rather than a database error.
"""

from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext


def text(max_length: int, **kwargs) -> ma.fields.String:
    validators = [
        ma.validate.Length(
            max=max_length, error=lazy_gettext("Longer than maximum length {max}.")
        )
    ]
    extra = kwargs.pop("validate", None)
    if extra is not None:
        validators.extend(extra if isinstance(extra, (list, tuple)) else [extra])
    if kwargs.pop("required_nonblank", False):
        validators.append(
            ma.validate.Length(min=1, error=lazy_gettext("Must not be empty."))
        )
    return ma.fields.String(validate=validators, **kwargs)


def choice(values, **kwargs) -> ma.fields.String:
    values = tuple(values)
    return ma.fields.String(
        validate=ma.validate.OneOf(values, error=lazy_gettext("Must be one of: {choices}.")),
        # A nullable choice lists null among its values (OpenAPI 3.0: nullable does not
        # extend an enum), or generated clients refuse the null they are sent.
        metadata={"enum": [*values, None] if kwargs.get("allow_none") else list(values),
                  **kwargs.pop("metadata", {})},
        **kwargs,
    )


def aware_datetime(**kwargs) -> ma.fields.AwareDateTime:
    """ISO 8601 with an offset; a value without one is rejected rather than guessed."""
    return ma.fields.AwareDateTime(format="iso", **kwargs)
