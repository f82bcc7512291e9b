"""A follow-up assigned to a caseworker is on their task list until it is closed."""

import pytest
from crosscheckkit import civil
from django.utils import timezone

from crosscheck import services
from hardship.worklist import items_for

pytestmark = pytest.mark.django_db


def follow_ups(user):
    return [i for i in items_for(user, timezone.localdate()) if i.source == "核查跟进"]


def test_an_open_follow_up_is_on_its_caseworkers_list_until_closed(
    reviewer_c1, caseworker_g1a, chair_g1a, org, household_g1a
):
    listed = civil(reviewer_c1, org.c1, [[household_g1a.id_number, "张建国", "低保", "", ""]])
    follow_up = services.line_follow_up(actor=reviewer_c1, line=listed.lines.get())
    [item] = follow_ups(caseworker_g1a)
    assert household_g1a.file_number in item.subject and item.detail == follow_up.subject
    assert follow_ups(chair_g1a) == []
    services.follow_up_close(actor=caseworker_g1a, follow_up=follow_up, outcome="已入户核实。")
    assert follow_ups(caseworker_g1a) == []
