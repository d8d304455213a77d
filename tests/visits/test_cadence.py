"""Date arithmetic of visit plans (pure functions)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from caseflow.visits.cadence import default_cadence, default_count, local_day_bounds, visits_through

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))


def test_documented_defaults_weekly_for_mentors_risk_level_for_psychologists():
    # Programa Aurora: a mentor accompanies her weekly for a year (48), whatever the level.
    for level in (None, "leve", "moderado", "severo"):
        assert default_cadence("mentor_accompaniment", level).cadence_days == 7
    assert default_count("mentor_accompaniment") == 48
    assert default_count("psychological_followup") is None
    assert default_cadence("psychological_followup", "leve").cadence_days == 28
    assert default_cadence("psychological_followup", "severo").cadence_days == 7


@given(start=days, cadence=st.integers(1, 60), horizon=st.integers(0, 400),
       count=st.none() | st.integers(1, 60), span=st.none() | st.integers(0, 500))
def test_visits_fall_on_the_cadence_within_every_limit(start, cadence, horizon, count, span):
    through = start + timedelta(days=horizon)
    ends_on = None if span is None else start + timedelta(days=span)
    planned, next_due = visits_through(next_sequence=1, next_due_on=start, cadence_days=cadence,
                                       through=through, ends_on=ends_on, remaining=count)
    assert [v.sequence for v in planned] == list(range(1, len(planned) + 1))
    for visit in planned:
        assert visit.due_on == start + timedelta(days=cadence * (visit.sequence - 1))
        assert visit.due_on <= through
        assert ends_on is None or visit.due_on <= ends_on
    assert count is None or len(planned) <= count
    if next_due is not None:
        assert next_due == start + timedelta(days=cadence * len(planned))
        assert next_due > through


@given(start=days, cadence=st.integers(1, 30), first=st.integers(0, 120), second=st.integers(0, 120),
       count=st.none() | st.integers(1, 40))
def test_generating_in_two_steps_equals_one_step(start, cadence, first, second, count):
    """The scheduler extends the horizon bit by bit; the result must not depend on how."""
    middle = start + timedelta(days=first)
    end = middle + timedelta(days=second)
    whole, whole_next = visits_through(next_sequence=1, next_due_on=start, cadence_days=cadence, through=end,
                                       ends_on=None, remaining=count)
    part1, next_due = visits_through(next_sequence=1, next_due_on=start, cadence_days=cadence, through=middle,
                                     ends_on=None, remaining=count)
    part2, last_next = visits_through(next_sequence=len(part1) + 1, next_due_on=next_due, cadence_days=cadence,
                                      through=end, ends_on=None,
                                      remaining=None if count is None else count - len(part1))
    assert part1 + part2 == whole
    assert last_next == whole_next


def test_a_due_day_is_a_local_day_in_lima():
    start, end = local_day_bounds(date(2026, 3, 2), 3, "America/Lima")
    assert start.utcoffset() == timedelta(hours=-5)
    assert (end - start) == timedelta(days=3)
