"""The system as its users meet it: journeys through the real pages in Chromium, signed in
as the demo accounts of `make demo`, on the demo data (`seed_demo`, loaded per test).

Each journey saves screenshots under var/screenshots/ (`make screenshots` copies them into
docs/images/ for the user guide) and fails on any server error or browser console error.
"""

import datetime
import re
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone
from journeykit import Journey, id_number, scanned_png
from playwright.sync_api import expect

from cases.models import Application, Notice, Objection
from funds.models import LedgerEntry
from households.models import Household

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path("/usr/bin/chromium").exists(), reason="needs Chromium at /usr/bin/chromium"
    ),
    # Real transactions: the live server's thread sees what the test writes and the other way
    # round. The flush after each journey empties every table; seed_demo fills it again, and
    # the hash chains recreate their heads on their next write.
    pytest.mark.django_db(transaction=True),
]


def miner_application() -> Application:
    """The coal miner's medical aid of DOMAIN.md, in public notice in the demo data."""
    return Application.objects.get(
        household__worker_account__username="my01_worker",
        kind=Application.Kind.MEDICAL,
        state=Application.State.IN_NOTICE,
    )


def let_notice_run_out(application: Application) -> None:
    """What the days do: the notice period lies in the past. Then the daily job runs."""
    today = timezone.localdate()
    Notice.objects.filter(application=application).update(
        starts_on=today - datetime.timedelta(days=8), ends_on=today - datetime.timedelta(days=3)
    )
    call_command("close_due_notices", stdout=StringIO())


def state_badge(page):
    return page.locator("main h1 + div .badge").first


# 1 ------------------------------------------------------------------------------------------


def test_caseworker_files_a_household_with_members_income_and_evidence(browser, demo, tmp_path):
    journey = Journey(browser, demo, "household")
    page = journey.login("sh01_caseworker", shot="login")
    journey.shot("dashboard")

    journey.menu("档案", "困难职工档案")
    expect(page.locator("main h1")).to_have_text("困难职工档案")
    journey.shot("list")
    page.locator("main").get_by_role("link", name="新建档案").click()
    expect(page.locator("main h1")).to_have_text("新建困难职工档案")

    worker_id = id_number("230103", datetime.date(1978, 5, 16), 135)
    page.fill("#id_worker_name", "孙志强")
    page.select_option("#id_gender", "M")
    page.fill("#id_id_number", worker_id)
    page.fill("#id_phone", "13904511234")
    page.fill("#id_address", "炼油厂家属区12栋305室")
    page.select_option("#id_union", label="炼油厂工会")
    page.fill("#id_employer", "炼油厂")
    page.select_option("#id_employment_status", "active")
    page.fill("#id_bank_account", "6217000012345678")
    page.select_option("#id_category", "near_dibao")
    page.select_option("#id_level", "hardship")
    page.check("input[name=causes][value=illness]")
    page.check("input[name=causes][value=low_income]")
    page.select_option("#id_responsible_user", label="沈帮扶（sh01_caseworker）")
    page.fill("#id_contact_person", "刘秀英")
    page.fill("#id_contact_phone", "13904515678")
    # Members: the spouse in the empty row, then a second row for the son.
    page.fill("#id_members-0-name", "刘秀英")
    page.select_option("#id_members-0-relation", "spouse")
    page.fill("#id_members-0-birth_date", "1980-02-03")
    page.fill("#id_members-0-id_number", id_number("230103", datetime.date(1980, 2, 3), 246))
    page.select_option("#id_members-0-health", "chronic")
    page.select_option("#id_members-0-employment", "unemployed")
    page.fill("#id_members-0-monthly_income", "0")
    page.get_by_role("button", name="增加一名成员").click()
    page.fill("#id_members-1-name", "孙浩然")
    page.select_option("#id_members-1-relation", "child")
    page.fill("#id_members-1-birth_date", "2009-09-01")
    page.fill("#id_members-1-id_number", id_number("230103", datetime.date(2009, 9, 1), 137))
    page.select_option("#id_members-1-employment", "student")
    page.select_option("#id_members-1-school_stage", "high")
    page.fill("#id_members-1-monthly_income", "0")
    # Income: the worker's wages.
    page.select_option("#id_incomes-0-source", "wages")
    page.fill("#id_incomes-0-monthly_amount", "1200")
    page.fill("#id_incomes-0-note", "月工资（扣除社保后）")
    page.select_option("#id_housing", "own")
    page.fill("#id_housing_area", "48")
    page.fill("#id_vehicles", "0")
    page.fill("#id_savings", "3000")
    page.fill("#id_notes", "妻子患慢性病长期服药；儿子读高中。")
    journey.shot("form", full_page=True)

    page.get_by_role("button", name="保存档案").click()
    expect(page.locator("main h1")).to_contain_text("孙志强")
    journey.expect_message("已保存")
    # The assessment: 1,200 yuan for three people is 400 a head, under the company's lines.
    assessment = page.locator("main .alert[role=status]")
    expect(assessment).to_contain_text("资格评估")
    expect(assessment).to_contain_text("1,200.00 元")
    expect(assessment).to_contain_text("3 人")
    journey.shot("saved")

    journey.tab("家庭成员")
    expect(page.locator("#members")).to_contain_text("孙浩然")
    journey.shot("members")

    journey.tab("致困原因与证明")
    upload = page.locator("#evidence form[enctype='multipart/form-data']")
    upload.locator("select[name=cause]").select_option("illness")
    upload.locator("select[name=kind]").select_option("diagnosis")
    upload.locator("input[type=file]").set_input_files(
        scanned_png(tmp_path / "诊断证明.png", "Diagnosis certificate")
    )
    upload.get_by_role("button", name="上传").click()
    journey.expect_message("证明材料已上传")
    expect(page.locator("#evidence table")).to_contain_text("诊断证明.png")
    journey.shot("evidence")

    # With the file complete, the caseworker asks for it to be put in file (建档).
    page.locator("main").get_by_role("link", name="提出申请").click()
    page.select_option("#id_kind", "establish")
    page.fill(
        "#id_reason", "家庭人均月收入低于困难职工认定标准，妻子患慢性病，申请建立困难职工档案。"
    )
    journey.shot("establish-form")
    page.get_by_role("button", name="提交").click()
    expect(state_badge(page)).to_have_text("待基层工会审查")
    journey.shot("establish-filed")
    journey.finish()

    household = Household.objects.get(id_number=worker_id)
    assert household.status == Household.Status.DRAFT
    assert household.members.count() == 2
    assert household.income_items.get().monthly_amount == 1200
    evidence = household.evidence.get()
    assert (evidence.original_name, evidence.content_type) == ("诊断证明.png", "image/png")
    assert household.applications.get().kind == Application.Kind.ESTABLISH


# 2 ------------------------------------------------------------------------------------------


def test_application_passes_every_level_with_four_people(browser, demo, tmp_path):
    # An in-file household of 炼油厂 with an illness and its diagnosis on file, no applications.
    household = (
        Household.objects.filter(
            union__code="SH01",
            status=Household.Status.IN_FILE,
            worker_account__isnull=True,
            causes__cause="illness",
            evidence__kind="diagnosis",
            applications__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    journey = Journey(browser, demo, "approval")

    # 本人申请 (filed for the worker by the caseworker).
    page = journey.login("sh01_caseworker")
    journey.menu("档案", "困难职工档案")
    page.fill("#id_q", household.worker_name)
    page.get_by_role("button", name="查询").click()
    page.get_by_role("link", name=household.file_number).click()
    page.locator("main").get_by_role("link", name="提出申请").click()
    page.select_option("#id_kind", "medical")
    page.fill("#id_reason", "本人今年住院治疗，医保报销后个人自付部分负担较重，申请医疗救助。")
    page.fill("#id_self_paid", "8000")
    # The tiered suggestion arrives as the amount is typed: (8,000 − 1,000) × 70%.
    expect(page.locator("#medical-suggestion")).to_contain_text("建议救助金额：4,900.00 元")
    page.fill("#id_amount", "4900")
    journey.shot("file")
    page.get_by_role("button", name="提交").click()
    expect(state_badge(page)).to_have_text("待基层工会审查")
    journey.expect_message("医疗费用票据")  # still to be supplied before company verification
    journey.shot("filed")
    number = page.locator("main h1 small").inner_text().strip()

    # 基层工会审查.
    page = journey.login("sh01_chair")
    journey.menu("待我处理")
    journey.shot("chair-inbox")
    page.get_by_role("link", name=number).click()
    expect(page.locator("#act")).to_contain_text("基层工会审查")
    page.fill("#id_comment", "情况属实，同意上报。")
    page.locator("#act").get_by_role("button", name="同意", exact=True).click()
    journey.expect_message("已办理：同意")
    expect(state_badge(page)).to_have_text("待公司工会复核")
    journey.shot("chair-approved")

    # 公司工会复核: investigation first, and the missing medical bills.
    page = journey.login("sh_reviewer")
    journey.menu("待我处理")
    page.get_by_role("link", name=number).click()
    act = page.locator("#act")
    expect(act).to_contain_text("复核前须先登记入户调查")
    expect(act).to_contain_text("缺少证明材料")
    expect(act.get_by_role("button", name="同意", exact=True)).to_be_disabled()
    journey.shot("reviewer-blocked", full_page=True)
    evidence = page.locator("#evidence form")
    evidence.locator("select[name=kind]").select_option("medical_bills")
    evidence.locator("input[type=file]").set_input_files(
        scanned_png(tmp_path / "医疗费用票据.png", "Hospital bills")
    )
    evidence.get_by_role("button", name="上传").click()
    journey.expect_message("证明材料已上传")
    expect(page.locator("#evidence")).to_contain_text("政策要求的证明材料已齐全")
    investigation = page.locator("#investigation form")
    investigation.locator("select[name=method]").select_option("home_visit")
    investigation.locator("input[name=investigators]").fill("周复核、沈帮扶")
    investigation.locator("textarea[name=findings]").fill(
        "入户核实家庭人口、收入与住房情况，住院费用票据与申报一致。"
    )
    investigation.get_by_role("button", name="登记调查情况").click()
    journey.expect_message("调查情况已登记")
    page.fill("#id_comment", "经入户调查核实，符合医疗救助条件。")
    journey.shot("reviewer-ready", full_page=True)
    page.locator("#act").get_by_role("button", name="同意", exact=True).click()
    expect(state_badge(page)).to_have_text("待党政班子会审定")

    # 党政班子会审定 → 公示.
    page = journey.login("sh_committee")
    journey.menu("待我处理")
    page.get_by_role("link", name=number).click()
    expect(page.locator("#act")).to_contain_text("党政班子会审定")
    page.fill("#id_comment", "经党政班子会研究，同意救助4900元。")
    page.locator("#act").get_by_role("button", name="同意", exact=True).click()
    expect(state_badge(page)).to_have_text("公示中")
    expect(page.locator("#notice")).to_contain_text("公示")
    journey.shot("in-notice", full_page=True)
    journey.menu("申请审批", "公示")
    expect(page.locator("main table")).to_contain_text("医疗救助")
    journey.shot("notice-list")
    journey.finish()

    application = Application.objects.get(number=number)
    assert application.state == Application.State.IN_NOTICE
    assert application.filed_by.username == "sh01_caseworker"
    deciders = list(application.decisions.order_by("pk").values_list("actor__username", flat=True))
    assert deciders[-3:] == ["sh01_chair", "sh_reviewer", "sh_committee"]
    assert application.investigations.get().recorded_by.username == "sh_reviewer"


# 3 ------------------------------------------------------------------------------------------


def test_objection_is_lodged_on_the_notice_page_and_dismissed(browser, demo):
    application = miner_application()
    journey = Journey(browser, demo, "objection")

    page = journey.login("my02_caseworker")
    journey.menu("申请审批", "公示")
    row = page.locator("main tbody tr").filter(has_text="医疗救助").filter(has_text="一矿工会")
    expect(row).to_have_count(1)
    row.locator("summary").click()
    row.locator("textarea[name=reason]").fill("听说该职工家中另有商铺出租收入，请核实。")
    journey.shot("lodge")
    row.get_by_role("button", name="提交异议").click()
    journey.expect_message("异议已提交")
    expect(page.locator("main tbody tr").filter(has_text="医疗救助")).to_contain_text(
        "有异议待处理"
    )
    journey.shot("lodged")

    # Not my_reviewer, who verified the application: a second reviewer with no part in it.
    page = journey.login("my_reviewer2")
    journey.menu("待我处理")
    expect(page.locator("main")).to_contain_text("待处理的公示异议")
    journey.shot("reviewer-inbox")
    page.get_by_role("link", name=application.number).click()
    notice = page.locator("#notice")
    expect(notice).to_contain_text("商铺出租")
    notice.get_by_label("异议不成立，继续公示").check()
    notice.locator("textarea[name=resolution]").fill(
        "经调查，商铺为其兄长所有，职工本人无出租收入；异议不成立，继续公示。"
    )
    journey.shot("resolve", full_page=True)
    notice.get_by_role("button", name="提交处理结果").click()
    journey.expect_message("异议已处理")
    expect(page.locator("#notice")).to_contain_text("处理意见")
    expect(state_badge(page)).to_have_text("公示中")
    journey.shot("dismissed", full_page=True)
    journey.finish()

    objection = Objection.objects.get(notice__application=application)
    assert objection.status == Objection.Status.DISMISSED
    assert objection.lodged_by.username == "my02_caseworker"
    assert objection.resolved_by.username == "my_reviewer2"
    application.refresh_from_db()
    assert application.state == Application.State.IN_NOTICE


# 4 ------------------------------------------------------------------------------------------


def test_notice_closes_and_the_application_is_effective(browser, demo):
    application = miner_application()
    journey = Journey(browser, demo, "notice-close")

    page = journey.login("my01_worker")
    expect(page.locator("main")).to_contain_text("我的申请")
    journey.shot("worker-dashboard")
    page.get_by_role("link", name=application.number).click()
    expect(state_badge(page)).to_have_text("公示中")
    journey.shot("in-notice", full_page=True)

    let_notice_run_out(application)  # the daily `manage.py close_due_notices`

    page.reload()
    expect(state_badge(page)).to_have_text("已生效")
    expect(page.locator("main")).to_contain_text("生效日期")
    journey.shot("effective", full_page=True)
    journey.finish()

    application.refresh_from_db()
    assert application.state == Application.State.EFFECTIVE
    assert application.effective_on == timezone.localdate()


# 5 ------------------------------------------------------------------------------------------


def test_finance_pays_an_effective_application(browser, demo):
    application = miner_application()
    let_notice_run_out(application)
    journey = Journey(browser, demo, "payment")

    page = journey.login("my_finance")
    journey.menu("申请审批", "申请")
    page.select_option("#id_state", "effective")
    page.get_by_role("button", name="查询").click()
    journey.shot("effective-list")
    page.get_by_role("link", name=application.number).click()
    page.get_by_role("link", name="发放帮扶资金").click()
    expect(page.locator("main h1")).to_have_text("发放帮扶资金")
    fund = page.locator("#id_fund option").filter(has_text="中央财政专项帮扶资金").first
    page.select_option("#id_fund", fund.get_attribute("value"))
    expect(page.locator("#id_amount")).to_have_value(str(application.amount))
    page.fill("#id_voucher", "MY-2026-ZF-0901")
    page.fill("#id_note", "李建国医疗救助")
    journey.shot("form")
    page.get_by_role("button", name="发放", exact=True).click()
    journey.expect_message("已发放")
    expect(page.locator("#payments")).to_contain_text("MY-2026-ZF-0901")
    journey.shot("paid", full_page=True)

    journey.menu("帮扶资金", "资金账户")
    journey.shot("funds")
    journey.finish()

    payment = LedgerEntry.objects.get(voucher="MY-2026-ZF-0901")
    assert payment.kind == LedgerEntry.Kind.PAYMENT
    assert payment.amount == -application.amount  # money out of the fund
    assert payment.application_id == application.pk


# 6 ------------------------------------------------------------------------------------------


def test_auditor_exports_the_annual_report_and_the_roster(browser, demo, tmp_path):
    journey = Journey(browser, demo, "auditor")

    page = journey.login("hsf_auditor")
    journey.menu("统计报表", "年度报表")
    expect(page.locator("main h1")).to_have_text("年度帮扶资金使用情况")
    expect(page.locator("main")).to_contain_text("示范市总工会")
    journey.shot("annual-report")

    with page.expect_download() as info:
        page.get_by_role("link", name="导出 Excel").click()
    workbook = opened_xlsx(info.value, tmp_path)
    assert workbook.sheetnames
    with page.expect_download() as info:
        page.get_by_role("link", name="导出 PDF").click()
    pdf = Path(info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    assert info.value.suggested_filename.endswith(".pdf")

    journey.menu("档案", "困难职工档案")
    journey.shot("household-list")
    with page.expect_download() as info:
        page.get_by_role("link", name="导出台账（Excel）").click()
    roster = opened_xlsx(info.value, tmp_path)
    rows = sum(1 for row in roster.worksheets[0].iter_rows(values_only=True) if any(row))
    assert rows > 100  # about 200 demo households, one row each
    headers = [cell.value for cell in roster.worksheets[0][1]]
    for column in ("家庭人口", "家庭人均月收入（元）", "帮扶责任人"):
        assert column in headers
    assert any(str(h).endswith("年已领取帮扶（元）") for h in headers)

    journey.menu("统计报表", "统计")
    for table in ("#age-by-sex", "#school-stages", "#health-table", "#model-workers"):
        expect(page.locator(table)).to_be_visible()
    expect(page.locator("#age-by-sex")).to_contain_text("4050人员")
    journey.shot("statistics", full_page=True)

    call_command("verify_integrity", stdout=StringIO())  # the daily check of the hash chains
    journey.menu("统计报表", "审计")
    integrity = page.locator("main .card").filter(has_text="完整性校验")
    expect(integrity.locator(".badge")).to_have_text("完整")
    exports = page.locator("main .card").filter(has_text="导出记录")
    for kind in ("年度报表 Excel", "年度报表 PDF", "困难职工台账"):
        expect(exports).to_contain_text(kind)  # each export of this journey is on record
    journey.shot("audit")
    journey.finish()


def opened_xlsx(download, folder: Path):
    assert download.suggested_filename.endswith(".xlsx")
    path = folder / download.suggested_filename
    download.save_as(path)
    assert path.stat().st_size > 0
    return openpyxl.load_workbook(path, read_only=True)


# 7 ------------------------------------------------------------------------------------------


def test_worker_files_their_own_application(browser, demo):
    journey = Journey(browser, demo, "worker")

    page = journey.login("sh01_worker")
    expect(page.locator("main")).to_contain_text("我的档案")
    journey.shot("dashboard")
    page.locator("main").get_by_role("link", name="提出申请").first.click()
    expect(page.locator("main h1")).to_have_text("提出申请")
    page.select_option("#id_kind", "medical")
    page.fill(
        "#id_reason", "本人年初住院做了手术，医保报销后自付一万五千元，家庭无力负担，申请医疗救助。"
    )
    page.fill("#id_self_paid", "15000")
    # 9,000 × 70% + 5,000 × 85%
    expect(page.locator("#medical-suggestion")).to_contain_text("建议救助金额：10,550.00 元")
    page.fill("#id_amount", "10550")
    journey.shot("form")
    page.get_by_role("button", name="提交").click()
    expect(state_badge(page)).to_have_text("待基层工会审查")
    journey.shot("filed", full_page=True)
    journey.menu("工作台")
    journey.shot("my-applications")
    journey.finish()

    application = Application.objects.filter(filed_by__username="sh01_worker").latest("pk")
    assert (application.kind, application.amount) == (Application.Kind.MEDICAL, 10550)
    assert application.household.worker_account.username == "sh01_worker"


# 8 ------------------------------------------------------------------------------------------

CJK = re.compile(r"[\u3400-\u9fff]")


def test_english_switch_in_the_header(browser, demo):
    journey = Journey(browser, demo, "english")

    page = journey.login("sh01_caseworker")
    page.select_option("#language-switch", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    nav = page.locator("#main-nav .navbar-nav").first
    expect(nav).to_contain_text("Dashboard")
    expect(nav).to_contain_text("My tasks")
    expect(nav).to_contain_text("Applications")
    expect(page.locator("main h1")).to_have_text("Dashboard")
    # Every word of the navigation is English, the menus' items included.
    labels = nav.locator("a").evaluate_all("links => links.map(a => a.textContent.trim())")
    assert labels and not [label for label in labels if CJK.search(label)], labels
    journey.shot("dashboard")

    journey.menu("Household file", "Hardship household files")
    expect(page.locator("main h1")).to_have_text("Hardship household files")
    journey.shot("household-list")
    journey.finish()


# 9 ------------------------------------------------------------------------------------------


def test_administrator_opens_users_units_and_policy(browser, demo):
    journey = Journey(browser, demo, "admin")

    page = journey.login("admin")
    journey.menu("系统管理")
    expect(page.locator("#site-name")).to_contain_text("系统管理")
    journey.shot("index")
    page.locator("#content-main").get_by_role("link", name="用户", exact=True).click()
    expect(page.locator("#result_list")).to_contain_text("sh01_caseworker")
    journey.shot("users")
    page.get_by_role("link", name="sh01_caseworker").click()
    expect(page.locator("#id_username")).to_have_value("sh01_caseworker")
    memberships = page.locator(".inline-group").filter(has_text="角色任职")
    expect(memberships).to_contain_text("炼油厂工会")
    journey.shot("user-memberships", element=memberships)
    page.goto(journey.url("/admin/hardship/policyparameter/"))
    expect(page.locator("#result_list")).to_contain_text("664")
    journey.shot("policy")
    journey.finish()
