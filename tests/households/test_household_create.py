"""Filing a new household: all or nothing, with a precise message for each mistake."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from factories import HouseholdFactory, make_id_number
from formdata import household_data, income_row, member_row

from hardship.models import Unit
from households.models import HardshipCause, Household, IncomeItem, Member

URL = reverse("household_create")
WORKER_ID = make_id_number(datetime.date(1976, 5, 20), seq=12, sex="M")
CHILD_ID = make_id_number(datetime.date(2008, 9, 1), seq=3, sex="F")


@pytest.fixture
def signed_in(client, caseworker_g1a):
    client.force_login(caseworker_g1a)
    return client


def post(client, org, **kwargs):
    kwargs.setdefault("union", org.g1a)
    kwargs.setdefault("id_number", WORKER_ID)
    return client.post(URL, household_data(**kwargs))


def nothing_saved():
    return (
        Household.objects.count(),
        Member.objects.count(),
        IncomeItem.objects.count(),
        HardshipCause.objects.count(),
    ) == (0, 0, 0, 0)


def errors(response) -> dict:
    """Field errors of the household form and of the member and income rows."""
    found = {k: list(v) for k, v in response.context["form"].errors.items()}
    for prefix in ("members", "incomes"):
        for index, row in enumerate(response.context[prefix].errors):
            for field, messages in row.items():
                found[f"{prefix}-{index}-{field}"] = list(messages)
    return found


def test_the_form_offers_only_unions_the_user_may_file_in(signed_in, org):
    response = signed_in.get(URL)
    assert response.status_code == 200
    assert list(response.context["form"].fields["union"].queryset) == [org.g1a]


def test_company_reviewer_may_file_in_any_grassroots_union_below(client, org, reviewer_c1):
    client.force_login(reviewer_c1)
    response = client.get(URL)
    assert set(response.context["form"].fields["union"].queryset) == {org.g1a, org.g1b}
    assert Unit.objects.get(pk=org.c1.pk) not in response.context["form"].fields["union"].queryset


def test_caseworker_can_file_a_household_with_family_income_and_causes(
    signed_in, org, caseworker_g1a
):
    response = post(
        signed_in,
        org,
        worker_name="张伟",
        causes=["illness", "education"],
        members=[member_row(name="张小红", id_number=CHILD_ID, birth_date="2008-09-01")],
        incomes=[income_row(source="sick_pay", monthly_amount="800.00")],
    )

    household = Household.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("household_detail", args=[household.pk])
    assert household.file_number == f"G1a-{timezone.localdate():%Y}-0001"
    assert household.status == Household.Status.DRAFT
    assert household.created_by == caseworker_g1a
    assert household.union == org.g1a
    assert household.gender == "M"
    assert sorted(household.causes.values_list("cause", flat=True)) == ["education", "illness"]
    assert list(household.members.values_list("name", "id_number")) == [("张小红", CHILD_ID)]
    assert list(household.income_items.values_list("monthly_amount", flat=True)) == [800]


def test_file_numbers_count_up_within_a_union_and_year(signed_in, org):
    post(signed_in, org)
    post(signed_in, org, id_number=make_id_number(seq=40))
    numbers = sorted(Household.objects.values_list("file_number", flat=True))
    year = timezone.localdate().year
    assert numbers == [f"G1a-{year}-0001", f"G1a-{year}-0002"]


def test_id_number_is_normalised(signed_in, org):
    number = "11010519491231002X"
    post(signed_in, org, id_number=f" {number.lower()} ", gender="F")
    assert Household.objects.get().id_number == number


@pytest.mark.parametrize(
    "id_number, message",
    [
        (
            WORKER_ID[:-1] + ("0" if WORKER_ID[-1] != "0" else "1"),
            f"身份证号校验位错误：第18位应为 {WORKER_ID[-1]}，填写的是 ",
        ),
        ("2301031976052", "身份证号应为18位，当前为13位。"),
        ("23010319760520AB12", "身份证号前17位应为数字，最后一位为数字或X。"),
        ("230103199002300017", "身份证号中的出生日期 19900230 不是有效日期。"),
    ],
    ids=["checksum", "length", "letters", "birth-date"],
)
def test_a_bad_worker_id_number_is_refused_precisely_and_nothing_is_saved(
    signed_in, org, id_number, message
):
    response = post(
        signed_in,
        org,
        id_number=id_number,
        gender="M",
        members=[member_row(id_number=CHILD_ID)],
        incomes=[income_row()],
    )

    assert response.status_code == 200
    assert any(m.startswith(message) for m in errors(response)["id_number"])
    assert "请更正下面标出的错误，档案尚未保存。" in response.content.decode()
    assert nothing_saved()


def test_a_gender_not_matching_the_id_number_is_refused(signed_in, org):
    response = post(signed_in, org, gender="F")  # WORKER_ID is a man's
    assert errors(response) == {"gender": ["性别与身份证号不符（身份证号第17位表示男）。"]}
    assert nothing_saved()


def test_a_member_with_a_bad_id_number_is_refused(signed_in, org):
    response = post(signed_in, org, members=[member_row(id_number=CHILD_ID[:-1] + "X")])
    assert errors(response) == {
        "members-0-id_number": [f"身份证号校验位错误：第18位应为 {CHILD_ID[-1]}，填写的是 X。"]
    }
    assert nothing_saved()


def test_a_member_with_a_too_short_id_number_is_refused(signed_in, org):
    response = post(signed_in, org, members=[member_row(id_number="2301032008")])
    assert errors(response) == {"members-0-id_number": ["身份证号应为18位，当前为10位。"]}
    assert nothing_saved()


def test_a_member_birth_date_must_match_the_id_number(signed_in, org):
    response = post(
        signed_in, org, members=[member_row(id_number=CHILD_ID, birth_date="2008-09-02")]
    )
    assert errors(response) == {
        "members-0-birth_date": ["出生日期与身份证号不符（身份证号中为 2008-09-01）。"]
    }
    assert nothing_saved()


def test_a_member_without_an_id_number_is_accepted(signed_in, org):
    response = post(signed_in, org, members=[member_row(id_number="", birth_date="2019-03-01")])
    assert response.status_code == 302
    assert Member.objects.get().id_number == ""


def test_a_disabled_member_needs_a_grade(signed_in, org):
    response = post(signed_in, org, members=[member_row(id_number=CHILD_ID, health="disabled")])
    assert "残疾成员须填写残疾等级。" in errors(response)["members-0-disability_grade"]
    assert nothing_saved()


def test_only_a_disabled_member_has_a_grade(signed_in, org):
    response = post(signed_in, org, members=[member_row(id_number=CHILD_ID, disability_grade="2")])
    assert "只有残疾成员才填写残疾等级。" in errors(response)["members-0-disability_grade"]
    assert nothing_saved()


def test_a_disability_grade_is_one_to_four(signed_in, org):
    response = post(
        signed_in,
        org,
        members=[member_row(id_number=CHILD_ID, health="disabled", disability_grade="5")],
    )
    assert "members-0-disability_grade" in errors(response)
    assert nothing_saved()


def test_the_same_id_number_twice_in_one_family_is_refused(signed_in, org):
    response = post(
        signed_in,
        org,
        members=[
            member_row(name="张小红", id_number=CHILD_ID),
            member_row(name="张小兰", id_number=CHILD_ID),
        ],
    )
    assert errors(response) == {"members-1-id_number": ["同一身份证号在本户中重复出现。"]}
    assert nothing_saved()


def test_a_member_cannot_carry_the_workers_id_number(signed_in, org):
    response = post(
        signed_in,
        org,
        members=[member_row(id_number=WORKER_ID, birth_date="1976-05-20", relation="spouse")],
    )
    assert errors(response) == {"members-0-id_number": ["同一身份证号在本户中重复出现。"]}
    assert nothing_saved()


@pytest.mark.parametrize(
    "kwargs, field",
    [
        (
            {"members": [member_row(id_number=CHILD_ID, monthly_income="-1")]},
            "members-0-monthly_income",
        ),
        ({"incomes": [income_row(monthly_amount="-300")]}, "incomes-0-monthly_amount"),
        ({"savings": "-5"}, "savings"),
        ({"housing_area": "-1"}, "housing_area"),
    ],
    ids=["member-income", "income-item", "savings", "housing-area"],
)
def test_negative_amounts_are_refused(signed_in, org, kwargs, field):
    response = post(signed_in, org, **kwargs)
    assert errors(response).keys() == {field}
    assert nothing_saved()


@pytest.mark.parametrize(
    "missing",
    [
        "worker_name",
        "gender",
        "id_number",
        "employer",
        "employment_status",
        "category",
        "level",
        "housing",
        "causes",
        "union",
    ],
)
def test_a_required_field_left_empty_is_refused(signed_in, org, missing):
    data = household_data(union=org.g1a, id_number=WORKER_ID)
    data[missing] = [] if missing == "causes" else ""
    response = signed_in.post(URL, data)
    assert errors(response) == {missing: ["这个字段是必填项。"]}
    assert nothing_saved()


def test_a_member_row_missing_its_name_and_relation_is_refused(signed_in, org):
    response = post(signed_in, org, members=[member_row(id_number=CHILD_ID, name="", relation="")])
    assert set(errors(response)) == {"members-0-name", "members-0-relation"}
    assert nothing_saved()


def test_a_union_outside_the_scope_is_refused(signed_in, org):
    response = post(signed_in, org, union=org.g2a)
    assert list(errors(response)) == ["union"]
    assert nothing_saved()


def test_a_draft_may_repeat_the_id_number_of_a_file_in_another_union(signed_in, org):
    HouseholdFactory(in_file=True, union=org.g2a, id_number=WORKER_ID)
    response = post(signed_in, org)
    assert response.status_code == 302
    assert Household.objects.filter(id_number=WORKER_ID).count() == 2


def test_a_post_without_the_formset_management_fields_is_refused_not_a_crash(signed_in, org):
    data = {
        k: v
        for k, v in household_data(union=org.g1a, id_number=WORKER_ID).items()
        if not k.startswith(("members-", "incomes-"))
    }
    response = signed_in.post(URL, data)
    assert response.status_code == 200
    assert response.context["members"].non_form_errors()
    assert nothing_saved()


def test_the_form_refuses_a_phone_the_roster_import_refuses(signed_in, org):
    response = post(signed_in, org, phone="call 138")
    assert response.status_code == 200
    assert "联系电话只能包含数字和“-”，最长20位。" in errors(response)["phone"]
    assert nothing_saved()


def test_the_form_stores_a_bank_account_as_the_import_does(signed_in, org):
    post(signed_in, org, bank_account="6222-0212 3456 7890")
    assert Household.objects.get().bank_account == "6222021234567890"
