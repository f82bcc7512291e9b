"""The year totals the annual report and the statistics read (funds.totals): kept in step
with every posting, re-summed from the ledger by verify_integrity, which names any row that
differs."""

import datetime

import pytest
from django.db.models import F
from reportkit import YEAR, D, pay, receive, report_rows, reverse_entry

from audit.services import verify_integrity
from funds import totals
from funds.flows import paid_in_unions
from funds.models import AidType, AidYearTotal, FundYearTotal
from households.models import Household
from reports.annual import annual_report

pytestmark = pytest.mark.django_db
Facet = AidYearTotal.Facet


def test_the_totals_kept_at_each_posting_equal_the_ledger_summed_again(ledger):
    assert FundYearTotal.objects.exists() and AidYearTotal.objects.exists()
    assert totals.differences() == []
    kept = totals.stored()
    totals.rebuild()
    assert totals.stored() == kept


def test_a_household_paid_from_two_funds_in_a_year_counts_once(org, ledger):
    """In the year h1 and h2 were each paid from fund_a (机修车间's company) and from fund_b
    (机修车间's own); h3 twice from fund_a, one of them reversed."""
    own = annual_report(YEAR, org.g1a)
    assert (own.households_helped, own.person_times) == (2, 2)
    company = annual_report(YEAR, org.c1)
    assert (company.households_helped, company.person_times) == (3, 5)


def test_auditor_is_told_of_a_year_total_changed_behind_the_ledgers_back(org, ledger):
    assert verify_integrity().ok
    AidYearTotal.objects.filter(scope=org.c1, year=YEAR, union=0, facet=Facet.ALL).update(
        paid=F("paid") + 1
    )
    FundYearTotal.objects.filter(fund=ledger.fund_a, year=YEAR, flow="receipt").delete()

    run = verify_integrity()

    assert not run.ok
    lines = [line for line in run.report.splitlines() if line.startswith("年度汇总")]
    assert len(lines) == 2, run.report
    assert any("FundYearTotal" in line and "汇总表记载 —" in line for line in lines)
    assert any("AidYearTotal" in line and "'all'" in line for line in lines)


def test_statistics_count_a_payment_under_the_union_it_was_paid_in(org, ledger, finance_c1):
    """h3 moves from 炼油车间 to 机修车间 after its 2025 payments; a payment after the move
    counts under 机修车间."""
    g1a, g1b = [org.g1a.pk], [org.g1b.pk]
    assert paid_in_unions(g1b, YEAR)[Facet.ALL, ""] == (D("3000"), 1)
    Household.objects.filter(pk=ledger.h3.pk).update(union=org.g1a)
    before = paid_in_unions(g1a, YEAR)[Facet.ALL, ""]
    assert paid_in_unions(g1b, YEAR)[Facet.ALL, ""] == (D("3000"), 1)

    receive(finance_c1, ledger.fund_a, "100", datetime.date(YEAR, 11, 1))
    (later,) = pay(
        finance_c1, ledger.fund_a, [(ledger.h3, "70")], AidType.LIVING, datetime.date(YEAR, 11, 2)
    )

    net, standing = paid_in_unions(g1a, YEAR)[Facet.ALL, ""]
    assert (net, standing) == (before[0] + D("70"), before[1] + 1)
    assert paid_in_unions(g1a, YEAR)[Facet.MONTH, "11"] == (D("70"), 1)
    assert report_rows(annual_report(YEAR, org.c1).by_union)["炼油车间工会"][2] == D("3000")

    reverse_entry(finance_c1, later, datetime.date(YEAR, 11, 3))
    assert paid_in_unions(g1a, YEAR)[Facet.ALL, ""] == before
    assert totals.differences() == []
