"""The visit checks of a scheduler pass (registered by the visits' ``init_app``).

Each takes ``now`` and a batch size, claims due rows with a compare-and-set update
(``... WHERE reminded_at IS NULL RETURNING id``) after selecting them ``FOR UPDATE SKIP
LOCKED`` on PostgreSQL (SQLAlchemy leaves that clause out on SQLite, whose write
transactions are serial), and yields one batch at a time for the pass to commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, literal, select, tuple_, update

from caseflow.audit.services import record
from caseflow.cases.models import Case
from caseflow.cases.recording import no_contact_days
from caseflow.core.batching import keyset_batches
from caseflow.extensions import db
from caseflow.scheduling.registry import EscalationRecipients, Outgoing, ScanBatch, register_scan
from caseflow.visits import services
from caseflow.visits.models import Visit, VisitPlan


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


#: Statuses as literals in the SQL, as in the partial indexes' predicates (see the models): a
#: bound parameter cannot prove that a generic (prepared) PostgreSQL plan may use them.
_PLANNED = literal("planned", literal_execute=True)
_ACTIVE = literal("active", literal_execute=True)


def extend_visit_horizons(now: datetime, batch_size: int):
    """Generate visits ahead for every active plan whose horizon is behind.

    Read in ``(next_due_on, id)`` order from ``ix_visit_plans_horizon``, which holds only
    active plans with visits left to generate; a plan brought up to date leaves the range.
    Plain rows, not ORM objects: nothing stays in the session between batches.
    """
    through = services.horizon(now)
    behind = (select(*services.GENERATOR_COLUMNS)
              .where(VisitPlan.status == _ACTIVE, VisitPlan.next_due_on.is_not(None), VisitPlan.next_due_on <= through)
              .with_for_update(skip_locked=True))
    for plans in keyset_batches(behind, [VisitPlan.next_due_on, VisitPlan.id], batch_size):
        generated = services.extend_plans(plans, through)
        if generated:
            record("visits_generated", "visit_plans", None, detail={"plans": len(plans), "visits": generated})
        yield ScanBatch(work=generated)


def _due_visits(condition):
    """Due visits, read in batches in ``(order_column, id)`` order from a partial index that
    holds only visits still waiting (``ix_visits_reminder_due`` / ``ix_visits_overdue_due``)."""
    return (select(Visit.id, Visit.case_id, Visit.organization_id, Visit.assignee_id, Visit.window_start,
                   Visit.window_end, Case.code)
            .join(Case, Case.id == Visit.case_id)
            .where(Visit.status == _PLANNED, Case.status == "open", *condition)
            .with_for_update(skip_locked=True, of=Visit))


def claim_statement(ids, column, now, *, order_column, after, last):
    """Compare-and-set: only rows still unclaimed and planned are taken (and returned).

    Bounded twice: by primary key, and by the keyset range the batch was read from, ``after``
    (exclusive, None for the first batch) to ``last`` (inclusive) in ``(order_column, id)``
    order. Every row of the batch lies in that range, so the range excludes none of them; it
    is there so that whichever index a planner picks (SQLite has no statistics, PostgreSQL
    none right after a bulk load, and both then take a partial index for selective), the
    claim reads about a batch of rows, never every planned visit.
    """
    statement = (update(Visit)
                 .where(Visit.id.in_(ids), column.is_(None), Visit.status == _PLANNED,
                        tuple_(order_column, Visit.id) <= last)
                 .values({column.key: now}).returning(Visit.id).execution_options(synchronize_session=False))
    if after is not None:
        statement = statement.where(tuple_(order_column, Visit.id) > after)
    return statement


def _claim(rows, column, now, order_column, after) -> tuple[set, tuple]:
    """Claim a batch read by :func:`_due_visits`; return the ids taken and the batch's last key."""
    last = (getattr(rows[-1], order_column.key), rows[-1].id)
    statement = claim_statement([r.id for r in rows], column, now, order_column=order_column, after=after, last=last)
    return set(db.session.execute(statement).scalars().all()), last


def _claimed_batches(condition, order_column, claim_column, now, batch_size, messages_for, prefetch=None):
    """Read due visits batch by batch, claim each batch, and yield the messages
    ``messages_for(row)`` gives for the rows this pass claimed."""
    after = None
    for rows in keyset_batches(_due_visits(condition), [order_column, Visit.id], batch_size):
        claimed, after = _claim(rows, claim_column, now, order_column, after)
        if prefetch is not None:
            prefetch([r.case_id for r in rows if r.id in claimed])
        messages = [message for r in rows if r.id in claimed for message in messages_for(r)]
        yield ScanBatch(messages=messages, claimed=sorted(claimed, key=str))


def remind_due_visits(now: datetime, batch_size: int):
    """A reminder to the assignee once a visit's window opens within the lead time."""
    lead = timedelta(hours=current_app.config["CASEFLOW_REMINDER_LEAD_HOURS"])
    condition = (Visit.reminded_at.is_(None), Visit.window_start <= now + lead, Visit.window_end > now)

    def reminder(r):
        yield Outgoing(dedupe_key=f"visit_due:{r.id}:{_stamp(r.window_start)}:{r.assignee_id}",
                       recipient_id=r.assignee_id, kind="reminder", topic="visit_due", case_id=r.case_id,
                       case_code=r.code, subject_at=r.window_start, detail={"visit_id": str(r.id)})

    yield from _claimed_batches(condition, Visit.window_start, Visit.reminded_at, now, batch_size, reminder)


def escalate_overdue_visits(now: datetime, batch_size: int):
    """An escalation to the centre's supervisors and the case's assigned staff when a visit's
    window closed a grace period ago."""
    grace = timedelta(hours=current_app.config["CASEFLOW_VISIT_GRACE_HOURS"])
    recipients = EscalationRecipients()
    condition = (Visit.escalated_at.is_(None), Visit.window_end <= now - grace)

    def escalations(r):
        for supervisor in recipients.of(r.organization_id, r.case_id):
            yield Outgoing(dedupe_key=f"visit_overdue:{r.id}:{_stamp(r.window_end)}:{supervisor}",
                           recipient_id=supervisor, kind="escalation", topic="visit_overdue", case_id=r.case_id,
                           case_code=r.code, subject_at=r.window_end,
                           detail={"visit_id": str(r.id), "assignee_id": str(r.assignee_id)})

    yield from _claimed_batches(condition, Visit.window_end, Visit.escalated_at, now, batch_size, escalations,
                                prefetch=recipients.prefetch)


def escalate_no_contact(now: datetime, batch_size: int):
    """Open cases nobody reached for the no-contact days (30 by default) (last contact, or
    opening): tell the supervisors and the staff assigned to the case.

    No claim column: the dedupe key names the last contact, so one escalation is written
    per silent spell, and a new contact followed by another silence raises a new one.
    """
    cutoff = now - timedelta(days=no_contact_days())
    anchor = func.coalesce(Case.last_contact_at, Case.opened_at)
    recipients = EscalationRecipients()
    silent = (select(Case.id, Case.code, Case.organization_id, Case.last_contact_at, Case.opened_at)
              .where(Case.status == "open", anchor <= cutoff))
    for rows in keyset_batches(silent, [Case.id], batch_size):
        messages = []
        recipients.prefetch([r.id for r in rows])
        for r in rows:
            since = r.last_contact_at or r.opened_at
            messages.extend(
                Outgoing(dedupe_key=f"no_contact:{r.id}:{_stamp(since)}:{supervisor}", recipient_id=supervisor,
                         kind="escalation", topic="no_contact", case_id=r.id, case_code=r.code, subject_at=since)
                for supervisor in recipients.of(r.organization_id, r.id)
            )
        yield ScanBatch(messages=messages)


def register_scans() -> None:
    """Called from the visits' ``init_app``."""
    register_scan("visit_horizon", extend_visit_horizons, order=10)
    register_scan("visit_reminder", remind_due_visits, order=20)
    register_scan("visit_overdue", escalate_overdue_visits, order=30)
    register_scan("no_contact", escalate_no_contact, order=40)
