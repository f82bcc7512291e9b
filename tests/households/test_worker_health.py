"""The worker's own health counts like a member's: screening sees a worker's serious illness
and the medical-aid suggestion names him; a farming (务农) spouse's farm income counts."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from factories import HardshipCauseFactory, HouseholdFactory, MemberFactory, make_id_number
from formdata import household_data, member_row

from audit.checks import lapsed_causes
from cases.rules import medical_suggestion
from households.assessment import assess, employed_count, screening_flags
from households.forms import MemberForm
from households.models import Household, Member

pytestmark = pytest.mark.django_db

ON = datetime.date(2025, 6, 1)
WORKER_ID = make_id_number(datetime.date(1986, 3, 14), seq=15, sex="M")
SPOUSE_ID = make_id_number(datetime.date(1988, 7, 2), seq=16, sex="F")


def coal_miner(union, **fields):
    """A coal miner with heart disease, his wife and a child all healthy on the file."""
    fields = {
        "worker_health": Member.Health.SERIOUS,
        "worker_illness": "心脏病",
        "worker_medical_costs": Decimal("500"),
        **fields,
    }
    household = HouseholdFactory(in_file=True, union=union, worker_name="李建国", **fields)
    MemberFactory(household=household, relation=Member.Relation.SPOUSE)
    HardshipCauseFactory(household=household, cause="illness")
    return Household.objects.prefetch_related("members", "causes", "evidence").get(pk=household.pk)


def by_code(flags):
    return {flag.code: flag for flag in flags}


def test_screening_names_the_workers_serious_illness(org, policy):
    flags = by_code(screening_flags(coal_miner(org.g1a), ON))
    assert "serious_illness" in flags
    assert "职工本人李建国" in flags["serious_illness"].message
    assert "心脏病" in flags["serious_illness"].message
    # His illness is the ground for 因病: nothing to query.
    assert "illness_unrecorded" not in flags


def test_screening_queries_an_illness_cause_with_nobody_ill(org, policy):
    household = coal_miner(org.g1a, worker_health="healthy", worker_illness="")
    flags = by_code(screening_flags(household, ON))
    assert "illness_unrecorded" in flags and "serious_illness" not in flags


def test_medical_suggestion_names_the_ill_worker_and_his_monthly_costs(org):
    suggestion = medical_suggestion(Decimal("23500"), household=coal_miner(org.g1a))
    [patient] = suggestion.patients
    assert patient.who == "职工本人李建国"
    assert (patient.health, patient.illness) == ("serious", "心脏病")
    assert patient.monthly_costs == Decimal("500")


def test_disabled_worker_is_the_ground_for_a_disability_cause(org):
    household = HouseholdFactory(
        in_file=True, union=org.g1a, worker_health="disabled", worker_disability_grade=2
    )
    HardshipCauseFactory(household=household, cause="disability")
    assert lapsed_causes(Household.objects.filter(pk=household.pk)) == []


def test_caseworker_can_record_the_workers_heart_disease_on_the_file(client, org, caseworker_g1a):
    client.force_login(caseworker_g1a)
    data = household_data(
        union=org.g1a,
        id_number=WORKER_ID,
        worker_health="serious",
        worker_disability_grade="",
        worker_illness="心脏病",
        worker_medical_costs="500",
    )
    assert client.post(reverse("household_create"), data).status_code == 302
    household = Household.objects.get()
    assert (household.worker_health, household.worker_illness) == ("serious", "心脏病")
    assert household.worker_medical_costs == Decimal("500")
    page = client.get(household.get_absolute_url()).content.decode()
    assert "心脏病" in page and "每月医疗支出 500.00 元" in page


def test_caseworker_must_give_a_disabled_workers_grade(client, org, caseworker_g1a):
    client.force_login(caseworker_g1a)
    data = household_data(union=org.g1a, id_number=WORKER_ID, worker_health="disabled")
    response = client.post(reverse("household_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["worker_disability_grade"]
    assert not Household.objects.exists()


def test_farming_spouse_farm_income_counts_in_household_income(client, org, caseworker_g1a):
    client.force_login(caseworker_g1a)
    spouse = member_row(
        name="王秀兰",
        relation="spouse",
        birth_date="1988-07-02",
        id_number=SPOUSE_ID,
        employment="farming",
        school_stage="none",
        monthly_income="300",
    )
    data = household_data(union=org.g1a, id_number=WORKER_ID, members=[spouse], incomes=[])
    response = client.post(reverse("household_create"), data)
    assert response.status_code == 302, response.context and response.context["members"].errors
    household = Household.objects.prefetch_related("members", "income_items").get()
    assert household.members.get().employment == Member.Employment.FARMING
    assert assess(household, ON).total_income == Decimal("300")
    assert employed_count(household) == 1  # the retired worker is not; the farming spouse is


def test_member_form_offers_farming():
    assert ("farming", "务农") in [
        (v, str(label)) for v, label in MemberForm().fields["employment"].choices
    ]


def test_statistics_count_a_workers_serious_illness(org, auditor_fed):
    from reports.statistics import page_context

    coal_miner(org.g1a)
    indicators = {
        str(label): value for label, value in page_context(auditor_fed, 2026)["indicators"]
    }
    assert indicators["有大病患者的在档户"] == 1
