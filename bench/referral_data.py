"""Synthetic referrals at the scale of a national deployment, for the supervisor-review
benchmark (bench/referral_reports.py).

Each case gets three referrals, sent within its first weeks, to health, police, justice and
social organizations, with the deadline clocks the seeded rules give them (a service clock
where a rule exists, an acknowledgement clock for high and medium priority) and one event per
step. What happens to each referral is drawn from simple distributions and then cut at
"now": a step that would happen later has not happened yet. So old referrals are almost all
closed (completed, rejected, cancelled or failed), a stale minority was never closed (left
open, overdue), and the recent ones are still moving — some overdue, some due within a day.

The police send most complaints on to the family court, as the application's rule asks (the
complaint's clock is met by ``referred_on``, Ley 30364 art. 15): a fourth referral of the case,
to a justice organization for protective measures, with ``parent_referral_id`` and the duty as
its mandatory-report basis; sending it meets the parent's clock, exactly as
``POST /referrals/{id}/onward`` does. Without it every complaint's clock would stay open for
ever and the overdue view would show seven times the referrals a real deployment has.

Rows are written with SQLAlchemy Core in batches (PostgreSQL: COPY), not through the
services: their audit entries and case events are not what a benchmark of reads measures.
"""

from __future__ import annotations

import math
import random
import uuid
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import insert, select

from caseflow.referrals.models import whole_minutes

#: (sector, service type, weight): the mix of services a centre refers to.
SERVICES = [
    ("health", "hiv_pep", 8), ("health", "emergency_contraception", 6), ("health", "medical_care", 12),
    ("health", "mental_health", 10), ("health", "medico_legal_exam", 8),
    ("police", "complaint", 14),
    ("justice", "protective_measures", 16), ("justice", "legal_proceedings", 6),
    ("social", "shelter", 5), ("social", "social_support", 6), ("social", "economic_support", 3),
    ("social", "legal_aid", 6),
]
SECTORS = sorted({sector for sector, _, _ in SERVICES})
CLINICAL = {"hiv_pep", "emergency_contraception"}
URGENT = {"complaint", "protective_measures"}  # 24-hour legal clocks

#: Of all referrals, eventually (the rest are completed).
STALE, REJECTED, CANCELLED, FAILED = 0.02, 0.07, 0.08, 0.04
#: Of the complaints the police accept, the share they send on to the family court, and the
#: median hours after accepting (most within the 24-hour duty, a tail late).
SENT_ON, SENT_ON_MEDIAN_HOURS = 0.9, 8
PRIORITIES = (("high", 0.35), ("medium", 0.45), ("low", 0.20))

H = timedelta(hours=1)


def _lognormal_hours(rng: random.Random, median: float, sigma: float) -> timedelta:
    return timedelta(hours=rng.lognormvariate(math.log(median), sigma))


def _pick(rng: random.Random, pairs):
    r, total = rng.random(), 0.0
    for value, weight in pairs:
        total += weight
        if r < total:
            return value
    return pairs[-1][0]


class ReferralGenerator:
    """Rows for the referrals of a batch of cases; ``shape`` counts what was made."""

    def __init__(self, rules, receivers: dict[str, list[uuid.UUID]], senders: dict[uuid.UUID, uuid.UUID],
                 now: datetime, seed: int = 2026):
        #: rules: code -> row with id, service_type, priority, anchor, milestone, hours
        self.by_service = {r.service_type: r for r in rules if r.service_type}
        self.by_priority = {r.priority: r for r in rules if r.priority}
        self.receivers, self.senders, self.now = receivers, senders, now
        self.rng = random.Random(seed)
        services = [(sector, service) for sector, service, _ in SERVICES]
        weights = [weight for _, _, weight in SERVICES]
        total = sum(weights)
        self.services = list(zip(services, [w / total for w in weights]))
        self.shape: Counter = Counter()

    def _timings(self, service: str):
        rng = self.rng
        if service in CLINICAL:
            return _lognormal_hours(rng, 1.5, 0.9), _lognormal_hours(rng, 0.5, 0.8), _lognormal_hours(rng, 2, 0.9)
        if service in URGENT:
            return _lognormal_hours(rng, 5, 1.0), _lognormal_hours(rng, 2, 0.9), _lognormal_hours(rng, 16, 1.0)
        if service in ("shelter", "economic_support", "legal_proceedings"):
            return _lognormal_hours(rng, 20, 1.1), _lognormal_hours(rng, 12, 1.0), _lognormal_hours(rng, 96, 1.1)
        return _lognormal_hours(rng, 12, 1.1), _lognormal_hours(rng, 6, 1.0), _lognormal_hours(rng, 48, 1.1)

    def referrals_for(self, cases):
        """``cases``: rows (id, survivor_id, organization_id, opened_at). Returns three lists
        of row dicts: referrals, clocks, events."""
        referrals, clocks, events = [], [], []
        for case_id, survivor_id, centre_id, opened_at in cases:
            for _ in range(3):
                self._one(case_id, survivor_id, centre_id, opened_at, referrals, clocks, events)
        return referrals, clocks, events

    def _one(self, case_id, survivor_id, centre_id, opened_at, referrals, clocks, events, onward=None):
        """One referral; ``onward``: (parent id, parent's receiver, when sent, basis) for the
        court referral the police send on."""
        rng, now = self.rng, self.now
        if onward is None:
            sector, service = _pick(rng, self.services)
            receiver = rng.choice(self.receivers[sector])
        else:
            sector, service = "justice", "protective_measures"
            receiver = rng.choice(self.receivers[sector])
        case_age = (now - opened_at).total_seconds() / 3600
        if onward is not None:
            sent = onward[2]
            incident_at = opened_at - H * rng.uniform(2, 24 * 30)
        elif service in CLINICAL:  # within hours of the intake, the incident a day or two before
            sent = opened_at + H * rng.uniform(0, min(case_age, 6))
            incident_at = opened_at - H * rng.uniform(2, 48)
        else:  # within the case's first eight weeks
            sent = opened_at + H * rng.uniform(0, min(case_age, 24 * 56))
            incident_at = opened_at - H * rng.uniform(2, 24 * 30)
        priority = "high" if service in CLINICAL | URGENT else _pick(rng, PRIORITIES)

        # The clocks the rules give it when sent.
        started = []
        service_rule = self.by_service.get(service)
        if service_rule is not None:
            start = incident_at if service_rule.anchor == "incident" else sent
            started.append((service_rule, start, start + H * service_rule.hours))
        ack_rule = self.by_priority.get(priority)
        if ack_rule is not None:
            started.append((ack_rule, sent, sent + H * ack_rule.hours))
        headline = min(started, key=lambda c: (c[0].service_type is None, c[2])) if started else None

        # What happens to it, then cut at now.
        fate = rng.random()
        accept, progress, complete = self._timings(service)
        steps: list[tuple[str, datetime]] = []
        if fate < STALE:  # never closed: stuck at some step
            stuck = rng.choice(("requested", "requested", "requested", "accepted", "in_progress"))
            if stuck != "requested":
                steps.append(("accepted", sent + accept))
            if stuck == "in_progress":
                steps.append(("in_progress", sent + accept + progress))
            kind = "stale"
        elif fate < STALE + REJECTED:
            steps.append(("rejected", sent + accept))
            kind = "rejected"
        elif fate < STALE + REJECTED + CANCELLED:
            if rng.random() < 0.4:
                steps.append(("accepted", sent + accept))
            steps.append(("cancelled", sent + accept + _lognormal_hours(rng, 48, 1.2)))
            kind = "cancelled"
        else:
            steps += [("accepted", sent + accept), ("in_progress", sent + accept + progress)]
            kind = "failed" if fate < STALE + REJECTED + CANCELLED + FAILED else "completed"
            steps.append((kind, sent + accept + progress + complete))
        steps = [(status, at) for status, at in steps if at <= now]
        status = steps[-1][0] if steps else "requested"
        reached = dict(steps)
        if service == "complaint" and onward is None and "accepted" in reached and rng.random() < SENT_ON:
            # Sent on while the police hold it (accepted or in progress), as the API allows.
            ended = next((at for s, at in steps if s in ("completed", "rejected", "cancelled", "failed")), None)
            sent_on = reached["accepted"] + _lognormal_hours(rng, SENT_ON_MEDIAN_HOURS, 1.0)
            if sent_on <= now and (ended is None or sent_on < ended):
                reached["referred_on"] = sent_on

        referral_id = uuid.uuid4()
        clock_rows, running = [], []
        for rule, start, due in started:
            met_at = stopped_at = stopped_by = None
            if rule.priority is not None:  # acknowledgement: answered by acceptance or rejection
                met_at = reached.get("accepted") or reached.get("rejected")
                stopped_at = None if met_at else reached.get("cancelled")
                stopped_by = "cancelled" if stopped_at else None
            else:
                met_at = reached.get(rule.milestone)
                if met_at is None:  # any end stops it, as the application's _advance_clocks does
                    stopped_by, stopped_at = next(
                        ((s, at) for s, at in steps if s in ("completed", "rejected", "cancelled", "failed")),
                        (None, None))
            if met_at is None and stopped_at is None:
                running.append(due)
            # The referral's facts each clock carries, as the application's _start_clocks and
            # _advance_clocks write them (revision 0025).
            clock_rows.append({"id": uuid.uuid4(), "referral_id": referral_id, "rule_id": rule.id,
                               "milestone": rule.milestone, "starts_at": start, "due_at": due,
                               "met_at": met_at, "stopped_at": stopped_at,
                               "minutes_to_met": whole_minutes(start, met_at) if met_at else None,
                               "cancelled": stopped_by == "cancelled", "sent_at": sent,
                               "organization_id": centre_id})
        closed_at = next((at for s, at in steps if s in ("completed", "rejected", "cancelled", "failed")), None)
        next_due = min(running) if running else None
        referrals.append({
            "id": referral_id, "case_id": case_id, "survivor_id": survivor_id, "from_organization_id": centre_id,
            "to_organization_id": receiver, "sector": sector, "service_type": service, "priority": priority,
            "status": status, "sent_at": sent, "sent_by_id": self.senders.get(centre_id),
            "mandatory_report": onward is not None, "mandatory_report_basis": onward[3] if onward else None,
            "parent_referral_id": onward[0] if onward else None,
            "referred_by_organization_id": onward[1] if onward else None,
            "deadline_rule_id": headline[0].id if headline else None, "due_at": headline[2] if headline else None,
            "next_due_at": next_due, "accepted_at": reached.get("accepted"), "completed_at": reached.get("completed"),
            "closed_at": closed_at, "created_at": sent, "updated_at": steps[-1][1] if steps else sent})
        clocks.extend(clock_rows)
        previous = None
        for to_status, at in [("requested", sent), *steps]:
            events.append({"id": uuid.uuid4(), "referral_id": referral_id, "case_id": case_id,
                           "survivor_id": survivor_id, "from_status": previous, "to_status": to_status, "at": at,
                           "actor_id": self.senders.get(centre_id) if previous is None else None,
                           "organization_id": centre_id if to_status in ("requested", "cancelled") else receiver})
            previous = to_status

        shape = self.shape
        shape["referrals"] += 1
        shape[f"status_{status}"] += 1
        shape[f"fate_{kind}"] += 1
        shape["clocks"] += len(clock_rows)
        shape["events"] += 1 + len(steps)
        if closed_at is None:
            shape["open"] += 1
            if sent < now - timedelta(days=30):
                shape["open_older_than_30_days"] += 1
        if next_due is not None:
            shape["overdue" if next_due < now else "due_within_24h" if next_due < now + 24 * H else "running_later"] += 1
        if "referred_on" in reached:
            duty = next(rule for rule, _, _ in started if rule.milestone == "referred_on")
            shape["sent_on"] += 1
            self._one(case_id, survivor_id, centre_id, opened_at, referrals, clocks, events,
                      onward=(referral_id, receiver, reached["referred_on"], duty.source))


def write(session, referrals: list[dict], clocks: list[dict], events: list[dict]) -> None:
    """Insert one batch: COPY on PostgreSQL (several times faster), Core executemany elsewhere.

    On PostgreSQL the foreign-key triggers are off for the batch's transaction: every
    reference is made here, to rows already written, and checking some seven million of
    them took a third of the load time."""
    from caseflow.referrals.models import Referral, ReferralClock, ReferralEvent

    tables = ((Referral.__table__, referrals), (ReferralClock.__table__, clocks), (ReferralEvent.__table__, events))
    if session.get_bind().dialect.name == "postgresql":
        raw = session.connection().connection.driver_connection
        with raw.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            for table, rows in tables:
                if not rows:
                    continue
                columns = list(rows[0])
                with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([row[c] for c in columns])
        return
    for table, rows in tables:
        if rows:
            session.execute(insert(table), rows)


def generate_referrals(session, centre_ids, receivers, senders, now, batch: int = 2000) -> Counter:
    """Three referrals for every case of the database, in batches of ``batch`` cases."""
    from caseflow.cases.models import Case
    from caseflow.referrals.models import DeadlineRule

    rules = session.scalars(select(DeadlineRule).where(DeadlineRule.effective_to.is_(None))).all()
    generator = ReferralGenerator(rules, receivers, senders, now)
    last = None
    while True:
        statement = (select(Case.id, Case.survivor_id, Case.organization_id, Case.opened_at)
                     .where(Case.organization_id.in_(centre_ids)).order_by(Case.id).limit(batch))
        if last is not None:
            statement = statement.where(Case.id > last)
        rows = session.execute(statement).all()
        if not rows:
            break
        last = rows[-1][0]
        write(session, *generator.referrals_for(rows))
        session.commit()
    return generator.shape
