"""A changed bank card waits for a second person (双人确认) before money goes to it."""

import datetime

import pytest
from casekit import act
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from factories import HardshipCauseFactory, HouseholdFactory, MembershipFactory, UserFactory
from formdata import household_edit_data

from hardship.models import Role
from households import cards
from households.models import CardChange, Household
from households.selectors import household_history

OLD = "6222021234567890123"
NEW = "6217000099998888777"


@pytest.fixture
def household(household_g1a):
    Household.objects.filter(pk=household_g1a.pk).update(bank_account=OLD)
    household_g1a.refresh_from_db()
    return household_g1a


def change_card(client, user, household, account=NEW):
    client.force_login(user)
    response = client.post(
        reverse("household_edit", args=[household.pk]),
        household_edit_data(household, bank_account=account),
    )
    assert response.status_code == 302, response.context["form"].errors
    household.refresh_from_db()
    return household


def confirm(client, user, household):
    client.force_login(user)
    return client.post(reverse("card_confirm", args=[household.pk]))


def test_changing_the_card_of_a_file_in_file_leaves_it_pending(client, household, caseworker_g1a):
    change_card(client, caseworker_g1a, household)

    assert household.bank_account == NEW
    assert household.card_pending
    change = household.card_changes.get()
    assert (change.old_account, change.new_account) == (OLD, NEW)
    assert change.changed_by == caseworker_g1a
    assert change.pending


def test_saving_the_file_without_touching_the_card_leaves_it_confirmed(
    client, household, caseworker_g1a
):
    change_card(client, caseworker_g1a, household, account=OLD)
    assert not household.card_pending
    assert not household.card_changes.exists()


def test_card_entered_on_a_draft_needs_no_separate_confirmation(client, org, caseworker_g1a):
    draft = HouseholdFactory(union=org.g1a, bank_account=OLD)
    HardshipCauseFactory(household=draft, cause="illness")
    assert draft.status == Household.Status.DRAFT
    change_card(client, caseworker_g1a, draft)
    assert draft.bank_account == NEW
    assert not draft.card_pending


def test_card_changed_on_a_draft_after_its_filing_was_approved_is_pending(
    client, org, caseworker_g1a, app_at
):
    draft = HouseholdFactory(union=org.g1a, bank_account=OLD)
    HardshipCauseFactory(household=draft, cause="illness")
    app_at("grassroots_approved", household=draft, kind="establish", amount=None)

    change_card(client, caseworker_g1a, draft)

    assert draft.card_pending
    assert draft.card_changes.get().new_account == NEW
    # The chain keeps the file's "filing approval begun" mark: it is no one's edit.
    assert draft.filing_approval_begun
    assert "建档审批已开始" not in {c.field for c in household_history(draft)}


def test_card_changed_on_a_draft_whose_filing_went_back_to_the_filer_needs_no_confirmation(
    client, org, caseworker_g1a, reviewer_c1, app_at
):
    draft = HouseholdFactory(union=org.g1a, bank_account=OLD)
    HardshipCauseFactory(household=draft, cause="illness")
    application = app_at("grassroots_approved", household=draft, kind="establish", amount=None)
    draft.refresh_from_db()
    assert draft.filing_approval_begun
    act(reviewer_c1, application, "return", comment="请补充材料。")
    draft.refresh_from_db()
    assert not draft.filing_approval_begun

    change_card(client, caseworker_g1a, draft)

    assert not draft.card_pending
    assert not draft.card_changes.exists()


@pytest.mark.parametrize("confirmer", ["chair_g1a", "reviewer_c1"])
def test_grassroots_chair_or_company_reviewer_confirms_a_change(
    request, client, household, caseworker_g1a, confirmer
):
    change_card(client, caseworker_g1a, household)
    person = request.getfixturevalue(confirmer)

    response = confirm(client, person, household)

    assert response.status_code == 302
    household.refresh_from_db()
    assert not household.card_pending
    change = household.card_changes.get()
    assert change.confirmed_by == person
    assert change.confirmed_at is not None
    # The confirmation is on the file's history with the confirmer.
    assert household.history.first().history_user == person


def test_card_changer_cannot_confirm_own_change(client, household, chair_g1a):
    change_card(client, chair_g1a, household)

    with pytest.raises(PermissionDenied) as error:
        cards.card_confirm(actor=chair_g1a, household=household)
    assert "双人确认" in str(error.value)
    assert confirm(client, chair_g1a, household).status_code == 403

    household.refresh_from_db()
    assert household.card_pending
    # The detail page offers no button to the changer and says why.
    page = client.get(household.get_absolute_url()).content.decode()
    assert reverse("card_confirm", args=[household.pk]) not in page
    assert "银行卡由您变更" in page


def test_anyone_who_changed_it_while_pending_stands_aside(
    client, household, chair_g1a, caseworker_g1a, reviewer_c1
):
    change_card(client, chair_g1a, household)
    change_card(client, caseworker_g1a, household, account="6217000011112222333")
    assert household.card_changes.filter(confirmed_at__isnull=True).count() == 2

    with pytest.raises(PermissionDenied):
        cards.card_confirm(actor=chair_g1a, household=household)
    cards.card_confirm(actor=reviewer_c1, household=household)
    assert not household.card_changes.filter(confirmed_at__isnull=True).exists()


@pytest.mark.parametrize("who", ["caseworker_g1a", "finance_c1", "committee_c1", "auditor_fed"])
def test_others_cannot_confirm_a_card_change(request, client, household, chair_g1a, who):
    change_card(client, chair_g1a, household)

    assert confirm(client, request.getfixturevalue(who), household).status_code == 403

    household.refresh_from_db()
    assert household.card_pending


def test_chair_of_another_union_gets_404(client, household, caseworker_g1a, org):
    change_card(client, caseworker_g1a, household)
    outsider_chair = UserFactory(username="chair_g2a")
    MembershipFactory(user=outsider_chair, unit=org.g2a, role=Role.GRASSROOTS_CHAIR)

    assert confirm(client, outsider_chair, household).status_code == 404


def test_chair_who_is_a_member_of_the_household_cannot_confirm(
    client, household, caseworker_g1a, org
):
    change_card(client, caseworker_g1a, household)
    relative = UserFactory(
        username="chair_relative", id_number=household.members.get().id_number.lower()
    )
    MembershipFactory(user=relative, unit=org.g1a, role=Role.GRASSROOTS_CHAIR)

    with pytest.raises(PermissionDenied) as error:
        cards.card_confirm(actor=relative, household=household)
    assert "回避" in str(error.value)


def test_database_refuses_a_confirmation_by_the_changer(household, caseworker_g1a):
    change = CardChange.objects.create(
        household=household,
        old_account=OLD,
        new_account=NEW,
        changed_by=caseworker_g1a,
        changed_at=timezone.now(),
    )
    change.confirmed_by = caseworker_g1a
    change.confirmed_at = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        change.save()


def test_confirming_with_nothing_pending_changes_nothing(client, household, chair_g1a):
    response = confirm(client, chair_g1a, household)
    assert response.status_code == 302
    assert not CardChange.objects.exists()


def test_detail_page_shows_the_pending_change_and_the_confirm_button(
    client, household, caseworker_g1a, reviewer_c1
):
    change_card(client, caseworker_g1a, household)
    client.force_login(reviewer_c1)
    page = client.get(household.get_absolute_url()).content.decode()
    assert "银行卡变更待确认" in page
    assert reverse("card_confirm", args=[household.pk]) in page
    assert "****" + NEW[-4:] in page
    assert NEW not in page


def test_card_change_is_flagged_for_ninety_days(household, caseworker_g1a):
    now = timezone.now()
    household.card_changed_at = now - datetime.timedelta(days=89)
    assert household.card_recently_changed
    household.card_changed_at = now - datetime.timedelta(days=91)
    assert not household.card_recently_changed


def test_card_number_in_another_scripts_digits_is_refused(client, household, caseworker_g1a):
    client.force_login(caseworker_g1a)
    response = client.post(
        reverse("household_edit", args=[household.pk]),
        household_edit_data(household, bank_account="٦٢١٧٠٠٠٠٩٩٩٩٨٨٨٨٧٧٧"),
    )
    assert response.status_code == 200
    assert "12至19位数字" in response.content.decode()
    household.refresh_from_db()
    assert household.bank_account == OLD and not household.card_pending


def test_permission_is_checked_before_anything_else_in_the_service(household, caseworker_g1a):
    # Nothing is pending, yet a caseworker is told "not allowed", not "nothing to confirm".
    with pytest.raises(PermissionDenied):
        cards.card_confirm(actor=caseworker_g1a, household=household)
