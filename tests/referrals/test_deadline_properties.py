"""Deadline arithmetic: pure functions, property-tested (zones, Lima without DST,
incidents whose hour is unknown)."""

from datetime import date, datetime, time, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseflow.referrals import deadlines

LIMA = ZoneInfo("America/Lima")
ZONES = st.sampled_from([ZoneInfo(z) for z in (
    "UTC", "America/Lima", "America/New_York", "Europe/Madrid", "Asia/Kathmandu", "Pacific/Chatham")])
#: Wall-clock times that exist (a time skipped by a DST change names no instant).
MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1), timezones=ZONES,
                       allow_imaginary=False)
UTC = timezone.utc
HOURS = st.integers(min_value=1, max_value=24 * 120)


@given(MOMENTS, HOURS)
def test_a_deadline_is_exactly_so_many_elapsed_hours_after_its_start(start, hours):
    due = deadlines.due_after(start, hours)
    assert due.tzinfo == timezone.utc
    assert (due - start) == timedelta(hours=hours)
    assert deadlines.hours_between(start, due) == pytest.approx(hours)


@given(MOMENTS, HOURS, ZONES)
def test_the_zone_a_start_is_written_in_does_not_change_the_deadline(start, hours, zone):
    assert deadlines.due_after(start, hours) == deadlines.due_after(start.astimezone(zone), hours)


@given(st.datetimes(min_value=datetime(1995, 1, 1), max_value=datetime(2040, 1, 1)), HOURS)
def test_in_lima_calendar_hours_and_wall_clock_hours_agree(naive, hours):
    """Lima keeps UTC-5 all year (no DST since 1994): the wall clock advances exactly as
    many hours as the clock runs."""
    start = naive.replace(tzinfo=LIMA)
    local_due = deadlines.due_after(start, hours).astimezone(LIMA)
    assert local_due.utcoffset() == timedelta(hours=-5)
    assert local_due.replace(tzinfo=None) - naive == timedelta(hours=hours)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
       st.times(), st.sampled_from([72, 120]))
def test_an_unknown_hour_never_makes_a_clinical_deadline_later(day, true_time, hours):
    """An incident known only by its day is placed at that day's start in Lima: the
    deadline computed from it is never later than the true one, and less than a day
    earlier. A missed window is never reported as met."""
    placed = deadlines.day_start(day, LIMA)
    truth = datetime.combine(day, true_time, tzinfo=LIMA)
    computed, true_due = deadlines.due_after(placed, hours), deadlines.due_after(truth, hours)
    assert computed <= true_due < computed + timedelta(days=1)
    assert placed.astimezone(LIMA).time() == time.min
    # Whatever the true hour, a milestone reached after the computed deadline is not met.
    assert deadlines.met(computed, computed + timedelta(seconds=1)) is False


@given(MOMENTS, MOMENTS, HOURS)
def test_the_anchor_decides_where_the_clock_starts(incident_at, sent_at, hours):
    assert deadlines.clock_start("incident", incident_at=incident_at, sent_at=sent_at) == incident_at.astimezone(UTC)
    assert deadlines.clock_start("referral_sent", incident_at=incident_at, sent_at=sent_at) == sent_at.astimezone(UTC)
    assert deadlines.clock_start("referral_accepted", incident_at=incident_at, sent_at=sent_at) is None
    # A clinical clock does not move when the referral is sent later.
    start = deadlines.clock_start("incident", incident_at=incident_at, sent_at=sent_at + timedelta(days=3))
    assert deadlines.due_after(start, hours) == deadlines.due_after(incident_at, hours)


@given(MOMENTS, HOURS, st.integers(min_value=-10**6, max_value=10**6))
def test_met_means_reached_by_the_deadline(start, hours, offset_seconds):
    due = deadlines.due_after(start, hours)
    reached = due + timedelta(seconds=offset_seconds)
    assert deadlines.met(due, reached) is (offset_seconds <= 0)
    state = deadlines.state(due, met_at=reached, stopped_at=None, now=reached + timedelta(days=400))
    assert state.met is (offset_seconds <= 0)


@given(MOMENTS, HOURS, st.integers(min_value=-500, max_value=500))
def test_a_running_clock_is_overdue_exactly_after_its_deadline(start, hours, minutes):
    due = deadlines.due_after(start, hours)
    now = due + timedelta(minutes=minutes)
    state = deadlines.state(due, met_at=None, stopped_at=None, now=now)
    assert (state.state == "overdue") is (minutes > 0)
    assert state.met is (False if minutes > 0 else None)


def _rule(service_type=None, priority=None, start=datetime(2020, 1, 1, tzinfo=timezone.utc), end=None):
    return SimpleNamespace(service_type=service_type, priority=priority, anchor="referral_sent",
                           milestone="accepted" if priority else "completed", hours=24,
                           effective_from=start, effective_to=end)


@given(MOMENTS)
def test_the_version_in_effect_when_sent_applies(sent_at):
    switch = datetime(2023, 3, 24, 5, tzinfo=timezone.utc)
    old, new = _rule("protective_measures", end=switch), _rule("protective_measures", start=switch)
    ack, other = _rule(priority="high"), _rule("hiv_pep")
    chosen = deadlines.rules_for([old, new, ack, other], service_type="protective_measures", priority="high",
                                 at=sent_at)
    expected_version = [] if sent_at < old.effective_from else [old if sent_at < switch else new]
    expected_ack = [ack] if sent_at >= ack.effective_from else []
    assert chosen == expected_version + expected_ack


def test_the_service_clock_governs_before_the_acknowledgement_clock():
    service, ack = _rule("hiv_pep"), _rule(priority="high")
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert deadlines.governing([(ack, now), (service, now + timedelta(hours=48))])[0] is service
    assert deadlines.governing([(ack, now)])[0] is ack
    assert deadlines.governing([]) is None


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        deadlines.due_after(datetime(2026, 1, 1), 24)
    with pytest.raises(ValueError):
        deadlines.due_after(datetime(2026, 1, 1, tzinfo=timezone.utc), 0)
