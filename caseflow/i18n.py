"""Languages: Spanish by default, English second; ``Accept-Language`` chooses per request."""

from flask import current_app, request

SUPPORTED = ("es", "en")


def select_locale() -> str:
    default = current_app.config.get("CASEFLOW_LOCALE", "es")
    return request.accept_languages.best_match(SUPPORTED, default=default) if request else default
