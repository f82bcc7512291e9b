"""Bank batch payment (银行代发) as finance meets it, on the demo data: from a posted plan to
the bank's file, the bank's return file with two failed rows, and the reversed rows; then
the company reviewer finds the two cards to fix."""

from pathlib import Path

import pytest
from journeykit import Journey
from playwright.sync_api import expect

from bank import batchfile
from bank.models import PaymentBatch
from funds.models import LedgerEntry

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path("/usr/bin/chromium").exists(), reason="needs Chromium at /usr/bin/chromium"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_finance_pays_a_posted_plan_through_the_bank_and_imports_the_return(
    browser, demo, tmp_path
):
    journey = Journey(browser, demo, "bank")
    page = journey.login("sh_finance")
    page.on("dialog", lambda dialog: dialog.accept())

    journey.menu("帮扶资金", "发放方案")
    page.get_by_role("link", name="2026年春节送温暖慰问金").first.click()
    expect(page.locator("main h1")).to_have_text("2026年春节送温暖慰问金")
    with page.expect_download() as info:
        page.get_by_role("link", name="发放花名册 PDF").click()
    assert Path(info.value.path()).read_bytes().startswith(b"%PDF")

    journey.menu("帮扶资金", "银行代发")
    journey.shot("list")
    page.get_by_role("link", name="生成代发批次").click()
    plan = page.locator("#id_plan-plan option").filter(has_text="2026年春节送温暖慰问金").first
    page.select_option("#id_plan-plan", plan.get_attribute("value"))
    template = page.locator("#id_plan-template option").filter(has_text="工商银行").first
    page.select_option("#id_plan-template", template.get_attribute("value"))
    journey.shot("create")
    page.locator("form:has(#id_plan-plan)").get_by_role("button", name="生成批次").click()
    journey.expect_message("已生成")
    batch = PaymentBatch.objects.get(fund__unit__code="SH")
    expect(page.locator("#batch-state")).to_have_text("已生成，待送银行")

    with page.expect_download() as info:
        page.get_by_role("link", name="下载银行代发文件").click()
    rows = Path(info.value.path()).read_bytes().decode("gbk").splitlines()
    assert len(rows) == 3 + batch.lines.count()  # two header lines, the column headers, lines

    page.get_by_role("button", name="标记为已送银行").click()
    journey.expect_message("已标记为送银行")
    expect(page.locator("#batch-state")).to_have_text("已送银行，待回盘")

    lines = list(batch.lines.order_by("pk"))
    failed = {lines[0].pk: "账户已销户", lines[5].pk: "户名与账号不符"}
    answer = tmp_path / "icbc-return.csv"
    answer.write_bytes(batchfile.return_file_for(batch, failed))
    page.locator("input[name=file]").first.set_input_files(str(answer))
    page.get_by_role("button", name="导入", exact=True).click()
    journey.expect_message("失败 2 笔")
    expect(page.locator("#batch-state")).to_have_text("已回盘")
    expect(page.locator("#batch-lines tr.table-danger")).to_have_count(2)
    expect(page.locator("#batch-lines")).to_contain_text("账户已销户")
    journey.shot("settled", full_page=True)

    # The same file again changes nothing.
    page.locator("input[name=file]").first.set_input_files(str(answer))
    page.get_by_role("button", name="导入", exact=True).click()
    journey.expect_message("本次没有任何改动")
    journey.finish()

    reversals = LedgerEntry.objects.filter(
        kind=LedgerEntry.Kind.REVERSAL, note__contains=batch.number
    )
    assert sorted(r.reverses_id for r in reversals) == sorted(
        line.entry_id for line in lines if line.pk in failed
    )

    page = journey.login("sh_reviewer")
    # The menu's item carries the count: "待更正银行卡 2".
    page.locator("#main-nav a.nav-link", has_text="档案").first.click()
    expect(page.locator("#main-nav a.nav-link", has_text="档案").first).to_contain_text("2")
    page.locator("#main-nav .dropdown-menu.show a", has_text="待更正银行卡").click()
    expect(page.locator("main h1")).to_have_text("待更正银行卡")
    expect(page.locator("main tbody tr")).to_have_count(2)
    expect(page.locator("main tbody")).to_contain_text("户名与账号不符")
    journey.shot("cards-to-fix")
    journey.finish()
