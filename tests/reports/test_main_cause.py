"""The main hardship cause (主要致困原因): chosen on the file, used by the annual report,
the statistics and the roster, and set for existing files by a data migration that says so
on each file's history."""

import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.urls import reverse
from factories import HardshipCauseFactory, HouseholdFactory, make_id_number
from formdata import household_data
from openpyxl import load_workbook
from reportkit import YEAR, make_fund, pay, receive

from funds.models import AidType, Fund
from households.models import Household
from reports.annual import annual_report
from reports.roster import roster_xlsx
from reports.statistics import page_context

pytestmark = pytest.mark.django_db

WORKER_ID = make_id_number(datetime.date(1986, 3, 14), seq=15, sex="M")


def heart_surgery_household(union, **fields):
    """A coal miner's file: his children's schooling ticked first, then his heart disease
    (the alphabetical order of the codes puts 因学 'education' before 因病 'illness')."""
    household = HouseholdFactory(in_file=True, union=union, worker_name="李建国", **fields)
    HardshipCauseFactory(household=household, cause="education")
    HardshipCauseFactory(household=household, cause="illness")
    return household


def test_annual_report_counts_relief_under_the_main_cause_chosen_on_the_file(
    org, finance_c1, history_window
):
    household = heart_surgery_household(org.g1a, main_cause="illness")
    fund = make_fund(org.c1, "集团公司帮扶资金", Fund.Source.GROUP)
    receive(finance_c1, fund, "50000", datetime.date(YEAR, 1, 10))
    pay(finance_c1, fund, [(household, "20000")], AidType.EMERGENCY, datetime.date(YEAR, 3, 1))

    by_cause = {row.label: row.net for row in annual_report(YEAR, org.c1).by_cause}

    assert by_cause == {"因病": 20000}


def test_caseworker_gets_the_first_ticked_cause_in_the_forms_order_as_main_cause(
    client, org, caseworker_g1a
):
    client.force_login(caseworker_g1a)
    data = household_data(union=org.g1a, id_number=WORKER_ID, causes=["education", "illness"])
    response = client.post(reverse("household_create"), data)
    assert response.status_code == 302
    household = Household.objects.get()
    assert household.main_cause == "illness"
    # The causes are stored in the form's order too: illness first.
    assert [c.cause for c in household.causes.all()] == ["illness", "education"]


def test_caseworker_can_choose_education_as_the_main_cause(client, org, caseworker_g1a):
    client.force_login(caseworker_g1a)
    data = household_data(
        union=org.g1a,
        id_number=WORKER_ID,
        causes=["education", "illness"],
        main_cause="education",
    )
    assert client.post(reverse("household_create"), data).status_code == 302
    assert Household.objects.get().main_cause == "education"


def test_caseworker_cannot_choose_a_main_cause_that_is_not_ticked(client, org, caseworker_g1a):
    client.force_login(caseworker_g1a)
    data = household_data(
        union=org.g1a, id_number=WORKER_ID, causes=["illness"], main_cause="disaster"
    )
    response = client.post(reverse("household_create"), data)
    assert response.status_code == 200
    assert "主要致困原因须是所选致困原因之一" in str(response.context["form"].errors["main_cause"])
    assert not Household.objects.exists()


def test_migration_sets_the_main_cause_as_a_caseworker_would_and_says_so(org):
    household = heart_surgery_household(org.g1a)
    HardshipCauseFactory(household=household, cause="accident")
    assert household.main_cause == ""
    migration = importlib.import_module("households.migrations.0006_set_main_cause")

    migration.set_main_cause(apps, None)

    household.refresh_from_db()
    assert household.main_cause == "illness"
    record = household.history.order_by("-history_id").first()
    assert record.main_cause == "illness"
    assert "主要致困原因" in record.history_change_reason


def test_statistics_count_households_by_their_main_cause(org, auditor_fed):
    heart_surgery_household(org.g1a, main_cause="illness")
    charts = dict(page_context(auditor_fed, YEAR)["charts"])
    chart = str(charts["在档户按主要致困原因"])
    assert "因病" in chart


def test_roster_names_the_main_cause(org):
    household = heart_surgery_household(org.g1a, main_cause="illness")
    buffer = io.BytesIO()
    roster_xlsx(
        Household.objects.filter(pk=household.pk), buffer, identity_for=lambda h: False, year=YEAR
    )
    ws = load_workbook(io.BytesIO(buffer.getvalue())).active
    headers = [c.value for c in ws[1]]
    row = dict(zip(headers, [c.value for c in ws[2]], strict=True))
    assert row["主要致困原因"] == "因病"
    assert row["致困原因"] == "因学、因病"  # the factory's rows, in the order they were saved
