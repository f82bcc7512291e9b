"""零就业家庭: one definition (households.assessment), the same answer for one file and for a
queryset, on the household page, in the list filter, in plan targeting and statistics."""

import datetime
import itertools

import pytest
from django.utils import timezone
from factories import HouseholdFactory, MemberFactory, make_id_number
from fundkit import make_fund, new_plan, open_window

from households.assessment import is_zero_employment, zero_employment
from households.models import Household

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def years_ago(years, days=0):
    return TODAY.replace(year=TODAY.year - years) - datetime.timedelta(days=days)


SEQUENCE = itertools.count(1)


def household(org, *, worker_age=61, status="retired", members=()):
    h = HouseholdFactory(
        in_file=True,
        union=org.g1a,
        employment_status=status,
        id_number=make_id_number(years_ago(worker_age, days=3), seq=next(SEQUENCE)),
    )
    for n, (age, employment) in enumerate(members):
        MemberFactory(
            household=h, id_number="", birth_date=years_ago(age, days=n + 1), employment=employment
        )
    return h


CASES = [
    # (worker age, worker status, members, 零就业?)
    (61, "retired", [(22, "unemployed")], True),
    (61, "retired", [(22, "unemployed"), (25, "employed")], False),
    (40, "active", [(22, "unemployed")], False),
    (40, "laid_off", [], True),
    (40, "terminated", [(12, "student")], True),
    (61, "laid_off", [], False),  # past working age: nobody of working age out of work
    (61, "retired", [(15, "unemployed")], False),  # under 16
    (61, "retired", [(30, "unemployed"), (45, "farming")], False),  # 务农 is work
    (61, "retired", [(30, "unemployed"), (65, "employed")], True),  # work past 60 not counted
    (61, "retired", [(30, "none"), (8, "student")], False),  # nobody able to work
]


@pytest.mark.parametrize(("age", "status", "members", "expected"), CASES)
def test_one_file_and_the_queryset_agree(org, age, status, members, expected):
    h = household(org, worker_age=age, status=status, members=members)
    fetched = Household.objects.prefetch_related("members").get(pk=h.pk)
    assert is_zero_employment(fetched) is expected
    assert zero_employment(Household.objects.filter(pk=h.pk)).exists() is expected


def test_the_working_age_ends_on_the_60th_birthday(org):
    h = household(org, worker_age=40, status="retired", members=[(30, "unemployed")])
    MemberFactory(household=h, id_number="", birth_date=years_ago(60), employment="employed")
    fetched = Household.objects.prefetch_related("members").get(pk=h.pk)
    assert is_zero_employment(fetched)
    assert zero_employment(Household.objects.filter(pk=h.pk)).exists()
    MemberFactory(
        household=h,
        id_number="",
        birth_date=years_ago(60) + datetime.timedelta(days=1),
        employment="employed",
    )
    fetched = Household.objects.prefetch_related("members").get(pk=h.pk)
    assert not is_zero_employment(fetched)
    assert not zero_employment(Household.objects.filter(pk=h.pk)).exists()


def test_shown_on_the_file_and_filtered_in_the_list(client, org, caseworker_g1a):
    zero = household(org, members=[(22, "unemployed")])
    working = household(org, members=[(22, "employed")])
    client.force_login(caseworker_g1a)
    page = client.get(zero.get_absolute_url()).content.decode()
    assert 'id="zero-employment"' in page
    assert 'id="zero-employment"' not in client.get(working.get_absolute_url()).content.decode()
    listed = client.get("/households/", {"employment": "zero"}).content.decode()
    assert zero.file_number in listed and working.file_number not in listed


def test_a_plan_can_target_zero_employment_households_only(org, finance_c1):
    open_window()
    zero = household(org, members=[(22, "unemployed")])
    working = household(org, members=[(22, "employed")])
    fund = make_fund(org.c1)
    everyone = new_plan(finance_c1, fund, org.c1, name="全部")
    targeted = new_plan(finance_c1, fund, org.c1, name="零就业", zero_employment=True)
    assert {zero, working} <= {line.household for line in everyone.lines.all()}
    assert [line.household for line in targeted.lines.all()] == [zero]


def test_statistics_count_zero_employment_households(client, org, reviewer_c1):
    household(org, members=[(22, "unemployed")])
    household(org, members=[(22, "employed")])
    client.force_login(reviewer_c1)
    response = client.get("/reports/statistics/")
    indicators = dict(response.context["indicators"])
    assert indicators["零就业家庭（在档）"] == 1
