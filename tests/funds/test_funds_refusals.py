"""Payment refusals that name their rule, and the plan page saying who posted it."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from fundkit import ACCOUNT, make_fund, receive, set_account

from funds import ledger, plans
from funds.models import AidType, DistributionPlan, LedgerEntry

pytestmark = pytest.mark.django_db


def payment_body(fund, **fields):
    body = {
        "fund": fund.pk,
        "amount": "1000",
        "method": "bank",
        "bank_account": ACCOUNT,
        "voucher": "FF-REFUSE",
        "paid_on": timezone.localdate().isoformat(),
        "note": "",
    }
    body.update(fields)
    return body


def payments():
    return LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAYMENT).count()


def test_a_forced_payment_from_a_fund_of_another_purpose_names_the_rule(
    client, org, finance_c1, effective
):
    festival = make_fund(org.c1, name="春节送温暖专项", aid_types=[AidType.FESTIVAL])
    receive(finance_c1, festival, "10000")
    application = effective("3000")  # 临时救助
    client.force_login(finance_c1)
    url = reverse("payment_create", args=[application.pk])
    assert "春节送温暖专项" not in client.get(url).content.decode()
    response = client.post(url, payment_body(festival))
    assert response.status_code == 200
    page = response.content.decode()
    assert "专款专用" in page
    assert "不在可用的选项中" not in page
    assert payments() == 0


def test_a_model_workers_fund_pays_a_model_worker_and_refuses_anyone_else(
    client, org, finance_c1, effective, household
):
    fund = make_fund(org.c1, name="劳模专项帮扶资金")
    fund.model_workers_only = True
    fund.save()
    receive(finance_c1, fund, "10000")
    application = effective("3000")
    client.force_login(finance_c1)
    url = reverse("payment_create", args=[application.pk])
    assert "劳模专项帮扶资金" not in client.get(url).content.decode()
    assert "专款专用" in client.post(url, payment_body(fund)).content.decode()
    body = {**payment_body(fund), "fund": fund, "amount": Decimal("1000")}
    body["paid_on"] = timezone.localdate()
    with pytest.raises(ValidationError, match="仅限困难劳模"):
        ledger.payment_make(actor=finance_c1, application=application, **body)
    assert payments() == 0

    household.is_model_worker = True
    household.save()
    assert "劳模专项帮扶资金" in client.get(url).content.decode()
    response = client.post(url, payment_body(fund))
    assert response.status_code == 302
    assert fund.entries.filter(kind=LedgerEntry.Kind.PAYMENT, household=household).count() == 1


def test_a_bank_payment_to_a_household_with_no_card_says_none_is_registered(
    client, finance_c1, fund_c1, effective, household
):
    application = effective("3000")
    set_account(household, "")
    client.force_login(finance_c1)
    response = client.post(
        reverse("payment_create", args=[application.pk]),
        payment_body(fund_c1, bank_account=""),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("档案中没有登记职工本人的银行卡号") == 1
    assert "银行卡号应为12至19位数字" not in page
    assert payments() == 0


def test_a_refused_payment_is_shown_once(client, finance_c1, fund_c1, effective):
    """A refusal of the whole payment (not of one field) appears in one red box."""
    application = effective("3000")
    client.force_login(finance_c1)
    response = client.post(
        reverse("payment_create", args=[application.pk]), payment_body(fund_c1, amount="4000")
    )
    assert response.status_code == 200
    assert response.content.decode().count("每案上限：该申请批准") == 1
    assert payments() == 0


def test_the_plan_page_says_who_posted_it_and_when(client, finance_c1, approved_plan):
    plans.plan_post(actor=finance_c1, plan=approved_plan)
    approved_plan.refresh_from_db()
    assert approved_plan.state == DistributionPlan.State.POSTED
    assert approved_plan.posted_by == finance_c1
    client.force_login(finance_c1)
    page = client.get(approved_plan.get_absolute_url()).content.decode()
    when = timezone.localtime(approved_plan.posted_at).strftime("%Y-%m-%d %H:%M:%S")
    assert f"吴会计 于 {when} 执行发放" in page
    assert payments() == 1


def test_paying_an_application_not_yet_effective_is_refused_in_one_box(
    client, app_at, finance_c1, fund_c1, household
):
    """Not a yellow "not yet effective" note and a red refusal of the same thing."""
    application = app_at("in_notice", household=household, amount="3000")
    client.force_login(finance_c1)
    url = reverse("payment_create", args=[application.pk])
    assert "该申请尚未生效" in client.get(url).content.decode()
    page = client.post(url, payment_body(fund_c1)).content.decode()
    assert "只能支付已生效（公示期满）的本户申请。" in page
    assert "该申请尚未生效" not in page
    assert payments() == 0
