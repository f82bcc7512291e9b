"""The caseworker's day (帮扶专干的一天) in Chromium, on the demo data: a medical-aid
application tells of a hospitalisation, the task list shows the 住院必访, the caseworker
records the visit from the task, and the task is done and the navigation's count drops."""

import re
from pathlib import Path

import pytest
from journeykit import Journey
from playwright.sync_api import expect

from casework.models import Duty
from hardship.models import User
from households.models import Household

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path("/usr/bin/chromium").exists(), reason="needs Chromium at /usr/bin/chromium"
    ),
    pytest.mark.django_db(transaction=True),
]


def task_count(page) -> int:
    link = page.locator("#main-nav a.nav-link", has_text=re.compile("^待办任务"))
    badge = link.locator(".badge")
    return int(badge.inner_text()) if badge.count() else 0


def test_a_hospitalisation_becomes_a_task_done_by_the_visit(browser, demo):
    caseworker = User.objects.get(username="sh01_caseworker")
    household = (
        Household.objects.filter(
            union__code="SH01",
            status=Household.Status.IN_FILE,
            worker_account__isnull=True,
            causes__cause="illness",
            evidence__kind="diagnosis",
            applications__isnull=True,
        )
        .exclude(duties__kind=Duty.Kind.HOSPITAL_VISIT)
        .order_by("pk")
        .first()
    )
    Household.objects.filter(pk=household.pk).update(responsible_user=caseworker)
    journey = Journey(browser, demo, "duties")
    page = journey.login("sh01_caseworker")
    before = task_count(page)

    # The family reports the hospitalisation with a medical-aid application.
    journey.menu("档案", "困难职工档案")
    page.fill("#id_q", household.worker_name)
    page.get_by_role("button", name="查询").click()
    page.get_by_role("link", name=household.file_number).click()
    page.locator("main").get_by_role("link", name="提出申请").click()
    page.select_option("#id_kind", "medical")
    page.fill("#id_reason", "本人上周住院治疗，医保报销后自付部分负担较重，申请医疗救助。")
    page.fill("#id_self_paid", "8000")
    page.fill("#id_amount", "4900")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("main h1 small")).to_be_visible()
    filed = task_count(page)
    assert filed == before + 1

    # The task list shows the must-visit, with the visit to record.
    journey.menu("待办任务")
    rows = page.locator("#tasks tbody tr").filter(has_text=household.file_number)
    row = rows.filter(has_text="医疗救助申请")
    expect(row).to_contain_text("住院必访")
    expect(row).to_contain_text("即将到期")
    journey.shot("tasks", full_page=True)
    row.get_by_role("link", name="登记走访").click()
    expect(page.locator("main h1")).to_have_text("登记走访慰问")
    expect(page.locator("#id_kind")).to_have_value("hospital")
    page.fill("#id_visitors", "秦帮扶、尤主席")
    page.fill("#id_notes", "到医院看望，了解治疗费用与报销情况。")
    page.get_by_role("button", name="保存").click()
    journey.expect_message("走访记录已保存")

    # Done by the visit (and the overdue contact with it: any visit keeps in touch); the
    # count drops.
    assert task_count(page) < filed
    journey.menu("待办任务")
    page.get_by_role("link", name=re.compile("^近30天已完成")).click()
    done = page.locator("#tasks tbody tr").filter(has_text=household.file_number)
    done = done.filter(has_text="医疗救助申请")
    expect(done).to_contain_text("已完成")
    expect(done).to_contain_text("由走访完成")
    journey.shot("done")
    page.locator("main").get_by_role("link", name="我的帮扶户").click()
    expect(page.locator("#my-households")).to_contain_text(household.file_number)
    journey.shot("my-households", full_page=True)
    journey.menu("通知")
    journey.shot("notifications")
    journey.finish()
