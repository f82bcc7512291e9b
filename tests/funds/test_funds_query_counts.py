"""Query-count guard on the fund page: its ledger rows (receipts, payments with their
household, reversals) are fetched with what they show, so a longer ledger costs no more
queries. The session clock is held still: the idle timeout's session write would otherwise
add a query whenever the second changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories import HouseholdFactory
from fundkit import ACCOUNT, approve, new_plan, pay, receive, reverse_entry, submit

from funds import plans

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_fund_page_costs_the_same_queries_for_a_short_and_a_long_ledger(
    client, org, finance_c1, committee_c1, fund_c1, effective, session_clock_still
):
    receive(finance_c1, fund_c1, "500")
    reverse_entry(finance_c1, pay(finance_c1, fund_c1, effective("1000"), "1000"))
    url = reverse("fund_detail", args=[fund_c1.pk])
    client.force_login(finance_c1)
    small = queries_for(client, url)

    for _ in range(5):
        receive(finance_c1, fund_c1, "500")
    for _ in range(12):
        HouseholdFactory(in_file=True, union=org.g1b, bank_account=ACCOUNT)
    plan = approve(submit(new_plan(finance_c1, fund_c1, org.g1b)), committee_c1)
    posted = plans.plan_post(actor=finance_c1, plan=plan)
    for entry in posted[:3]:
        reverse_entry(finance_c1, entry)
    response = client.get(url)
    assert response.context["page"].paginator.count == 4 + 5 + 12 + 3

    assert queries_for(client, url) == small


def test_the_fund_page_totals_and_counts_are_the_rows_of_each_kind(
    client, finance_c1, fund_c1, effective
):
    """Read from the fund's year totals, the page's figures are still the rows' own."""
    from django.db.models import Count, Sum

    receive(finance_c1, fund_c1, "500")
    receive(finance_c1, fund_c1, "700")
    reverse_entry(finance_c1, pay(finance_c1, fund_c1, effective("300"), "300"))
    pay(finance_c1, fund_c1, effective("200"), "200")
    client.force_login(finance_c1)
    url = reverse("fund_detail", args=[fund_c1.pk])

    totals = client.get(url).context["totals"]
    rows = dict(
        fund_c1.entries.values_list("kind")
        .annotate(total=Sum("amount"), n=Count("pk"))
        .order_by()
        .values_list("kind", "total")
    )
    assert rows["reversal"] == 300
    assert (totals["receipts"], totals["payments"], totals["reversals"]) == (
        rows["receipt"],
        rows["payment"],
        rows["reversal"],
    )
    assert totals["loans_out"] is None and "loan_out" not in rows
    for kind in ("receipt", "payment", "reversal", "loan_out"):
        page = client.get(url, {"kind": kind}).context["page"]
        assert page.paginator.count == fund_c1.entries.filter(kind=kind).count()
    assert client.get(url).context["page"].paginator.count == fund_c1.entries.count()


@pytest.mark.parametrize(
    "rules, read",
    [
        ([], set()),
        ([{"kind": "cause", "value": "illness"}], {"households_hardshipcause"}),
        (
            [{"kind": "income_band", "income_to": 2000}],
            {"households_member", "households_incomeitem"},
        ),
    ],
)
def test_a_plans_list_reads_of_each_file_only_what_its_rules_ask(
    org, finance_c1, fund_c1, household, rules, read
):
    from funds import campaigns
    from funds.models import DistributionPlan, PlanRule

    plan = new_plan(finance_c1, fund_c1, org.c1)
    for rule in rules:
        PlanRule.objects.create(plan=plan, required=True, **rule)
    related = {"households_member", "households_incomeitem", "households_hardshipcause"}
    related.add("households_household_tags")
    with CaptureQueriesContext(connection) as captured:
        campaigns.select(plan, plans.plan_households(DistributionPlan.objects.get(pk=plan.pk)))
    sql = " ".join(q["sql"] for q in captured)
    assert {table for table in related if f'FROM "{table}"' in sql} == read
