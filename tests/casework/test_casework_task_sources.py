"""The task list also shows, read-only, the plan problems in scope (households.plans) and the
work other apps put on the user (hardship.worklist)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from households.models import AidMeasure, Household

pytestmark = pytest.mark.django_db


def test_plan_problems_and_other_work_are_on_the_task_list(
    client, household_g1a, caseworker_g1a, caseworker_g2a
):
    AidMeasure.objects.filter(household=household_g1a).delete()
    Household.objects.filter(pk=household_g1a.pk).update(
        responsible_user=caseworker_g1a, card_problem="账户已冻结", card_problem_at=timezone.now()
    )
    client.force_login(caseworker_g1a)
    page = client.get(reverse("task_list")).content.decode()
    assert 'id="plan-problems"' in page and "尚无帮扶措施" in page
    assert household_g1a.file_number in page
    assert 'id="other-work"' in page and "银行卡退回" in page and "账户已冻结" in page
    # The other union's caseworker sees neither.
    client.force_login(caseworker_g2a)
    page = client.get(reverse("task_list")).content.decode()
    assert household_g1a.file_number not in page and "账户已冻结" not in page
