"""Fixtures for bank batch payments, on top of the shared org tree (tests/conftest.py) and the
funds helpers (fundkit.py).

C1   finance_c1, committee_c1, reviewer_c1; fund_c1 (10,000 yuan, festival and relief, with
     its special account at the bank)
├── G1a  caseworker_g1a; household_g1a with a card
└── G1b  four households in file, each with a card of its own: `posted_plan` pays each of
         them 600 yuan of festival money by card
C2   finance_c2: keeps the books of the other company
"""

import pytest
from factories import HouseholdFactory, person
from fundkit import ACCOUNT, approve, make_fund, new_plan, open_window, receive, set_account, submit

from bank.examples import add_examples
from bank.models import BatchTemplate, TemplateColumn
from funds import plans
from funds.models import Fund
from hardship.models import Role

ICBC = "工商银行代发（示例）"  # CSV, GBK, yuan with two decimals
ABC = "农业银行代发（示例）"  # xlsx, fen
CARDS = ["6222020000000000011", "6222020000000000029", "6228480000000000037", "6228480000000000045"]


@pytest.fixture(autouse=True)
def history_window(db):
    """The festival is paid on a fixed date of 2026: open the back-dating window for it."""
    return open_window()


@pytest.fixture
def finance_c2(org):
    return person("finance_c2", "何会计", (Role.FINANCE, org.c2))


@pytest.fixture
def household(household_g1a):
    return set_account(household_g1a, ACCOUNT)


@pytest.fixture
def fund_c1(org, finance_c1):
    fund = make_fund(org.c1, name="集团公司帮扶资金")
    Fund.objects.filter(pk=fund.pk).update(
        bank_name="中国工商银行示范支行",
        account_name="第一公司工会帮扶资金专户",
        account_number="0200001234567890123",
    )
    receive(finance_c1, fund, "10000", note="集团公司拨付")
    fund.refresh_from_db()
    return fund


@pytest.fixture
def g1b_households(org):
    names = ["王淑芬", "李堃", "赵喆", "钱赟"]
    return [
        HouseholdFactory(in_file=True, union=org.g1b, worker_name=name, bank_account=card)
        for name, card in zip(names, CARDS, strict=True)
    ]


@pytest.fixture
def posted_plan(org, finance_c1, committee_c1, fund_c1, g1b_households):
    """The 2026 Spring Festival money of G1b, 600 yuan a household by card, posted."""
    plan = approve(submit(new_plan(finance_c1, fund_c1, org.g1b)), committee_c1)
    plans.plan_post(actor=finance_c1, plan=plan)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def icbc():
    add_examples(BatchTemplate, TemplateColumn)  # after a transactional test's flush
    return BatchTemplate.objects.get(name=ICBC)


@pytest.fixture
def abc():
    add_examples(BatchTemplate, TemplateColumn)
    return BatchTemplate.objects.get(name=ABC)


@pytest.fixture
def fund_c2(org, finance_c2):
    fund = make_fund(org.c2, name="第二公司帮扶资金")
    receive(finance_c2, fund, "10000")
    return fund


@pytest.fixture
def effective(app_at, household):
    """effective(amount): an emergency-relief application of `household`, payable."""
    import datetime

    from cases import services as case_services
    from cases.models import Notice

    def make(amount):
        application = app_at("in_notice", household=household, kind="emergency", amount=amount)
        ends_on = Notice.objects.get(application=application).ends_on
        case_services.close_due_notices(ends_on + datetime.timedelta(days=1))
        application.refresh_from_db()
        return application

    return make
