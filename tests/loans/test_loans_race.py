"""Loans racing for the last of a loan fund, and one repayment entered twice at once: real
transactions and row locks, so PostgreSQL only (see tests/funds/test_funds_race.py for why
the skip is decided at import)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from factories import HouseholdFactory
from fundkit import balance_of, ledger_sum, open_window
from loankit import apply, approve_all, lend, loan_fund, months_ago, race, repay

from funds import ledger
from funds.models import LedgerEntry
from loans import services
from loans.models import Loan, Repayment

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the race needs real row locks: run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def history_window(db):
    return open_window()


def _approved(org, caseworker, chair, reviewer, committee, amount):
    household = HouseholdFactory(in_file=True, union=org.g1a)
    return approve_all(apply(caseworker, household, amount=amount), chair, reviewer, committee)


def test_two_loans_racing_for_the_last_of_a_loan_fund_lend_one(
    org, caseworker_g1a, chair_g1a, reviewer_c1, committee_c1, finance_c1
):
    fund = loan_fund(finance_c1, org.c1, amount="8000")
    staff = (caseworker_g1a, chair_g1a, reviewer_c1, committee_c1)
    first, second = _approved(org, *staff, "5000"), _approved(org, *staff, "5000")

    results = race(
        lambda: lend(finance_c1, first, fund),
        lambda: lend(finance_c1, second, fund),
    )
    lent = [r for r in results if isinstance(r, Loan)]
    refused = [r for r in results if isinstance(r, ledger.PaymentRefused)]
    assert len(lent) == 1 and len(refused) == 1, results
    assert "保持资金平衡" in " ".join(refused[0].messages)
    assert balance_of(fund) == Decimal("3000") == ledger_sum(fund)
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.LOAN_OUT).count() == 1
    assert Loan.objects.filter(state=Loan.State.APPROVED).count() == 1


def test_one_repayment_entered_twice_at_once_is_recorded_once(
    org, caseworker_g1a, chair_g1a, reviewer_c1, committee_c1, finance_c1
):
    fund = loan_fund(finance_c1, org.c1)
    loan = _approved(org, caseworker_g1a, chair_g1a, reviewer_c1, committee_c1, "6000")
    loan = lend(finance_c1, loan, fund, on=months_ago(2))
    owed = services.owed_now(loan)

    results = race(
        lambda: repay(finance_c1, loan, "1000", expected_outstanding=owed),
        lambda: repay(finance_c1, loan, "1000", expected_outstanding=owed),
    )
    recorded = [r for r in results if isinstance(r, Repayment)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(recorded) == 1 and len(refused) == 1, results
    assert "避免重复登记" in " ".join(refused[0].messages)
    assert services.owed_now(loan) == Decimal("5000")
    assert balance_of(fund) == Decimal("45000") == ledger_sum(fund)


def test_repayments_racing_past_what_is_owed_take_only_what_is_owed(
    org, caseworker_g1a, chair_g1a, reviewer_c1, committee_c1, finance_c1
):
    """Without the page's check (two different repayments at once): together they would
    exceed the loan, so the second one is refused under the loan's lock."""
    fund = loan_fund(finance_c1, org.c1)
    loan = _approved(org, caseworker_g1a, chair_g1a, reviewer_c1, committee_c1, "6000")
    loan = lend(finance_c1, loan, fund, on=months_ago(2))

    results = race(
        lambda: repay(finance_c1, loan, "4000"),
        lambda: repay(finance_c1, loan, "4000"),
    )
    assert sorted(type(r).__name__ for r in results) == ["Repayment", "ValidationError"]
    assert services.owed_now(loan) == Decimal("2000")
    assert balance_of(fund) == Decimal("48000") == ledger_sum(fund)
