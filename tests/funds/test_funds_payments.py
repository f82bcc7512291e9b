"""Paying an effective application (发放): each rule a payment must pass, each refusal naming
its rule, and nothing written when a payment is refused."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from factories import PolicyParameterFactory
from fundkit import ACCOUNT, balance_of, ledger_sum, make_fund, pay, reverse_entry, set_account

from funds import ledger
from funds.models import AidType, LedgerEntry
from hardship.models import PolicyParameter
from households.models import Household

pytestmark = pytest.mark.django_db


def refused(match, call, *funds):
    """Run `call`, expect a ValidationError whose message contains `match`, and check that
    nothing was written: no ledger row, every fund's balance as it was."""
    rows = LedgerEntry.objects.count()
    balances = [balance_of(f) for f in funds]
    with pytest.raises(ValidationError) as caught:
        call()
    text = " ".join(caught.value.messages)
    assert match in text, text
    assert LedgerEntry.objects.count() == rows
    assert [balance_of(f) for f in funds] == balances
    for fund in funds:
        assert balance_of(fund) == ledger_sum(fund)
    return text


def test_finance_can_pay_an_effective_application(finance_c1, fund_c1, effective):
    application = effective("5000")
    entry = pay(finance_c1, fund_c1, application, "5000", voucher="FF-2026-0001", note="临时救助")
    assert entry.kind == LedgerEntry.Kind.PAYMENT
    assert entry.amount == Decimal("-5000")
    assert entry.application == application
    assert entry.household == application.household
    assert entry.aid_type == AidType.EMERGENCY
    assert entry.bank_account == ACCOUNT
    assert entry.recorded_by == finance_c1
    assert balance_of(fund_c1) == Decimal("5000") == ledger_sum(fund_c1)


def test_finance_can_pay_only_the_households_worker(finance_c1, fund_c1, effective):
    application = effective("500")
    entry = pay(finance_c1, fund_c1, application, "500")
    household = application.household
    assert (entry.payee_name, entry.payee_id_number) == (household.worker_name, household.id_number)


def test_finance_cannot_name_another_payee_on_the_payment_page(
    client, finance_c1, fund_c1, effective
):
    application = effective("500")
    client.force_login(finance_c1)
    response = client.post(
        reverse("payment_create", args=[application.pk]),
        {
            "fund": fund_c1.pk,
            "amount": "500",
            "method": "bank",
            "bank_account": ACCOUNT,
            "voucher": "FF-PAGE-1",
            "paid_on": "2026-06-01",
            "note": "",
            "payee_name": "冒领人",
            "payee_id_number": "110101199003074514",
        },
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(voucher="FF-PAGE-1")
    assert entry.payee_name == application.household.worker_name == "张建国"
    assert entry.payee_id_number == application.household.id_number
    assert balance_of(fund_c1) == Decimal("9500")


def test_finance_cannot_overpay_on_the_payment_page(client, finance_c1, fund_c1, effective):
    application = effective("500")
    client.force_login(finance_c1)
    response = client.post(
        reverse("payment_create", args=[application.pk]),
        {
            "fund": fund_c1.pk,
            "amount": "600",
            "method": "bank",
            "bank_account": ACCOUNT,
            "voucher": "FF-PAGE-2",
            "paid_on": "2026-06-01",
        },
    )
    assert response.status_code == 200
    assert "每案上限" in response.content.decode()
    assert not LedgerEntry.objects.filter(voucher="FF-PAGE-2").exists()


def test_finance_can_choose_only_funds_that_may_pay_the_aid(
    client, org, finance_c1, fund_c1, effective
):
    festival_only = make_fund(org.c1, name="工会经费送温暖资金", aid_types=[AidType.FESTIVAL])
    application = effective("500")
    client.force_login(finance_c1)
    response = client.get(reverse("payment_create", args=[application.pk]))
    offered = list(response.context["form"].fields["fund"].queryset)
    assert fund_c1 in offered
    assert festival_only not in offered


# 先建档、后帮扶 ---------------------------------------------------------------------------


def test_finance_cannot_pay_a_household_back_in_draft(finance_c1, fund_c1, effective):
    application = effective("500")
    Household.objects.filter(pk=application.household_id).update(
        status=Household.Status.DRAFT, established_on=None
    )
    refused("先建档", lambda: pay(finance_c1, fund_c1, application, "500"), fund_c1)


def test_finance_cannot_pay_an_exited_household(finance_c1, fund_c1, effective):
    application = effective("500")
    Household.objects.filter(pk=application.household_id).update(
        status=Household.Status.EXITED, exited_on=datetime.date(2026, 5, 1)
    )
    refused("先建档", lambda: pay(finance_c1, fund_c1, application, "500"), fund_c1)


def test_finance_cannot_pay_a_household_established_after_the_payment_date(
    finance_c1, fund_c1, effective
):
    application = effective("500")
    assert application.household.established_on == datetime.date(2024, 3, 1)
    text = refused(
        "先建档",
        lambda: pay(finance_c1, fund_c1, application, "500", paid_on=datetime.date(2024, 2, 29)),
        fund_c1,
    )
    assert "2024-02-29" in text
    # On the day it was established it may be paid.
    pay(finance_c1, fund_c1, application, "500", paid_on=datetime.date(2024, 3, 1))


# The application -------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["submitted", "company_verified", "in_notice"])
def test_finance_cannot_pay_an_application_not_yet_effective(finance_c1, fund_c1, app_at, state):
    application = app_at(state)
    refused("已生效", lambda: pay(finance_c1, fund_c1, application, "500"), fund_c1)


def test_finance_cannot_pay_a_rejected_application(finance_c1, fund_c1, app_at, staff):
    from casekit import act

    application = act(staff["chair"], app_at("submitted"), "reject", "不符合条件。")
    refused("已生效", lambda: pay(finance_c1, fund_c1, application, "500"), fund_c1)


def test_finance_cannot_pay_more_than_the_application_approved(finance_c1, fund_c1, effective):
    application = effective("5000")
    text = refused("每案上限", lambda: pay(finance_c1, fund_c1, application, "5000.01"), fund_c1)
    assert "5,000.00" in text


def test_finance_cannot_pay_more_than_what_remains_of_the_application(
    finance_c1, fund_c1, effective
):
    application = effective("5000")
    pay(finance_c1, fund_c1, application, "3000")
    text = refused("每案上限", lambda: pay(finance_c1, fund_c1, application, "2001"), fund_c1)
    assert "2,000.00" in text
    pay(finance_c1, fund_c1, application, "2000")
    assert ledger.paid_for_application(application) == Decimal("5000")
    refused("每案上限", lambda: pay(finance_c1, fund_c1, application, "0.01"), fund_c1)


# The fund --------------------------------------------------------------------------------


def test_finance_cannot_pay_aid_the_fund_is_not_for(org, finance_c1, effective):
    from fundkit import receive

    festival_only = make_fund(org.c1, name="工会经费送温暖资金", aid_types=[AidType.FESTIVAL])
    receive(finance_c1, festival_only, "10000")
    application = effective("500")
    text = refused(
        "专款专用", lambda: pay(finance_c1, festival_only, application, "500"), festival_only
    )
    assert "工会经费送温暖资金" in text


def test_finance_cannot_pay_more_than_the_balance(org, finance_c1, effective):
    from fundkit import receive

    small = make_fund(org.c1, name="爱心一日捐")
    receive(finance_c1, small, "1000")
    application = effective("5000")
    refused("保持资金平衡", lambda: pay(finance_c1, small, application, "1000.01"), small)
    pay(finance_c1, small, application, "1000")
    assert balance_of(small) == 0
    refused("保持资金平衡", lambda: pay(finance_c1, small, application, "0.01"), small)


def test_finance_cannot_pay_a_household_outside_the_funds_unit(
    org, finance_c1, effective, household
):
    from fundkit import receive

    # A fund of G1b may not pay a household of G1a, though finance_c1 keeps both books.
    g1b_fund = make_fund(org.g1b, name="炼油车间互助金")
    receive(finance_c1, g1b_fund, "1000")
    application = effective("500")
    refused("范围", lambda: pay(finance_c1, g1b_fund, application, "500"), g1b_fund)


def test_finance_of_another_company_cannot_pay_from_its_own_fund(
    finance_c1, finance_c2, fund_c1, fund_c2, effective
):
    application = effective("500")
    with pytest.raises(PermissionDenied):
        pay(finance_c2, fund_c1, application, "500")
    # From C2's own fund the G1a household is out of its range.
    refused("范围", lambda: pay(finance_c2, fund_c2, application, "500"), fund_c2)
    assert balance_of(fund_c1) == Decimal("10000")


# Caps in policy --------------------------------------------------------------------------


def test_finance_cannot_pay_above_the_per_case_cap_in_policy(
    org, finance_c1, fund_c1, effective, emergency_cap
):
    application = effective("5000")
    # Policy changed after approval: C1 now caps one-off relief at 3,000 per case.
    PolicyParameterFactory(
        key=PolicyParameter.Key.EMERGENCY_CAP, value=Decimal("3000"), unit=org.c1
    )
    text = refused("每案上限", lambda: pay(finance_c1, fund_c1, application, "5000"), fund_c1)
    assert "3,000.00" in text and "临时救助" in text
    pay(finance_c1, fund_c1, application, "3000")
    assert balance_of(fund_c1) == Decimal("7000")


def test_finance_cannot_pay_above_the_household_year_cap(finance_c1, fund_c1, effective):
    PolicyParameterFactory(key=PolicyParameter.Key.HOUSEHOLD_YEAR_CAP, value=Decimal("6000"))
    first, second = effective("5000"), effective("2000")
    pay(finance_c1, fund_c1, first, "5000", paid_on=datetime.date(2026, 3, 1))
    text = refused(
        "每户每年上限",
        lambda: pay(finance_c1, fund_c1, second, "2000", paid_on=datetime.date(2026, 6, 1)),
        fund_c1,
    )
    assert "6,000.00" in text and "5,000.00" in text and "2026" in text
    pay(finance_c1, fund_c1, second, "1000", paid_on=datetime.date(2026, 6, 1))
    assert ledger.paid_for_household(first.household, 2026) == Decimal("6000")


def test_finance_can_pay_again_under_the_year_cap_after_a_reversal(finance_c1, fund_c1, effective):
    PolicyParameterFactory(key=PolicyParameter.Key.HOUSEHOLD_YEAR_CAP, value=Decimal("6000"))
    first, second = effective("5000"), effective("2000")
    wrong = pay(finance_c1, fund_c1, first, "5000", paid_on=datetime.date(2026, 3, 1))
    refused("每户每年上限", lambda: pay(finance_c1, fund_c1, second, "2000"), fund_c1)
    reverse_entry(finance_c1, wrong, reason="错发，退回。", on=datetime.date(2026, 3, 5))
    assert ledger.paid_for_household(first.household, 2026) == 0
    pay(finance_c1, fund_c1, second, "2000")
    assert ledger.paid_for_household(first.household, 2026) == Decimal("2000")


def test_finance_can_pay_up_to_the_year_cap_in_each_year(finance_c1, fund_c1, effective):
    PolicyParameterFactory(key=PolicyParameter.Key.HOUSEHOLD_YEAR_CAP, value=Decimal("6000"))
    first, second = effective("5000"), effective("2000")
    pay(finance_c1, fund_c1, first, "5000", paid_on=datetime.date(2025, 12, 31))
    pay(finance_c1, fund_c1, second, "2000", paid_on=datetime.date(2026, 1, 1))
    assert ledger.paid_for_household(first.household, 2025) == Decimal("5000")
    assert ledger.paid_for_household(first.household, 2026) == Decimal("2000")


# Method, voucher, amount -----------------------------------------------------------------


@pytest.mark.parametrize(
    "account",
    [
        "12345678901",
        "12345678901234567890",
        "6222 0212 3456 789X",
        "abcdefghijklmn",
        "6222021234567891",
    ],
    ids=["11-digits", "20-digits", "letter", "letters", "someone-elses-card"],
)
def test_finance_cannot_pay_by_bank_without_a_valid_account(
    finance_c1, fund_c1, effective, account
):
    application = effective("500")
    refused(
        "银行卡号",
        lambda: pay(finance_c1, fund_c1, application, "500", bank_account=account),
        fund_c1,
    )


@pytest.mark.parametrize("account", ["123456789012", "1234567890123456789", "6222 0212 3456 7890"])
def test_finance_can_pay_by_bank_to_an_account_of_12_to_19_digits(
    finance_c1, fund_c1, effective, account
):
    application = effective("500")
    set_account(application.household, account.replace(" ", ""))
    application.household.refresh_from_db()
    entry = pay(finance_c1, fund_c1, application, "500", bank_account=account)
    assert entry.bank_account == account.replace(" ", "")


def test_finance_cannot_pay_by_bank_to_a_household_without_an_account(
    finance_c1, fund_c1, effective, household
):
    set_account(household, "")
    application = effective("500")
    refused("银行卡号", lambda: pay(finance_c1, fund_c1, application, "500"), fund_c1)


def test_finance_cannot_pay_in_kind_without_naming_the_goods(finance_c1, fund_c1, effective):
    application = effective("500")
    refused(
        "物资名称",
        lambda: pay(finance_c1, fund_c1, application, "300", method="in_kind", goods="  "),
        fund_c1,
    )
    entry = pay(finance_c1, fund_c1, application, "300", method="in_kind", goods="大米25公斤")
    assert (entry.method, entry.goods, entry.bank_account) == ("in_kind", "大米25公斤", "")


def test_finance_can_pay_in_cash_without_an_account(finance_c1, fund_c1, effective, household):
    set_account(household, "")
    entry = pay(finance_c1, fund_c1, effective("500"), "500", method="cash")
    assert (entry.method, entry.bank_account) == ("cash", "")


def test_finance_cannot_reuse_a_voucher_number(finance_c1, fund_c1, effective):
    application = effective("5000")
    pay(finance_c1, fund_c1, application, "100", voucher="FF-DUP")
    text = refused(
        "凭证号", lambda: pay(finance_c1, fund_c1, application, "100", voucher="FF-DUP"), fund_c1
    )
    assert "FF-DUP" in text


@pytest.mark.parametrize("amount", ["10.005", "0", "-100", "0.001"])
def test_finance_cannot_pay_a_bad_amount(finance_c1, fund_c1, effective, amount):
    application = effective("5000")
    refused("金额须为正数", lambda: pay(finance_c1, fund_c1, application, amount), fund_c1)


def test_finance_can_pay_to_the_cent(finance_c1, fund_c1, effective):
    entry = pay(finance_c1, fund_c1, effective("5000"), "1234.56")
    assert entry.amount == Decimal("-1234.56")
    assert balance_of(fund_c1) == Decimal("8765.44")


# Who may pay -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["caseworker_g1a", "reviewer_c1", "committee_c1", "auditor_fed"])
def test_non_finance_cannot_pay(request, fund_c1, effective, who):
    application = effective("500")
    with pytest.raises(PermissionDenied):
        pay(request.getfixturevalue(who), fund_c1, application, "500")
    assert balance_of(fund_c1) == Decimal("10000")
    assert LedgerEntry.objects.filter(kind="payment").count() == 0


def test_finance_cannot_pay_an_application_that_asks_for_no_money(
    client, org, finance_c1, fund_c1, effective
):
    from factories import HardshipCauseFactory, HouseholdFactory

    draft = HouseholdFactory(union=org.g1a, bank_account=ACCOUNT)
    HardshipCauseFactory(household=draft)
    establish = effective(None, household=draft, kind="establish")
    client.force_login(finance_c1)
    url = reverse("payment_create", args=[establish.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert not page.context["form"].fields["fund"].queryset.exists()
    data = {"fund": fund_c1.pk, "amount": "100", "method": "cash", "voucher": "FF-X"}
    assert client.post(url, data | {"paid_on": "2026-06-01"}).status_code == 200
    draft.refresh_from_db()
    assert draft.status == Household.Status.IN_FILE
    # The file took effect when the notice closed, a day the fixture runs ahead of today:
    # date it today, the latest day the books take.
    today = timezone.localdate()
    Household.objects.filter(pk=draft.pk).update(established_on=today)
    refused(
        "帮扶类型与申请类型不符",
        lambda: pay(finance_c1, fund_c1, establish, "100", paid_on=today),
        fund_c1,
    )
