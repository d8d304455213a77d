"""Run services as a given person outside a request (CLI, demo, scheduler, tests)."""

from __future__ import annotations

import contextlib

from flask import current_app, g


@contextlib.contextmanager
def acting_as(user):
    """Services read ``current_user``; this makes it ``user`` for the block."""
    previous = g.get("_login_user")
    with current_app.test_request_context():
        g._login_user = user
        try:
            yield user
        finally:
            g._login_user = previous
