"""The benchmark data set is data the system itself would accept: a small run of the
generator must give balanced funds, an intact hash chain and a report that reconciles."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from audit.services import verify_integrity
from funds.models import Fund, LedgerEntry
from hardship.models import Unit
from households.models import Household
from reports.annual import annual_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    call_command("generate_bench_data", households=60, years=2, seed=3, stdout=io.StringIO())


def test_the_generator_fills_the_registry_and_the_ledger(generated):
    assert Household.objects.count() == 60
    payments = LedgerEntry.objects.filter(kind="payment")
    assert payments.count() == 600
    assert len(set(payments.values_list("aid_type", flat=True))) >= 4
    assert not payments.filter(posted_on__gt=datetime.date.today()).exists()


def test_every_reversal_follows_its_payment_and_every_fund_balances(generated):
    reversals = LedgerEntry.objects.filter(kind="reversal").select_related("reverses")
    assert reversals.exists()
    for reversal in reversals:
        assert reversal.amount == -reversal.reverses.amount
        assert reversal.reverses.posted_on <= reversal.posted_on <= datetime.date.today()
    for fund in Fund.objects.all():
        assert fund.balance == fund.entries.aggregate(total=Sum("amount"))["total"] >= 0


def test_the_generated_ledger_passes_the_integrity_check(generated):
    run = verify_integrity()
    assert run.ok, run.report


def test_the_province_report_of_last_year_adds_up_from_the_rows(generated):
    year = datetime.date.today().year - 1
    report = annual_report(year, Unit.objects.get(parent__isnull=True))
    rows = LedgerEntry.objects.filter(posted_on__year=year)
    payments = rows.filter(kind="payment")
    standing = payments.exclude(reversed_by__posted_on__year=year)
    assert report.net_paid == -rows.exclude(kind="receipt").aggregate(t=Sum("amount"))["t"]
    assert report.person_times == standing.count() < payments.count()
    assert report.households_helped == standing.values("household").distinct().count()
    assert report.closing == report.opening + rows.aggregate(t=Sum("amount"))["t"]


def test_the_generator_refuses_a_database_that_has_households(generated):
    with pytest.raises(CommandError, match="already has households"):
        call_command("generate_bench_data", households=1, years=1)
