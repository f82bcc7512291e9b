"""The match report's rules, one by one: each produces its line, and a list that agrees
with the files produces none. Nothing from a list is written into a file."""

import datetime
from decimal import Decimal

import pytest
from crosscheckkit import civil, hr, kinds
from factories import HouseholdFactory, IncomeItemFactory, MemberFactory, make_id_number

from crosscheck.models import MatchLine
from households.models import Household, Member

pytestmark = pytest.mark.django_db
Kind = MatchLine.Kind


@pytest.fixture
def dibao_g1a(org):
    return HouseholdFactory(in_file=True, union=org.g1a, category=Household.Category.DIBAO)


def test_a_filed_dibao_household_missing_from_the_list(reviewer_c1, org, dibao_g1a):
    other = make_id_number(datetime.date(1950, 1, 1), seq=400)
    listed = civil(reviewer_c1, org.c1, [[other, "李四", "特困", "", ""]])
    line = listed.lines.get(kind=Kind.DIBAO_NOT_LISTED)
    assert line.household == dibao_g1a
    assert "均不在民政名单上" in line.detail


def test_a_dibao_household_whose_allowance_has_ended(reviewer_c1, org, dibao_g1a):
    listed = civil(
        reviewer_c1,
        org.c1,
        [[dibao_g1a.id_number, dibao_g1a.worker_name, "低保", "2020-01-01", "2025-06-30"]],
        on=datetime.date(2026, 1, 31),
    )
    line = listed.lines.get()
    assert line.kind == Kind.DIBAO_NOT_LISTED and "2025-06-30 终止" in line.detail


def test_a_dibao_household_listed_through_a_member_is_matched(reviewer_c1, org, dibao_g1a):
    spouse = MemberFactory(household=dibao_g1a, relation=Member.Relation.SPOUSE)
    listed = civil(reviewer_c1, org.c1, [[spouse.id_number, spouse.name, "低保", "", ""]])
    assert kinds(listed) == []


def test_on_the_list_but_not_filed_in_the_unit(reviewer_c1, org, household_g2a):
    # Filed in another company: for C1's list that person is not filed (应保尽保).
    listed = civil(reviewer_c1, org.c1, [[household_g2a.id_number, "黄海", "低保", "", ""]])
    line = listed.lines.get()
    assert (line.kind, line.household, line.row.name) == (Kind.NOT_FILED, None, "黄海")


def test_filed_in_another_category(reviewer_c1, org, household_g1a):
    assert household_g1a.category == Household.Category.NEAR_DIBAO
    listed = civil(reviewer_c1, org.c1, [[household_g1a.id_number, "张建国", "特困", "", ""]])
    line = listed.lines.get()
    assert (
        line.kind == Kind.OTHER_CATEGORY and line.detail == "民政名单为特困，档案登记为低保边缘户。"
    )
    household_g1a.refresh_from_db()
    assert household_g1a.category == Household.Category.NEAR_DIBAO  # never written back


def test_hr_status_contradicting_the_file(reviewer_c1, org, policy):
    laid_off = HouseholdFactory(
        in_file=True, union=org.g1a, employment_status=Household.EmploymentStatus.LAID_OFF
    )
    listed = hr(reviewer_c1, org.c1, [[laid_off.id_number, "", "在岗", "", "正常缴费"]])
    line = listed.lines.get()
    assert line.kind == Kind.CONTRADICTS
    assert line.detail == "人社数据显示职工本人在职，档案登记为下岗失业。"


def test_hr_wage_lifting_the_household_above_the_threshold(reviewer_c1, org, policy):
    """Two people on 400 a month (200 each, below 280); HR pays the worker 800: 400 each."""
    household = HouseholdFactory(
        in_file=True, union=org.g1a, employment_status=Household.EmploymentStatus.ACTIVE
    )
    MemberFactory(household=household, employment=Member.Employment.STUDENT, monthly_income=0)
    IncomeItemFactory(household=household, source="wages", monthly_amount=Decimal("400.00"))
    listed = hr(reviewer_c1, org.c1, [[household.id_number, "", "在职", "800", "正常缴费"]])
    assert kinds(listed) == [Kind.ABOVE_THRESHOLD, Kind.CONTRADICTS]
    above = listed.lines.get(kind=Kind.ABOVE_THRESHOLD)
    assert "家庭人均月收入 400.00 元（档案为 200.00 元），不低于困难标准 280.00 元" in above.detail


def test_a_small_hr_raise_that_stays_below_the_threshold_is_only_a_contradiction(
    reviewer_c1, org, policy
):
    household = HouseholdFactory(
        in_file=True, union=org.g1a, employment_status=Household.EmploymentStatus.ACTIVE
    )
    MemberFactory(household=household, employment=Member.Employment.STUDENT, monthly_income=0)
    IncomeItemFactory(household=household, source="wages", monthly_amount=Decimal("400.00"))
    listed = hr(reviewer_c1, org.c1, [[household.id_number, "", "在职", "450.00", ""]])
    assert kinds(listed) == [Kind.CONTRADICTS]


def test_a_member_employed_by_hr_but_recorded_jobless(reviewer_c1, org, household_g1a, policy):
    spouse = household_g1a.members.get()
    assert spouse.employment == Member.Employment.UNEMPLOYED
    listed = hr(reviewer_c1, org.c1, [[spouse.id_number, spouse.name, "在职", "", ""]])
    line = listed.lines.get()
    assert line.kind == Kind.MEMBER_EMPLOYED and spouse.name in line.detail


def test_an_hr_extract_that_agrees_with_the_files_reports_nothing(reviewer_c1, org, policy):
    household = HouseholdFactory(
        in_file=True, union=org.g1a, employment_status=Household.EmploymentStatus.ACTIVE
    )
    IncomeItemFactory(household=household, source="wages", monthly_amount=Decimal("1200.00"))
    listed = hr(reviewer_c1, org.c1, [[household.id_number, "", "在职", "1200", "正常缴费"]])
    assert kinds(listed) == []
