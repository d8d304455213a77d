"""Languages: Spanish by default, English second; ``Accept-Language`` chooses per API
request, the console's language switch for its pages."""

from flask import current_app, request, session

SUPPORTED = ("es", "en")


def select_locale() -> str:
    default = current_app.config.get("CASEFLOW_LOCALE", "es")
    view = current_app.view_functions.get(request.endpoint) if request and request.endpoint else None
    if getattr(view, "caseflow_page", False):
        # The console: her choice by the language switch, else the default (Spanish).
        chosen = session.get("lang")
        return chosen if chosen in SUPPORTED else default
    return request.accept_languages.best_match(SUPPORTED, default=default) if request else default
