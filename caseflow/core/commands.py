"""What every `caseflow` command shares: how it fails, who it acts as, how it reads `--now`."""

from __future__ import annotations

import sys
from datetime import datetime

import click
from flask import has_app_context

from caseflow.extensions import db


def fail(message: str) -> None:
    """Stop the command with ``error: message`` and exit status 1, changing nothing."""
    if has_app_context():
        db.session.rollback()
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def act_as_system(name: str) -> None:
    """The command's audit entries name it as their actor."""
    from caseflow.audit.services import system_actor

    system_actor(name)


def parse_now(text: str | None) -> datetime | None:
    """``--now``: an ISO 8601 instant with its UTC offset, or None (the clock's time)."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        fail("--now must be an ISO 8601 time with offset, e.g. 2026-03-01T09:00:00-05:00")
    if moment.tzinfo is None:
        fail("--now needs a UTC offset, e.g. 2026-03-01T09:00:00-05:00")
    return moment
