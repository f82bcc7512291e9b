"""The appeal pages as people use them: the worker appeals from their application's page,
the reviewer decides from the appeal's page, the outcome shows on the application and the
household; refusals are 403 with the reason, other unions' appeals 404."""

import datetime

import pytest
from appealkit import lodge
from casekit import act, file
from django.urls import reverse
from django.utils import timezone

from cases.models import Appeal, Application, Decision

pytestmark = pytest.mark.django_db


def page(client, user, url, **kwargs):
    client.force_login(user)
    return client.get(url, **kwargs)


@pytest.fixture
def own_rejected(worker_g1a, worker_household, chair_g1a):
    application = file(worker_g1a, worker_household, "emergency", "3000")
    act(chair_g1a, application, "reject", "家庭人均收入高于困难标准。")
    return application


def test_the_worker_appeals_from_their_application_page(client, worker_g1a, own_rejected):
    detail = page(client, worker_g1a, own_rejected.get_absolute_url()).content.decode()
    create_url = reverse("appeal_create", args=[own_rejected.pk])
    assert create_url in detail
    assert "可在" in detail and "前（含当日）提出申诉" in detail

    response = client.post(create_url, {"reason": "我家收入算错了，配偶已下岗。"})
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == appeal.get_absolute_url()
    shown = client.get(appeal.get_absolute_url()).content.decode()
    assert "我家收入算错了，配偶已下岗。" in shown
    assert "待公司工会复查" in shown
    # On the application's trail too, and no second button.
    detail = client.get(own_rejected.get_absolute_url()).content.decode()
    assert "提出申诉" in detail and create_url not in detail


def test_an_empty_reason_shows_the_form_again(client, caseworker_g1a, rejected_at):
    application = rejected_at()
    client.force_login(caseworker_g1a)
    response = client.post(reverse("appeal_create", args=[application.pk]), {"reason": " "})
    assert response.status_code == 200
    assert "请填写申诉理由。" in response.content.decode()
    assert not Appeal.objects.exists()


def test_out_of_period_the_page_says_why(client, caseworker_g1a, rejected_at):
    application = rejected_at()
    Decision.objects.filter(application=application, action="reject").update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    url = reverse("appeal_create", args=[application.pk])
    shown = page(client, caseworker_g1a, url).content.decode()
    assert "申诉期已过" in shown and 'name="reason"' not in shown
    response = client.post(url, {"reason": "请复查。"})
    assert "申诉期已过" in response.content.decode()
    assert not Appeal.objects.exists()
    detail = client.get(application.get_absolute_url()).content.decode()
    assert "申诉期已过" in detail and url not in detail


def test_a_second_appeal_is_refused_on_the_page(client, caseworker_g1a, rejected_at):
    application = rejected_at()
    lodge(caseworker_g1a, application)
    url = reverse("appeal_create", args=[application.pk])
    client.force_login(caseworker_g1a)
    response = client.post(url, {"reason": "再次申诉。"})
    assert "不能重复申诉" in response.content.decode()
    assert Appeal.objects.count() == 1


def test_the_reviewer_upholds_it_and_the_outcome_shows_everywhere(
    client, caseworker_g1a, reviewer2_c1, rejected_at
):
    application = rejected_at()
    appeal = lodge(caseworker_g1a, application)
    shown = page(client, reviewer2_c1, appeal.get_absolute_url()).content.decode()
    assert "申诉成立，退回重审" in shown and "维持原决定" in shown
    response = client.post(
        reverse("appeal_decide", args=[appeal.pk]),
        {
            "outcome": "uphold",
            "send_back_to": "submitted",
            "comment": "收入认定有误，退回基层工会重新审查。",
            "expected_state": appeal.state,
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED
    detail = client.get(application.get_absolute_url()).content.decode()
    assert "申诉成立" in detail and "收入认定有误，退回基层工会重新审查。" in detail
    household = client.get(application.household.get_absolute_url()).content.decode()
    assert appeal.get_absolute_url() in household and "申诉成立" in household


def test_a_form_error_shows_the_page_again(client, caseworker_g1a, reviewer2_c1, rejected_at):
    appeal = lodge(caseworker_g1a, rejected_at())
    client.force_login(reviewer2_c1)
    response = client.post(
        reverse("appeal_decide", args=[appeal.pk]),
        {
            "outcome": "uphold",
            "send_back_to": "",
            "comment": "属实。",
            "expected_state": appeal.state,
        },
    )
    assert response.status_code == 400
    assert "申诉成立时须选择退回的环节。" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.is_open


def test_someone_who_took_part_is_refused_with_the_reason(
    client, caseworker_g1a, reviewer_c1, rejected_at
):
    appeal = lodge(caseworker_g1a, rejected_at("grassroots_approved"))
    # At the federation: reviewer_c1 rejected it, and is not of the federation anyway.
    shown = page(client, reviewer_c1, appeal.get_absolute_url()).content.decode()
    assert "不是“上级工会复查”的办理人" in shown
    body = {"outcome": "dismiss", "comment": "维持。", "expected_state": appeal.state}
    response = client.post(reverse("appeal_decide", args=[appeal.pk]), body)
    assert response.status_code == 403
    assert "不是“上级工会复查”的办理人" in response.content.decode()


def test_the_taking_part_rule_is_said_on_a_403(
    client, org, caseworker_g1a, rejected_at, committee_fed
):
    from factories import MembershipFactory

    from hardship.models import Role

    appeal = lodge(caseworker_g1a, rejected_at("company_verified"))
    committee_c1 = appeal.application.decisions.get(action="reject").actor
    MembershipFactory(user=committee_c1, unit=org.fed, role=Role.COMMITTEE)
    client.force_login(committee_c1)
    body = {"outcome": "dismiss", "comment": "维持。", "expected_state": appeal.state}
    response = client.post(reverse("appeal_decide", args=[appeal.pk]), body)
    assert response.status_code == 403
    assert "参与过该申请的审批" in response.content.decode()


@pytest.mark.parametrize("who, status", [("auditor_fed", 403), ("caseworker_g2a", 404)])
def test_the_auditor_is_refused_and_another_union_sees_nothing(
    client, request, caseworker_g1a, rejected_at, who, status
):
    application = rejected_at()
    appeal = lodge(caseworker_g1a, application)
    client.force_login(request.getfixturevalue(who))
    body = {"outcome": "dismiss", "comment": "维持。", "expected_state": appeal.state}
    assert client.post(reverse("appeal_decide", args=[appeal.pk]), body).status_code == status
    assert client.get(appeal.get_absolute_url()).status_code == (200 if status == 403 else 404)
    create = reverse("appeal_create", args=[application.pk])
    assert client.post(create, {"reason": "请复查。"}).status_code == status
    assert Appeal.objects.get().is_open


def test_a_decision_already_taken_is_said_not_repeated(
    client, caseworker_g1a, reviewer_c1, reviewer2_c1, rejected_at
):
    appeal = lodge(caseworker_g1a, rejected_at())
    seen = appeal.state
    client.force_login(reviewer2_c1)
    body = {"outcome": "dismiss", "comment": "维持。", "expected_state": seen}
    client.post(reverse("appeal_decide", args=[appeal.pk]), body)
    client.force_login(reviewer_c1)
    response = client.post(reverse("appeal_decide", args=[appeal.pk]), body, follow=True)
    assert "该申诉已由 卫复核 于" in response.content.decode()
    assert appeal.decisions.count() == 2


def test_the_list_and_the_inbox_show_what_waits(client, caseworker_g1a, reviewer2_c1, rejected_at):
    appeal = lodge(caseworker_g1a, rejected_at())
    listed = page(client, reviewer2_c1, reverse("appeal_list")).content.decode()
    assert "待我复查的申诉" in listed and appeal.get_absolute_url() in listed
    inbox = client.get(reverse("inbox"))
    assert inbox.context["nav_inbox_count"] == 1
    assert appeal.get_absolute_url() in inbox.content.decode()
    # The caseworker sees the appeal in the list, not as work of theirs.
    listed = page(client, caseworker_g1a, reverse("appeal_list")).content.decode()
    assert "待我复查的申诉" not in listed and appeal.get_absolute_url() in listed
    filtered = client.get(reverse("appeal_list"), {"state": "upheld"}).content.decode()
    assert appeal.get_absolute_url() not in filtered


def test_an_application_in_the_chain_offers_no_appeal(client, caseworker_g1a, app_at):
    application = app_at("submitted")
    url = reverse("appeal_create", args=[application.pk])
    assert url not in page(client, caseworker_g1a, application.get_absolute_url()).content.decode()
    shown = client.get(url).content.decode()
    assert "只有未通过的申请和已生效的注销可以申诉。" in shown and 'name="reason"' not in shown
