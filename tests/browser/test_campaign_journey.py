"""A campaign (金秋助学) as the union meets it, on the demo data: finance writes the rules and
sees why each household is on the list, takes one off with a reason and submits; the
committee approves; a worker objects on the list's notice; a reviewer with no part in it
dismisses the objection; once the notice has run its course finance posts the list. Then
the open books (账务公开): finance brings this year's disclosure up to date with the ledger
and submits it, a committee member who did not draw it up approves, finance publishes, and
the published page and its PDF show the campaign with what it paid."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from journeykit import Journey
from playwright.sync_api import expect

from funds.models import DistributionPlan, LedgerEntry, PlanAdjustment, PlanNotice
from hardship.templatetags.money import format_yuan
from reports.disclosure_models import Disclosure

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path("/usr/bin/chromium").exists(), reason="needs Chromium at /usr/bin/chromium"
    ),
    pytest.mark.django_db(transaction=True),
]

NAME = "金秋助学（第二批）"


def _option(page, select, text):
    option = page.locator(f"{select} option").filter(has_text=text).first
    page.select_option(select, option.get_attribute("value"))


def test_a_campaign_goes_from_its_rules_to_the_payments_and_the_disclosure(browser, demo):
    journey = Journey(browser, demo, "campaign")
    page = journey.login("sh_finance")
    page.on("dialog", lambda dialog: dialog.accept())

    journey.menu("帮扶资金", "发放方案")
    page.get_by_role("link", name="新建发放方案").click()
    page.locator("#id_name").fill(NAME)
    page.select_option("#id_kind", "golden_autumn")
    _option(page, "#id_unit", "示范石化公司工会")
    _option(page, "#id_fund", "中央财政专项帮扶资金")
    page.locator("#id_budget").fill("200000")
    page.select_option("#id_aid_type", "education")
    page.select_option("#id_rule", "flat")
    page.locator("#id_flat_amount").fill("300")
    page.select_option("#id_method", "bank")
    page.locator("#id_pay_on").fill(datetime.date.today().isoformat())
    page.select_option("#id_rules-0-kind", "school_stage")
    page.select_option("#id_rules-0-school_stage", "university")
    page.locator("#id_rules-0-addition").fill("1000")
    page.get_by_role("button", name="保存并预览名单").click()
    journey.expect_message("方案已保存")
    expect(page.locator("main h1")).to_have_text(NAME)
    expect(page.locator("#plan-rule-list")).to_contain_text("家庭成员就学：大学")
    first = page.locator("main table tbody tr").first
    expect(first).to_contain_text("加发：家庭成员就学：大学 1 人 × 1,000.00 元")
    journey.shot("preview")

    plan = DistributionPlan.objects.get(name=NAME)
    lines = plan.lines.count()
    first.get_by_text("调整或移出").click()
    first.locator("select[name=action]").select_option("exclude")
    first.locator("input[name=reason]").fill("已获市总工会金秋助学资助。")
    first.get_by_role("button", name="保存调整").click()
    journey.expect_message("已调整")
    expect(page.locator("#plan-adjustments")).to_be_visible()
    assert plan.lines.count() == lines - 1
    assert PlanAdjustment.objects.get(plan=plan).created_by.username == "sh_finance"
    page.get_by_role("button", name="提交审定").click()
    journey.expect_message("方案已提交党政班子会审定")
    journey.close_context()

    page = journey.login("sh_committee")
    page.goto(journey.url(plan.get_absolute_url()))
    page.get_by_role("button", name="同意", exact=True).click()
    journey.expect_message("已办理")
    expect(page.locator("#plan-notice")).to_contain_text("名单公示")
    journey.close_context()

    page = journey.login("sh01_worker")
    journey.menu("申请审批", "发放名单公示")
    page.get_by_role("link", name=NAME).click()
    page.locator("#objection-reason").fill("名单中有一户子女已毕业。")
    page.get_by_role("button", name="提交异议").click()
    journey.expect_message("异议已提交")
    journey.close_context()

    page = journey.login("sh_finance")
    page.goto(journey.url(plan.get_absolute_url()))
    expect(page.locator("#plan-post-refusal")).to_contain_text("公示")
    journey.close_context()

    page = journey.login("sh_reviewer2")
    page.goto(journey.url(plan.get_absolute_url()))
    notice = page.locator("#plan-notice")
    notice.get_by_label("异议不成立").check()
    notice.locator("textarea[name=resolution]").fill("经核实，该户子女仍在读。")
    journey.shot("objection")
    notice.get_by_role("button", name="处理异议").click()
    journey.expect_message("异议已处理")
    journey.close_context()

    # The notice period runs its course.
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    PlanNotice.objects.filter(plan=plan).update(
        starts_on=yesterday - datetime.timedelta(days=5), ends_on=yesterday
    )
    page = journey.login("sh_finance")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(journey.url(plan.get_absolute_url()))
    page.get_by_role("button", name="按方案发放").click()
    journey.expect_message("已发放")
    entries = LedgerEntry.objects.filter(plan_line__plan=plan)
    assert entries.count() == lines - 1
    # Payments are negative in the ledger: the campaign paid out the sum of its rows.
    paid = -sum((entry.amount for entry in entries), Decimal("0"))
    assert paid > 0
    _disclosure_published(journey, page, paid)
    journey.finish()


def _plan_row(page):
    return page.locator("#disclosure-by-plan tbody tr").filter(has_text=NAME)


def _disclosure_published(journey, page, paid):
    """Finance brings this year's open books up to date, the committee approves, finance
    publishes: the campaign is among the payments by plan with what the ledger paid."""
    year = datetime.date.today().year
    journey.menu("统计报表", "账务公开")
    page.get_by_role("link", name="编制账务公开").click()
    _option(page, "#id_unit", "示范石化公司工会")
    page.locator("#id_year").fill(str(year))
    page.get_by_role("button", name="按台账生成").click()
    # The demo has this year's draft already: one open disclosure per unit and year.
    expect(page.locator("main")).to_contain_text("已有一份尚未公布的账务公开")
    journey.shot("disclosure-open-already")
    page.get_by_role("link", name="取消").click()
    page.locator("#disclosure-list tbody tr").filter(has_text="示范石化公司工会").filter(
        has_text="草稿"
    ).get_by_role("link", name=f"{year} 年度").click()
    expect(page.locator("main h1")).to_contain_text(f"{year} 年度帮扶资金账务公开")
    # Drawn up before the campaign was posted: recompute so the figures include it.
    expect(_plan_row(page)).to_have_count(0)
    page.get_by_role("button", name="按台账重新计算").click()
    journey.expect_message("已按台账重新计算")
    row = _plan_row(page)
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(1)).to_have_text(format_yuan(paid))
    journey.shot("disclosure-draft", full_page=True)
    page.get_by_role("button", name="提交审定").click()
    journey.expect_message("已提交党政班子会审定")
    disclosure = Disclosure.objects.get(unit__name="示范石化公司工会", year=year, version=1)
    assert disclosure.state == Disclosure.State.SUBMITTED
    assert disclosure.created_by.username != "sh_committee"
    journey.close_context()

    page = journey.login("sh_committee")
    page.goto(journey.url(disclosure.get_absolute_url()))
    expect(_plan_row(page).locator("td").nth(1)).to_have_text(format_yuan(paid))
    page.locator("main textarea[name=comment]").fill("经党政班子会研究，同意公开。")
    page.get_by_role("button", name="同意", exact=True).click()
    journey.expect_message("已办理")
    journey.close_context()

    page = journey.login("sh_finance")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(journey.url(disclosure.get_absolute_url()))
    page.get_by_role("button", name="核对台账并公布").click()
    journey.expect_message("账务公开已公布")
    expect(page.locator("#disclosure-state")).to_have_text("已公布")
    row = _plan_row(page)
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(1)).to_have_text(format_yuan(paid))
    journey.shot("disclosure-published", full_page=True)
    disclosure.refresh_from_db()
    assert disclosure.state == Disclosure.State.PUBLISHED
    assert disclosure.published_by.username == "sh_finance"
    (frozen,) = [row for row in disclosure.snapshot["by_plan"] if row["name"] == NAME]
    assert Decimal(frozen["amount"]) == paid
    pdf = page.request.get(
        journey.url(page.get_by_role("link", name="下载 PDF").get_attribute("href"))
    )
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
