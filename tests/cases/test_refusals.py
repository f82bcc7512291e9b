"""Refusals that say why: the 403 page gives the service's reason, a refusal is shown
once, and a form names the limit a value breaks in the project's own words (the browser
never cuts text off silently)."""

import pytest
from casekit import file
from django.urls import reverse
from formdata import household_data

from cases.models import Application

pytestmark = pytest.mark.django_db

State = Application.State


def test_the_403_page_shows_the_reason_the_service_gave(client, filer_chair_g1a, household_g1a):
    """The chair who filed the application may not approve it: the page says so."""
    application = file(filer_chair_g1a, household_g1a)
    client.force_login(filer_chair_g1a)
    response = client.post(
        reverse("application_act", args=[application.pk]),
        {"action": "approve", "comment": "", "expected_state": State.SUBMITTED},
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "申请人（经办人）不能审批自己提交的申请。" in page
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_the_403_page_without_a_reason_keeps_the_general_wording(client, caseworker_g1a):
    client.force_login(caseworker_g1a)
    response = client.get(reverse("auditor_page"))
    assert response.status_code == 403
    assert "您的角色不能进行此操作" in response.content.decode()


def test_a_refused_approval_is_shown_once(client, app_at, reviewer_c1):
    """Approving before the investigation is recorded: the blocker is said in one box, not
    in a yellow warning and again in a red error."""
    application = app_at(State.GRASSROOTS_APPROVED)
    client.force_login(reviewer_c1)
    response = client.post(
        reverse("application_act", args=[application.pk]),
        {"action": "approve", "comment": "", "expected_state": State.GRASSROOTS_APPROVED},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("复核前须先登记入户调查或走访调查情况。") == 1
    application.refresh_from_db()
    assert application.state == State.GRASSROOTS_APPROVED


def test_a_name_longer_than_its_field_is_refused_with_the_limit(client, org, caseworker_g1a):
    client.force_login(caseworker_g1a)
    too_long = "张" * 51
    response = client.post(
        reverse("household_create"),
        household_data(union=org.g1a, id_number="230103197001011234", worker_name=too_long),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "不能超过 50 个字符（现在是 51 个）。" in page
    assert "该变量" not in page and "确保" not in page


def test_forms_do_not_let_the_browser_cut_text_off(client, org, caseworker_g1a):
    client.force_login(caseworker_g1a)
    page = client.get(reverse("household_create")).content.decode()
    assert 'name="worker_name"' in page
    assert "maxlength" not in page


def test_stock_range_messages_are_in_the_projects_words():
    from django import forms

    class Amount(forms.Form):
        amount = forms.DecimalField(max_digits=6, decimal_places=2, min_value=1, max_value=100)
        reason = forms.CharField(min_length=5)

    errors = Amount({"amount": "0.5", "reason": "短"}).errors
    assert errors["amount"] == ["不能小于 1。"]
    assert errors["reason"] == ["至少要有 5 个字符（现在是 1 个）。"]
    assert Amount({"amount": "101", "reason": "足够长的理由"}).errors["amount"] == [
        "不能大于 100。"
    ]
    assert Amount({"amount": "1.234", "reason": "足够长的理由"}).errors["amount"] == [
        "最多 2 位小数。"
    ]


def test_a_read_only_role_opening_an_edit_page_is_told_who_may_edit(
    client, committee_c1, household_g1a
):
    client.force_login(committee_c1)
    response = client.get(reverse("household_edit", args=[household_g1a.pk]))
    assert response.status_code == 403
    assert "只有帮扶专干、基层工会主席和公司工会复核可以修改档案" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "url", "method", "reason"),
    [
        (
            "committee_c1",
            "household_create",
            "get",
            "只有帮扶专干、基层工会主席和公司工会复核可以新建档案",
        ),
        (
            "caseworker_g1a",
            "card_confirm",
            "post",
            "只有该户所属基层工会主席或公司工会复核人员可以确认",
        ),
        ("auditor_fed", "evidence_upload", "post", "的档案上传证明材料"),
        ("finance_c1", "evidence_download", "get", "证明材料含健康等敏感信息"),
        ("auditor_fed", "household_reveal", "post", "您的角色不能查看该项完整信息"),
    ],
)
def test_the_403_page_names_the_reason_for_files_and_evidence(
    client, request, household_g1a, evidence_g1a, who, url, method, reason
):
    args = {
        "household_create": [],
        "evidence_download": [evidence_g1a.pk],
        "household_reveal": [household_g1a.pk, "id_number"],
    }.get(url, [household_g1a.pk])
    client.force_login(request.getfixturevalue(who))
    response = getattr(client, method)(reverse(url, args=args))
    assert response.status_code == 403
    assert reason in response.content.decode()
