"""Fixtures for the loan tests, on the shared org tree (tests/conftest.py):

C1   reviewer_c1, committee_c1, finance_c1; `fund`: a loan fund of C1 with 50,000 received
└── G1a  caseworker_g1a, chair_g1a; household_g1a (in file since 2024-03-01)

`approved`: a loan of 6,000 yuan over 6 months, monthly, decided by the three levels;
`current`: the same lent four months ago from `fund` (1,000 yuan due each month), nothing
repaid yet, so three installments are overdue.
"""

import pytest
from fundkit import open_window
from loankit import apply, approve_all, lend, loan_fund, months_ago


@pytest.fixture(autouse=True)
def history_window(db):
    """Loans here are lent months ago: open the back-dating window as an administrator would."""
    return open_window()


@pytest.fixture
def fund(org, finance_c1):
    return loan_fund(finance_c1, org.c1)


@pytest.fixture
def approved(caseworker_g1a, chair_g1a, reviewer_c1, committee_c1, household_g1a):
    loan = apply(caseworker_g1a, household_g1a)
    return approve_all(loan, chair_g1a, reviewer_c1, committee_c1)


@pytest.fixture
def current(approved, finance_c1, fund):
    return lend(finance_c1, approved, fund, on=months_ago(4))
