"""A round's coverage (走访全覆盖): per grassroots union the households in file, those
visited in the round and who is left; the goods handed over and how much a fund paid; all
counted over what the viewer may see, in a fixed number of queries. And goods given in a
round reach the annual report like any goods from a fund."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from factories import HouseholdFactory
from fundkit import make_fund, receive

from casework import coverage as coverage_module
from casework.coverage import round_coverage
from casework.models import Visit
from casework.rounds import round_create
from casework.services import visit_record
from funds.models import AidType
from households.models import Household
from reports.annual import annual_report

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
STARTS = TODAY - datetime.timedelta(days=20)
ENDS = TODAY + datetime.timedelta(days=10)
VISITED = TODAY - datetime.timedelta(days=3)


@pytest.fixture
def goods_fund(org, finance_c1):
    fund = make_fund(
        org.c1, name="送温暖资金", year=TODAY.year, aid_types=[AidType.FESTIVAL, AidType.IN_KIND]
    )
    receive(finance_c1, fund, "1000", on=TODAY.replace(month=1, day=2))
    return fund


@pytest.fixture
def spring(org, reviewer_c1, goods_fund):
    return round_create(
        actor=reviewer_c1,
        unit=org.c1,
        name="春节走访",
        starts_on=STARTS,
        ends_on=ENDS,
        fund=goods_fund,
    )


@pytest.fixture
def families(org, household):
    """G1a: three in file for the round (`household` among them), plus one filed after the
    round's end, a draft and an exited file (none of which count); G1b: one in file."""
    in_file = dict(in_file=True, union=org.g1a)
    g1a = [household, HouseholdFactory(**in_file), HouseholdFactory(**in_file)]
    HouseholdFactory(**in_file, established_on=ENDS + datetime.timedelta(days=1))
    HouseholdFactory(union=org.g1a)
    HouseholdFactory(exited=True, union=org.g1a)
    return {"g1a": g1a, "g1b": [HouseholdFactory(in_file=True, union=org.g1b)]}


def rice(fund=None):
    return {
        "goods": "大米",
        "goods_quantity": Decimal("25"),
        "goods_unit": "公斤",
        "goods_value": Decimal("150"),
        "fund": fund,
    }


def visit(actor, household, visit_round, **goods):
    return visit_record(
        actor=actor,
        household=household,
        visited_on=VISITED,
        kind=Visit.Kind.FESTIVAL,
        visitors="王干事",
        round=visit_round,
        **goods,
    )


@pytest.fixture
def visited(caseworker_g1a, families, spring, goods_fund):
    """Two of G1a's three visited in the round (one of them twice), rice from the fund once
    and bought otherwise once, oil without a quantity; a third visited outside the round."""
    first, second, third = families["g1a"]
    visit(caseworker_g1a, first, spring, **rice(goods_fund))
    visit(caseworker_g1a, first, spring, goods="食用油", goods_value=Decimal("60"))
    visit(caseworker_g1a, second, spring, **rice())
    visit(caseworker_g1a, third, None)
    return families


def test_coverage_counts_households_in_file_visited_and_left_per_union(
    reviewer_c1, spring, visited, org
):
    coverage = round_coverage(reviewer_c1, spring)
    rows = [(u.unit, u.in_file, u.visited, u.rate) for u in coverage.unions]
    assert rows == [
        (org.g1a, 3, 2, Decimal("66.7")),
        (org.g1b, 1, 0, Decimal("0.0")),
    ]
    assert (coverage.in_file, coverage.visited, coverage.rate) == (4, 2, Decimal("50.0"))
    left = {u.unit.code: [h.pk for h in u.left] for u in coverage.unions}
    assert left == {"G1a": [visited["g1a"][2].pk], "G1b": [visited["g1b"][0].pk]}


def test_goods_totals_by_name_and_unit_with_what_a_fund_paid(reviewer_c1, spring, visited):
    lines = {(g.goods, g.unit): g for g in round_coverage(reviewer_c1, spring).goods}
    assert set(lines) == {("大米", "公斤"), ("食用油", "")}
    rice_line = lines["大米", "公斤"]
    assert (rice_line.visits, rice_line.quantity, rice_line.value, rice_line.from_fund) == (
        2,
        Decimal("50"),
        Decimal("300"),
        Decimal("150"),
    )
    oil = lines["食用油", ""]
    assert (oil.quantity, oil.value, oil.from_fund) == (None, Decimal("60"), Decimal("0"))


def test_coverage_page_shows_totals_who_is_left_with_a_link_to_record_the_visit(
    client, caseworker_g1a, spring, visited
):
    client.force_login(caseworker_g1a)
    page = client.get(spring.get_absolute_url()).content.decode()
    left = visited["g1a"][2]
    link = reverse("visit_create", args=[left.pk]) + f"?round={spring.pk}"
    assert link in page and left.file_number in page
    assert reverse("visit_create", args=[visited["g1a"][0].pk]) not in page
    assert "66.7%" in page and "300.00" in page


def test_caseworker_sees_only_their_own_unions_coverage(client, caseworker_g1a, spring, visited):
    coverage = round_coverage(caseworker_g1a, spring)
    assert [u.unit.code for u in coverage.unions] == ["G1a"]
    assert (coverage.in_file, coverage.visited) == (3, 2)
    client.force_login(caseworker_g1a)
    page = client.get(reverse("round_list"))
    [row] = page.context["page"]
    assert (row.in_file, row.visited, row.rate) == (3, 2, Decimal("66.7"))
    assert (
        visited["g1b"][0].file_number not in client.get(spring.get_absolute_url()).content.decode()
    )


def test_the_list_counts_each_round_over_what_the_viewer_sees(client, reviewer_c1, spring, visited):
    client.force_login(reviewer_c1)
    [row] = client.get(reverse("round_list")).context["page"]
    assert (row.in_file, row.visited, row.rate) == (4, 2, Decimal("50.0"))


def test_another_union_round_is_not_found(
    client, org, reviewer_c1, caseworker_g1a, caseworker_g2a, spring, auditor_fed, finance_c1
):
    g1b = round_create(actor=reviewer_c1, unit=org.g1b, name="G1b", starts_on=STARTS, ends_on=ENDS)
    client.force_login(caseworker_g2a)
    assert client.get(spring.get_absolute_url()).status_code == 404
    assert list(client.get(reverse("round_list")).context["page"]) == []
    client.force_login(caseworker_g1a)
    assert client.get(g1b.get_absolute_url()).status_code == 404
    assert [r.name for r in client.get(reverse("round_list")).context["page"]] == ["春节走访"]
    for reader in (auditor_fed, finance_c1):  # they read coverage (not record visits)
        client.force_login(reader)
        page = client.get(spring.get_absolute_url())
        assert page.status_code == 200 and page.context["recording_in"] == set()


def test_workers_and_administrators_have_no_access(client, worker_g1a, admin_fed, spring):
    for user in (worker_g1a, admin_fed):
        client.force_login(user)
        assert client.get(reverse("round_list")).status_code == 403
        assert client.get(spring.get_absolute_url()).status_code == 404


def test_the_coverage_page_takes_the_same_queries_whatever_the_households(
    client, org, reviewer_c1, caseworker_g1a, spring, visited, session_clock_still
):
    client.force_login(reviewer_c1)
    url = spring.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(6):
        more = HouseholdFactory(in_file=True, union=org.g1a if n % 2 else org.g1b)
        if n < 3:
            visit(reviewer_c1, more, spring, **rice())
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.context["coverage"].in_file == 10
    # The page (7, and one per union with files left: their first ones) and every page's
    # navigation: counts of the inbox (loans, list objections included), tasks.
    assert len(many) == len(few) <= 19, [q["sql"] for q in many.captured_queries]


def test_round_goods_from_a_fund_show_in_the_annual_report(org, spring, visited, goods_fund):
    report = annual_report(VISITED.year, org.c1)
    [line] = report.goods
    assert (line.goods, line.unit, line.quantity, line.value) == (
        "大米",
        "公斤",
        Decimal("25"),
        Decimal("150"),
    )
    rows = {row.label: row.net for row in report.condolence}
    assert rows["物资（按价值）"] == Decimal("150")
    assert Household.objects.filter(visits__round=spring).distinct().count() == 2


def test_a_union_with_many_left_lists_the_longest_in_file_first_and_counts_the_rest(
    client, reviewer_c1, spring, visited, org, monkeypatch
):
    monkeypatch.setattr(coverage_module, "LEFT_SHOWN", 2)
    older = HouseholdFactory(in_file=True, union=org.g1b, established_on=VISITED.replace(year=2020))
    HouseholdFactory(in_file=True, union=org.g1b)
    g1b = next(u for u in round_coverage(reviewer_c1, spring).unions if u.unit == org.g1b)
    assert (g1b.in_file, g1b.visited, g1b.left_count, len(g1b.left)) == (3, 0, 3, 2)
    assert g1b.left[0] == older
    client.force_login(reviewer_c1)
    page = client.get(spring.get_absolute_url()).content.decode()
    assert "共 3 户，先列出建档最早的 2 户" in page
