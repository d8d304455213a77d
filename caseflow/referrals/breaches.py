"""Which deadlines have run out, or soon will: the supervisor's overdue view and the scan
the scheduler calls to escalate breaches. The clock is always passed in."""

from __future__ import annotations

import base64
import binascii
import functools
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Iterator

from sqlalchemy import Integer, and_, bindparam, func, or_, select

from caseflow.cases.models import Case
from caseflow.directory.models import Organization
from caseflow.extensions import db
from caseflow.referrals.models import DeadlineRule, Referral, ReferralClock

#: "Due soon" in the supervisor's view: within a day.
DUE_SOON = timedelta(hours=24)


#: The overdue view counts at most this many referrals for its ``total``: the count is
#: an index-only range read, bounded so that a centre's backlog cannot make the page slow.
COUNT_LIMIT = 10_000


class BadCursor(ValueError):
    """A ``cursor`` that this list did not give out."""


def encode_cursor(next_due_at: datetime, referral_id: uuid.UUID) -> str:
    """An opaque position in the list: the last item's ``(next_due_at, id)``."""
    raw = f"{next_due_at.astimezone(timezone.utc).isoformat()}|{referral_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        due, _, referral_id = raw.partition("|")
        moment = datetime.fromisoformat(due)
        if moment.tzinfo is None:
            raise ValueError("naive")
        return moment.astimezone(timezone.utc), uuid.UUID(referral_id)
    except (ValueError, UnicodeDecodeError, binascii.Error) as error:
        raise BadCursor(cursor) from error


#: Core tables: the view's statements select columns, not entities, and ORM-annotated
#: columns would route their rows through the ORM's loading machinery.
_referrals = Referral.__table__


def overdue_conditions(centre_id: uuid.UUID | None, now: datetime, within: timedelta = DUE_SOON) -> list:
    """Referrals whose earliest running clock has run out or runs out within ``within``;
    ``centre_id`` None means every centre (a national supervisor). Only referrals with a
    running clock have a ``next_due_at``: a range on the partial indexes
    ``ix_referrals_open_from_org_due`` (a centre) or ``ix_referrals_open_due`` (every centre)."""
    conditions = [_referrals.c.next_due_at < now + within]
    if centre_id is not None:
        conditions.insert(0, _referrals.c.from_organization_id == centre_id)
    return conditions


def overdue_or_due_soon(centre_id: uuid.UUID | None, now: datetime, within: timedelta = DUE_SOON):
    """The overdue view as ORM entities, soonest first (tests compare the pages with it)."""
    return select(Referral).where(*overdue_conditions(centre_id, now, within)).order_by(
        Referral.next_due_at, Referral.id)


# The view's statements are built once per shape (a centre or every centre; first page,
# by offset or after a cursor) with bound parameters, so a request neither builds nor
# re-keys them: that cost more than running them.
def _in_view(national: bool) -> list:
    referral = _referrals.c
    conditions = [referral.next_due_at < bindparam("horizon")]
    if not national:
        conditions.insert(0, referral.from_organization_id == bindparam("centre"))
    return conditions


@functools.cache
def _count_statement(national: bool):
    bounded = select(_referrals.c.id).where(*_in_view(national)).limit(
        bindparam("count_limit", type_=Integer, literal_execute=True)).subquery()
    return select(func.count()).select_from(bounded)


@functools.cache
def _page_statement(national: bool, paging: str):
    """The page (``listing_statement``'s columns) and, as its last column, the bounded
    total: one statement, one index range read each."""
    due, referral_id = _referrals.c.next_due_at, _referrals.c.id
    conditions = _in_view(national)
    if paging == "cursor":
        after_due, after_id = bindparam("after_due"), bindparam("after_id")
        conditions += [due >= after_due, or_(due > after_due, and_(due == after_due, referral_id > after_id))]
    total = _count_statement(national).scalar_subquery().label("total")
    # The limits are written into the SQL: a prepared statement's generic plan then knows
    # it reads a page, not a tenth of the table, and PostgreSQL keeps it instead of
    # planning every run (planning the joins cost more than running them).
    page = (listing_statement().add_columns(total).where(*conditions).order_by(due, referral_id)
            .limit(bindparam("limit", type_=Integer, literal_execute=True)))
    if paging == "offset":
        page = page.offset(bindparam("offset"))
    page = page.subquery("page")
    return with_clocks(page, page.c.next_due_at, page.c.id)


def _scope_params(centre_id: uuid.UUID | None, now: datetime, within: timedelta) -> dict:
    params = {"horizon": now + within, "count_limit": COUNT_LIMIT + 1}
    if centre_id is not None:
        params["centre"] = centre_id
    return params


def overdue_total(centre_id: uuid.UUID | None, now: datetime, within: timedelta = DUE_SOON) -> tuple[int, bool]:
    """How many referrals the view holds, counted up to :data:`COUNT_LIMIT`:
    ``(total, exact)``. An index-only range read of at most ``COUNT_LIMIT + 1`` entries."""
    counted = db.session.scalar(_count_statement(centre_id is None), _scope_params(centre_id, now, within))
    return _bounded(counted)


def _bounded(counted: int) -> tuple[int, bool]:
    return (COUNT_LIMIT, False) if counted > COUNT_LIMIT else (counted, True)


def overdue_page(centre_id: uuid.UUID | None, now: datetime, within: timedelta = DUE_SOON, *,
                 per_page: int = 20, page: int = 1, cursor: str | None = None) -> dict:
    """One page of the overdue view, soonest first (ties by id), as plain data: the items
    are what ``ReferralSchema`` gives for these referrals (:func:`schemas.referral_items`).

    ``cursor`` (from the previous page's ``next_cursor``) continues after that referral:
    keyset paging, one index range read whatever the depth. ``page`` pages by offset.
    One statement whatever ``per_page``: the page with its clocks and its total (and the
    count alone for a page past the end).
    """
    from caseflow.referrals.schemas import referral_items

    params = {**_scope_params(centre_id, now, within), "limit": per_page}
    paging = "first"
    if cursor is not None:
        paging = "cursor"
        params["after_due"], params["after_id"] = decode_cursor(cursor)
    elif page > 1:
        paging = "offset"
        params["offset"] = (page - 1) * per_page
    rows = db.session.execute(_page_statement(centre_id is None, paging), params).all()
    total, exact = _bounded(rows[0].total) if rows else overdue_total(centre_id, now, within)
    items = referral_items(rows, now)
    last = rows[-1] if len(items) == per_page else None
    return {"items": items, "total": total, "total_exact": exact, "page": page, "per_page": per_page,
            "next_cursor": encode_cursor(last.next_due_at, last.id) if last is not None else None}


@functools.cache
def listing_statement():
    """The columns a referral's list entry shows, joined in one statement (no entities: a
    page is built straight from rows by :func:`schemas.referral_items`, after
    :func:`with_clocks`). Built once: statements are immutable, and building the aliases
    anew cost more than the query."""
    referral, case = _referrals.c, Case.__table__.c
    sender, receiver = Organization.__table__.alias("sender"), Organization.__table__.alias("receiver")
    rule = DeadlineRule.__table__.alias("rule")
    return (
        select(
            referral.id, referral.case_id, case.code.label("case_code"), referral.sector, referral.service_type,
            referral.priority, referral.status, referral.sent_at, referral.sent_by_id, referral.due_at,
            referral.next_due_at, referral.accepted_at, referral.completed_at, referral.closed_at,
            referral.consent_id, referral.mandatory_report, referral.mandatory_report_basis,
            referral.survivor_informed, referral.parent_referral_id, referral.referred_by_organization_id,
            sender.c.id.label("from_id"), sender.c.code.label("from_code"), sender.c.name.label("from_name"),
            sender.c.sector.label("from_sector"),
            receiver.c.id.label("to_id"), receiver.c.code.label("to_code"), receiver.c.name.label("to_name"),
            receiver.c.sector.label("to_sector"),
            *_rule_columns(rule),
        )
        .select_from(_referrals)
        .join(Case.__table__, case.id == referral.case_id)
        .join(sender, sender.c.id == referral.from_organization_id)
        .join(receiver, receiver.c.id == referral.to_organization_id)
        .outerjoin(rule, rule.c.id == referral.deadline_rule_id)
    )


def _rule_columns(rule, prefix: str = "rule_") -> list:
    return [rule.c[name].label(prefix + name)
            for name in ("id", "code", "label", "anchor", "milestone", "hours", "source")]


def with_clocks(referrals, *order):
    """``referrals`` (a subquery of :func:`listing_statement`'s columns, maybe more after
    them) with their clocks and the clocks' rules: one row per clock (one with null clock
    columns for a referral without any), ordered by ``order`` and then each referral's
    clock order. The clock columns are labelled ``clock_*``, its rule's ``clock_rule_*``."""
    clock, rule = ReferralClock.__table__, DeadlineRule.__table__.alias("clock_rule")
    return (
        select(referrals, clock.c.id.label("clock_id"), clock.c.milestone.label("clock_milestone"),
               clock.c.starts_at.label("clock_starts_at"), clock.c.due_at.label("clock_due_at"),
               clock.c.met_at.label("clock_met_at"), clock.c.stopped_at.label("clock_stopped_at"),
               *_rule_columns(rule, "clock_rule_"))
        .select_from(referrals)
        .outerjoin(clock, clock.c.referral_id == referrals.c.id)
        .outerjoin(rule, rule.c.id == clock.c.rule_id)
        .order_by(*order, clock.c.due_at, clock.c.milestone, clock.c.id)
    )


@dataclass(frozen=True)
class BreachRow:
    """One running clock past (or near) its deadline. Codes and ids only, never PII."""

    clock_id: uuid.UUID
    referral_id: uuid.UUID
    case_id: uuid.UUID
    case_code: str
    centre_id: uuid.UUID
    to_organization_id: uuid.UUID
    service_type: str
    milestone: str
    rule_code: str
    due_at: datetime
    overdue: bool


def referrals_breaching(now: datetime, within: timedelta = timedelta(0), batch_size: int = 500) -> Iterator[BreachRow]:
    """Every running deadline clock due before ``now + within``, by due time, streamed in
    batches of ``batch_size`` (keyset pagination: each batch is one indexed range read and
    nothing is held across batches). Pure apart from reading: ``now`` is injected, nothing
    is written; the caller (the scheduler) decides what to escalate and records it."""
    horizon = now + within
    last: tuple[datetime, uuid.UUID] | None = None
    while True:
        statement = (
            select(ReferralClock.id, Referral.id, Case.id, Case.code, Referral.from_organization_id,
                   Referral.to_organization_id, Referral.service_type, ReferralClock.milestone,
                   DeadlineRule.code, ReferralClock.due_at)
            .join(Referral, Referral.id == ReferralClock.referral_id)
            .join(Case, Case.id == Referral.case_id)
            .join(DeadlineRule, DeadlineRule.id == ReferralClock.rule_id)
            .where(ReferralClock.met_at.is_(None), ReferralClock.stopped_at.is_(None),
                   ReferralClock.due_at < horizon)
            .order_by(ReferralClock.due_at, ReferralClock.id)
            .limit(batch_size)
        )
        if last is not None:
            statement = statement.where(or_(
                ReferralClock.due_at > last[0], and_(ReferralClock.due_at == last[0], ReferralClock.id > last[1])))
        rows = db.session.execute(statement).all()
        for row in rows:
            yield BreachRow(*row, overdue=row[9] < now)
        if len(rows) < batch_size:
            return
        last = (rows[-1][9], rows[-1][0])
