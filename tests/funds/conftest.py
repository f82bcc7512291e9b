"""Fixtures for funds, payments, distribution plans and visits, on top of the shared org tree
(tests/conftest.py) and the approval-chain fixtures (tests/fixtures/chain.py, casekit.py).

FED                       auditor_fed, admin_fed
├── C1   reviewer_c1, committee_c1, finance_c1, finance_committee_c1 (finance and committee)
│   ├── G1a  caseworker_g1a, chair_g1a, worker_g1a; household (= household_g1a with a card)
│   └── G1b
└── C2   finance_c2, committee_c2
    └── G2a  caseworker_g2a; household_c2 (= household_g2a with a card)

fund_c1: a 2026 fund of C1 that may pay emergency relief and festival, regular, living and
in-kind aid, with 10,000 yuan received. fund_c2 the same for C2.
"""

import datetime

import pytest
from factories import person
from fundkit import (
    ACCOUNT,
    ACCOUNT_G2A,
    approve,
    make_fund,
    new_plan,
    open_window,
    receive,
    set_account,
    submit,
)

from cases import services as case_services
from cases.models import Application, Notice
from hardship.models import Role


@pytest.fixture(autouse=True)
def history_window(db):
    """These tests post on fixed dates in 2024–2026: open the back-dating window wide enough
    (tests/funds/test_funds_dates.py tests the window itself, and removes this row)."""
    return open_window()


@pytest.fixture
def finance_c2(org):
    return person("finance_c2", "何会计", (Role.FINANCE, org.c2))


@pytest.fixture
def finance_committee_c1(org):
    """Keeps the books of C1 and sits on its committee: may draw up a plan and sign plans
    off, but never one they drew up."""
    return person(
        "finance_committee_c1", "吕兼职", (Role.FINANCE, org.c1), (Role.COMMITTEE, org.c1)
    )


@pytest.fixture
def household(household_g1a):
    """household_g1a (in file since 2024-03-01) with a bank card for payments."""
    return set_account(household_g1a, ACCOUNT)


@pytest.fixture
def household_c2(household_g2a):
    return set_account(household_g2a, ACCOUNT_G2A)


@pytest.fixture
def fund_c1(org, finance_c1):
    fund = make_fund(org.c1, name="集团公司帮扶资金")
    receive(finance_c1, fund, "10000", note="集团公司拨付")
    fund.refresh_from_db()
    return fund


@pytest.fixture
def fund_c2(org, finance_c2):
    fund = make_fund(org.c2, name="第二公司帮扶资金")
    receive(finance_c2, fund, "10000", note="集团公司拨付")
    fund.refresh_from_db()
    return fund


@pytest.fixture
def effective(app_at, household):
    """effective(amount): an emergency-relief application for `household` (by default),
    carried up the chain and through its public notice until it is payable."""

    def make(amount="5000", *, household=household, kind="emergency", **kwargs):
        application = app_at("in_notice", household=household, kind=kind, amount=amount, **kwargs)
        ends_on = Notice.objects.get(application=application).ends_on
        case_services.close_due_notices(ends_on + datetime.timedelta(days=1))
        application.refresh_from_db()
        assert application.state == Application.State.EFFECTIVE
        return application

    return make


@pytest.fixture
def draft_plan(org, finance_c1, fund_c1, household):
    """A flat 600-yuan festival plan of C1 drawn up by finance_c1: one line, household."""
    return new_plan(finance_c1, fund_c1, org.c1)


@pytest.fixture
def submitted_plan(draft_plan):
    return submit(draft_plan)


@pytest.fixture
def approved_plan(submitted_plan, committee_c1):
    return approve(submitted_plan, committee_c1)
