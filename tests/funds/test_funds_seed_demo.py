"""seed_demo's money: funds of every source with receipts, payments across three years, a
reversal, a posted festival plan, a plan waiting for the committee, and visits; every balance
is the sum of its ledger. seed_demo runs once, for the one test here."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from cases.models import Visit
from funds import closing
from funds import demo as funds_demo
from funds.models import DistributionPlan, Fund, LedgerEntry
from hardship.models import PolicyParameter

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def history_window():
    """No test window here (it overrides the funds tests' one): seed_demo opens its own."""


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True  # a development machine: the command refuses production otherwise
    call_command("seed_demo", stdout=StringIO())


def test_seed_demo_can_post_money_whose_balances_match_the_ledger(seeded):
    funds = list(Fund.objects.all())
    assert {f.source for f in funds} == set(Fund.Source.values)
    for fund in funds:
        total = fund.entries.aggregate(total=Sum("amount"))["total"] or Decimal("0")
        assert fund.balance == total, fund
        assert fund.balance >= 0, fund
        assert fund.entries.filter(kind="receipt").exists(), fund

    payments = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAYMENT)
    assert len({d.year for d in payments.values_list("posted_on", flat=True)}) >= 3
    assert payments.filter(application__isnull=False).exists()  # relief paid
    assert payments.filter(plan_line__isnull=False).exists()  # festival plans paid
    for entry in payments:
        assert entry.payee_name == entry.household.worker_name
        assert entry.payee_id_number == entry.household.id_number

    reversals = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REVERSAL)
    assert reversals.exists()
    for reversal in reversals:
        assert reversal.amount == -reversal.reverses.amount and reversal.note

    posted = DistributionPlan.objects.filter(state=DistributionPlan.State.POSTED)
    assert posted.filter(aid_type="festival").exists()
    for plan in posted:
        assert plan.lines.count() == LedgerEntry.objects.filter(plan_line__plan=plan).count()
    assert DistributionPlan.objects.filter(state=DistributionPlan.State.SUBMITTED).exists()

    # Every ended year is closed, in order, and nothing of those years moved since.
    this_year = timezone.localdate().year
    for fund in funds:
        closed = sorted(fund.closings.values_list("year", flat=True))
        first = min(
            [fund.year, *(d.year for d in fund.entries.values_list("posted_on", flat=True))]
        )
        assert closed == list(range(first, this_year)), fund
        for done in fund.closings.all():
            assert done.closing == closing.year_figures(fund, done.year).closing
    # The history was entered under a temporary window: the demo runs with the default.
    assert not PolicyParameter.objects.filter(key=PolicyParameter.Key.BACKDATE_MONTHS).exists()

    assert Visit.objects.exists()
    assert Visit.objects.filter(kind__in=Visit.MANDATORY).exists()

    # A second run adds no money.
    rows = LedgerEntry.objects.count()
    assert funds_demo.seed_money() == 0
    assert LedgerEntry.objects.count() == rows
