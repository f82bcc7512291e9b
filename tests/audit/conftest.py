"""Fixtures for reviews, integrity checks, privacy and tamper evidence, on top of the shared
org tree (tests/conftest.py) and the approval-chain fixtures (tests/fixtures/chain.py).

FED                      auditor_fed
├── C1   reviewer_c1, committee_c1, finance_c1, auditor_c1
│   ├── G1a  caseworker_g1a, chair_g1a, worker_g1a (own file); household_g1a
│   └── G1b
└── C2   reviewer_c2, auditor_c2
    └── G2a  caseworker_g2a; household_g2a

fund_c1: this year's fund of C1 with 50,000 yuan received.
"""

import pytest
from auditkit import make_fund, receive
from factories import person

from hardship.models import Role


@pytest.fixture
def auditor_c1(org):
    return person("auditor_c1", "冯审计", (Role.AUDITOR, org.c1))


@pytest.fixture
def auditor_c2(org):
    return person("auditor_c2", "陈审计", (Role.AUDITOR, org.c2))


@pytest.fixture
def fund_c1(org, finance_c1):
    fund = make_fund(org.c1, "第一公司帮扶资金")
    receive(finance_c1, fund, "50000")
    fund.refresh_from_db()
    return fund
