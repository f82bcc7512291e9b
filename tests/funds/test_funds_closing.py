"""Year-end closing (年度结账): finance closes a fund's year once it has ended; afterwards
nothing is posted into that year (a correction is a reversal in the open year); each closing
is a recorded, hash-chained event."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from fundkit import balance_of, make_fund, pay, receive, reverse_entry

from audit.services import verify_integrity
from funds import closing
from funds.models import LedgerEntry, YearClosing

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is PostgreSQL's"
)
LAST_YEAR = timezone.localdate().year - 1


def on(month, day, year=LAST_YEAR):
    return datetime.date(year, month, day)


@pytest.fixture
def last_years_fund(org, finance_c1, effective):
    """A C1 fund of last year: 10,000 received, 3,000 paid, a 500 receipt reversed."""
    fund = make_fund(org.c1, name="上年度帮扶资金", year=LAST_YEAR)
    receive(finance_c1, fund, "10000", on=on(1, 8))
    wrong = receive(finance_c1, fund, "500", on=on(2, 1))
    reverse_entry(finance_c1, wrong, on=on(2, 2))
    pay(finance_c1, fund, effective("3000"), "3000", paid_on=on(6, 1))
    fund.refresh_from_db()
    return fund


def close(actor, fund, year=LAST_YEAR):
    return closing.year_close(actor=actor, fund=fund, year=year)


def test_year_closing_records_the_years_figures(finance_c1, last_years_fund):
    done = close(finance_c1, last_years_fund)
    assert (done.opening, done.receipts, done.payments, done.reversals) == (
        Decimal("0"),
        Decimal("10500"),
        Decimal("-3000"),
        Decimal("-500"),
    )
    assert done.closing == Decimal("7000") == balance_of(last_years_fund)
    assert done.entries == 4
    assert done.closed_by == finance_c1


def test_nothing_posts_into_a_closed_year(finance_c1, last_years_fund, effective):
    close(finance_c1, last_years_fund)
    rows = LedgerEntry.objects.count()
    for attempt in (
        lambda: receive(finance_c1, last_years_fund, "100", on=on(12, 31)),
        lambda: receive(finance_c1, last_years_fund, "100", on=on(3, 1, LAST_YEAR - 1)),
        lambda: pay(finance_c1, last_years_fund, effective("100"), "100", paid_on=on(12, 1)),
    ):
        with pytest.raises(ValidationError, match="年度已结账"):
            attempt()
    assert LedgerEntry.objects.count() == rows
    # The open year still takes postings.
    receive(finance_c1, last_years_fund, "100", on=timezone.localdate())


@postgres_only
def test_database_refuses_a_ledger_row_in_a_closed_year(finance_c1, last_years_fund):
    close(finance_c1, last_years_fund)
    with pytest.raises(IntegrityError, match="closed year"), transaction.atomic():
        LedgerEntry.objects.create(
            fund=last_years_fund,
            kind=LedgerEntry.Kind.RECEIPT,
            amount=Decimal("1"),
            voucher="DZ-CLOSED",
            posted_on=on(12, 31),
            recorded_by=finance_c1,
        )


def test_reversal_of_closed_year_row_posts_in_open_year(client, finance_c1, last_years_fund):
    close(finance_c1, last_years_fund)
    payment = LedgerEntry.objects.get(fund=last_years_fund, kind="payment")
    # Dated in the closed year: refused.
    with pytest.raises(ValidationError, match="年度已结账"):
        reverse_entry(finance_c1, payment, on=on(12, 31))
    # Through the page (no date asked): the reversal lands today, in the open year.
    client.force_login(finance_c1)
    client.post(reverse("entry_reverse", args=[payment.pk]), {"reason": "重复发放，冲销。"})
    reversal = LedgerEntry.objects.get(reverses=payment)
    assert reversal.posted_on == timezone.localdate()
    assert reversal.posted_on.year > LAST_YEAR
    assert balance_of(last_years_fund) == Decimal("10000")
    # The closed year's figures stand as closed.
    assert closing.year_figures(last_years_fund, LAST_YEAR).closing == Decimal("7000")


def test_the_current_year_cannot_be_closed(finance_c1, fund_c1, last_years_fund):
    with pytest.raises(ValidationError, match="年度结束后才能结账"):
        close(finance_c1, last_years_fund, timezone.localdate().year)
    assert closing.year_to_close(fund_c1, datetime.date(fund_c1.year, 12, 31)) is None
    assert not YearClosing.objects.exists()


def test_years_close_in_order_and_once(finance_c1, last_years_fund):
    receive(finance_c1, last_years_fund, "50", on=on(5, 1, LAST_YEAR - 1))
    assert closing.year_to_close(last_years_fund) == LAST_YEAR - 1
    with pytest.raises(ValidationError, match="逐年结账"):
        close(finance_c1, last_years_fund)
    first = close(finance_c1, last_years_fund, LAST_YEAR - 1)
    second = close(finance_c1, last_years_fund)
    assert second.opening == first.closing == Decimal("50")
    with pytest.raises(ValidationError, match="已经结账"):
        close(finance_c1, last_years_fund)


def test_close_year_page_confirms_the_totals_then_closes(client, finance_c1, last_years_fund):
    client.force_login(finance_c1)
    detail = client.get(last_years_fund.get_absolute_url()).content.decode()
    url = reverse("fund_close_year", args=[last_years_fund.pk])
    assert url in detail
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    for figure in ("10,500.00", "-3,000.00", "-500.00", "7,000.00"):
        assert figure in text
    assert not YearClosing.objects.exists()  # showing is not closing
    response = client.post(url, {"year": LAST_YEAR, "expected_closing": "7000.00"})
    assert response.status_code == 302
    assert YearClosing.objects.get().closing == Decimal("7000")
    detail = client.get(last_years_fund.get_absolute_url()).content.decode()
    assert f"{LAST_YEAR} 年（已结账）" in detail


def test_closing_is_refused_when_the_ledger_moved_after_the_confirmation(
    client, finance_c1, last_years_fund
):
    client.force_login(finance_c1)
    url = reverse("fund_close_year", args=[last_years_fund.pk])
    page = client.post(url, {"year": LAST_YEAR, "expected_closing": "6900.00"})
    assert page.status_code == 200
    assert "请重新核对" in page.content.decode()
    assert not YearClosing.objects.exists()


@pytest.mark.parametrize(
    "who, status",
    [("reviewer_c1", 403), ("committee_c1", 403), ("auditor_fed", 403), ("finance_c2", 404)],
)
def test_only_the_funds_finance_closes_its_year(request, client, last_years_fund, who, status):
    client.force_login(request.getfixturevalue(who))
    url = reverse("fund_close_year", args=[last_years_fund.pk])
    assert client.get(url).status_code == status
    assert client.post(url, {"year": LAST_YEAR, "expected_closing": "7000"}).status_code == status
    assert not YearClosing.objects.exists()


def test_year_closing_is_chained(finance_c1, last_years_fund, org):
    other = make_fund(org.c1, name="另一账户", year=LAST_YEAR)
    receive(finance_c1, other, "20", on=on(4, 1))
    first = close(finance_c1, last_years_fund)
    second = close(finance_c1, other)
    assert first.row_hash and second.prev_hash == first.row_hash
    run = verify_integrity()
    assert run.ok, run.report
    assert "年度结账：2 条记录完整" in run.report
    # A closing balance changed behind the application's back is caught.
    YearClosing.objects.filter(pk=first.pk).update(
        closing=Decimal("8000"), receipts=Decimal("11500")
    )
    run = verify_integrity()
    assert not run.ok
    assert f"年度结账：记录 id={first.pk}（第 1 条）内容与记录时不一致（被改动）" in run.report
