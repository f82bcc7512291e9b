"""全部实行银行卡发放: cash only where a policy parameter allows it for the unit (regular and
festival money by card unless allowed; other aid in cash as before). Funds record their
special account (专户), validated as a bank account, and the annual report shows it."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from fundkit import approve, new_plan, pay, submit
from openpyxl import load_workbook

from funds import ledger, plans
from funds.models import Fund
from hardship.models import PolicyParameter

pytestmark = pytest.mark.django_db


def allow_cash(key, unit, value="1"):
    return PolicyParameter.objects.create(
        key=key, unit=unit, value=Decimal(value), valid_from=datetime.date(2020, 1, 1)
    )


def test_a_festival_plan_in_cash_is_refused_when_drawn_up(org, finance_c1, fund_c1, household):
    with pytest.raises(ValidationError) as refused:
        new_plan(finance_c1, fund_c1, org.c1, method="cash")
    assert "全部实行银行卡发放" in refused.value.message_dict["method"][0]
    assert "节日慰问金" in refused.value.message_dict["method"][0]


def test_a_unit_allowed_cash_pays_festival_money_in_cash(
    org, finance_c1, committee_c1, fund_c1, household
):
    allow_cash(PolicyParameter.Key.CASH_FESTIVAL, org.c1)
    plan = approve(submit(new_plan(finance_c1, fund_c1, org.c1, method="cash")), committee_c1)
    (entry,) = plans.plan_post(actor=finance_c1, plan=plan)
    assert (entry.method, entry.bank_account) == ("cash", "")


def test_cash_withdrawn_after_approval_stops_the_posting(
    org, finance_c1, committee_c1, fund_c1, household
):
    row = allow_cash(PolicyParameter.Key.CASH_REGULAR, org.c1)
    plan = approve(
        submit(new_plan(finance_c1, fund_c1, org.c1, method="cash", aid_type="regular")),
        committee_c1,
    )
    # A narrower row for C1 from an earlier date says no again (the nearest unit wins).
    PolicyParameter.objects.filter(pk=row.pk).update(value=Decimal("0"))
    with pytest.raises(ValidationError, match="定期补助”不允许现金发放"):
        plans.plan_post(actor=finance_c1, plan=plan)
    plan.refresh_from_db()
    assert plan.state == "approved"


def test_other_aid_is_paid_in_cash_without_a_parameter(finance_c1, fund_c1, effective):
    entry = pay(finance_c1, fund_c1, effective("500"), "500", method="cash")
    assert entry.method == "cash"


def test_a_fund_records_its_special_account_validated(org, finance_c1):
    fund = ledger.fund_create(
        actor=finance_c1,
        name="专户测试",
        source=Fund.Source.GROUP,
        year=2026,
        unit=org.c1,
        aid_types=["festival"],
        bank_name="中国工商银行示范支行",
        account_name="第一公司工会帮扶资金专户",
        account_number="0200 0012 3456 7890 123",
    )
    assert fund.account_number == "0200001234567890123"
    with pytest.raises(ValidationError) as refused:
        ledger.fund_create(
            actor=finance_c1,
            name="错误账号",
            source=Fund.Source.GROUP,
            year=2026,
            unit=org.c1,
            aid_types=["festival"],
            account_number="12345",
        )
    assert refused.value.message_dict["account_number"] == ["银行卡号应为12至19位数字。"]


def test_the_fund_form_takes_the_account(client, org, finance_c1):
    client.force_login(finance_c1)
    data = {
        "name": "专户",
        "source": "group",
        "year": "2026",
        "unit": org.c1.pk,
        "aid_types": ["festival"],
        "bank_name": "中国农业银行",
        "account_name": "专户户名",
        "account_number": "abc",
    }
    response = client.post(reverse("fund_create"), data)
    assert response.status_code == 200 and "银行卡号应为12至19位数字" in response.content.decode()
    data["account_number"] = "6228-4800-0000-0000-037"
    assert client.post(reverse("fund_create"), data).status_code == 302
    fund = Fund.objects.get(name="专户")
    page = client.get(fund.get_absolute_url()).content.decode()
    assert "6228480000000000037" in page and "中国农业银行" in page


def test_the_annual_report_shows_the_special_accounts(client, org, finance_c1, fund_c1):
    client.force_login(finance_c1)
    query = {"year": 2026, "unit": org.c1.pk}
    page = client.get(reverse("annual_report"), query).content.decode()
    assert "资金账户与专户" in page and "0200001234567890123" in page
    response = client.get(reverse("annual_report_xlsx"), query)
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [[c.value for c in row] for row in book["资金专户"].iter_rows()]
    assert rows[1][0] == fund_c1.name and rows[1][-1] == "0200001234567890123"
