"""The contract's error shape, ``{"status", "message", "errors"}``, for every failure.

Services raise :class:`ApiError` subclasses with a translatable message; the one handler
below turns any HTTP error (ours, webargs' validation errors, Werkzeug's 404/405/413) into
JSON. Validation messages never carry the submitted value, so nothing sensitive is echoed.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext, lazy_gettext
from werkzeug.exceptions import HTTPException

DEFAULT_MESSAGES = {
    400: lazy_gettext("The request is not valid."),
    401: lazy_gettext("Authentication is required."),
    403: lazy_gettext("You are not allowed to do this."),
    404: lazy_gettext("Not found."),
    405: lazy_gettext("Method not allowed."),
    409: lazy_gettext("This conflicts with the current state of the record."),
    410: lazy_gettext("This survivor's data was erased."),
    413: lazy_gettext("The request is too large."),
    415: lazy_gettext("Unsupported media type."),
    422: lazy_gettext("The data sent is not valid."),
    429: lazy_gettext("Too many requests."),
    500: lazy_gettext("Internal error."),
    503: lazy_gettext("The service is temporarily unavailable."),
}


class ApiError(HTTPException):
    """An error with a user-facing, translatable message and optional field errors."""

    code = 400

    def __init__(self, message=None, errors: dict | None = None, code: int | None = None,
                 keep_changes: bool = False, flags: dict | None = None, headers: dict | None = None):
        super().__init__()
        #: Commit the transaction despite the error (a failed login still counts).
        self.keep_changes = keep_changes
        if code is not None:
            self.code = code
        self.data = {"message": message or DEFAULT_MESSAGES.get(self.code)}
        if errors:
            self.data["errors"] = errors
        #: Booleans a client acts on, beside the message (``"mfa_required": true``).
        if flags:
            self.data["flags"] = flags
        if headers:
            self.data["headers"] = headers


class BadRequest(ApiError):
    code = 400


class Unauthorized(ApiError):
    code = 401


class Forbidden(ApiError):
    code = 403


class NotFound(ApiError):
    code = 404


class Conflict(ApiError):
    code = 409


class Gone(ApiError):
    code = 410


class Unprocessable(ApiError):
    code = 422


class TooManyRequests(ApiError):
    code = 429

    def __init__(self, message=None, retry_after: int = 1, **kwargs):
        super().__init__(message, headers={"Retry-After": str(int(retry_after))}, **kwargs)


def field_error(field: str, message) -> Unprocessable:
    return Unprocessable(errors={field: [message]})


def error_payload(error: HTTPException) -> tuple[dict, int, dict]:
    code = error.code or 500
    data = getattr(error, "data", None) or {}
    message = data.get("message") or DEFAULT_MESSAGES.get(code) or error.name
    payload = {"status": code, "message": str(message)}
    raw_errors = data.get("errors") or data.get("messages")
    if raw_errors:
        payload["errors"] = _translate(_flatten_locations(raw_errors))
        if code == 422 and "message" not in data:
            payload["message"] = str(DEFAULT_MESSAGES[422])
    if code == 400 and raw_errors and _is_invalid_json(raw_errors):
        payload["message"] = gettext("The request body is not valid JSON.")
        payload.pop("errors", None)
    payload.update({str(name): bool(value) for name, value in (data.get("flags") or {}).items()})
    headers = dict(data.get("headers") or {})
    if code >= 500:
        current_app.logger.error("request failed with %s", code)
    return payload, code, headers


def _flatten_locations(errors):
    """webargs nests errors under the location (``json``, ``query``); clients want fields."""
    if isinstance(errors, dict) and set(errors) <= {"json", "query", "path", "headers", "form"}:
        flat: dict = {}
        for location, value in errors.items():
            if isinstance(value, dict):
                flat.update(value)
            else:
                flat["_" + location] = value
        return flat
    return errors


def _is_invalid_json(errors) -> bool:
    return isinstance(errors, dict) and any(
        isinstance(v, list) and any("Invalid JSON" in str(m) for m in v) for v in errors.values()
    )


def _translate(value):
    if isinstance(value, dict):
        return {str(k): _translate(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_translate(v) for v in value]
    if isinstance(value, str):
        return gettext(value)
    return str(value)
