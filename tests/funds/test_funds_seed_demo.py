"""seed_demo's money: funds of every source with receipts, payments across three years, a
reversal, a posted festival plan, a plan waiting for the committee, and visits; every balance
is the sum of its ledger. seed_demo runs once, for the one test here."""

from decimal import Decimal
from io import StringIO

import pytest
from demokit import load_demo
from django.db.models import Sum
from django.utils import timezone

from casework.models import Visit
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
    load_demo(stdout=StringIO())


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


def test_seed_demo_stories_agree_with_themselves(seeded):
    from households.models import Household

    # No payment after a reversal whose reason is the worker's death, and the file is ended.
    deaths = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REVERSAL, note__contains="去世")
    assert deaths.exists()
    for reversal in deaths.select_related("household", "reverses"):
        household = reversal.household
        assert household.status != Household.Status.IN_FILE, household
        later = LedgerEntry.objects.filter(
            household=household,
            kind=LedgerEntry.Kind.PAYMENT,
            posted_on__gt=reversal.reverses.posted_on,
        )
        assert not later.exists(), list(later)
        assert not household.plan_lines.filter(plan__pay_on__gt=reversal.posted_on).exists()
    # Every payment was made while its household was in file.
    for entry in LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAYMENT).select_related(
        "household"
    ):
        h = entry.household
        ended = h.exited_on or h.cancelled_on
        assert h.established_on and h.established_on <= entry.posted_on, entry
        assert ended is None or entry.posted_on < ended, entry
    # Goods given on visits from a fund are in its books, with quantity and unit.
    goods = Visit.objects.filter(ledger_entry__isnull=False)
    assert goods.exists()
    for visit in goods.select_related("ledger_entry"):
        entry = visit.ledger_entry
        assert (entry.method, entry.quantity, entry.quantity_unit) == (
            LedgerEntry.Method.IN_KIND,
            visit.goods_quantity,
            visit.goods_unit,
        )
        assert -entry.amount == visit.goods_value
    # The coal miner's heart disease is on the worker's own health fields.
    miner = Household.objects.get(worker_account__username="my01_worker")
    assert miner.worker_health == "serious" and "心脏病" in miner.worker_illness
    assert "心脏病" not in miner.notes
    assert miner.main_cause == "illness"
    # Every file's main cause is one of its causes.
    for household in Household.objects.prefetch_related("causes"):
        assert household.main_cause in {c.cause for c in household.causes.all()}, household
