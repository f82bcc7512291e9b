"""Fixtures for visits and reviews, on top of the shared org tree (tests/conftest.py) and the
approval-chain fixtures (tests/fixtures/chain.py).

household: household_g1a (in file since 2024-03-01) with a bank card."""

import pytest
from fundkit import ACCOUNT, open_window, set_account


@pytest.fixture(autouse=True)
def history_window(db):
    """Visits with goods post on past dates, as in tests/funds: open the back-dating window."""
    return open_window()


@pytest.fixture
def household(household_g1a):
    return set_account(household_g1a, ACCOUNT)
