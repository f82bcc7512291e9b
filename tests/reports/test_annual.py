"""The annual fund-use report (年度帮扶资金使用情况): every figure reconciles with the ledger.

Each figure is recomputed in reportkit.expected_report() from the LedgerEntry rows, one by
one in Python, and compared with what reports.annual computes in the database; a few are
also written out by hand for the scenario in conftest.py, so the recomputation itself is
checked against arithmetic a reader can follow."""

import datetime
from decimal import Decimal

import pytest
from reportkit import YEAR, D, expected_report, pay, receive, report_rows, reverse_entry

from funds.models import AidType, Fund, LedgerEntry
from households.models import Household
from reports.annual import annual_report

pytestmark = pytest.mark.django_db

SCALARS = [
    "opening",
    "receipts_total",
    "receipt_reversals",
    "payments_total",
    "payment_reversals",
    "net_paid",
    "households_helped",
    "person_times",
    "average_per_household",
    "closing",
    "utilisation",
    "last_entry_id",
]


def assert_reconciles(report, expected):
    for name in SCALARS:
        value = getattr(report, name)
        assert value == expected[name], f"{name}: report {value}, ledger {expected[name]}"
    assert dict(report.receipts_by_source) == expected["receipts_by_source"]
    assert report_rows(report.by_aid_type) == expected["by_aid_type"]
    assert report_rows(report.by_union) == expected["by_union"]
    assert report_rows(report.by_cause) == expected["by_cause"]


@pytest.mark.parametrize("scope", ["fed", "c1", "g1a", "g1b", "c2"])
def test_auditor_can_reconcile_every_figure_with_the_ledger(org, ledger, scope):
    unit = getattr(org, scope)
    assert_reconciles(annual_report(YEAR, unit), expected_report(YEAR, unit))


@pytest.mark.parametrize("year", [2024, 2026])
def test_auditor_can_reconcile_the_years_around_it(org, ledger, year):
    assert_reconciles(annual_report(year, org.c1), expected_report(year, org.c1))


def test_auditor_can_read_the_company_figures_worked_out_by_hand(org, ledger):
    report = annual_report(YEAR, org.c1)
    # Opening: the 2024 receipt of fund_a less the 2024 payment to h1.
    assert report.opening == D("48500")
    # By source, in the order of the source codes (central, group).
    assert report.receipts_by_source == [
        ("中央财政专项帮扶资金", D("8000")),
        ("集团公司拨付", D("31000.50")),  # 30,000.50 and the 1,000 later reversed
    ]
    assert report.receipts_total == D("39000.50")
    assert report.receipt_reversals == D("1000")
    assert report.payments_total == D("8200.50")  # 2,000 + 1,200.50 + 3,000 + 600 + 600 + 800
    assert report.payment_reversals == D("800")
    assert report.net_paid == D("7400.50")
    assert (
        report.households_helped == 3
    )  # h1, h2, h3 (its living aid was reversed, not its medical aid)
    assert report.person_times == 5
    assert report.average_per_household == D("2466.83")
    # Closing: opening + receipts - receipt reversal - payments + payment reversal.
    assert report.closing == D("48500") + D("39000.50") - D("1000") - D("8200.50") + D("800")
    assert report.closing == D("79100")
    # Net paid over what was available: 7,400.50 / 86,500.50.
    assert report.utilisation == D("8.56")


def test_auditor_can_read_payments_by_union_aid_type_and_primary_cause(org, ledger):
    report = annual_report(YEAR, org.c1)
    assert report_rows(report.by_union) == {
        "机修车间工会": (D("4400.50"), D("0"), D("4400.50"), 2, 4),
        "炼油车间工会": (D("3800"), D("800"), D("3000"), 1, 1),
    }
    assert report_rows(report.by_aid_type) == {
        "临时救助": (D("3200.50"), D("0"), D("3200.50"), 2, 2),
        "医疗救助": (D("3000"), D("0"), D("3000"), 1, 1),
        "节日慰问金": (D("1200"), D("0"), D("1200"), 2, 2),
        "生活救助": (D("800"), D("800"), D("0"), 0, 0),
    }
    # h1's caseworker chose disability as the main cause (illness is also on file); h3 has
    # no cause on file.
    assert report_rows(report.by_cause) == {
        "因残": (D("2600"), D("0"), D("2600"), 1, 2),
        "因病": (D("1800.50"), D("0"), D("1800.50"), 1, 2),
        "未登记": (D("3800"), D("800"), D("3000"), 1, 1),
    }


MODEL_WORKERS = {
    "h1": {"is_model_worker": True, "model_worker_title": "provincial", "model_worker_year": 2008},
    "h3": {"is_model_worker": True},
}


@pytest.mark.parametrize("ledger", [MODEL_WORKERS], indirect=True)
def test_auditor_can_read_the_payments_to_model_workers_apart_by_title(org, ledger):
    """h1 was a provincial model worker when paid, h3 a model worker whose title is not
    recorded; h2 is none: the rows hold h1's and h3's payments only, reversals included."""
    report = annual_report(YEAR, org.c1)
    assert report_rows(report.model_workers) == {
        "省部级劳模": (D("2600"), D("0"), D("2600"), 1, 2),
        "称号未登记": (D("3800"), D("800"), D("3000"), 1, 1),
    }


def test_a_title_recorded_after_the_payments_leaves_the_year_as_it_was(org, ledger):
    Household.objects.filter(pk=ledger.h1.pk).update(
        is_model_worker=True, model_worker_title="provincial", model_worker_year=2008
    )
    assert annual_report(YEAR, org.c1).model_workers == []


def test_a_household_that_moves_union_stays_where_it_was_paid(org, ledger):
    """History is not rewritten: h3 was paid (and its wrong payment reversed) as a member
    of 炼油车间工会; its move to 机修车间工会 afterwards changes no row of the year."""
    before = report_rows(annual_report(YEAR, org.c1).by_union)
    Household.objects.filter(pk=ledger.h3.pk).update(union=org.g1a, main_cause="disaster")
    report = annual_report(YEAR, org.c1)
    assert report_rows(report.by_union) == before
    assert before["炼油车间工会"] == (D("3800"), D("800"), D("3000"), 1, 1)
    assert "因灾" not in report_rows(report.by_cause)


def test_auditor_can_match_the_closing_balance_to_the_fund_balances(org, ledger):
    """The fund rows keep their balance apart from the report: closing balance plus what
    moved after the year is what the funds hold now."""
    report = annual_report(YEAR, org.fed)
    later = sum(
        (e.amount for e in LedgerEntry.objects.filter(posted_on__gt=datetime.date(YEAR, 12, 31))),
        Decimal("0"),
    )
    held = sum((f.balance for f in Fund.objects.all()), Decimal("0"))
    assert report.closing + later == held


def test_company_reviewer_cannot_see_another_company_funds_in_the_report(org, ledger):
    report = annual_report(YEAR, org.c1)
    assert ledger.fund_c not in report.funds
    assert {f.pk for f in report.funds} == {ledger.fund_a.pk, ledger.fund_b.pk}
    assert "化工车间工会" not in report_rows(report.by_union)
    assert "社会捐助" not in dict(report.receipts_by_source)
    # Second company's own report has only its fund: 20,000 opening, 5,000 in, 900 out.
    other = annual_report(YEAR, org.c2)
    assert (other.opening, other.receipts_total, other.net_paid, other.closing) == (
        D("20000"),
        D("5000"),
        D("900"),
        D("24100"),
    )
    assert report_rows(other.by_union) == {"化工车间工会": (D("900"), D("0"), D("900"), 1, 1)}


def test_grassroots_union_can_report_only_the_funds_it_owns(org, ledger):
    """G1a's report holds fund_b only: the company fund's payments to G1a households are
    the company's, not the union's."""
    report = annual_report(YEAR, org.g1a)
    assert [f.pk for f in report.funds] == [ledger.fund_b.pk]
    assert report.opening == 0
    assert report.receipts_total == D("8000")
    assert report.net_paid == D("1200")
    assert report.closing == D("6800")


def test_auditor_cannot_find_another_year_payments_in_the_report(org, ledger):
    report = annual_report(YEAR, org.c1)
    next_year = LedgerEntry.objects.get(posted_on=datetime.date(2026, 1, 15))
    assert "定期补助" not in report_rows(report.by_aid_type)
    assert report.payments_total == D("8200.50")
    assert annual_report(2026, org.c1).payments_total == -next_year.amount == D("500")
    assert annual_report(2026, org.c1).opening == report.closing


def test_auditor_can_see_a_reversal_of_last_year_payment_in_this_year(org, ledger, finance_c1):
    """A 2024 payment reversed in 2025: the reversal belongs to 2025; the closed 2024 report
    keeps counting the help it shows the money for."""
    last_year = LedgerEntry.objects.get(kind="payment", posted_on=datetime.date(2024, 6, 1))
    reverse_entry(finance_c1, last_year, datetime.date(2025, 1, 5))
    report = annual_report(YEAR, org.c1)
    assert report.payment_reversals == D("2300")
    assert report.net_paid == D("5900.50")
    assert report.opening == D("48500")
    assert_reconciles(report, expected_report(YEAR, org.c1))
    earlier = annual_report(2024, org.c1)
    assert (earlier.person_times, earlier.households_helped) == (1, 1)
    assert_reconciles(earlier, expected_report(2024, org.c1))


def test_auditor_finds_a_later_reversal_under_the_households_cause(org, ledger, finance_c2):
    """黄海 is paid nothing in 2026; his 2025 payment reversed then still counts under 因病."""
    paid = LedgerEntry.objects.get(kind="payment", household=ledger.h4)
    reverse_entry(finance_c2, paid, datetime.date(2026, 2, 1))
    report = annual_report(2026, org.c2)
    assert report_rows(report.by_cause) == {"因病": (D("0"), D("900"), D("-900"), 0, 0)}
    assert_reconciles(report, expected_report(2026, org.c2))


def test_auditor_can_see_a_household_paid_twice_counted_once(org, ledger, finance_c1):
    pay(finance_c1, ledger.fund_a, [(ledger.h3, "400")], AidType.LIVING, datetime.date(2025, 11, 1))
    report = annual_report(YEAR, org.c1)
    assert report.households_helped == 3
    assert report.person_times == 6
    assert report_rows(report.by_union)["炼油车间工会"][3:] == (1, 2)
    assert_reconciles(report, expected_report(YEAR, org.c1))


def test_auditor_can_see_an_empty_year_as_zeros(org, finance_c1, history_window):
    fund = Fund.objects.create(name="空账户", source="group", year=YEAR, unit=org.c1, aid_types=[])
    receive(finance_c1, fund, "100", datetime.date(2020, 1, 1))
    report = annual_report(YEAR, org.c1)
    assert (report.opening, report.closing, report.net_paid) == (D("100"), D("100"), 0)
    assert (report.households_helped, report.average_per_household) == (0, 0)
    assert report.utilisation == 0
    assert report.by_union == report.by_aid_type == report.by_cause == []
    assert report.last_entry_id == LedgerEntry.objects.get().pk


def test_auditor_can_see_when_and_from_which_data_the_report_was_made(org, ledger):
    report = annual_report(YEAR, org.c1)
    scope = LedgerEntry.objects.filter(fund__in=[ledger.fund_a, ledger.fund_b])
    assert report.last_entry_id == max(scope.values_list("pk", flat=True))
    assert report.generated_at.tzinfo is not None
    # The second company's report names the last row of its own funds, not the tree's.
    c2_last = LedgerEntry.objects.filter(fund=ledger.fund_c).order_by("pk").last()
    assert annual_report(YEAR, org.c2).last_entry_id == c2_last.pk < report.last_entry_id
