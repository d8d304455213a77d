"""Scheduling: a pure scan layer, an outbox of reminders and escalations, and the runner.

One process (``caseflow scheduler run``) runs passes; web workers never schedule. Features
add their own checks with :func:`caseflow.scheduling.registry.register_scan`.
"""

from caseflow.scheduling import account_notices  # noqa: E402,F401  (her account's notices)
