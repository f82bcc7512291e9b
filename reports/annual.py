"""The annual fund-use report (年度帮扶资金使用情况), computed from the ledger alone.

Scope: the funds owned by a unit and the units below it, and the payments made from them.
Every figure is a sum over ledger rows; payments are negative in the ledger, so amounts
paid are shown as their negation, net of reversals.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from funds.models import AidType, Fund, LedgerEntry
from hardship.models import Unit
from households.models import Cause, HardshipCause

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


@dataclass
class Row:
    label: str
    paid: Decimal = ZERO  # gross payments
    reversed: Decimal = ZERO  # reversals of those payments (positive)
    households: int = 0
    person_times: int = 0

    @property
    def net(self) -> Decimal:
        return self.paid - self.reversed


@dataclass
class AnnualReport:
    year: int
    unit: Unit
    opening: Decimal
    receipts_by_source: list  # [(label, amount)]
    receipts_total: Decimal
    receipt_reversals: Decimal
    by_aid_type: list[Row]
    by_union: list[Row]
    by_cause: list[Row]
    payments_total: Decimal
    payment_reversals: Decimal
    households_helped: int
    person_times: int
    closing: Decimal
    generated_at: datetime.datetime
    last_entry_id: int | None
    last_entry_at: datetime.datetime | None
    funds: list = field(default_factory=list)

    @property
    def net_paid(self) -> Decimal:
        return self.payments_total - self.payment_reversals

    @property
    def available(self) -> Decimal:
        return self.opening + self.receipts_total - self.receipt_reversals

    @property
    def average_per_household(self) -> Decimal:
        if not self.households_helped:
            return ZERO
        return (self.net_paid / self.households_helped).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def utilisation(self) -> Decimal:
        """Net payments as a share of what was available (opening balance plus receipts)."""
        if self.available <= 0:
            return ZERO
        return (self.net_paid / self.available * 100).quantize(CENT, rounding=ROUND_HALF_UP)


def _sum(qs) -> Decimal:
    return qs.aggregate(total=Sum("amount"))["total"] or ZERO


def _live(year: int) -> Q:
    """Payments still standing at the end of `year`: a reversal posted in a later year does
    not change the year the payment was counted in."""
    return Q(reversed_by__isnull=True) | Q(reversed_by__posted_on__year__gt=year)


def _payment_rows(entries, group_field, labels, year) -> list[Row]:
    """Gross payments, their reversals, households and person-times per group."""
    paid = {
        row[group_field]: row
        for row in entries.filter(kind=LedgerEntry.Kind.PAYMENT)
        .values(group_field)
        .annotate(total=Sum("amount"), count=Count("pk"))
    }
    reversed_ = {
        row[group_field]: row["total"]
        for row in entries.filter(
            kind=LedgerEntry.Kind.REVERSAL, reverses__kind=LedgerEntry.Kind.PAYMENT
        )
        .values(group_field)
        .annotate(total=Sum("amount"))
    }
    helped = {
        row[group_field]: row["n"]
        for row in entries.filter(_live(year), kind=LedgerEntry.Kind.PAYMENT)
        .values(group_field)
        .annotate(n=Count("household", distinct=True))
    }
    not_reversed = {
        row[group_field]: row["n"]
        for row in entries.filter(_live(year), kind=LedgerEntry.Kind.PAYMENT)
        .values(group_field)
        .annotate(n=Count("pk"))
    }
    rows = []
    for key in sorted(set(paid) | set(reversed_), key=lambda k: str(labels.get(k, k))):
        rows.append(
            Row(
                label=str(labels.get(key, key if key else _("未登记"))),
                paid=-(paid.get(key, {}).get("total") or ZERO),
                reversed=reversed_.get(key) or ZERO,
                households=helped.get(key, 0),
                person_times=not_reversed.get(key, 0),
            )
        )
    return rows


def annual_report(year: int, unit: Unit) -> AnnualReport:
    funds = Fund.objects.filter(unit__path__startswith=unit.path)
    ledger = LedgerEntry.objects.filter(fund__in=funds)
    start = datetime.date(year, 1, 1)
    entries = ledger.filter(posted_on__year=year)

    opening = _sum(ledger.filter(posted_on__lt=start))
    sources = dict(Fund.Source.choices)
    receipts_by_source = [
        (str(sources[row["fund__source"]]), row["total"])
        for row in entries.filter(kind=LedgerEntry.Kind.RECEIPT)
        .values("fund__source")
        .annotate(total=Sum("amount"))
        .order_by("fund__source")
    ]
    receipt_reversals = -_sum(
        entries.filter(kind=LedgerEntry.Kind.REVERSAL, reverses__kind=LedgerEntry.Kind.RECEIPT)
    )

    primary_cause = Subquery(
        HardshipCause.objects.filter(household=OuterRef("household"))
        .order_by("pk")
        .values("cause")[:1]
    )
    unions = dict(Unit.objects.filter(path__startswith=unit.path).values_list("pk", "name"))
    payments = entries.filter(kind=LedgerEntry.Kind.PAYMENT)
    payment_reversals = _sum(
        entries.filter(kind=LedgerEntry.Kind.REVERSAL, reverses__kind=LedgerEntry.Kind.PAYMENT)
    )
    live = payments.filter(_live(year))
    last = ledger.aggregate(last_id=Max("pk"), last_at=Max("recorded_at"))
    return AnnualReport(
        year=year,
        unit=unit,
        opening=opening,
        receipts_by_source=receipts_by_source,
        receipts_total=sum((amount for _label, amount in receipts_by_source), ZERO),
        receipt_reversals=receipt_reversals,
        by_aid_type=_payment_rows(entries, "aid_type", dict(AidType.choices), year),
        by_union=_payment_rows(entries, "household__union", unions, year),
        by_cause=_payment_rows(
            entries.annotate(primary_cause=primary_cause),
            "primary_cause",
            dict(Cause.choices),
            year,
        ),
        payments_total=-_sum(payments),
        payment_reversals=payment_reversals,
        households_helped=live.values("household").distinct().count(),
        person_times=live.count(),
        closing=opening + _sum(entries),
        generated_at=timezone.localtime(),
        last_entry_id=last["last_id"],
        last_entry_at=last["last_at"],
        funds=list(funds.order_by("name", "year")),
    )


def monthly_payments(year: int, unit: Unit) -> list[tuple[int, Decimal]]:
    """Net payments per month of a year, January to December."""
    entries = LedgerEntry.objects.filter(
        fund__unit__path__startswith=unit.path, posted_on__year=year
    ).filter(
        Q(kind=LedgerEntry.Kind.PAYMENT)
        | Q(kind=LedgerEntry.Kind.REVERSAL, reverses__kind=LedgerEntry.Kind.PAYMENT)
    )
    by_month = {m: ZERO for m in range(1, 13)}
    for row in entries.values("posted_on__month").annotate(total=Sum("amount")):
        by_month[row["posted_on__month"]] = -row["total"]
    return sorted(by_month.items())


def ledger_rows(year: int, unit: Unit):
    """The year's ledger for the Excel sheet, streamed in order."""
    return (
        LedgerEntry.objects.filter(fund__unit__path__startswith=unit.path, posted_on__year=year)
        .select_related("fund", "household__union", "reverses")
        .order_by("posted_on", "pk")
        .iterator(chunk_size=2000)
    )
