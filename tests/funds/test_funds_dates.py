"""Posting dates stay inside the books: nothing dated after today, back-dating only within
the window the policy allows (default: the current and the previous month), and a plan is
posted on or after its pay date."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from fundkit import balance_of, new_plan, open_window, pay, receive, reverse_entry

from cases import engine
from funds import plans, posting
from funds.models import DistributionPlan, LedgerEntry
from hardship.models import PolicyParameter

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is PostgreSQL's"
)


def today():
    return timezone.localdate()


def month_start(day, back):
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


@pytest.fixture
def default_window():
    """No back-dating parameter in force: the default window applies."""
    PolicyParameter.objects.filter(key=PolicyParameter.Key.BACKDATE_MONTHS).delete()


def refused(match, call, fund):
    rows, balance = LedgerEntry.objects.count(), balance_of(fund)
    with pytest.raises(ValidationError) as caught:
        call()
    text = " ".join(caught.value.messages)
    assert match in text, text
    assert LedgerEntry.objects.count() == rows
    assert balance_of(fund) == balance
    return caught.value


def test_payment_dated_tomorrow_is_refused(finance_c1, fund_c1, effective):
    application = effective("500")
    tomorrow = today() + datetime.timedelta(days=1)
    error = refused(
        "晚于今天", lambda: pay(finance_c1, fund_c1, application, "500", paid_on=tomorrow), fund_c1
    )
    assert "paid_on" in error.message_dict


def test_payment_dated_next_year_cannot_escape_this_years_cap(finance_c1, fund_c1, effective):
    application = effective("500")
    next_year = datetime.date(today().year + 1, 1, 5)
    refused(
        "晚于今天", lambda: pay(finance_c1, fund_c1, application, "500", paid_on=next_year), fund_c1
    )


def test_payment_page_shows_a_future_date_error_on_the_field(
    client, finance_c1, fund_c1, effective
):
    application = effective("500")
    client.force_login(finance_c1)
    data = {
        "fund": fund_c1.pk,
        "amount": "500",
        "method": "cash",
        "voucher": "FF-FUTURE",
        "paid_on": "2099-12-31",
    }
    page = client.post(reverse("payment_create", args=[application.pk]), data)
    assert page.status_code == 200
    assert "晚于今天" in " ".join(page.context["form"].errors["paid_on"])
    assert not LedgerEntry.objects.filter(kind="payment").exists()


@pytest.mark.parametrize("day", ["2099-12-31", "0001-01-01"])
def test_receipt_outside_the_books_is_refused_on_the_fund_page(client, finance_c1, fund_c1, day):
    client.force_login(finance_c1)
    rows = LedgerEntry.objects.count()
    data = {"amount": "100", "voucher": "DZ-OUT", "posted_on": day, "note": "拨付"}
    page = client.post(reverse("receipt_add", args=[fund_c1.pk]), data, follow=True)
    assert LedgerEntry.objects.count() == rows
    text = page.content.decode()
    assert "晚于今天" in text or "超出可追溯期限" in text


def test_backdating_beyond_window_is_refused(finance_c1, fund_c1, default_window):
    earliest = month_start(today(), 1)  # the first day of the previous month
    receive(finance_c1, fund_c1, "100", on=earliest)
    error = refused(
        "超出可追溯期限",
        lambda: receive(finance_c1, fund_c1, "100", on=earliest - datetime.timedelta(days=1)),
        fund_c1,
    )
    assert earliest.isoformat() in error.message_dict["posted_on"][0]
    receive(finance_c1, fund_c1, "100", on=today())


def test_window_is_a_policy_parameter(org, finance_c1, fund_c1, default_window):
    previous_month = month_start(today(), 1)
    # The current month only, for C1 and below.
    open_window(0, unit=org.c1)
    refused(
        "超出可追溯期限", lambda: receive(finance_c1, fund_c1, "100", on=previous_month), fund_c1
    )
    assert posting.window_start(org.c1, today()) == month_start(today(), 0)
    # Three months back, system-wide, does not override C1's own row.
    open_window(3)
    assert posting.window_start(org.c2, today()) == month_start(today(), 3)
    assert posting.window_start(org.g1a, today()) == month_start(today(), 0)


def test_reversal_cannot_be_dated_before_the_row_it_reverses(finance_c1, fund_c1):
    entry = receive(finance_c1, fund_c1, "100", on=today())
    refused(
        "不能早于原记录",
        lambda: reverse_entry(finance_c1, entry, on=today() - datetime.timedelta(days=1)),
        fund_c1,
    )
    refused(
        "晚于今天",
        lambda: reverse_entry(finance_c1, entry, on=today() + datetime.timedelta(days=1)),
        fund_c1,
    )


def _approved(org, finance_c1, committee_c1, fund_c1, pay_on):
    plan = new_plan(finance_c1, fund_c1, org.c1, pay_on=pay_on)
    plans.plan_submit(actor=finance_c1, plan=plan)
    return engine.decide(
        chain=plans.PLAN_APPROVAL,
        actor=committee_c1,
        obj=plan,
        action="approve",
        expected_state=DistributionPlan.State.SUBMITTED,
        comment="同意。",
    )


def test_plan_cannot_post_before_pay_date(
    client, org, finance_c1, committee_c1, fund_c1, household
):
    pay_on = today() + datetime.timedelta(days=10)
    plan = _approved(org, finance_c1, committee_c1, fund_c1, pay_on)
    refused("该日起才能记账", lambda: plans.plan_post(actor=finance_c1, plan=plan), fund_c1)
    client.force_login(finance_c1)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert f"将于 {pay_on.isoformat()} 起可记账" in page
    assert reverse("plan_post", args=[plan.pk]) not in page  # no form to post
    client.post(reverse("plan_post", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.state == DistributionPlan.State.APPROVED
    assert not LedgerEntry.objects.filter(kind="payment").exists()


def test_plan_posts_on_its_pay_date_with_rows_dated_that_day(
    client, org, finance_c1, committee_c1, fund_c1, household
):
    plan = _approved(org, finance_c1, committee_c1, fund_c1, today())
    client.force_login(finance_c1)
    assert (
        reverse("plan_post", args=[plan.pk]) in client.get(plan.get_absolute_url()).content.decode()
    )
    (entry,) = plans.plan_post(actor=finance_c1, plan=plan)
    assert entry.posted_on == today()


def test_plan_whose_pay_date_the_books_no_longer_take_cannot_be_saved(
    org, finance_c1, fund_c1, household, default_window
):
    too_old = month_start(today(), 1) - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        new_plan(finance_c1, fund_c1, org.c1, pay_on=too_old)
    assert "超出可追溯期限" in " ".join(caught.value.message_dict["pay_on"])
    assert not DistributionPlan.objects.exists()


@postgres_only
def test_database_refuses_a_ledger_row_dated_in_the_future(finance_c1, fund_c1):
    """Whatever code (or SQL) writes the row: the trigger refuses a date after tomorrow UTC."""
    with pytest.raises(IntegrityError, match="in the future"), transaction.atomic():
        LedgerEntry.objects.create(
            fund=fund_c1,
            kind=LedgerEntry.Kind.RECEIPT,
            amount=Decimal("1"),
            voucher="DZ-2099",
            posted_on=datetime.date(2099, 12, 31),
            recorded_by=finance_c1,
        )


def test_a_window_larger_than_the_calendar_starts_at_year_one(org, default_window):
    open_window(99_999_999)
    assert posting.window_start(org.c1, today()) == datetime.date(1, 1, 1)
