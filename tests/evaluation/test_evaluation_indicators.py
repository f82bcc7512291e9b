"""Each indicator of the sheet computed from the records of the unit's tree, against
figures worked out by hand; records of the other company, and of other years, left out."""

from decimal import Decimal

import pytest
from evalkit import YEAR, contact, day, duty, fund_of, pay, receive, reverse, visit, visit_round
from factories import HouseholdFactory, MemberFactory, person

from evaluation import services
from evaluation.indicators import actuals, indicator_sheet, score
from evaluation.models import Indicator, Target, WeightSheet
from hardship.models import Role
from households.models import Household, Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance_c2(org):
    return person("finance_c2", "冯会计", (Role.FINANCE, org.c2))


@pytest.fixture
def homes(org):
    serious = HouseholdFactory(in_file=True, union=org.g1a, worker_name="大病户")
    MemberFactory(household=serious, relation="spouse", health=Member.Health.SERIOUS)
    return {
        "serious": serious,
        "plain": HouseholdFactory(in_file=True, union=org.g1b, worker_name="普通户"),
        "other": HouseholdFactory(in_file=True, union=org.g2a, worker_name="外公司户"),
    }


@pytest.fixture
def books(org, homes, finance_c1, finance_c2):
    """C1: 20,000 left from last year, 80,000 received; paid 3,000 + 1,000 + 500 (the 500
    reversed in the year), so 4,000 net, 3,000 of it to the household with a serious
    illness. C2 receives and pays too (not counted for C1)."""
    fund = fund_of(org.c1)
    receive(finance_c1, fund, "20000", day(6, 1, YEAR - 1))
    receive(finance_c1, fund, "50000", day(3))
    receive(finance_c1, fund, "30000", day(9))
    paid = pay(finance_c1, fund, [(homes["serious"], "3000"), (homes["plain"], "1000")], day(5))
    (wrong,) = pay(finance_c1, fund, [(homes["plain"], "500")], day(7))
    reverse(finance_c1, wrong, day(7, 2))
    other = fund_of(org.c2)
    receive(finance_c2, other, "90000", day(3))
    pay(finance_c2, other, [(homes["other"], "7000")], day(5))
    return paid


def test_fund_arrival_is_receipts_over_the_planned_allocation(org, books, committee_c1):
    target = Target(unit=org.c1, year=YEAR, planned_allocation=Decimal("100000"))
    measure = actuals(org.c1, YEAR, target)[Indicator.FUND_ARRIVAL]
    assert measure.actual == Decimal("80.00")  # 50,000 + 30,000 of 100,000


def test_fund_arrival_is_not_measured_without_a_planned_allocation(org, books):
    assert actuals(org.c1, YEAR, None)[Indicator.FUND_ARRIVAL].actual is None


def test_spending_rate_is_net_payments_over_opening_and_receipts(org, books):
    measure = actuals(org.c1, YEAR)[Indicator.SPENDING]
    assert measure.actual == Decimal("4.00")  # 4,000 net ÷ (20,000 + 80,000)


def test_person_times_count_payments_still_standing(org, books):
    assert actuals(org.c1, YEAR)[Indicator.PERSON_TIMES].actual == 2  # the 500 was reversed
    assert actuals(org.c2, YEAR)[Indicator.PERSON_TIMES].actual == 1
    assert actuals(org.fed, YEAR)[Indicator.PERSON_TIMES].actual == 3


def test_a_household_that_moved_company_is_counted_where_it_was_paid(org, homes, books):
    """The plain household moves to the second company after its payments: the year's
    person-times and net paid stay with the first, as in the annual report."""
    Household.objects.filter(pk=homes["plain"].pk).update(union=org.g2a)
    assert actuals(org.c1, YEAR)[Indicator.PERSON_TIMES].actual == 2
    assert actuals(org.c2, YEAR)[Indicator.PERSON_TIMES].actual == 1
    assert actuals(org.c1, YEAR)[Indicator.SERIOUS_SHARE].actual == Decimal("75.00")


def test_serious_illness_share_is_what_families_with_a_serious_illness_got(org, books):
    measure = actuals(org.c1, YEAR)[Indicator.SERIOUS_SHARE]
    assert measure.actual == Decimal("75.00")  # 3,000 of 4,000 net


def test_serious_illness_is_counted_as_the_file_stood_when_paid(org, homes, books, finance_c1):
    """The plain household's worker falls seriously ill after being paid, and the serious
    household's member recovers: the year's share stays as paid, the next payment follows
    the file (the worker's own health counts as a member's does)."""
    Household.objects.filter(pk=homes["plain"].pk).update(worker_health=Member.Health.SERIOUS)
    Member.objects.filter(household=homes["serious"]).update(health=Member.Health.HEALTHY)
    assert actuals(org.c1, YEAR)[Indicator.SERIOUS_SHARE].actual == Decimal("75.00")
    pay(finance_c1, books[0].fund, [(homes["plain"], "4000")], day(8))
    # 3,000 then + 4,000 now of 8,000 net
    assert actuals(org.c1, YEAR)[Indicator.SERIOUS_SHARE].actual == Decimal("87.50")


def test_exits_count_the_year_and_the_tree(org, homes):
    HouseholdFactory(exited=True, union=org.g1a, exited_on=day(4))
    HouseholdFactory(exited=True, union=org.g1b, exited_on=day(11))
    HouseholdFactory(exited=True, union=org.g1a, exited_on=day(12, 31, YEAR - 1))
    HouseholdFactory(exited=True, union=org.g2a, exited_on=day(4))
    assert actuals(org.c1, YEAR)[Indicator.EXITS].actual == 2
    assert actuals(org.g1a, YEAR)[Indicator.EXITS].actual == 1


def test_visit_coverage_sums_the_rounds_of_the_year(org, homes, reviewer_c1, caseworker_g1a):
    # A company round: two files of C1 to visit, one visited. A round of last year, fully
    # visited, and a visit outside any round do not count.
    this_year = visit_round(org.c1, reviewer_c1, day(2, 20))
    visit(homes["serious"], caseworker_g1a, day(2, 10), this_year)
    visit(homes["plain"], caseworker_g1a, day(2, 11))
    last_year = visit_round(org.c1, reviewer_c1, day(2, 20, YEAR - 1))
    visit(homes["plain"], caseworker_g1a, day(2, 10, YEAR - 1), last_year)
    visit(homes["serious"], caseworker_g1a, day(2, 10, YEAR - 1), last_year)
    assert actuals(org.c1, YEAR)[Indicator.VISIT_COVERAGE].actual == Decimal("50.00")
    # The grassroots union's sheet counts its own file in the company's round.
    assert actuals(org.g1a, YEAR)[Indicator.VISIT_COVERAGE].actual == Decimal("100.00")
    assert actuals(org.g1b, YEAR)[Indicator.VISIT_COVERAGE].actual == Decimal("0.00")
    assert actuals(org.c2, YEAR)[Indicator.VISIT_COVERAGE].actual is None


def test_intake_on_time_counts_closed_contacts_of_the_year(org, caseworker_g1a):
    contact(org.g1a, caseworker_g1a, day(3), day(3, 8), closed_on=day(3, 8))  # on the day
    contact(org.g1a, caseworker_g1a, day(4), day(4, 8), closed_on=day(4, 9))  # a day late
    contact(org.g1a, caseworker_g1a, day(5), day(5, 8), closed_on=day(5, 2))
    contact(org.g1a, caseworker_g1a, day(6), day(6, 8))  # still open: not counted
    contact(org.g1a, caseworker_g1a, day(3, 1, YEAR - 1), day(3, 8, YEAR - 1), day(3, 20, YEAR - 1))
    measure = actuals(org.c1, YEAR)[Indicator.INTAKE_ON_TIME]
    assert measure.actual == Decimal("66.67")  # 2 of 3
    assert actuals(org.c2, YEAR)[Indicator.INTAKE_ON_TIME].actual is None


def test_duties_on_time_count_the_deadlines_passed_in_the_year(org, homes, caseworker_g1a):
    duty(homes["serious"], day(3), done_on=day(2, 20), actor=caseworker_g1a)
    duty(homes["plain"], day(6), done_on=day(6, 3), actor=caseworker_g1a)  # late
    duty(homes["serious"], day(9))  # never done
    duty(homes["other"], day(6), done_on=day(5), actor=caseworker_g1a)  # other company
    measure = actuals(org.c1, YEAR)[Indicator.DUTIES_ON_TIME]
    assert measure.actual == Decimal("33.33")


def test_satisfaction_counts_satisfied_and_basically_satisfied(org, books, reviewer_c1):
    caseworker_c1 = person("caseworker_c1", "蒋干事", (Role.CASEWORKER, org.c1))
    survey = services.survey_draw(actor=reviewer_c1, unit=org.c1, year=YEAR, size=2, seed=1)
    assert actuals(org.c1, YEAR)[Indicator.SATISFACTION].actual is None  # nobody asked yet
    first, second = survey.items.order_by("pk")
    services.survey_answer(actor=caseworker_c1, item=first, channel="phone", answer="basic")
    assert actuals(org.c1, YEAR)[Indicator.SATISFACTION].actual == Decimal("100.00")
    services.survey_answer(
        actor=caseworker_c1, item=second, channel="visit", answer="dissatisfied", comment="太慢"
    )
    assert actuals(org.c1, YEAR)[Indicator.SATISFACTION].actual == Decimal("50.00")
    # The federation's sheet counts the surveys below it; the other company has none.
    assert actuals(org.fed, YEAR)[Indicator.SATISFACTION].actual == Decimal("50.00")
    assert actuals(org.c2, YEAR)[Indicator.SATISFACTION].actual is None
    # A grassroots union's sheet counts the answers of its own households in the company's
    # survey (the first answer is satisfied, the second not).
    asked = [
        item for item in (first, second) if item.household.union_id in (org.g1a.pk, org.g1b.pk)
    ]
    assert asked  # the company surveyed households of its grassroots unions
    for union in (org.g1a, org.g1b):
        mine = [item for item in asked if item.household.union_id == union.pk]
        expected = (
            (Decimal(100) * sum(item is first for item in mine) / len(mine)).quantize(
                Decimal("0.01")
            )
            if mine
            else None
        )
        assert actuals(union, YEAR)[Indicator.SATISFACTION].actual == expected


def test_score_is_weight_times_the_share_of_the_target_met():
    assert score(10, Decimal("100"), Decimal("80.00")) == Decimal("8.00")
    assert score(15, 150, 125) == Decimal("12.50")
    assert score(10, 6, 7) == Decimal("10.00")  # beyond the target: the full weight
    assert score(10, 0, 0) == Decimal("10.00")  # nothing asked for
    assert score(10, Decimal("90"), None) is None  # nothing to measure


def test_the_total_is_scaled_over_the_weights_scored(org, books, committee_c1):
    WeightSheet.objects.create(
        valid_from_year=YEAR - 5,
        weight_fund_arrival=10,
        weight_spending=8,
        weight_visit_coverage=12,
        weight_intake_on_time=10,
        weight_duties_on_time=10,
        weight_person_times=15,
        weight_serious_share=10,
        weight_exits=10,
        weight_satisfaction=15,
    )
    Target.objects.create(
        unit=org.c1,
        year=YEAR,
        planned_allocation=Decimal("100000"),
        fund_arrival=100,
        spending=8,
        visit_coverage=100,
        intake_on_time=95,
        duties_on_time=90,
        person_times=4,
        serious_share=50,
        exits=0,
        satisfaction=95,
        set_by=committee_c1,
    )
    sheet = indicator_sheet(org.c1, YEAR)
    scores = {line.indicator: line.score for line in sheet.lines}
    assert scores[Indicator.FUND_ARRIVAL] == Decimal("8.00")  # 80% of 100%
    assert scores[Indicator.SPENDING] == Decimal("4.00")  # 4% of 8%
    assert scores[Indicator.PERSON_TIMES] == Decimal("7.50")  # 2 of 4
    assert scores[Indicator.SERIOUS_SHARE] == Decimal("10.00")  # 75% against 50%
    assert scores[Indicator.EXITS] == Decimal("10.00")  # none asked for
    # No round, contact, duty or survey: four indicators (12 + 10 + 10 + 15) not scored.
    for unscored in (
        Indicator.VISIT_COVERAGE,
        Indicator.INTAKE_ON_TIME,
        Indicator.DUTIES_ON_TIME,
        Indicator.SATISFACTION,
    ):
        assert scores[unscored] is None
    assert sheet.weight_scored == 53
    assert sheet.points == Decimal("39.50")
    assert sheet.total == Decimal("74.53")  # 39.5 ÷ 53 × 100
    groups = {label: (weight, points) for label, _lines, weight, points in sheet.groups()}
    assert groups["投入"] == (18, Decimal("12.00"))


def test_no_weights_or_no_target_means_no_score(org, books):
    sheet = indicator_sheet(org.c1, YEAR)
    assert sheet.total is None
    assert all(line.score is None for line in sheet.lines)
    assert {line.indicator: line.measure.actual for line in sheet.lines}[
        Indicator.PERSON_TIMES
    ] == 2


def test_the_sheet_is_a_fixed_number_of_queries(
    org, homes, books, django_assert_num_queries, finance_c1
):
    def queries():
        with django_assert_num_queries(9):
            indicator_sheet(org.c1, YEAR)

    queries()
    more = [HouseholdFactory(in_file=True, union=org.g1a) for _ in range(5)]
    fund = books[0].fund
    pay(finance_c1, fund, [(h, "100") for h in more], day(10))
    assert Household.objects.count() > 5
    queries()
