"""The 帮扶责任人 is a user who works for the household's union: who may be one, assigning
and reassigning with the reason in the history, the edit form, matching imported names, and
the page of names not yet matched."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from factories import HouseholdFactory, person
from formdata import household_edit_data

from hardship.models import Role
from households.models import Household
from households.responsible import (
    eligible_users,
    is_eligible,
    match_responsible_names,
    responsible_assign,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseworker_g1b(org):
    return person("caseworker_g1b", "钱干事", (Role.CASEWORKER, org.g1b))


# --------------------------------------------------------------------------- eligibility


def test_the_units_caseworkers_and_cadres_and_those_above_are_eligible(
    org, caseworker_g1a, chair_g1a, reviewer_c1, committee_c1
):
    assert set(eligible_users(org.g1a)) == {caseworker_g1a, chair_g1a, reviewer_c1, committee_c1}


def test_a_sibling_unions_caseworker_is_not_eligible(org, caseworker_g1b, caseworker_g2a):
    assert not is_eligible(caseworker_g1b, org.g1a)
    assert not is_eligible(caseworker_g2a, org.g1a)
    assert is_eligible(caseworker_g1b, org.g1b)


def test_workers_finance_and_auditors_are_not_eligible(org, worker_g1a, finance_c1, auditor_fed):
    for user in (worker_g1a, finance_c1, auditor_fed):
        assert not is_eligible(user, org.g1a)


def test_an_inactive_account_is_not_eligible(org, caseworker_g1a):
    caseworker_g1a.is_active = False
    caseworker_g1a.save(update_fields=["is_active"])
    assert not is_eligible(caseworker_g1a, org.g1a)


# --------------------------------------------------------------------------- the service


def test_assigning_an_eligible_user(household_g1a, caseworker_g1a, chair_g1a):
    responsible_assign(actor=chair_g1a, household=household_g1a, user=caseworker_g1a)
    household_g1a.refresh_from_db()
    assert household_g1a.responsible_user == caseworker_g1a


def test_reassigning_is_in_the_history_with_the_reason(household_g1a, caseworker_g1a, chair_g1a):
    responsible_assign(actor=chair_g1a, household=household_g1a, user=caseworker_g1a)
    responsible_assign(
        actor=chair_g1a, household=household_g1a, user=chair_g1a, reason="王干事调岗"
    )
    latest = household_g1a.history.first()
    assert latest.responsible_user_id == chair_g1a.pk
    assert latest.history_user == chair_g1a
    assert latest.history_change_reason == "王干事调岗"
    assert latest.prev_record.responsible_user_id == caseworker_g1a.pk


def test_a_user_outside_the_unit_is_refused(household_g1a, chair_g1a, caseworker_g2a, worker_g1a):
    for user in (caseworker_g2a, worker_g1a):
        with pytest.raises(ValidationError) as refused:
            responsible_assign(actor=chair_g1a, household=household_g1a, user=user)
        assert "帮扶责任人须是该户所在工会或其上级工会" in str(refused.value)
    household_g1a.refresh_from_db()
    assert household_g1a.responsible_user is None


def test_only_an_editor_of_the_file_may_assign(household_g1a, caseworker_g1a, committee_c1):
    with pytest.raises(PermissionDenied):
        responsible_assign(actor=committee_c1, household=household_g1a, user=caseworker_g1a)


# --------------------------------------------------------------------------- the edit form


def test_the_form_offers_the_eligible_users_and_saves_one(client, household_g1a, caseworker_g1a):
    client.force_login(caseworker_g1a)
    url = reverse("household_edit", args=[household_g1a.pk])
    offered = client.get(url).context["form"].fields["responsible_user"].queryset
    assert caseworker_g1a in offered
    data = household_edit_data(household_g1a, responsible_user=str(caseworker_g1a.pk))
    assert client.post(url, data).status_code == 302
    household_g1a.refresh_from_db()
    assert household_g1a.responsible_user == caseworker_g1a


def test_the_form_refuses_a_user_outside_the_unit(
    client, household_g1a, caseworker_g1a, caseworker_g2a
):
    client.force_login(caseworker_g1a)
    data = household_edit_data(household_g1a, responsible_user=str(caseworker_g2a.pk))
    response = client.post(reverse("household_edit", args=[household_g1a.pk]), data)
    assert response.status_code == 200
    assert "帮扶责任人须是该户所在工会或其上级工会" in str(
        response.context["form"].errors["responsible_user"]
    )
    household_g1a.refresh_from_db()
    assert household_g1a.responsible_user is None


def test_moving_the_file_to_another_union_checks_the_person_again(
    client, org, household_g1a, reviewer_c1, caseworker_g1a
):
    """The reviewer may file in both G1a and G1b; G1a's caseworker is not G1b's."""
    household_g1a.responsible_user = caseworker_g1a
    household_g1a.save(update_fields=["responsible_user"])
    client.force_login(reviewer_c1)
    data = household_edit_data(
        household_g1a, union=org.g1b, responsible_user=str(caseworker_g1a.pk)
    )
    response = client.post(reverse("household_edit", args=[household_g1a.pk]), data)
    assert response.status_code == 200
    household_g1a.refresh_from_db()
    assert household_g1a.union == org.g1a


def test_the_file_shows_the_user_or_the_unmatched_name(client, household_g1a, caseworker_g1a):
    client.force_login(caseworker_g1a)
    url = reverse("household_detail", args=[household_g1a.pk])
    household_g1a.responsible_person = "老刘"
    household_g1a.save(update_fields=["responsible_person"])
    page = client.get(url).content.decode()
    assert "老刘" in page and "未对应到系统用户" in page
    household_g1a.responsible_user = caseworker_g1a
    household_g1a.save(update_fields=["responsible_user"])
    page = client.get(url).content.decode()
    assert "王干事" in page and "未对应到系统用户" not in page


# --------------------------------------------------------------------------- matching names


def test_matching_sets_a_unique_name_and_leaves_others(org, caseworker_g1a, chair_g1a):
    person("chair_g1a_namesake", "李主席", (Role.COMMITTEE, org.c1))  # two 李主席 above G1a
    person("caseworker_g2a_x", "赵干事", (Role.CASEWORKER, org.g2a))  # not G1a's
    unique = HouseholdFactory(in_file=True, union=org.g1a, responsible_person="王 干事")
    ambiguous = HouseholdFactory(in_file=True, union=org.g1a, responsible_person="李主席")
    unknown = HouseholdFactory(in_file=True, union=org.g1a, responsible_person="老刘")
    elsewhere = HouseholdFactory(in_file=True, union=org.g1a, responsible_person="赵干事")
    assert match_responsible_names(Household.objects.all()) == 1
    for household in (unique, ambiguous, unknown, elsewhere):
        household.refresh_from_db()
    assert unique.responsible_user == caseworker_g1a
    assert ambiguous.responsible_user is None and ambiguous.responsible_person == "李主席"
    assert unknown.responsible_user is None
    assert elsewhere.responsible_user is None


def test_matching_leaves_an_assigned_user_alone(org, caseworker_g1a, chair_g1a):
    household = HouseholdFactory(
        in_file=True, union=org.g1a, responsible_person="王干事", responsible_user=chair_g1a
    )
    assert match_responsible_names(Household.objects.all()) == 0
    household.refresh_from_db()
    assert household.responsible_user == chair_g1a


# --------------------------------------------------------------------------- the unmatched page


def test_the_unmatched_page_lists_own_files_with_candidates(
    client, org, caseworker_g1a, chair_g1a, caseworker_g2a
):
    mine = HouseholdFactory(in_file=True, union=org.g1a, responsible_person="老刘")
    theirs = HouseholdFactory(in_file=True, union=org.g2a, responsible_person="老张")
    matched = HouseholdFactory(
        in_file=True, union=org.g1a, responsible_person="王干事", responsible_user=caseworker_g1a
    )
    client.force_login(caseworker_g1a)
    response = client.get(reverse("responsible_unmatched"))
    assert response.status_code == 200
    rows = dict(response.context["rows"])
    assert set(rows) == {mine}
    assert theirs not in rows and matched not in rows
    assert set(rows[mine]) == {caseworker_g1a, chair_g1a}


def test_assigning_from_the_page(client, org, caseworker_g1a, chair_g1a):
    household = HouseholdFactory(in_file=True, union=org.g1a, responsible_person="老刘")
    client.force_login(caseworker_g1a)
    back = reverse("responsible_unmatched")
    response = client.post(
        reverse("responsible_assign", args=[household.pk]),
        {"user": chair_g1a.pk, "reason": "老刘即李主席", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    household.refresh_from_db()
    assert household.responsible_user == chair_g1a
    assert household.history.first().history_change_reason == "老刘即李主席"


def test_assigning_an_outside_user_from_the_page_is_refused(
    client, org, caseworker_g1a, caseworker_g2a
):
    household = HouseholdFactory(in_file=True, union=org.g1a, responsible_person="老刘")
    client.force_login(caseworker_g1a)
    response = client.post(
        reverse("responsible_assign", args=[household.pk]), {"user": caseworker_g2a.pk}, follow=True
    )
    assert "帮扶责任人须是该户所在工会或其上级工会" in response.content.decode()
    household.refresh_from_db()
    assert household.responsible_user is None


def test_another_unions_household_is_a_404(client, org, caseworker_g1a, caseworker_g2a):
    household = HouseholdFactory(in_file=True, union=org.g2a, responsible_person="老张")
    client.force_login(caseworker_g1a)
    response = client.post(
        reverse("responsible_assign", args=[household.pk]), {"user": caseworker_g2a.pk}
    )
    assert response.status_code == 404
    household.refresh_from_db()
    assert household.responsible_user is None


def test_roles_that_do_not_edit_files_may_not_open_the_page(client, committee_c1, finance_c1):
    for user in (committee_c1, finance_c1):
        client.force_login(user)
        assert client.get(reverse("responsible_unmatched")).status_code == 403


def test_the_data_migration_matches_the_names_already_on_file(org, caseworker_g1a, chair_g1a):
    """The migration's rule, run against today's models (its fields are the same)."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("households.migrations.0016_match_responsible_names")
    unique = HouseholdFactory(in_file=True, union=org.g1a, responsible_person="王干事 ")
    unknown = HouseholdFactory(in_file=True, union=org.g1a, responsible_person="老刘")
    migration.match(apps, None)
    unique.refresh_from_db()
    unknown.refresh_from_db()
    assert unique.responsible_user == caseworker_g1a and unknown.responsible_user is None
    latest = unique.history.first()
    assert latest.history_change_reason == "帮扶责任人姓名匹配"
    assert latest.responsible_user_id == caseworker_g1a.pk
    assert latest.worker_name == unique.worker_name


def test_a_chosen_person_whose_account_ended_does_not_block_editing(
    client, household_g1a, caseworker_g1a, chair_g1a
):
    household_g1a.responsible_user = chair_g1a
    household_g1a.save(update_fields=["responsible_user"])
    chair_g1a.is_active = False
    chair_g1a.save(update_fields=["is_active"])
    client.force_login(caseworker_g1a)
    data = household_edit_data(household_g1a, address="哈尔滨市道里区")
    response = client.post(reverse("household_edit", args=[household_g1a.pk]), data)
    assert response.status_code == 302
    household_g1a.refresh_from_db()
    assert household_g1a.address == "哈尔滨市道里区"
    assert household_g1a.responsible_user == chair_g1a
