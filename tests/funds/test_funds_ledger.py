"""The ledger: receipts raise the balance, the fund page shows its totals, the balance is the
sum of the ledger, rows are append-only in the database itself, the balance never goes below
zero, and a mistake is corrected by a reversal that names the row and why."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse
from fundkit import balance_of, ledger_sum, pay, receive, reverse_entry, voucher

from funds import ledger
from funds.models import Fund, LedgerEntry

pytestmark = pytest.mark.django_db

APPEND_ONLY = "append-only"


# Receipts and the fund page ----------------------------------------------------------------


def test_finance_can_record_receipts_that_raise_the_balance(finance_c1, fund_c1):
    assert balance_of(fund_c1) == Decimal("10000")
    entry = receive(finance_c1, fund_c1, "2500.50", note="中央财政专项资金到账")
    assert entry.kind == LedgerEntry.Kind.RECEIPT
    assert entry.amount == Decimal("2500.50")
    assert entry.recorded_by == finance_c1
    assert balance_of(fund_c1) == Decimal("12500.50") == ledger_sum(fund_c1)


def test_finance_can_record_a_receipt_through_the_fund_page(client, finance_c1, fund_c1):
    client.force_login(finance_c1)
    response = client.post(
        reverse("receipt_add", args=[fund_c1.pk]),
        {"amount": "3000", "voucher": "DZ-2026-0101", "posted_on": "2026-03-01", "note": "捐助"},
    )
    assert response.status_code == 302
    assert balance_of(fund_c1) == Decimal("13000")
    entry = LedgerEntry.objects.get(voucher="DZ-2026-0101")
    assert (entry.amount, entry.posted_on) == (Decimal("3000"), datetime.date(2026, 3, 1))


@pytest.mark.parametrize("amount", ["0", "-5", "10.005"])
def test_finance_cannot_record_a_receipt_of_a_bad_amount(finance_c1, fund_c1, amount):
    before = LedgerEntry.objects.count()
    with pytest.raises(ValidationError, match="金额须为正数"):
        receive(finance_c1, fund_c1, amount)
    assert LedgerEntry.objects.count() == before
    assert balance_of(fund_c1) == Decimal("10000")


def test_finance_cannot_reuse_a_voucher_number_for_a_receipt(finance_c1, fund_c1):
    receive(finance_c1, fund_c1, "100", number="DZ-SAME")
    with pytest.raises(ValidationError, match="凭证号 DZ-SAME 已经使用过"):
        receive(finance_c1, fund_c1, "200", number="DZ-SAME")
    assert balance_of(fund_c1) == Decimal("10100") == ledger_sum(fund_c1)


def test_finance_of_another_company_cannot_record_a_receipt(finance_c2, fund_c1):
    with pytest.raises(PermissionDenied):
        receive(finance_c2, fund_c1, "100")
    assert balance_of(fund_c1) == Decimal("10000")


def test_reviewer_cannot_record_a_receipt(reviewer_c1, fund_c1):
    with pytest.raises(PermissionDenied):
        receive(reviewer_c1, fund_c1, "100")
    assert LedgerEntry.objects.filter(fund=fund_c1).count() == 1


def test_auditor_can_see_fund_page_with_balance_receipts_payments_and_reversals(
    client, auditor_fed, finance_c1, fund_c1, effective
):
    receive(finance_c1, fund_c1, "2500")
    application = effective("5000")
    wrong = pay(finance_c1, fund_c1, application, "3000")
    reverse_entry(finance_c1, wrong, reason="金额错误")
    pay(finance_c1, fund_c1, application, "1000")

    client.force_login(auditor_fed)
    response = client.get(reverse("fund_detail", args=[fund_c1.pk]))
    assert response.status_code == 200
    totals = response.context["totals"]
    assert totals["receipts"] == Decimal("12500")
    assert totals["payments"] == Decimal("-4000")
    assert totals["reversals"] == Decimal("3000")
    assert response.context["fund"].balance == Decimal("11500") == ledger_sum(fund_c1)
    html = response.content.decode()
    for label, shown in (
        ("余额", "11,500.00"),
        ("到账合计", "12,500.00"),
        ("发放合计", "-4,000.00"),
        ("冲销合计", "3,000.00"),
    ):
        # Money is always shown with two places and thousands separators, on every database.
        assert re.search(rf"{label}</div><div[^>]*>{shown}</div>", html), label
    # The auditor reads; the receipt form and the reverse buttons are for finance only.
    assert reverse("receipt_add", args=[fund_c1.pk]) not in html
    assert "/reverse/" not in html


def test_finance_can_see_bank_accounts_only_masked_on_the_fund_page(
    client, finance_c1, fund_c1, effective
):
    application = effective("500")
    pay(finance_c1, fund_c1, application, "500")
    client.force_login(finance_c1)
    html = client.get(reverse("fund_detail", args=[fund_c1.pk])).content.decode()
    account = application.household.bank_account
    assert account not in html
    assert f"****{account[-4:]}" in html


def test_finance_can_filter_the_fund_page_by_kind(client, finance_c1, fund_c1, effective):
    application = effective("500")
    pay(finance_c1, fund_c1, application, "500", voucher="FF-ONLY")
    client.force_login(finance_c1)
    response = client.get(reverse("fund_detail", args=[fund_c1.pk]), {"kind": "payment"})
    assert [e.voucher for e in response.context["page"]] == ["FF-ONLY"]


def test_finance_can_only_move_the_balance_with_the_ledger_sum(finance_c1, fund_c1, effective):
    application = effective("5000")
    steps = [
        lambda: receive(finance_c1, fund_c1, "123.45"),
        lambda: pay(finance_c1, fund_c1, application, "999.99"),
        lambda: pay(finance_c1, fund_c1, application, "0.01"),
    ]
    for step in steps:
        step()
        assert balance_of(fund_c1) == ledger_sum(fund_c1)
    first = LedgerEntry.objects.filter(kind="payment").order_by("pk").first()
    reverse_entry(finance_c1, first)
    assert balance_of(fund_c1) == ledger_sum(fund_c1) == Decimal("10123.44")


# Append-only in the database -------------------------------------------------------------


def test_nobody_can_update_ledger_rows_through_the_orm(fund_c1):
    entry = LedgerEntry.objects.get(fund=fund_c1)
    with pytest.raises(DatabaseError, match=APPEND_ONLY):
        with transaction.atomic():
            LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("99999"))
    entry.refresh_from_db()
    assert entry.amount == Decimal("10000")


def test_nobody_can_save_changes_to_a_posted_ledger_row(fund_c1):
    entry = LedgerEntry.objects.get(fund=fund_c1)
    entry.note = "改过的摘要"
    with pytest.raises(DatabaseError, match=APPEND_ONLY):
        with transaction.atomic():
            entry.save()
    assert LedgerEntry.objects.get(pk=entry.pk).note == "集团公司拨付"


def test_nobody_can_delete_ledger_rows(fund_c1):
    with pytest.raises(DatabaseError, match=APPEND_ONLY):
        with transaction.atomic():
            LedgerEntry.objects.filter(fund=fund_c1).delete()
    assert LedgerEntry.objects.filter(fund=fund_c1).count() == 1


def test_nobody_can_update_ledger_rows_with_raw_sql(fund_c1):
    entry = LedgerEntry.objects.get(fund=fund_c1)
    with pytest.raises(DatabaseError, match=APPEND_ONLY):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE funds_ledgerentry SET amount = %s WHERE id = %s", ["1", entry.pk]
            )
    entry.refresh_from_db()
    assert entry.amount == Decimal("10000")


def test_nobody_can_delete_ledger_rows_with_raw_sql(fund_c1):
    with pytest.raises(DatabaseError, match=APPEND_ONLY):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM funds_ledgerentry")
    assert LedgerEntry.objects.count() == 1


def test_nobody_can_update_ledger_rows_and_the_test_transaction_survives(fund_c1):
    with pytest.raises((IntegrityError, DatabaseError)):
        with transaction.atomic():
            LedgerEntry.objects.filter(fund=fund_c1).update(note="x")
    # The test's own transaction survived the refusal.
    assert LedgerEntry.objects.filter(fund=fund_c1, note="x").count() == 0


def test_nobody_can_set_a_negative_balance(fund_c1):
    with pytest.raises(IntegrityError, match="fund_balance_never_negative"):
        with transaction.atomic():
            Fund.objects.filter(pk=fund_c1.pk).update(balance=-1)
    assert balance_of(fund_c1) == Decimal("10000")


# Reversals -------------------------------------------------------------------------------


def test_finance_can_reverse_a_payment_naming_it_and_why(finance_c1, fund_c1, effective):
    application = effective("5000")
    payment = pay(finance_c1, fund_c1, application, "3000")
    assert balance_of(fund_c1) == Decimal("7000")

    reversal = ledger.entry_reverse(
        actor=finance_c1,
        entry=payment,
        reason="职工已于发放前去世，退回。",
        posted_on=datetime.date(2026, 6, 3),
    )
    assert reversal.kind == LedgerEntry.Kind.REVERSAL
    assert reversal.amount == Decimal("3000") == -payment.amount
    assert reversal.reverses == payment
    assert reversal.note == "职工已于发放前去世，退回。"
    assert reversal.household == payment.household
    assert reversal.application == application
    assert reversal.posted_on == datetime.date(2026, 6, 3)
    assert reversal.voucher != payment.voucher
    assert balance_of(fund_c1) == Decimal("10000") == ledger_sum(fund_c1)
    # The original row stays as it was.
    payment.refresh_from_db()
    assert payment.amount == Decimal("-3000")
    # The application may be paid again: its paid amount is net of the reversal.
    assert ledger.paid_for_application(application) == 0
    pay(finance_c1, fund_c1, application, "5000")
    assert balance_of(fund_c1) == Decimal("5000")


def test_finance_can_reverse_through_the_page(client, finance_c1, fund_c1, effective):
    payment = pay(finance_c1, fund_c1, effective("800"), "800")
    client.force_login(finance_c1)
    url = reverse("entry_reverse", args=[payment.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "重复发放"})
    assert response.status_code == 302
    assert LedgerEntry.objects.get(reverses=payment).note == "重复发放"
    assert balance_of(fund_c1) == Decimal("10000")


def test_finance_cannot_reverse_a_payment_twice(finance_c1, fund_c1, effective):
    payment = pay(finance_c1, fund_c1, effective("800"), "800")
    reverse_entry(finance_c1, payment)
    count = LedgerEntry.objects.count()
    with pytest.raises(ValidationError, match="已经冲销过"):
        reverse_entry(finance_c1, payment)
    assert LedgerEntry.objects.count() == count
    assert balance_of(fund_c1) == Decimal("10000")


def test_finance_cannot_reverse_a_reversal(finance_c1, fund_c1, effective):
    payment = pay(finance_c1, fund_c1, effective("800"), "800")
    reversal = reverse_entry(finance_c1, payment)
    with pytest.raises(ValidationError, match="冲销记录不能再冲销"):
        reverse_entry(finance_c1, reversal)
    assert LedgerEntry.objects.filter(kind="reversal").count() == 1
    assert balance_of(fund_c1) == Decimal("10000")


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_finance_cannot_reverse_without_a_reason(finance_c1, fund_c1, reason):
    receipt = LedgerEntry.objects.get(fund=fund_c1)
    with pytest.raises(ValidationError, match="冲销须写明原因"):
        ledger.entry_reverse(actor=finance_c1, entry=receipt, reason=reason)
    assert LedgerEntry.objects.count() == 1


def test_finance_cannot_reverse_without_a_reason_on_the_page(client, finance_c1, fund_c1):
    receipt = LedgerEntry.objects.get(fund=fund_c1)
    client.force_login(finance_c1)
    response = client.post(reverse("entry_reverse", args=[receipt.pk]), {"reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert LedgerEntry.objects.count() == 1


def test_finance_can_reverse_an_unspent_receipt(finance_c1, fund_c1):
    extra = receive(finance_c1, fund_c1, "500")
    reversal = reverse_entry(finance_c1, extra, reason="误入账，退回拨付单位。")
    assert reversal.amount == Decimal("-500")
    assert balance_of(fund_c1) == Decimal("10000") == ledger_sum(fund_c1)


def test_finance_cannot_reverse_a_receipt_already_spent(finance_c1, fund_c1, effective):
    pay(finance_c1, fund_c1, effective("5000"), "5000")
    receipt = LedgerEntry.objects.get(fund=fund_c1, kind="receipt")
    with pytest.raises(ValidationError, match="保持资金平衡"):
        reverse_entry(finance_c1, receipt)
    assert not LedgerEntry.objects.filter(kind="reversal").exists()
    assert balance_of(fund_c1) == Decimal("5000") == ledger_sum(fund_c1)


def test_finance_of_another_company_cannot_reverse(finance_c2, fund_c1):
    receipt = LedgerEntry.objects.get(fund=fund_c1)
    with pytest.raises(PermissionDenied):
        reverse_entry(finance_c2, receipt)
    assert LedgerEntry.objects.count() == 1


def test_finance_can_reverse_an_entry_with_the_longest_voucher_number(finance_c1, fund_c1):
    longest = "D" * 40  # the most the receipt form accepts
    entry = receive(finance_c1, fund_c1, "100", number=longest)
    reversal = reverse_entry(finance_c1, entry)
    assert reversal.reverses == entry
    assert len(reversal.voucher) <= 40
    assert balance_of(fund_c1) == Decimal("10000")


def test_finance_cannot_reuse_a_voucher_number_in_another_fund(finance_c1, fund_c1, org):
    from fundkit import make_fund

    other = make_fund(org.c1, name="工会经费送温暖资金")
    number = voucher("DZ")
    receive(finance_c1, fund_c1, "1", number=number)
    with pytest.raises(ValidationError, match="凭证号"):
        receive(finance_c1, other, "1", number=number)
    assert balance_of(other) == 0
