"""Employment help in Chromium: a caseworker matches an out-of-work member to a vacancy,
refers them, records that they were hired and confirms the placement onto the file."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from journeykit import Journey
from playwright.sync_api import expect

from employment import selectors
from employment.models import Placement, Vacancy
from hardship.models import User
from households.models import Member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path("/usr/bin/chromium").exists(), reason="needs Chromium at /usr/bin/chromium"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_caseworker_refers_a_member_and_confirms_the_placement(browser, demo):
    caseworker = User.objects.get(username="sh01_caseworker")
    vacancy = Vacancy.objects.get(position="保洁员")  # 18–59, in the housing estates
    member = selectors.match_members(caseworker, vacancy=vacancy).first()
    assert member is not None, "the demo has an out-of-work member in SH01 for the vacancy"
    today = timezone.localdate().isoformat()
    journey = Journey(browser, demo, "employment")

    page = journey.login("sh01_caseworker")
    journey.menu("档案", "就业帮扶")
    expect(page.locator("main h1")).to_have_text("就业帮扶")
    journey.shot("overview", full_page=True)
    page.get_by_role("link", name="岗位匹配").click()
    page.select_option("#id_vacancy", str(vacancy.pk))
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#match-vacancy")).to_contain_text("保洁员")
    row = (
        page.locator("tbody tr")
        .filter(has_text=member.household.file_number)
        .filter(has_text=member.name)
    )
    journey.shot("match")
    row.get_by_role("link", name="推荐").click()

    expect(page.locator("main h1")).to_contain_text(member.name)
    expect(page.locator("#id_position")).to_have_value("保洁员")
    journey.shot("referral-form")
    page.get_by_role("button", name="保存").click()
    journey.expect_message("已推荐")

    section = page.locator("section").filter(has_text=member.name)
    section.locator("tr").filter(has_text="待反馈").get_by_role("link", name="登记结果").click()
    page.select_option("#id_result", "hired")
    page.fill("#id_result_on", today)
    page.fill("#id_start_on", today)
    page.fill("#id_monthly_wage", "2700")
    journey.shot("hired")
    page.get_by_role("button", name="保存").click()
    journey.expect_message("推荐结果已登记")

    page.locator("section").filter(has_text=member.name).get_by_role(
        "link", name="确认安置"
    ).click()
    expect(page.locator("main h1")).to_have_text("确认就业安置")
    journey.shot("confirm")
    page.get_by_role("button", name="确认并更新档案").click()
    journey.expect_message("档案中的就业情况和月收入已更新")
    journey.tab("家庭成员")
    expect(page.locator("#members")).to_contain_text("在业")
    journey.shot("file", full_page=True)
    journey.finish()

    member = Member.objects.get(pk=member.pk)
    assert member.employment == Member.Employment.EMPLOYED
    assert member.monthly_income == Decimal("2700.00")
    assert member.history.first().history_user == caseworker
    placement = Placement.objects.get(referral__member=member, referral__vacancy=vacancy)
    assert placement.confirmed_by == caseworker
