"""Fixtures for the reports tests, on top of the shared org tree (tests/conftest.py) and the
approval-chain fixtures (tests/fixtures/chain.py, casekit.py).

`ledger` builds a small year of money through the real services (receipts, plan payments,
reversals), so the annual report is read from rows written as production writes them:

FED
├── C1   fund_a 集团公司帮扶资金 (group)       finance_c1
│   ├── G1a  fund_b 中央专项帮扶资金 (central)  h1 (因残 main, 因病), h2 (因病)
│   └── G1b                                    h3 (no cause on file)
└── C2   fund_c 第二公司社会捐助 (donation)     finance_c2
    └── G2a                                    h4 (因病)

YEAR (2025) and the years around it:
  2024-03-01  fund_a receipt 50,000          2024-06-01  fund_a pays h1 emergency 1,500
  2024-03-01  fund_c receipt 20,000
  2025-01-10  fund_a receipt 30,000.50       2025-02-01  fund_b receipt 8,000
  2025-02-02  fund_a receipt 1,000, reversed 2025-02-03
  2025-03-01  fund_a pays h1 2,000 and h2 1,200.50 (emergency)
  2025-04-01  fund_c receipt 5,000; pays h4 900 (emergency)
  2025-05-01  fund_a pays h3 3,000 (medical)
  2025-06-01  fund_b pays h1 600 and h2 600 (festival)
  2025-09-01  fund_a pays h3 800 (living), reversed 2025-09-10
  2026-01-15  fund_a pays h2 500 (regular): another year
"""

import datetime
from dataclasses import dataclass

import pytest
from factories import MembershipFactory, UserFactory
from reportkit import IMMEDIATE_TASKS, household, make_fund, pay, receive, reverse_entry

from funds.models import AidType, Fund, LedgerEntry
from hardship.models import PolicyParameter, Role
from households.models import Household


@pytest.fixture
def finance_c2(org):
    user = UserFactory(username="finance_c2", full_name="何会计")
    MembershipFactory(user=user, unit=org.c2, role=Role.FINANCE)
    return user


@pytest.fixture
def history_window(db):
    """The ledger below is history (2024–2026): open the back-dating window, a policy
    parameter, wide enough for it (the default takes the current and the previous month)."""
    return PolicyParameter.objects.create(
        key=PolicyParameter.Key.BACKDATE_MONTHS,
        value=600,
        valid_from=datetime.date(2000, 1, 1),
        note="测试：录入往年台账",
    )


@dataclass
class Ledger:
    fund_a: Fund
    fund_b: Fund
    fund_c: Fund
    h1: Household
    h2: Household
    h3: Household
    h4: Household
    reversed_payment: LedgerEntry
    reversed_receipt: LedgerEntry


@pytest.fixture
def ledger(request, org, finance_c1, finance_c2, history_window) -> Ledger:
    # Parametrised indirectly with more fields of a file, e.g. {"h1": {"is_model_worker": …}}.
    files = getattr(request, "param", {})
    h1 = household(
        org.g1a, "张建国", "disability", "illness", main_cause="disability", **files.get("h1", {})
    )
    h2 = household(org.g1a, "李秀英", "illness", **files.get("h2", {}))
    h3 = household(org.g1b, "王大力", **files.get("h3", {}))
    h4 = household(org.g2a, "黄海", "illness", **files.get("h4", {}))
    fund_a = make_fund(org.c1, "集团公司帮扶资金", Fund.Source.GROUP)
    fund_b = make_fund(org.g1a, "中央专项帮扶资金", Fund.Source.CENTRAL)
    fund_c = make_fund(org.c2, "第二公司社会捐助", Fund.Source.DONATION)
    d = datetime.date

    receive(finance_c1, fund_a, "50000", d(2024, 3, 1))
    receive(finance_c2, fund_c, "20000", d(2024, 3, 1))
    pay(finance_c1, fund_a, [(h1, "1500")], AidType.EMERGENCY, d(2024, 6, 1))

    receive(finance_c1, fund_a, "30000.50", d(2025, 1, 10), note="集团公司拨付")
    receive(finance_c1, fund_b, "8000", d(2025, 2, 1), note="中央财政专项")
    wrong_receipt = receive(finance_c1, fund_a, "1000", d(2025, 2, 2), note="误录")
    reverse_entry(finance_c1, wrong_receipt, d(2025, 2, 3))
    pay(finance_c1, fund_a, [(h1, "2000"), (h2, "1200.50")], AidType.EMERGENCY, d(2025, 3, 1))
    receive(finance_c2, fund_c, "5000", d(2025, 4, 1))
    pay(finance_c2, fund_c, [(h4, "900")], AidType.EMERGENCY, d(2025, 4, 1))
    pay(finance_c1, fund_a, [(h3, "3000")], AidType.MEDICAL, d(2025, 5, 1))
    pay(finance_c1, fund_b, [(h1, "600"), (h2, "600")], AidType.FESTIVAL, d(2025, 6, 1))
    (wrong_payment,) = pay(finance_c1, fund_a, [(h3, "800")], AidType.LIVING, d(2025, 9, 1))
    reverse_entry(finance_c1, wrong_payment, d(2025, 9, 10))

    pay(finance_c1, fund_a, [(h2, "500")], AidType.REGULAR, d(2026, 1, 15))
    return Ledger(
        fund_a=fund_a,
        fund_b=fund_b,
        fund_c=fund_c,
        h1=h1,
        h2=h2,
        h3=h3,
        h4=h4,
        reversed_payment=wrong_payment,
        reversed_receipt=wrong_receipt,
    )


@pytest.fixture
def immediate_tasks(settings, tmp_path):
    """Background jobs run at once, inside the request, and write under tmp_path.
    django_tasks caches its backends; changing TASKS resets that cache (setting_changed)."""
    settings.TASKS = IMMEDIATE_TASKS
    settings.EXPORT_DIR = tmp_path / "exports"
    return settings
