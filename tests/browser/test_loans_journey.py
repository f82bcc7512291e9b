"""A small loan from the application to the last repayment, through the real pages in
Chromium as the demo accounts: the caseworker applies from the household page, the
grassroots chair, the company reviewer and the committee approve, finance lends it from the
loan fund and records the two repayments until it is repaid."""

from decimal import Decimal
from pathlib import Path

import pytest
from journeykit import Journey
from playwright.sync_api import expect

from funds.models import LedgerEntry
from households.models import Household
from loans.models import Loan

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path("/usr/bin/chromium").exists(), reason="needs Chromium at /usr/bin/chromium"
    ),
    pytest.mark.django_db(transaction=True),
]


def borrower() -> Household:
    """A file in file of the refinery's union with no loan yet."""
    return (
        Household.objects.filter(
            union__code="SH01",
            status=Household.Status.IN_FILE,
            worker_account__isnull=True,
            loans__isnull=True,
        )
        .order_by("file_number")
        .first()
    )


def approve_as(journey: Journey, username: str, number: str) -> None:
    page = journey.login(username)
    journey.menu("档案", "小额借款")
    page.get_by_role("link", name=number).first.click()
    expect(page.locator("main h1")).to_contain_text(number)
    page.get_by_role("button", name="同意", exact=True).click()
    journey.expect_message("已办理")


def test_a_loan_from_application_to_the_last_repayment(browser, demo):
    household = borrower()
    journey = Journey(browser, demo, "loan")

    page = journey.login("sh01_caseworker")
    page.goto(journey.url(household.get_absolute_url()))
    journey.tab("帮扶记录")
    page.get_by_role("link", name="申请借款").click()
    expect(page.locator("main h1")).to_have_text("申请小额借款")
    page.fill("#id_purpose", "开办社区早餐店")
    page.fill("#id_amount", "3000")
    page.fill("#id_term_months", "2")
    page.select_option("#id_schedule", "monthly")
    page.fill("#id_guarantor_name", "王担保")
    page.fill("#id_guarantor_id_number", "110101199003074514")
    page.fill("#id_guarantor_phone", "13800138000")
    page.fill("#id_guarantor_relation", "同事")
    journey.shot("apply")
    page.get_by_role("button", name="提交").click()
    journey.expect_message("已提交基层工会审查")
    loan = Loan.objects.get(household=household)

    approve_as(journey, "sh01_chair", loan.number)
    approve_as(journey, "sh_reviewer", loan.number)
    approve_as(journey, "sh_committee", loan.number)
    journey.shot("approved", full_page=True)

    page = journey.login("sh_finance")
    page.goto(journey.url(loan.get_absolute_url()))
    page.get_by_role("link", name="借出", exact=True).click()
    fund = page.locator("#id_fund option").filter(has_text="就业创业循环借款资金").first
    page.select_option("#id_fund", fund.get_attribute("value"))
    page.select_option("#id_method", "cash")
    page.fill("#id_voucher", "SH-JC-0901")
    journey.shot("disburse")
    page.get_by_role("button", name="借出并记账").click()
    journey.expect_message("已借出")
    expect(page.locator("main")).to_contain_text("还款中")

    for number, voucher in ((1, "SH-HK-0901"), (2, "SH-HK-0902")):
        page.get_by_role("link", name="登记还款").click()
        page.fill("#id_amount", "1500")
        page.select_option("#id_method", "cash")
        page.fill("#id_voucher", voucher)
        journey.shot(f"repay-{number}")
        page.get_by_role("button", name="记账").click()
        journey.expect_message("已登记还款")
    expect(page.locator("main h1 + span.badge, main .badge").first).to_have_text("已还清")
    journey.shot("repaid", full_page=True)
    journey.finish()

    loan.refresh_from_db()
    assert loan.state == Loan.State.REPAID
    rows = LedgerEntry.objects.filter(voucher__in=["SH-JC-0901", "SH-HK-0901", "SH-HK-0902"])
    assert sorted(rows.values_list("amount", flat=True)) == [
        Decimal("-3000"),
        Decimal("1500"),
        Decimal("1500"),
    ]
