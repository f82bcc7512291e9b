"""The results journey in Chromium on the demo data: the company's committee member opens
the indicator sheet from the navigation and raises a target; a caseworker records a survey
answer; the sheet's satisfaction follows."""

from pathlib import Path

import pytest
from journeykit import Journey
from playwright.sync_api import expect

from evaluation.models import Survey, SurveyItem, Target

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path("/usr/bin/chromium").exists(), reason="needs Chromium at /usr/bin/chromium"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_leader_reads_the_sheet_sets_a_target_and_an_answer_counts(browser, demo):
    journey = Journey(browser, demo, "results")
    page = journey.login("sh_committee")
    journey.menu("统计报表", "绩效评价")
    expect(page.locator("main h1")).to_contain_text("年绩效评价")
    page.locator("main").get_by_role("link", name="示范石化公司工会").click()
    expect(page.locator("main h1")).to_contain_text("示范石化公司工会")
    expect(page.locator("#total-score")).not_to_have_text("—")
    journey.shot("sheet", full_page=True)

    page.locator("main").get_by_role("link", name="修改绩效目标").click()
    page.fill("#id_exits", "9")
    page.fill("#id_spending", "60")
    page.get_by_role("button", name="保存").click()
    journey.expect_message("已保存")
    exits = page.locator('tr[data-indicator="exits"]')
    expect(exits).to_contain_text("9")
    assert Target.objects.get(unit__code="SH", year=Survey.objects.get().year).exits == 9

    survey = Survey.objects.get(unit__code="SH")
    item = survey.items.filter(answer="", household__union__code="SH01").order_by("pk").first()
    journey.login("sh01_caseworker")
    page = journey.page
    page.goto(journey.url(survey.get_absolute_url()))
    row = page.locator(f"#item-{item.pk}")
    row.get_by_label("回访方式").select_option("visit")
    row.get_by_label("回访结果").select_option("satisfied")
    row.get_by_label("意见建议").fill("慰问及时，谢谢工会。")
    row.get_by_role("button", name="登记").click()
    journey.expect_message("已登记回访结果")
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("上门回访")
    expect(page.locator("#satisfaction-rate")).to_have_text("95.24%")  # 20 of 21
    journey.shot("survey")
    journey.finish()
    item.refresh_from_db()
    assert item.answer == SurveyItem.Answer.SATISFIED
    assert item.recorded_by.username == "sh01_caseworker"
