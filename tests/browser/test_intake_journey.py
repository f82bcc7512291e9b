"""The front door in Chromium: a 12351 hotline call recorded by the duty caseworker becomes a
draft household file and a 建档 application, which the chair passes on, the company reviewer
verifies (documents and a home visit) and the committee approves into the notice; the caller
is told and the contact closed. Signed in as the demo accounts, on the demo data."""

import datetime
from pathlib import Path

import pytest
from journeykit import Journey, id_number, scanned_png
from playwright.sync_api import expect

from cases import rules
from cases.models import Application
from intake.models import Contact

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path("/usr/bin/chromium").exists(), reason="needs Chromium at /usr/bin/chromium"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_hotline_call_becomes_a_draft_file_and_an_approved_application(browser, demo, tmp_path):
    journey = Journey(browser, demo, "intake")
    page = journey.login("sh01_caseworker")
    journey.menu("来访接待", "登记来电来访来信")
    expect(page.locator("main h1")).to_have_text("登记来电来访来信")
    caller_id = id_number("230103", datetime.date(1976, 8, 9), 151)
    page.select_option("#id_channel", "hotline")
    page.select_option("#id_topic", "help")
    page.fill("#id_caller_name", "高秀梅")
    page.fill("#id_id_number", caller_id)
    page.fill("#id_phone", "13904518888")
    page.select_option("#id_worker_unit", label="炼油厂工会")
    page.fill("#id_summary", "丈夫去年因工伤去世，本人下岗，孩子读初中，生活困难，询问能否建档。")
    journey.shot("form", full_page=True)
    page.get_by_role("button", name="登记并分办").click()
    journey.expect_message("交炼油厂工会")
    expect(page.locator("main h1")).to_contain_text("来访登记")
    # Masked until shown, and the reveal is logged.
    expect(page.locator("#reveal-id_number")).to_contain_text("230*")
    page.locator("#reveal-id_number").get_by_role("button", name="显示").click()
    expect(page.locator("#reveal-id_number")).to_have_text(caller_id)
    journey.shot("recorded")

    page.locator("main").get_by_role("link", name="建立困难职工档案").click()
    expect(page.locator("#id_worker_name")).to_have_value("高秀梅")
    expect(page.locator("#id_id_number")).to_have_value(caller_id)
    page.select_option("#id_union", label="炼油厂工会")
    page.fill("#id_employer", "炼油厂")
    page.select_option("#id_employment_status", "laid_off")
    page.select_option("#id_category", "near_dibao")
    page.select_option("#id_level", "hardship")
    page.check("input[name=causes][value=low_income]")
    page.select_option("#id_housing", "own")
    page.fill("#id_housing_area", "40")
    page.fill("#id_vehicles", "0")
    page.fill("#id_savings", "0")
    page.fill("#id_members-0-name", "高小宇")
    page.select_option("#id_members-0-relation", "child")
    page.fill("#id_members-0-birth_date", "2012-03-01")
    page.select_option("#id_members-0-employment", "student")
    page.select_option("#id_members-0-school_stage", "middle")
    page.fill("#id_members-0-monthly_income", "0")
    page.select_option("#id_incomes-0-source", "unemployment")
    page.fill("#id_incomes-0-monthly_amount", "600")
    journey.shot("household-form", full_page=True)
    page.get_by_role("button", name="保存档案").click()
    journey.expect_message("已建立草稿档案")

    page.locator("main").get_by_role("link", name="提出申请").click()
    expect(page.locator("#id_kind")).to_have_value("establish")
    expect(page.locator("#id_reason")).to_contain_text("丈夫去年因工伤去世")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("main h1 + div .badge").first).to_have_text("待基层工会审查")
    journey.shot("application")
    number = page.locator("main h1 small").inner_text().strip()

    # The chair passes the application on.
    page = journey.login("sh01_chair")
    journey.menu("待我处理")
    page.get_by_role("link", name=number).click()
    page.fill("#id_comment", "来电反映属实，同意建档。")
    page.locator("#act").get_by_role("button", name="同意", exact=True).click()
    expect(page.locator("main h1 + div .badge").first).to_have_text("待公司工会复核")

    # The company reviewer supplies the documents the filing needs, visits, and passes it on.
    page = journey.login("sh_reviewer")
    journey.menu("待我处理")
    page.get_by_role("link", name=number).click()
    application = Application.objects.get(number=number)
    for cause, kind in rules.required_evidence(application):
        evidence = page.locator("#evidence form")
        if cause:
            evidence.locator("select[name=cause]").select_option(cause)
        evidence.locator("select[name=kind]").select_option(kind)
        evidence.locator("input[type=file]").set_input_files(
            scanned_png(tmp_path / f"{cause}-{kind}.png", f"{cause} {kind}")
        )
        evidence.get_by_role("button", name="上传").click()
        journey.expect_message("证明材料已上传")
    investigation = page.locator("#investigation form")
    investigation.locator("select[name=method]").select_option("home_visit")
    investigation.locator("input[name=investigators]").fill("周复核、沈帮扶")
    investigation.locator("textarea[name=findings]").fill(
        "入户核实：丈夫因工去世，本人下岗，收入仅失业金。"
    )
    investigation.get_by_role("button", name="登记调查情况").click()
    journey.expect_message("调查情况已登记")
    page.fill("#id_comment", "经入户调查核实，符合建档条件。")
    page.locator("#act").get_by_role("button", name="同意", exact=True).click()
    expect(page.locator("main h1 + div .badge").first).to_have_text("待党政班子会审定")

    # The committee approves: the filing goes into the notice.
    page = journey.login("sh_committee")
    journey.menu("待我处理")
    page.get_by_role("link", name=number).click()
    page.fill("#id_comment", "经党政班子会研究，同意建档。")
    page.locator("#act").get_by_role("button", name="同意", exact=True).click()
    expect(page.locator("main h1 + div .badge").first).to_have_text("公示中")
    journey.shot("approved")

    # Back to the caller: told, closed.
    page = journey.login("sh01_caseworker")
    journey.menu("来访接待", "我承办的来访")
    contact = Contact.objects.get(id_number=caller_id)
    page.get_by_role("link", name=contact.number).click()
    page.fill("#id_note", "已指导提交建档申请，党政班子会已审定同意，进入公示。")
    page.get_by_role("button", name="记录", exact=True).click()
    journey.expect_message("办理情况已记录")
    page.fill("#id_outcome", "已建立档案并提出建档申请，党政班子会审定同意，公示期满后生效。")
    page.fill("#id_told_how", "电话告知")
    page.check("#id_caller_told")
    page.get_by_role("button", name="办结", exact=True).click()
    journey.expect_message("已办结")
    journey.shot("closed", full_page=True)
    journey.finish()

    contact.refresh_from_db()
    assert contact.status == Contact.Status.CLOSED
    assert contact.household.worker_name == "高秀梅"
    assert contact.application.state == Application.State.IN_NOTICE
    assert contact.application.kind == Application.Kind.ESTABLISH
