"""The cross-check journey in Chromium on the demo data: the company's reviewer imports a
civil-affairs list (CSV in GBK, with headers the system already knows for that source),
opens the match report, and a second reviewer marks the new line explained."""

from pathlib import Path

import pytest
from journeykit import Journey
from playwright.sync_api import expect

from crosscheck.models import MatchLine, OutsideList
from households.models import Household

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path("/usr/bin/chromium").exists(), reason="needs Chromium at /usr/bin/chromium"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_reviewer_imports_a_civil_affairs_list_and_a_line_is_explained(browser, demo, tmp_path):
    household = (
        Household.objects.filter(
            union__parent__code="SH", status="in_file", category=Household.Category.NEAR_DIBAO
        )
        .order_by("pk")
        .first()
    )
    csv = tmp_path / "民政低保名单2026年11月.csv"
    csv.write_bytes(
        (
            "公民身份号码,姓名,保障类别,纳入日期,退出日期\r\n"
            f"{household.id_number},{household.worker_name},低保,2026-11-01,\r\n"
        ).encode("gbk")
    )

    journey = Journey(browser, demo, "crosscheck")
    page = journey.login("sh_reviewer")
    journey.menu("核查比对", "外部比对")
    expect(page.locator("main h1")).to_have_text("外部比对")
    page.locator("main").get_by_role("link", name="导入外部名单").click()
    page.select_option("#id_kind", "civil")
    page.fill("#id_source", "示范区民政局")
    page.fill("#id_list_date", "2026-11-30")
    page.select_option("#id_unit", label="示范石化公司工会")
    page.set_input_files("#id_file", str(csv))
    journey.shot("import")
    page.get_by_role("button", name="导入并比对").click()
    journey.expect_message("已导入 1 行")
    expect(page.locator("main h1")).to_contain_text("比对报告")
    row = page.locator("#match-lines tr", has_text=household.file_number).filter(
        has_text="民政类别与档案困难类别不符"
    )
    expect(row).to_contain_text("民政名单为低保，档案登记为低保边缘户。")
    journey.shot("report", full_page=True)

    journey.login("sh_reviewer2")
    listed = OutsideList.objects.order_by("-pk").first()
    page = journey.page
    page.goto(journey.url(listed.get_absolute_url()))
    row = page.locator("#match-lines tr", has_text=household.file_number).filter(
        has_text="民政类别与档案困难类别不符"
    )
    row.get_by_label("情况说明").fill("已电话核实：本月起纳入城市低保，年度复核时调整类别。")
    row.get_by_role("button", name="标记为已说明").click()
    journey.expect_message("已记录情况说明")
    row = page.locator("#match-lines tr", has_text=household.file_number).filter(
        has_text="民政类别与档案困难类别不符"
    )
    expect(row).to_contain_text("已说明")
    expect(row).to_contain_text("魏复核")
    journey.shot("explained")
    journey.finish()

    line = MatchLine.objects.get(outside_list=listed, household=household)
    assert line.explained and line.explained_by.username == "sh_reviewer2"
