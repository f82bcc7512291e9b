"""Updating a household file through its edit page."""

from decimal import Decimal

from django.urls import reverse
from factories import HouseholdFactory, MemberFactory
from formdata import household_edit_data, member_row

from households.models import Household, Member


def edit(client, household, data):
    return client.post(reverse("household_edit", args=[household.pk]), data)


def test_the_edit_form_is_filled_in_from_the_file(client, household_g1a, caseworker_g1a):
    client.force_login(caseworker_g1a)
    response = client.get(reverse("household_edit", args=[household_g1a.pk]))
    form = response.context["form"]
    assert form["id_number"].value() == household_g1a.id_number
    assert form["causes"].value() == ["illness"]
    assert len(response.context["members"].forms) == 2  # the spouse and one empty row


def test_caseworker_can_update_the_file_its_family_and_causes(
    client, household_g1a, caseworker_g1a
):
    client.force_login(caseworker_g1a)
    data = household_edit_data(
        household_g1a,
        address="哈尔滨市道里区",
        causes=["illness", "single_parent"],
        level="extreme",
    )
    data["incomes-0-monthly_amount"] = "650.00"

    response = edit(client, household_g1a, data)

    assert response.status_code == 302
    household_g1a.refresh_from_db()
    assert household_g1a.address == "哈尔滨市道里区"
    assert household_g1a.level == "extreme"
    assert sorted(household_g1a.causes.values_list("cause", flat=True)) == [
        "illness",
        "single_parent",
    ]
    assert household_g1a.income_items.get().monthly_amount == Decimal("650.00")
    # The file keeps its number, status and author.
    assert household_g1a.status == Household.Status.IN_FILE


def test_a_cause_can_be_removed_and_a_member_deleted(client, household_g1a, caseworker_g1a):
    client.force_login(caseworker_g1a)
    data = household_edit_data(household_g1a, causes=["low_income"])
    data["members-0-DELETE"] = "on"

    assert edit(client, household_g1a, data).status_code == 302

    assert list(household_g1a.causes.values_list("cause", flat=True)) == ["low_income"]
    assert not household_g1a.members.exists()


def test_a_member_can_be_added(client, household_g1a, caseworker_g1a):
    client.force_login(caseworker_g1a)
    data = household_edit_data(household_g1a)
    data["members-TOTAL_FORMS"] = "2"
    for key, value in member_row(name="张小宝", id_number="", birth_date="2016-01-01").items():
        data[f"members-1-{key}"] = value

    assert edit(client, household_g1a, data).status_code == 302
    spouse = household_g1a.members.first()
    assert set(household_g1a.members.values_list("name", flat=True)) == {spouse.name, "张小宝"}


def test_a_member_of_another_household_cannot_be_edited_through_this_one(
    client, org, household_g1a, caseworker_g1a
):
    stranger = MemberFactory(household=HouseholdFactory(union=org.g1a), name="外户成员")
    client.force_login(caseworker_g1a)
    data = household_edit_data(household_g1a)
    data["members-0-id"] = str(stranger.pk)
    data["members-0-name"] = "被改名"

    edit(client, household_g1a, data)

    assert Member.objects.get(pk=stranger.pk).name == "外户成员"
    assert Member.objects.get(pk=stranger.pk).household_id != household_g1a.pk


def test_an_in_file_household_cannot_take_the_id_number_of_another_in_file_household(
    client, org, household_g1a, caseworker_g1a
):
    other = HouseholdFactory(in_file=True, union=org.g2a)
    client.force_login(caseworker_g1a)

    response = edit(
        client,
        household_g1a,
        household_edit_data(household_g1a, id_number=other.id_number, gender=other.gender),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["id_number"] == ["该身份证号已是另一户在档困难职工。"]
    household_g1a.refresh_from_db()
    assert household_g1a.id_number != other.id_number


def test_a_draft_may_take_the_id_number_of_an_in_file_household(client, org, caseworker_g1a):
    draft = HouseholdFactory(union=org.g1a)
    other = HouseholdFactory(in_file=True, union=org.g2a)
    client.force_login(caseworker_g1a)

    response = edit(
        client,
        draft,
        household_edit_data(
            draft, id_number=other.id_number, gender=other.gender, causes=["low_income"]
        ),
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.id_number == other.id_number


def test_bad_input_on_edit_changes_nothing(client, household_g1a, caseworker_g1a):
    client.force_login(caseworker_g1a)
    data = household_edit_data(household_g1a, worker_name="改了名", id_number="230103")
    data["members-0-monthly_income"] = "-1"

    response = edit(client, household_g1a, data)

    assert response.status_code == 200
    assert "id_number" in response.context["form"].errors
    household_g1a.refresh_from_db()
    assert household_g1a.worker_name == "张建国"
    assert household_g1a.members.get().monthly_income == 0


def test_chair_cannot_move_a_file_to_a_sibling_union(client, org, household_g1a, chair_g1a):
    client.force_login(chair_g1a)
    response = edit(client, household_g1a, household_edit_data(household_g1a, union=org.g1b))
    assert response.status_code == 200
    assert "union" in response.context["form"].errors
    household_g1a.refresh_from_db()
    assert household_g1a.union == org.g1a


def test_company_reviewer_can_move_a_file_between_unions_below(
    client, org, household_g1a, reviewer_c1
):
    client.force_login(reviewer_c1)
    response = edit(client, household_g1a, household_edit_data(household_g1a, union=org.g1b))
    assert response.status_code == 302
    household_g1a.refresh_from_db()
    assert household_g1a.union == org.g1b
