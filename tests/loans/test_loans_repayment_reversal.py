"""A repayment entered wrongly is reversed from the loan: the ledger gets a reversal (money
back out of the loan fund), the repayment no longer counts, a loan it had repaid owes again;
only finance keeping the fund may do it, once, and never on a written-off loan."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from fundkit import balance_of, ledger_sum
from loankit import repay, today

from funds import ledger
from funds.models import LedgerEntry
from loans import services
from loans.models import Loan
from reports.annual import annual_report


def test_a_reversed_repayment_no_longer_counts_and_the_fund_gives_it_back(
    current, finance_c1, fund
):
    owed = services.owed_now(current)
    before = balance_of(fund)
    repayment = repay(finance_c1, current, "1000")
    assert services.owed_now(current) == owed - Decimal("1000")

    services.repayment_reverse(actor=finance_c1, repayment=repayment, reason="重复登记")
    repayment.refresh_from_db()
    reversal = repayment.reversal
    assert (reversal.kind, reversal.amount, reversal.reverses_id) == (
        LedgerEntry.Kind.REVERSAL,
        Decimal("-1000.00"),
        repayment.entry_id,
    )
    assert "重复登记" in reversal.note and current.number in reversal.note
    assert balance_of(fund) == before == ledger_sum(fund)
    assert services.owed_now(current) == owed

    with pytest.raises(ValidationError) as twice:
        services.repayment_reverse(actor=finance_c1, repayment=repayment, reason="再冲")
    assert "已经冲销过" in twice.value.messages[0]


def test_a_loan_repaid_by_a_wrong_repayment_owes_again(current, finance_c1):
    repayment = repay(finance_c1, current, services.owed_now(current))
    current.refresh_from_db()
    assert current.state == Loan.State.REPAID
    services.repayment_reverse(actor=finance_c1, repayment=repayment, reason="记到了别人的借款上")
    current.refresh_from_db()
    assert (current.state, current.closed_on) == (Loan.State.CURRENT, None)
    assert services.owed_now(current) == Decimal("6000")


def test_only_finance_keeping_the_fund_reverses_and_a_reason_is_needed(
    current, finance_c1, caseworker_g1a
):
    repayment = repay(finance_c1, current, "500")
    with pytest.raises(PermissionDenied):
        services.repayment_reverse(actor=caseworker_g1a, repayment=repayment, reason="错")
    with pytest.raises(ValidationError) as empty:
        services.repayment_reverse(actor=finance_c1, repayment=repayment, reason="  ")
    assert "原因" in " ".join(empty.value.messages)
    repayment.refresh_from_db()
    assert repayment.reversal is None


def test_the_ledger_page_still_refuses_to_reverse_loan_rows(current, finance_c1):
    repayment = repay(finance_c1, current, "500")
    with pytest.raises(ValidationError) as error:
        ledger.entry_reverse(actor=finance_c1, entry=repayment.entry, reason="错")
    assert "借款页面" in error.value.messages[0]


def test_the_annual_report_counts_repayments_net_of_reversals(current, finance_c1, org):
    kept = repay(finance_c1, current, "700")
    wrong = repay(finance_c1, current, "300")
    services.repayment_reverse(actor=finance_c1, repayment=wrong, reason="金额录错")
    report = annual_report(today().year, org.c1)
    assert kept.paid_on.year == today().year
    assert report.loan_repayments == Decimal("700.00")
    assert report.closing == report.opening + (
        report.receipts_total
        - report.receipt_reversals
        - report.payments_total
        + report.payment_reversals
        - report.loans_out
        + report.loan_repayments
    )


def test_the_page_reverses_with_a_reason_and_marks_the_row(client, current, finance_c1):
    repayment = repay(finance_c1, current, "400")
    client.force_login(finance_c1)
    url = reverse("loan_repayment_reverse", args=[repayment.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    response = client.post(url, {"reason": "重复登记"})
    assert response.status_code == 302
    page = client.get(current.get_absolute_url()).content.decode()
    assert "已冲销" in page and "重复登记" in page
