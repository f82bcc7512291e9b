"""Working on a match report: a line is explained by someone other than the household's
responsible person (帮扶责任人), or opens a follow-up for a caseworker; every view of the
report is logged; another union's report is a 404 and the auditor only reads."""

import pytest
from crosscheckkit import civil
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from factories import HouseholdFactory

from crosscheck import services
from crosscheck.models import AccessLog, FollowUp

pytestmark = pytest.mark.django_db


@pytest.fixture
def line(reviewer_c1, org, household_g1a):
    listed = civil(reviewer_c1, org.c1, [[household_g1a.id_number, "张建国", "低保", "", ""]])
    return listed.lines.get()


def test_the_responsible_person_cannot_explain_their_own_household(line, reviewer_c1, reviewer2_c1):
    household = line.household
    household.responsible_user = reviewer_c1
    household.save(update_fields=["responsible_user"])
    with pytest.raises(PermissionDenied) as refused:
        services.line_explain(actor=reviewer_c1, line=line, reason="已核实。")
    assert "帮扶责任人" in str(refused.value)
    line.refresh_from_db()
    assert not line.explained
    services.line_explain(actor=reviewer2_c1, line=line, reason="已入户核实，类别待复核调整。")
    line.refresh_from_db()
    assert (line.explained_by, line.explained_reason) == (
        reviewer2_c1,
        "已入户核实，类别待复核调整。",
    )
    assert line.history.first().history_user == reviewer2_c1


def test_an_imported_name_not_yet_matched_still_counts(line, reviewer_c1, reviewer2_c1):
    """Until the name is matched to a user, the person it names is kept out all the same;
    once another user is assigned, the name no longer counts."""
    household = line.household
    household.responsible_person = f" {reviewer_c1.full_name} "
    household.save(update_fields=["responsible_person"])
    with pytest.raises(PermissionDenied):
        services.line_explain(actor=reviewer_c1, line=line, reason="已核实。")
    household.responsible_user = reviewer2_c1
    household.save(update_fields=["responsible_user"])
    services.line_explain(actor=reviewer_c1, line=line, reason="已核实。")
    line.refresh_from_db()
    assert line.explained_by == reviewer_c1


def test_the_refusal_is_a_403_on_the_page(client, line, reviewer_c1):
    line.household.responsible_user = reviewer_c1
    line.household.save(update_fields=["responsible_user"])
    client.force_login(reviewer_c1)
    url = reverse("crosscheck_line_act", args=[line.pk])
    response = client.post(url, {"action": "explain", "reason": "已核实。"})
    assert response.status_code == 403 and "帮扶责任人" in response.content.decode()


def test_an_explanation_needs_a_reason_and_is_given_once(line, reviewer2_c1, chair_g1a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.line_explain(actor=reviewer2_c1, line=line, reason="  ")
    services.line_explain(actor=reviewer2_c1, line=line, reason="已核实。")
    with pytest.raises(ValidationError) as again:
        services.line_explain(actor=chair_g1a, line=line, reason="再次说明。")
    assert "卫复核" in again.value.messages[0]


def test_a_follow_up_goes_to_the_households_caseworker_and_is_listed(
    client, line, reviewer_c1, caseworker_g1a
):
    follow_up = services.line_follow_up(actor=reviewer_c1, line=line)
    assert (follow_up.assigned_to, follow_up.household, follow_up.origin) == (
        caseworker_g1a,
        line.household,
        FollowUp.Origin.MATCH,
    )
    client.force_login(caseworker_g1a)
    page = client.get(reverse("crosscheck_follow_ups")).content.decode()
    assert "民政类别与档案困难类别不符" in page
    response = client.post(
        reverse("crosscheck_follow_up_close", args=[follow_up.pk]), {"outcome": "已入户核实。"}
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.closed_by, follow_up.outcome) == (caseworker_g1a, "已入户核实。")


def test_every_view_of_the_report_is_logged(client, line, reviewer_c1, auditor_fed):
    url = line.outside_list.get_absolute_url()
    for user in (reviewer_c1, auditor_fed, auditor_fed):
        client.force_login(user)
        assert client.get(url).status_code == 200
    views = AccessLog.objects.filter(outside_list=line.outside_list, action="view")
    assert sorted(v.user.username for v in views) == ["auditor_fed", "auditor_fed", "reviewer_c1"]


def test_another_union_sees_nothing_and_the_auditor_changes_nothing(
    client, line, caseworker_g2a, auditor_fed
):
    client.force_login(caseworker_g2a)
    assert client.get(line.outside_list.get_absolute_url()).status_code == 404
    assert not AccessLog.objects.filter(user=caseworker_g2a).exists()
    client.force_login(auditor_fed)
    url = reverse("crosscheck_line_act", args=[line.pk])
    assert client.post(url, {"action": "explain", "reason": "审计说明"}).status_code == 403
    assert client.post(url, {"action": "follow_up"}).status_code == 403
    line.refresh_from_db()
    assert not line.explained and line.follow_up is None


def test_a_long_report_is_paged_and_counted_whole(
    client, monkeypatch, org, household_g1a, reviewer_c1, reviewer2_c1
):
    from crosscheck import views

    monkeypatch.setattr(views, "LINES_PER_PAGE", 1)
    other = HouseholdFactory(in_file=True, union=org.g1a)
    rows = [[h.id_number, h.worker_name, "低保", "", ""] for h in (household_g1a, other)]
    outside_list = civil(reviewer_c1, org.c1, rows)
    total = outside_list.lines.count()
    assert total == 2
    client.force_login(reviewer2_c1)
    first = client.get(outside_list.get_absolute_url())
    assert len(first.context["page"].object_list) == 1
    assert sum(n for _label, n in first.context["counts"]) == total
    # Acting on a line of page 2 comes back to page 2.
    second = client.get(outside_list.get_absolute_url(), {"page": 2})
    shown = second.context["page"].object_list[0]
    response = client.post(
        reverse("crosscheck_line_act", args=[shown.pk]),
        {"action": "explain", "reason": "已核实，情况属实。", "page": "2"},
    )
    assert response.url == f"{outside_list.get_absolute_url()}?page=2#line-{shown.pk}"
