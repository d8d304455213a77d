"""Who an authenticated request acts as: ``current_user`` for every token-authenticated request."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cached_property

from caseflow.extensions import db


@dataclass(frozen=True)
class Caller:
    """The account behind a request's token, as read with the token in one row.

    It is what policies, services and the audit trail ask of the person acting (who she is,
    her role, her organization) and nothing they could change: a snapshot, not a session
    entity. Loading her as a ``User`` entity on every request cost as much as the rest of a
    case read, and an entity is expired by the rollbacks a request may go through, so that
    reading her id afterwards would select her row again. Commands and tests act as a loaded
    ``User`` instead (caseflow.core.acting), which answers the same attributes.

    Changing the account (password, role, deactivation) goes through the ``User`` entity,
    loaded by id; a deactivated account's tokens fail at the next request's lookup.
    """

    id: uuid.UUID
    username: str
    full_name: str | None
    role: str
    discipline: str | None
    organization_id: uuid.UUID
    #: Read with the rest: the national-oversight rule asks for it on every supervisor's
    #: review, and loading her organization for it was a query of its own.
    organization_code: str
    #: False while her content role waits for a supervisor's confirmation (access.policy).
    role_confirmed: bool = True
    #: She has a confirmed second factor.
    mfa_enabled: bool = False

    # flask-login's user interface: only an active account's token yields a Caller.
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)

    @cached_property  # a frozen dataclass still has a __dict__ for it
    def organization(self):
        """Her organization, loaded when first asked for (by /auth/me)."""
        from caseflow.directory.models import Organization

        return db.session.get(Organization, self.organization_id)
