"""GBVIMS incident classification: pure functions, no database, no clock.

The six questions are asked in order and the first "yes" wins (GBVIMS classification
tool; shared domain notes, "Incident classification"). The result is for statistics only:
nothing in caseflow decides which services she is offered from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from caseflow.core.clock import age_on  # noqa: F401  (part of the classifier: the age bands use it)

#: The six GBVIMS questions, in precedence order, each with the type its "yes" gives.
ACT_PRECEDENCE: tuple[tuple[str, str], ...] = (
    ("penetration", "rape"),
    ("sexual_contact", "sexual_assault"),  # includes attempted rape and FGM
    ("physical_assault", "physical_assault"),
    ("forced_marriage", "forced_marriage"),
    ("denial_of_resources", "denial_of_resources"),  # not general poverty
    ("psychological_abuse", "psychological_emotional_abuse"),
)
ACTS = tuple(act for act, _ in ACT_PRECEDENCE)
GBV_TYPES = tuple(t for _, t in ACT_PRECEDENCE) + ("non_gbv",)
SEXUAL_TYPES = frozenset({"rape", "sexual_assault"})

#: GBVIMS age groups (survivor and perpetrator).
AGE_GROUPS = ("age_0_11", "age_12_17", "age_18_25", "age_26_40", "age_41_60", "age_61_plus", "unknown")
_AGE_BOUNDS = ((11, "age_0_11"), (17, "age_12_17"), (25, "age_18_25"), (40, "age_26_40"), (60, "age_41_60"))

#: The MIMP's age groups (its CEM statistics), finer in childhood and adult life than GBVIMS'.
MIMP_AGE_GROUPS = ("age_0_5", "age_6_11", "age_12_17", "age_18_25", "age_26_35", "age_36_45", "age_46_59",
                   "age_60_plus", "unknown")
_MIMP_AGE_BOUNDS = ((5, "age_0_5"), (11, "age_6_11"), (17, "age_12_17"), (25, "age_18_25"), (35, "age_26_35"),
                    (45, "age_36_45"), (59, "age_46_59"))

#: Days from incident to report (GBVIMS reporting-delay buckets).
DELAY_BUCKETS = ("days_0_3", "days_4_5", "days_6_14", "weeks_2_to_month_1", "over_1_month")
_DELAY_BOUNDS = ((3, "days_0_3"), (5, "days_4_5"), (14, "days_6_14"), (30, "weeks_2_to_month_1"))


def classify(acts: dict[str, bool]) -> str:
    """The GBVIMS type of an incident: the first act answered "yes", else ``non_gbv``."""
    for act, gbv_type in ACT_PRECEDENCE:
        if acts.get(act):
            return gbv_type
    return "non_gbv"


@dataclass(frozen=True)
class DerivedFlags:
    early_marriage: bool
    possible_sexual_exploitation: bool
    child_sexual_abuse: bool


def derive_flags(gbv_type: str, age: int | None, goods_or_money_exchanged: bool) -> DerivedFlags:
    """Flags GBVIMS derives from the type, her age at the incident and any exchange.

    An unknown age raises no child flag: a flag is a statistic, and a guess would skew it.
    """
    minor = age is not None and age < 18
    return DerivedFlags(
        early_marriage=gbv_type == "forced_marriage" and minor,
        possible_sexual_exploitation=gbv_type in SEXUAL_TYPES and bool(goods_or_money_exchanged),
        child_sexual_abuse=gbv_type in SEXUAL_TYPES and minor,
    )


def age_group(age: int | None) -> str:
    if age is None or age < 0:
        return "unknown"
    for upper, group in _AGE_BOUNDS:
        if age <= upper:
            return group
    return "age_61_plus"


def mimp_age_group(age: int | None) -> str:
    if age is None or age < 0:
        return "unknown"
    for upper, group in _MIMP_AGE_BOUNDS:
        if age <= upper:
            return group
    return "age_60_plus"


def reporting_delay_bucket(occurred_on: date, reported_on: date) -> str:
    """Whole calendar days between the incident and the report, bucketed."""
    days = max((reported_on - occurred_on).days, 0)
    for upper, bucket in _DELAY_BOUNDS:
        if days <= upper:
            return bucket
    return "over_1_month"
