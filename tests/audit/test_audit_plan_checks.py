"""The checks page's aid-plan section: causes without a measure, open measures past their
target date and passed exit dates, in the checker's scope only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from factories import HardshipCauseFactory, HouseholdFactory

from audit import checks
from households.access import households_visible_to
from households.models import AidMeasure

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LATE = TODAY - datetime.timedelta(days=5)


def planned(union, name, *, exit_target_on=None, **measure):
    household = HouseholdFactory(
        in_file=True, union=union, worker_name=name, exit_target_on=exit_target_on
    )
    HardshipCauseFactory(household=household, cause="illness")
    AidMeasure.objects.create(household=household, cause="illness", measure="medical", **measure)
    return household


def plan_findings(user):
    results = checks.run_checks(households_visible_to(user), TODAY)
    (check,) = [c for c in results if c.code == "plan"]
    return [(f.household.worker_name, f.detail) for f in check.findings]


def test_the_plan_section_lists_each_problem_once(org, reviewer_c1):
    uncovered = HouseholdFactory(in_file=True, union=org.g1a, worker_name="无措施")
    HardshipCauseFactory(household=uncovered, cause="education")
    planned(org.g1a, "措施逾期", target_on=LATE, status="under_way")
    planned(org.g1b, "脱困已过", exit_target_on=LATE)
    planned(
        org.g1a,
        "按时完成",
        target_on=LATE,
        status="done",
        completed_on=TODAY,
        completion_note="已发放",
    )
    planned(
        org.g1a,
        "未达成",
        target_on=LATE,
        status="failed",
        completed_on=TODAY,
        completion_note="放弃",
    )
    planned(org.g1a, "未到期", target_on=TODAY)

    findings = plan_findings(reviewer_c1)
    assert [name for name, _ in findings] == ["无措施", "措施逾期", "脱困已过"]
    assert "“因学”尚无帮扶措施" in findings[0][1]
    assert "已逾期 5 天" in findings[1][1]
    assert f"计划脱困日期 {LATE} 已过" in findings[2][1]


def test_the_plan_section_keeps_to_the_checkers_scope(client, org, reviewer_c1):
    ours = planned(org.g1a, "本公司逾期", target_on=LATE)
    theirs = planned(org.g2a, "外公司逾期", target_on=LATE)
    client.force_login(reviewer_c1)
    page = client.get(reverse("integrity_checks")).content.decode()
    section = page[page.index('id="check-plan"') :]
    assert f'href="{ours.get_absolute_url()}"' in section
    assert theirs.file_number not in page and "外公司逾期" not in page
