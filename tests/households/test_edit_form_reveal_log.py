"""The edit and review forms show ID, phone and card numbers in full to editors: every showing
of an existing file's form is on the reveal log, like a "显示"."""

from django.urls import reverse
from formdata import household_edit_data

from households.models import RevealLog


def test_opening_the_edit_form_is_logged_like_a_reveal(client, household_g1a, caseworker_g1a):
    client.force_login(caseworker_g1a)

    page = client.get(reverse("household_edit", args=[household_g1a.pk])).content.decode()

    assert household_g1a.id_number in page  # shown in full, so:
    log = RevealLog.objects.get()
    assert (log.user, log.household, log.field) == (
        caseworker_g1a,
        household_g1a,
        RevealLog.Field.EDIT_FORM,
    )


def test_opening_the_review_form_is_logged_like_a_reveal(client, household_g1a, chair_g1a):
    client.force_login(chair_g1a)
    client.get(reverse("review_create", args=[household_g1a.pk]))
    assert RevealLog.objects.filter(
        user=chair_g1a, household=household_g1a, field=RevealLog.Field.EDIT_FORM
    ).exists()


def test_a_form_shown_again_with_errors_is_logged_and_a_save_is_not(
    client, household_g1a, caseworker_g1a
):
    client.force_login(caseworker_g1a)
    url = reverse("household_edit", args=[household_g1a.pk])
    client.post(url, household_edit_data(household_g1a, worker_name=""))
    assert RevealLog.objects.count() == 1
    client.post(url, household_edit_data(household_g1a, address="哈尔滨市道里区"))
    assert RevealLog.objects.count() == 1


def test_the_empty_new_file_form_reveals_nothing(client, org, caseworker_g1a):
    client.force_login(caseworker_g1a)
    assert client.get(reverse("household_create")).status_code == 200
    assert not RevealLog.objects.exists()


def test_a_reader_who_may_not_edit_never_reaches_the_form_or_the_log(
    client, household_g1a, finance_c1
):
    client.force_login(finance_c1)
    assert client.get(reverse("household_edit", args=[household_g1a.pk])).status_code == 403
    assert not RevealLog.objects.exists()
