"""ID numbers are one value: stored upper-case, compared normalised (recusal, the inbox,
the registry's own checks), and rows written before the fix are normalised by migration."""

from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from factories import HouseholdFactory, make_id_number

from cases.models import Application
from hardship.models import User
from households.models import Household, Member

act = import_module("casekit").act


def _id_ending_in_x() -> str:
    seq = next(s for s in range(1, 500) if make_id_number(seq=s).endswith("X"))
    return make_id_number(seq=seq)


ID_X = _id_ending_in_x()


@pytest.fixture
def household_x(org):
    """A household of G1a whose worker's ID number ends in X."""
    return HouseholdFactory(in_file=True, union=org.g1a, id_number=ID_X, worker_name="马丽")


def _store_raw(table, pk, value):
    """Write a value as a row written before the fix would hold it (bypassing the field)."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET id_number = %s WHERE id = %s", [value, pk])


def test_lowercase_x_user_is_recused_from_own_household(app_at, chair2_g1a, household_x):
    chair2_g1a.id_number = ID_X.lower()
    chair2_g1a.save()
    assert User.objects.get(pk=chair2_g1a.pk).id_number == ID_X
    application = app_at(Application.State.SUBMITTED, household=household_x)

    with pytest.raises(PermissionDenied) as error:
        act(chair2_g1a, application)

    assert "应当回避" in str(error.value)
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED


def test_user_row_with_a_lowercase_x_from_before_the_fix_is_still_recused(
    client, app_at, chair2_g1a, household_x
):
    _store_raw("hardship_user", chair2_g1a.pk, ID_X.lower())
    chair2_g1a = User.objects.get(pk=chair2_g1a.pk)
    application = app_at(Application.State.SUBMITTED, household=household_x)

    with pytest.raises(PermissionDenied):
        act(chair2_g1a, application)
    # Nor does the application wait in that user's inbox.
    client.force_login(chair2_g1a)
    assert application.number not in client.get(reverse("inbox")).content.decode()


def test_member_with_a_lowercase_x_is_recognised_as_the_users_family(
    app_at, chair2_g1a, household_g1a
):
    member = household_g1a.members.get()
    Member.objects.filter(pk=member.pk).update(id_number=ID_X)
    _store_raw("households_member", member.pk, ID_X.lower())
    chair2_g1a.id_number = ID_X
    chair2_g1a.save()
    application = app_at(Application.State.SUBMITTED)

    with pytest.raises(PermissionDenied):
        act(chair2_g1a, application)


def test_one_file_per_worker_holds_across_the_case_of_x(household_x, org):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdFactory(in_file=True, union=org.g1b, id_number=ID_X.lower())


def test_migration_normalises_stored_id_numbers_of_users_households_and_members(
    household_x, household_g1a, chair2_g1a
):
    member = household_g1a.members.get()
    number = member.id_number
    _store_raw("households_household", household_x.pk, ID_X.lower())
    # A full-width first digit, as an input method may have typed it.
    _store_raw("households_member", member.pk, chr(ord(number[0]) + 0xFEE0) + number[1:])
    _store_raw("hardship_user", chair2_g1a.pk, ID_X.lower())

    import_module("hardship.migrations.0007_normalise_user_id_numbers").normalise_users(apps, None)
    import_module("households.migrations.0008_normalise_stored_id_numbers").normalise(apps, None)

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM households_household WHERE id = %s", [household_x.pk])
        assert cursor.fetchone()[0] == ID_X
        cursor.execute("SELECT id_number FROM households_member WHERE id = %s", [member.pk])
        assert cursor.fetchone()[0] == number
        cursor.execute("SELECT id_number FROM hardship_user WHERE id = %s", [chair2_g1a.pk])
        assert cursor.fetchone()[0] == ID_X


def test_migration_stops_naming_two_files_in_file_for_one_worker(household_x, org):
    other = HouseholdFactory(in_file=False, union=org.g1b)
    Household.objects.filter(pk=other.pk).update(status="in_file", established_on="2024-01-01")
    _store_raw("households_household", other.pk, ID_X.lower())

    with pytest.raises(RuntimeError) as error:
        import_module("households.migrations.0008_normalise_stored_id_numbers").normalise(
            apps, None
        )

    assert household_x.file_number in str(error.value)
    assert other.file_number in str(error.value)
