"""Rules the database itself keeps, whatever path a write takes (forms, services, admin,
scripts)."""

import datetime
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from factories import (
    HouseholdFactory,
    IncomeItemFactory,
    MemberFactory,
    PolicyParameterFactory,
)

from households.models import Household


@contextmanager
def refused_by_database():
    """Expect an IntegrityError, inside a savepoint so the test's transaction stays usable
    (PostgreSQL aborts a transaction after an error)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


def test_one_person_cannot_be_the_worker_of_two_households_in_file(org):
    first = HouseholdFactory(in_file=True, union=org.g1a)
    with refused_by_database():
        HouseholdFactory(in_file=True, union=org.g2a, id_number=first.id_number)
    assert Household.objects.filter(id_number=first.id_number).count() == 1


def test_moving_a_second_file_into_in_file_is_refused_by_the_database(org):
    first = HouseholdFactory(in_file=True, union=org.g1a)
    second = HouseholdFactory(union=org.g1a, id_number=first.id_number)
    second.status = Household.Status.IN_FILE
    second.established_on = datetime.date(2024, 5, 1)
    with refused_by_database():
        second.save()


def test_model_validation_names_the_clash(org):
    first = HouseholdFactory(in_file=True, union=org.g1a)
    second = HouseholdFactory.build(
        in_file=True, union=org.g1a, id_number=first.id_number, file_number="X-1"
    )
    with pytest.raises(ValidationError) as info:
        second.full_clean()
    assert "该身份证号已是另一户在档困难职工。" in info.value.messages


def test_drafts_and_closed_files_may_share_an_id_number(org):
    person = HouseholdFactory(in_file=True, union=org.g1a)
    HouseholdFactory(union=org.g1a, id_number=person.id_number)
    HouseholdFactory(union=org.g2a, id_number=person.id_number)
    HouseholdFactory(exited=True, union=org.g1a, id_number=person.id_number)
    HouseholdFactory(cancelled=True, union=org.g1a, id_number=person.id_number)
    assert Household.objects.filter(id_number=person.id_number).count() == 5


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "in_file", "established_on": None},
        {"status": "exited", "exited_on": None},
        {"status": "cancelled", "cancelled_on": None},
    ],
    ids=["in_file-needs-established_on", "exited-needs-exited_on", "cancelled-needs-date"],
)
def test_a_status_needs_its_date(org, fields):
    with refused_by_database():
        HouseholdFactory(union=org.g1a, **fields)


def test_file_numbers_are_unique(org):
    HouseholdFactory(union=org.g1a, file_number="G1a-2024-0001")
    with refused_by_database():
        HouseholdFactory(union=org.g1a, file_number="G1a-2024-0001")


def test_a_disabled_member_needs_a_grade(org):
    with refused_by_database():
        MemberFactory(household__union=org.g1a, health="disabled", disability_grade=None)


def test_only_a_disabled_member_has_a_grade(org):
    with refused_by_database():
        MemberFactory(household__union=org.g1a, health="chronic", disability_grade=2)


def test_a_disabled_member_with_a_grade_is_kept(org):
    member = MemberFactory(household__union=org.g1a, health="disabled", disability_grade=2)
    assert member.pk is not None


def test_a_negative_income_item_is_refused_by_the_database(org):
    with refused_by_database():
        IncomeItemFactory(household__union=org.g1a, monthly_amount=Decimal("-0.01"))


def test_a_negative_member_income_is_refused_by_the_database(org):
    with refused_by_database():
        MemberFactory(household__union=org.g1a, monthly_income=Decimal("-100"))


def test_negative_savings_are_refused_by_the_database(org):
    with refused_by_database():
        HouseholdFactory(union=org.g1a, savings=Decimal("-1"))


def test_a_policy_cannot_end_before_it_starts(db):
    with refused_by_database():
        PolicyParameterFactory(
            valid_from=datetime.date(2024, 1, 1), valid_to=datetime.date(2023, 12, 31)
        )


def test_factory_made_files_pass_full_validation(household_g1a):
    # The factories are the base of every other test: their data must be valid data.
    household_g1a.full_clean()
    for member in household_g1a.members.all():
        member.full_clean()
