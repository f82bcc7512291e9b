"""The checks page at any size of province: each check counts all its findings in the
database and lists only the first of them, and the page's queries do not grow with the
number of households. The session clock is held still where queries are counted (the idle
timeout's session write would add one whenever the second changes)."""

import datetime
import functools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from factories import (
    HardshipCauseFactory,
    HouseholdFactory,
    IncomeItemFactory,
    MemberFactory,
    PolicyParameterFactory,
    make_id_number,
)

from audit import checks, findings
from audit.policy_sql import values_by_union
from hardship.models import PolicyParameter
from households.access import households_visible_to
from households.models import Household

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def flagged(union, *, education_lapsed=False, income="0", **fields):
    """A household in file that several checks find: a cause without evidence (illness) and
    without a measure, and whatever `fields` add (vehicles, an overdue review …)."""
    household = HouseholdFactory(in_file=True, union=union, **fields)
    HardshipCauseFactory(household=household, cause="illness")
    if education_lapsed:
        HardshipCauseFactory(household=household, cause="education")
        MemberFactory(household=household, school_stage="none", employment="employed")
    if Decimal(income):
        IncomeItemFactory(household=household, monthly_amount=Decimal(income))
    return household


def by_code(user, limit) -> dict:
    return {c.code: c for c in checks.run_checks(households_visible_to(user), TODAY, limit)}


def test_auditor_can_see_how_many_findings_a_check_has_beyond_those_listed(org, auditor_fed):
    cars = [flagged(org.g1a, vehicles=1) for _ in range(5)]
    assets = by_code(auditor_fed, limit=2)["assets"]
    assert assets.total == 5 and assets.more
    first_two = sorted(cars, key=lambda h: h.file_number)[:2]
    assert [f.household for f in assets.findings] == first_two


def test_auditor_can_see_a_count_that_runs_over_the_parts_of_a_check(org, auditor_fed):
    for _ in range(2):
        flagged(org.g1a, education_lapsed=True)
    for _ in range(3):
        household = flagged(org.g1b, employment_status="active")
        HardshipCauseFactory(household=household, cause="unemployment")
    lapsed = by_code(auditor_fed, limit=3)["lapsed"]
    assert lapsed.total == 5
    assert ["因学" in f.detail for f in lapsed.findings] == [True, True, False]
    assert "下岗失业" in lapsed.findings[2].detail


def test_every_checks_count_equals_its_findings_listed_in_full(org, policy, auditor_fed):
    overdue = TODAY - datetime.timedelta(days=120)
    late = TODAY - datetime.timedelta(days=3)
    for i in range(4):
        household = flagged(
            org.g1a if i % 2 else org.g2a,
            education_lapsed=True,
            income="2000",  # four people: 500 a head
            vehicles=1,
            review_due_on=overdue,
            exit_target_on=late,
        )
        # The same number twice in one household is no duplicate.
        twice = make_id_number(datetime.date(1950, 1, 1), seq=900 + i, sex="M")
        MemberFactory(household=household, id_number=twice, relation="parent")
        MemberFactory(household=household, id_number=twice, relation="parent_in_law")
    shared = make_id_number(datetime.date(1980, 1, 1), seq=990, sex="F")
    for union in (org.g1b, org.g2a):
        MemberFactory(household=HouseholdFactory(in_file=True, union=union), id_number=shared)

    counted = by_code(auditor_fed, limit=1)
    listed = by_code(auditor_fed, limit=1000)
    for code, check in listed.items():
        assert not check.more, code
        assert counted[code].total == check.total == len(check.findings), code
    assert {c: listed[c].total for c in ("income", "duplicate", "assets", "overdue")} == {
        "income": 4,
        "duplicate": 2,
        "assets": 4,
        "overdue": 4,
    }
    assert counted["evidence"].total == 8  # illness and education in 4 files
    assert counted["plan"].total == 8 + 4  # the same causes without a measure, 4 exit dates


def test_the_first_findings_are_the_same_read_by_key_or_in_order(
    org, policy, auditor_fed, monkeypatch
):
    for i in range(6):
        flagged(org.g1a if i % 2 else org.g2a, education_lapsed=True, income="900", vehicles=1)

    def shown():
        return {
            code: (check.total, [(f.household.pk, f.detail) for f in check.findings])
            for code, check in by_code(auditor_fed, limit=4).items()
        }

    few = shown()  # six rows a part at most: found by their keys, then read
    monkeypatch.setattr(findings, "FEW", 0)
    assert shown() == few  # read in order off the index, cut at the limit
    assert few["evidence"][0] == 12 and len(few["evidence"][1]) == 4


def test_income_is_judged_against_the_threshold_of_each_union(org, auditor_fed):
    PolicyParameterFactory(key=PolicyParameter.Key.HARDSHIP_THRESHOLD, value=Decimal("300"))
    PolicyParameterFactory(
        key=PolicyParameter.Key.HARDSHIP_THRESHOLD, value=Decimal("500"), unit=org.c2
    )
    PolicyParameterFactory(
        key=PolicyParameter.Key.HARDSHIP_THRESHOLD, value=Decimal("400"), unit=org.g1b
    )
    g1a = flagged(org.g1a, income="350")  # 350 ≥ 300
    flagged(org.g1b, income="350")  # 350 < 400
    flagged(org.g2a, income="450")  # 450 < 500
    income = by_code(auditor_fed, limit=50)["income"]
    assert [f.household for f in income.findings] == [g1a] and income.total == 1
    groups = values_by_union(PolicyParameter.Key.HARDSHIP_THRESHOLD, Household.objects.all(), TODAY)
    assert groups == {
        Decimal("300"): [org.g1a.pk],
        Decimal("400"): [org.g1b.pk],
        Decimal("500"): [org.g2a.pk],
    }


def test_a_union_without_a_threshold_in_force_has_no_income_candidates(org, auditor_fed):
    PolicyParameterFactory(
        key=PolicyParameter.Key.HARDSHIP_THRESHOLD,
        value=Decimal("300"),
        unit=org.c1,
        valid_to=TODAY - datetime.timedelta(days=1),
    )
    PolicyParameterFactory(
        key=PolicyParameter.Key.HARDSHIP_THRESHOLD, value=Decimal("300"), unit=org.c2
    )
    flagged(org.g1a, income="5000")  # C1's threshold has lapsed
    g2a = flagged(org.g2a, income="5000")
    income = by_code(auditor_fed, limit=50)["income"]
    assert income.total == 1 and [f.household for f in income.findings] == [g2a]


# The page ------------------------------------------------------------------------------------


def test_auditor_can_read_how_many_findings_are_not_listed_on_the_page(
    client, org, auditor_fed, monkeypatch
):
    for _ in range(5):
        flagged(org.g1a, vehicles=2)
    monkeypatch.setattr(checks, "run_checks", functools.partial(checks.run_checks, limit=2))
    client.force_login(auditor_fed)
    page = client.get(reverse("integrity_checks")).content.decode()
    section = page[page.index('id="check-assets"') : page.index('id="check-overdue"')]
    assert "共 5 条，显示前 2 条。" in section
    assert section.count("机动车 2 辆") == 2


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("integrity_checks")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["auditor_fed", "reviewer_c1"])
@pytest.mark.parametrize(
    "limit",
    [
        2,  # both sizes fill each list and count the rest: counting costs no more
        1000,  # both sizes listed in full: a longer list costs no more
    ],
)
def test_the_checks_page_costs_the_same_queries_for_3_or_30_households(
    client, request, org, policy, who, limit, monkeypatch, session_clock_still
):
    user = request.getfixturevalue(who)
    monkeypatch.setattr(checks, "run_checks", functools.partial(checks.run_checks, limit=limit))

    def add(n):
        for i in range(n):
            flagged(
                org.g1a if i % 2 else org.g1b,
                education_lapsed=True,
                income="900",
                vehicles=1,
                review_due_on=TODAY - datetime.timedelta(days=100),
            )

    add(3)
    client.force_login(user)
    few = _page_queries(client)
    add(27)
    assert _page_queries(client) == few
