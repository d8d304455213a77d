"""The registry of scans a scheduler pass runs.

A scan is a function ``fn(now, batch_size)`` that yields :class:`ScanBatch` objects. It
takes the time as an argument (it never reads the clock), may claim rows in the current
session with compare-and-set updates, and describes the messages it wants sent as
:class:`Outgoing` values. The pass writes each batch to the outbox and commits it before
asking for the next one, so a pass killed midway keeps every committed batch and the next
pass does the rest.

A feature adds a check without touching the pass::

    from caseflow.scheduling.registry import Outgoing, ScanBatch, register_scan

    def referral_deadlines(now, batch_size):
        ...
        yield ScanBatch(messages=[Outgoing(...)])

    def init_app(app):  # the feature's setup, called by create_app (web and scheduler)
        register_scan("referral_deadline", referral_deadlines, order=50)
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterable


@dataclass(frozen=True)
class Outgoing:
    """A message a scan wants in the outbox: codes, ids and times only, never PII."""

    #: Unique per message: ``<topic>:<subject id>:<anchor time>:<recipient id>``.
    dedupe_key: str
    recipient_id: uuid.UUID
    kind: str  # reminder | escalation
    topic: str
    case_id: uuid.UUID | None = None
    case_code: str | None = None
    subject_at: datetime | None = None
    detail: dict | None = None


@dataclass
class ScanBatch:
    messages: list[Outgoing] = field(default_factory=list)
    #: Ids of the rows this batch claimed (each claimed by exactly one pass).
    claimed: list = field(default_factory=list)
    #: Other work done (e.g. visits generated ahead).
    work: int = 0


ScanFunction = Callable[[datetime, int], Iterable[ScanBatch]]


class RecipientsByOrganization:
    """The people of an organization a scan writes to, looked up once per pass.

    ``statement_for(organization_id)`` is a policy-layer query (e.g. the centre's
    supervisors, or a receiving organization's liaisons).
    """

    def __init__(self, statement_for: Callable):
        self._statement_for, self._cache = statement_for, {}

    def of(self, organization_id) -> list:
        if organization_id not in self._cache:
            from caseflow.extensions import db

            self._cache[organization_id] = [u.id for u in db.session.scalars(self._statement_for(organization_id))]
        return self._cache[organization_id]


class RecipientsByCase:
    """The staff carrying each case (:func:`caseflow.access.policy.case_team`), looked up
    for a whole batch of cases in one statement (:meth:`prefetch`) and kept for the pass."""

    def __init__(self):
        self._cache: dict = {}

    def prefetch(self, case_ids) -> None:
        from caseflow.access.policy import case_team
        from caseflow.extensions import db

        missing = {case_id for case_id in case_ids if case_id is not None and case_id not in self._cache}
        if not missing:
            return
        for case_id in missing:
            self._cache[case_id] = []
        for case_id, user_id in db.session.execute(case_team(missing)):
            self._cache[case_id].append(user_id)

    def of(self, case_id) -> list:
        if case_id not in self._cache:
            self.prefetch([case_id])
        return self._cache[case_id]


class EscalationRecipients:
    """Who hears about a case's missed visits, safety concerns and breached deadlines: the
    centre's supervisors and the staff assigned to the case, each once."""

    def __init__(self):
        from caseflow.access.policy import escalation_recipients

        self.supervisors = RecipientsByOrganization(escalation_recipients)
        self.team = RecipientsByCase()

    def prefetch(self, case_ids) -> None:
        self.team.prefetch(case_ids)

    def of(self, organization_id, case_id) -> list:
        return list(dict.fromkeys([*self.supervisors.of(organization_id), *self.team.of(case_id)]))


@dataclass(frozen=True)
class Scan:
    name: str
    fn: ScanFunction
    order: int


_SCANS: dict[str, Scan] = {}


def register_scan(name: str, fn: ScanFunction, *, order: int = 100) -> None:
    """Add (or replace, by name) a scan; lower ``order`` runs first."""
    _SCANS[name] = Scan(name, fn, order)


def unregister_scan(name: str) -> None:
    _SCANS.pop(name, None)


def registered_scans() -> list[Scan]:
    return sorted(_SCANS.values(), key=lambda scan: (scan.order, scan.name))
