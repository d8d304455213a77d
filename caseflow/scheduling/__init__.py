"""Scheduling: a pure scan layer, an outbox of reminders and escalations, and the runner.

One process (``caseflow scheduler run``) runs passes; web workers never schedule. Features
add their own checks with :func:`caseflow.scheduling.registry.register_scan`.
"""
