"""The household page: identity shown only to those whose work needs it, the assessment,
the screening flags and the history of changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories import HardshipCauseFactory, HouseholdFactory, IncomeItemFactory, MemberFactory
from formdata import household_edit_data

from hardship.idnumber import mask_id_number, mask_phone
from households.models import RevealLog


def detail(client, household):
    response = client.get(reverse("household_detail", args=[household.pk]))
    assert response.status_code == 200
    return response


@pytest.fixture
def ill_member(household_g1a):
    return MemberFactory(
        household=household_g1a,
        name="张母",
        relation="parent",
        health="disabled",
        disability_grade=2,
        employment="none",
    )


@pytest.mark.parametrize(
    "role",
    ["caseworker_g1a", "chair_g1a", "reviewer_c1", "auditor_fed", "committee_c1", "finance_c1"],
)
def test_every_role_sees_identity_and_health_masked_by_default(
    client, request, household_g1a, ill_member, role
):
    client.force_login(request.getfixturevalue(role))

    html = detail(client, household_g1a).content.decode()

    assert household_g1a.id_number not in html
    assert household_g1a.phone not in html
    assert ill_member.id_number not in html
    assert "残疾（2级）" not in html
    assert mask_id_number(household_g1a.id_number) in html
    assert mask_phone(household_g1a.phone) in html


def reveal(client, household, field):
    return client.post(reverse("household_reveal", args=[household.pk, field]))


@pytest.mark.parametrize("role", ["caseworker_g1a", "chair_g1a", "reviewer_c1"])
def test_editors_can_show_the_full_id_and_each_show_is_logged(client, request, household_g1a, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert (
        reverse("household_reveal", args=[household_g1a.pk, "id_number"])
        in detail(client, household_g1a).content.decode()
    )

    response = reveal(client, household_g1a, "id_number")

    assert response.status_code == 200
    assert household_g1a.id_number in response.content.decode()
    log = RevealLog.objects.get()
    assert (log.user, log.household, log.field) == (user, household_g1a, "id_number")


@pytest.mark.parametrize("role", ["auditor_fed", "committee_c1", "finance_c1"])
def test_readers_cannot_show_the_full_id(client, request, household_g1a, role):
    client.force_login(request.getfixturevalue(role))
    assert "household_reveal" not in detail(client, household_g1a).content.decode()
    assert reveal(client, household_g1a, "id_number").status_code == 403
    assert not RevealLog.objects.exists()


def test_the_committee_can_show_members_health_and_it_is_logged(
    client, household_g1a, ill_member, committee_c1
):
    client.force_login(committee_c1)
    html = reveal(client, household_g1a, "members").content.decode()
    assert "残疾（2级）" in html
    assert ill_member.id_number in html
    assert RevealLog.objects.filter(user=committee_c1, field="members").count() == 1


@pytest.mark.parametrize("role", ["auditor_fed", "finance_c1"])
def test_finance_and_audit_cannot_show_health_details(
    client, request, household_g1a, ill_member, role
):
    client.force_login(request.getfixturevalue(role))
    assert "（已隐藏）" in detail(client, household_g1a).content.decode()
    assert reveal(client, household_g1a, "members").status_code == 403


def test_another_unions_user_gets_404_from_reveal(client, household_g1a, caseworker_g2a):
    client.force_login(caseworker_g2a)
    assert reveal(client, household_g1a, "id_number").status_code == 404


def test_an_unknown_field_cannot_be_revealed(client, household_g1a, caseworker_g1a):
    client.force_login(caseworker_g1a)
    assert reveal(client, household_g1a, "notes").status_code == 404


def test_reveal_answers_post_only(client, household_g1a, caseworker_g1a):
    client.force_login(caseworker_g1a)
    response = client.get(reverse("household_reveal", args=[household_g1a.pk, "id_number"]))
    assert response.status_code == 405


def test_worker_sees_their_own_file_in_full_but_not_the_unions_notes(
    client, org, worker_g1a, worker_household
):
    HouseholdFactory(union=org.g1a, id_number=worker_household.id_number)  # a duplicate
    client.force_login(worker_g1a)

    response = detail(client, worker_household)

    html = response.content.decode()
    assert reverse("household_reveal", args=[worker_household.pk, "id_number"]) in html
    assert (
        worker_household.id_number in reveal(client, worker_household, "id_number").content.decode()
    )
    assert "编辑档案" not in html
    assert response.context["flags"] == []
    assert response.context["history"] is None
    assert "本户职工或成员的身份证号已出现在其他档案中。" not in html


def test_the_page_shows_the_assessment_against_the_thresholds(
    client, policy, household_g1a, caseworker_g1a
):
    # household_g1a: a 600 yuan pension shared by the worker and a spouse without income.
    client.force_login(caseworker_g1a)
    response = detail(client, household_g1a)
    assert response.context["assessment"].per_capita == 300
    assert (
        "家庭人均月收入 300.00 元，不低于困难标准 280.00 元，不符合收入条件。"
        in response.content.decode()
    )


def test_the_page_shows_screening_flags(client, org, household_g1a, caseworker_g1a):
    client.force_login(caseworker_g1a)

    html = detail(client, household_g1a).content.decode()

    assert "致困原因“因病”没有上传证明材料。" in html


def test_a_duplicate_file_is_named_in_scope_and_only_counted_outside_it(
    client, org, household_g1a, caseworker_g1a
):
    same_union = HouseholdFactory(union=org.g1a, id_number=household_g1a.id_number)
    elsewhere = HouseholdFactory(union=org.g2a, id_number=household_g1a.id_number)
    client.force_login(caseworker_g1a)

    html = detail(client, household_g1a).content.decode()

    assert "本户职工或成员的身份证号已出现在其他档案中。" in html
    assert same_union.file_number in html
    assert elsewhere.file_number not in html
    assert "化工车间工会" not in html
    assert "另有 1 份档案在您的工作范围以外。" in html


def test_editors_get_edit_links_and_readers_do_not(
    client, household_g1a, caseworker_g1a, auditor_fed
):
    edit_url = reverse("household_edit", args=[household_g1a.pk])
    client.force_login(caseworker_g1a)
    assert edit_url in detail(client, household_g1a).content.decode()
    client.force_login(auditor_fed)
    assert edit_url not in detail(client, household_g1a).content.decode()


def history_rows(response):
    return [(c.who, c.field, c.old, c.new) for c in response.context["history"]]


def test_history_names_who_changed_which_field_from_what_to_what(
    client, household_g1a, caseworker_g1a, auditor_fed
):
    client.force_login(caseworker_g1a)
    response = client.post(
        reverse("household_edit", args=[household_g1a.pk]),
        household_edit_data(household_g1a, address="哈尔滨市香坊区公滨路8号", vehicles="1"),
    )
    assert response.status_code == 302

    client.force_login(auditor_fed)
    page = detail(client, household_g1a)

    rows = history_rows(page)
    assert ("王干事", "家庭住址", "哈尔滨市南岗区学府路1号", "哈尔滨市香坊区公滨路8号") in rows
    assert ("王干事", "机动车（辆）", "0", "1") in rows
    html = page.content.decode()
    assert "哈尔滨市香坊区公滨路8号" in html and "王干事" in html


def test_history_shows_choices_and_unions_by_name(client, org, household_g1a, reviewer_c1):
    client.force_login(reviewer_c1)
    client.post(
        reverse("household_edit", args=[household_g1a.pk]),
        household_edit_data(household_g1a, union=org.g1b, category="dibao"),
    )
    rows = history_rows(detail(client, household_g1a))
    assert ("孙复核", "困难类别", "低保边缘户", "低保户") in rows
    assert ("孙复核", "基层工会", "机修车间工会", "炼油车间工会") in rows


def test_history_hides_sensitive_values_from_readers(
    client, household_g1a, caseworker_g1a, auditor_fed
):
    client.force_login(caseworker_g1a)
    client.post(
        reverse("household_edit", args=[household_g1a.pk]),
        household_edit_data(household_g1a, phone="13712345678"),
    )

    assert ("王干事", "联系电话", household_g1a.phone, "13712345678") in history_rows(
        detail(client, household_g1a)
    )

    client.force_login(auditor_fed)
    html = detail(client, household_g1a).content.decode()
    assert "13712345678" not in html
    assert household_g1a.phone not in html


def test_history_lists_member_changes(client, household_g1a, caseworker_g1a):
    spouse = household_g1a.members.get()
    client.force_login(caseworker_g1a)
    data = household_edit_data(household_g1a)
    data["members-0-monthly_income"] = "1500.00"
    client.post(reverse("household_edit", args=[household_g1a.pk]), data)

    response = detail(client, household_g1a)

    change = next(c for c in response.context["history"] if c.field == "月收入（元）")
    assert (change.who, change.record, change.old, change.new) == (
        "王干事",
        f"家庭成员 · {spouse.name}",
        "0.00",
        "1,500.00",
    )


def test_the_page_costs_the_same_number_of_queries_however_large_the_household(
    client, household_g1a, caseworker_g1a, session_clock_still
):
    """Members, incomes and causes are fetched in one query each, not one per row."""

    def queries():
        with CaptureQueriesContext(connection) as captured:
            detail(client, household_g1a)
        return len(captured)

    def grow(n, causes):
        for _i in range(n):
            MemberFactory(household=household_g1a)
            IncomeItemFactory(household=household_g1a)
        for cause in causes:
            HardshipCauseFactory(household=household_g1a, cause=cause)

    client.force_login(caseworker_g1a)
    household_g1a.causes.all().delete()
    grow(1, ["illness"])
    small = queries()
    grow(3, ["education", "disaster"])
    assert queries() == small
