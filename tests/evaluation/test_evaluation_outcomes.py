"""Outcomes: per-capita income from one annual review to the next (median change, who rose
above the hardship threshold in force at each review), exits of the year by reason and by
the cause the household had been helped for."""

import datetime
from decimal import Decimal

import pytest
from evalkit import YEAR, day
from factories import HouseholdFactory

from casework.models import AnnualReview
from evaluation.outcomes import outcomes
from hardship.models import PolicyParameter
from hardship.policy import policy_lookup, policy_value

pytestmark = pytest.mark.django_db


def review(household, on, per_capita, reviewer):
    return AnnualReview.objects.create(
        household=household,
        reviewed_on=on,
        outcome="continue",
        category_before=household.category,
        level_before=household.level,
        category_after=household.category,
        level_after=household.level,
        per_capita=Decimal(per_capita),
        notes="复核",
        reviewer=reviewer,
    )


@pytest.fixture
def thresholds(org):
    # 500 system-wide until the year began, 600 from then; 700 for C2's tree all along.
    for unit, value, start, end in (
        (None, "500", datetime.date(2000, 1, 1), day(1, 1) - datetime.timedelta(days=1)),
        (None, "600", day(1, 1), None),
        (org.c2, "700", datetime.date(2000, 1, 1), None),
    ):
        PolicyParameter.objects.create(
            key=PolicyParameter.Key.HARDSHIP_THRESHOLD,
            unit=unit,
            value=Decimal(value),
            valid_from=start,
            valid_to=end,
        )


def test_income_changes_compare_the_last_review_of_the_year_with_the_one_before(
    org, thresholds, reviewer_c1
):
    a, b, c, d = (HouseholdFactory(in_file=True, union=org.g1a) for _ in range(4))
    review(a, day(5, 1, YEAR - 1), "450", reviewer_c1)  # below 500 then
    review(a, day(5, 1), "650", reviewer_c1)  # above 600 now: crossed, +200
    review(b, day(5, 1, YEAR - 2), "100", reviewer_c1)
    review(b, day(5, 1, YEAR - 1), "300", reviewer_c1)
    review(b, day(3, 1), "320", reviewer_c1)
    review(b, day(9, 1), "310", reviewer_c1)  # the last of the year: 310 against 320, -10
    review(c, day(5, 1, YEAR - 1), "550", reviewer_c1)  # not below 500: no crossing
    review(c, day(5, 1), "650", reviewer_c1)  # +100
    review(d, day(5, 1), "200", reviewer_c1)  # one review only: nothing to compare
    review(d, day(2, 1, YEAR + 1), "900", reviewer_c1)  # after the year: not seen
    other = HouseholdFactory(in_file=True, union=org.g2a)
    review(other, day(5, 1, YEAR - 1), "650", reviewer_c1)
    review(other, day(5, 1), "710", reviewer_c1)  # C2's 700: crossed, but not C1's

    income = outcomes(org.c1, YEAR).income
    assert income.compared == 3
    assert (income.rose, income.unchanged, income.fell) == (2, 0, 1)
    assert income.median_change == Decimal("100.00")
    assert income.crossed == 1
    assert outcomes(org.c2, YEAR).income.crossed == 1
    assert outcomes(org.fed, YEAR).income.compared == 4


def test_no_threshold_in_force_crosses_nothing(org, reviewer_c1):
    a = HouseholdFactory(in_file=True, union=org.g1a)
    review(a, day(5, 1, YEAR - 1), "100", reviewer_c1)
    review(a, day(5, 1), "900", reviewer_c1)
    income = outcomes(org.c1, YEAR).income
    assert (income.compared, income.crossed) == (1, 0)


def test_exits_are_counted_by_reason_and_by_main_cause(org):
    for reason, cause in (
        ("家庭收入提高", "illness"),
        ("家庭收入提高", "education"),
        ("子女毕业就业", "education"),
        ("", ""),
    ):
        HouseholdFactory(
            exited=True, union=org.g1a, exited_on=day(6), status_reason=reason, main_cause=cause
        )
    HouseholdFactory(exited=True, union=org.g1a, exited_on=day(6, 1, YEAR - 1))
    HouseholdFactory(exited=True, union=org.g2a, exited_on=day(6), status_reason="其他公司")
    found = outcomes(org.c1, YEAR)
    assert found.exits == 4
    assert found.exits_by_reason == [("家庭收入提高", 2), ("子女毕业就业", 1), ("未写明原因", 1)]
    assert dict(found.exits_by_cause) == {"因学": 2, "因病": 1, "未登记": 1}


def test_outcomes_are_a_fixed_number_of_queries(org, reviewer_c1, django_assert_num_queries):
    for _ in range(3):
        h = HouseholdFactory(in_file=True, union=org.g1a)
        review(h, day(5, 1, YEAR - 1), "300", reviewer_c1)
        review(h, day(5, 1), "400", reviewer_c1)
    with django_assert_num_queries(4):
        outcomes(org.c1, YEAR)


def test_the_bulk_threshold_lookup_agrees_with_policy_value(org, thresholds):
    PolicyParameter.objects.create(
        key=PolicyParameter.Key.HARDSHIP_THRESHOLD,
        unit=org.g1a,
        value=Decimal("650"),
        valid_from=day(7, 1),
    )
    lookup = policy_lookup(PolicyParameter.Key.HARDSHIP_THRESHOLD)
    for unit in (org.fed, org.c1, org.g1a, org.g1b, org.c2, org.g2a):
        for on in (day(1, 1, YEAR - 1), day(12, 31, YEAR - 1), day(1, 1), day(7, 1), day(12, 31)):
            key = PolicyParameter.Key.HARDSHIP_THRESHOLD
            assert lookup(unit.path, on) == policy_value(key, unit, on), (unit, on)
