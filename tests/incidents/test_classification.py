"""The ordered GBVIMS rule: the first "yes" wins. Pure functions, no database."""

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseflow.incidents.classification import (
    age_group,
    age_on,
    classify,
    derive_flags,
    reporting_delay_bucket,
)

#: Written out here, not imported, so the test states the rule independently of the code.
ORDER = [
    ("penetration", "rape"),
    ("sexual_contact", "sexual_assault"),
    ("physical_assault", "physical_assault"),
    ("forced_marriage", "forced_marriage"),
    ("denial_of_resources", "denial_of_resources"),
    ("psychological_abuse", "psychological_emotional_abuse"),
]
QUESTIONS = [q for q, _ in ORDER]


@pytest.mark.parametrize(("first", "second"), list(itertools.combinations(range(6), 2)),
                         ids=lambda i: QUESTIONS[i])
def test_every_precedence_pair_the_earlier_question_wins(first, second):
    acts = {QUESTIONS[first]: True, QUESTIONS[second]: True}
    assert classify(acts) == ORDER[first][1]


@pytest.mark.parametrize(("question", "gbv_type"), ORDER)
def test_each_question_alone_gives_its_type(question, gbv_type):
    assert classify({question: True}) == gbv_type


def test_no_yes_is_not_gbv():
    assert classify({q: False for q in QUESTIONS}) == "non_gbv"
    assert classify({}) == "non_gbv"


@given(st.fixed_dictionaries({q: st.booleans() for q in QUESTIONS}))
def test_classification_is_the_first_yes_in_order(acts):
    result = classify(acts)
    yes = [i for i, q in enumerate(QUESTIONS) if acts[q]]
    if not yes:
        assert result == "non_gbv"
    else:
        assert result == ORDER[yes[0]][1]
        # Any later answer can change without changing the type.
        for later in QUESTIONS[yes[0] + 1:]:
            assert classify({**acts, later: not acts[later]}) == result


@given(st.sampled_from([t for _, t in ORDER] + ["non_gbv"]), st.one_of(st.none(), st.integers(0, 110)),
       st.booleans())
def test_flags_follow_type_age_and_exchange(gbv_type, age, exchanged):
    flags = derive_flags(gbv_type, age, exchanged)
    minor = age is not None and age < 18
    sexual = gbv_type in ("rape", "sexual_assault")
    assert flags.early_marriage == (gbv_type == "forced_marriage" and minor)
    assert flags.child_sexual_abuse == (sexual and minor)
    assert flags.possible_sexual_exploitation == (sexual and exchanged)


def test_flags_examples():
    assert derive_flags("forced_marriage", 16, False).early_marriage
    assert not derive_flags("forced_marriage", 18, False).early_marriage
    assert derive_flags("rape", 12, False).child_sexual_abuse
    assert derive_flags("sexual_assault", 30, True).possible_sexual_exploitation
    assert not derive_flags("physical_assault", 12, True).possible_sexual_exploitation


@pytest.mark.parametrize(("days", "bucket"), [
    (0, "days_0_3"), (3, "days_0_3"), (4, "days_4_5"), (5, "days_4_5"), (6, "days_6_14"),
    (14, "days_6_14"), (15, "weeks_2_to_month_1"), (30, "weeks_2_to_month_1"), (31, "over_1_month"),
])
def test_reporting_delay_buckets(days, bucket):
    occurred = date(2026, 1, 10)
    assert reporting_delay_bucket(occurred, occurred + timedelta(days=days)) == bucket


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)), st.integers(0, 400), st.integers(0, 400))
def test_reporting_delay_never_shrinks_as_the_report_comes_later(occurred, a, b):
    buckets = ["days_0_3", "days_4_5", "days_6_14", "weeks_2_to_month_1", "over_1_month"]
    early, late = sorted((a, b))
    assert buckets.index(reporting_delay_bucket(occurred, occurred + timedelta(days=early))) <= \
        buckets.index(reporting_delay_bucket(occurred, occurred + timedelta(days=late)))


def test_age_groups_and_age_on_birthday():
    assert [age_group(a) for a in (None, 5, 11, 12, 17, 18, 25, 26, 40, 41, 60, 61)] == [
        "unknown", "age_0_11", "age_0_11", "age_12_17", "age_12_17", "age_18_25", "age_18_25",
        "age_26_40", "age_26_40", "age_41_60", "age_41_60", "age_61_plus"]
    assert age_on(date(2010, 6, 15), date(2026, 6, 14)) == 15
    assert age_on(date(2010, 6, 15), date(2026, 6, 15)) == 16
    assert age_on(None, date(2026, 1, 1)) is None
