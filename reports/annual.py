"""The annual fund-use report (年度帮扶资金使用情况), computed from the ledger alone; the
front door's figures of the year (intake.figures) are appended as their own section.

Scope: the funds owned by a unit and the units below it, and the payments made from them.
Every money figure is a sum of ledger rows, read from the year totals kept in step with the
ledger (funds.totals; verify_integrity re-sums them): payments by the union, main cause and
title their household had when paid, a reversal under the payment it reverses. Payments
are negative in the ledger, so amounts paid are shown as their negation, net of reversals.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from employment.figures import employment_figures, shown
from funds.flows import fund_flows
from funds.models import AidType, AidYearTotal, Fund, FundYearTotal, LedgerEntry
from hardship.models import Unit
from households.models import Cause, Household
from intake.figures import FrontDoorFigures, front_door_figures
from loans.selectors import LoanFigures, loan_figures, loans_of_units

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
Facet = AidYearTotal.Facet
Flow = FundYearTotal.Flow


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
    # Of the payments, those to model workers in hardship (困难劳模), by their title.
    model_workers: list[Row]
    payments_total: Decimal
    payment_reversals: Decimal
    households_helped: int
    person_times: int
    closing: Decimal
    generated_at: datetime.datetime
    last_entry_id: int | None
    funds: list = field(default_factory=list)
    # 慰问金 (festival cash) and 物资 (goods, at their value) counted apart, as union
    # reports do; then the goods themselves.
    condolence: list[Row] = field(default_factory=list)
    goods: list = field(default_factory=list)  # [GoodsLine]
    # The help centre's front door in the year: contacts, on-time and satisfaction rates,
    # legal aid (intake.figures, the same figures as its statistics page).
    front_door: FrontDoorFigures | None = None
    # Small loans: lent from and repaid into the unit's loan funds in the year (ledger), and
    # the loans of the unit's households as they stood at the year's end (or today).
    loans_out: Decimal = ZERO
    loan_repayments: Decimal = ZERO
    loans: LoanFigures | None = None
    # Employment help in the unit's households (employment.figures): (label, value, kind).
    employment: list = field(default_factory=list)

    @property
    def employment_shown(self) -> list[tuple[str, str]]:
        return [(label, shown(value, kind)) for label, value, kind in self.employment]

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


@dataclass
class GoodsLine:
    """Goods of one name and unit handed over in the year (payments still standing)."""

    goods: str
    unit: str
    quantity: Decimal | None  # None when the rows record the goods without a quantity
    value: Decimal
    person_times: int


def _row(label, total: AidYearTotal | None) -> Row:
    if total is None:
        return Row(label=str(label))
    return Row(
        label=str(label),
        paid=total.paid,
        reversed=total.reversed,
        households=total.households,
        person_times=total.standing,
    )


def _rows(totals, labels, unknown=None) -> list[Row]:
    """One report row per total, labelled (each label translated once), sorted by label."""
    rows = [_row(labels.get(t.value, t.value or unknown or _("未登记")), t) for t in totals]
    return sorted(rows, key=lambda row: row.label)


def annual_report(year: int, unit: Unit) -> AnnualReport:
    """The report, read from the year totals kept beside the ledger: a few hundred rows
    whatever the size of the ledger."""
    funds = Fund.objects.filter(unit__path__startswith=unit.path)
    flows = fund_flows(year, funds)
    sources = dict(Fund.Source.choices)
    receipts_by_source = [
        (str(sources[source]), amount) for source, amount in flows.receipts_by_source.items()
    ]
    by_facet: dict[str, list[AidYearTotal]] = {}
    by_union = []
    for total in AidYearTotal.objects.filter(scope=unit, year=year):
        if total.union:
            if total.facet == Facet.ALL:
                by_union.append(total)
        else:
            by_facet.setdefault(total.facet, []).append(total)
    everything = next(iter(by_facet.get(Facet.ALL, [])), None)
    all_row = _row("", everything)
    condolence = {total.value: total for total in by_facet.get(Facet.CONDOLENCE, [])}
    unions = dict(Unit.objects.filter(pk__in=[t.union for t in by_union]).values_list("pk", "name"))
    for total in by_union:
        total.value = total.union
    # The newest row by id (an index walk from the end): rows are recorded in id order.
    last_id = (
        LedgerEntry.objects.filter(fund__in=funds).order_by("-pk").values_list("pk", flat=True)
    ).first()
    start = datetime.date(year, 1, 1)
    return AnnualReport(
        year=year,
        unit=unit,
        opening=flows.opening,
        receipts_by_source=receipts_by_source,
        receipts_total=flows.of(Flow.RECEIPT),
        receipt_reversals=-flows.of(Flow.RECEIPT_REVERSAL),
        by_aid_type=_rows(by_facet.get(Facet.AID_TYPE, []), dict(AidType.choices)),
        by_union=_rows(by_union, unions),
        by_cause=_rows(by_facet.get(Facet.CAUSE, []), dict(Cause.choices)),
        model_workers=_rows(
            by_facet.get(Facet.MODEL_WORKER, []),
            {**dict(Household.ModelWorkerTitle.choices), "untitled": _("称号未登记")},
        ),
        payments_total=all_row.paid,
        payment_reversals=all_row.reversed,
        households_helped=all_row.households,
        person_times=all_row.person_times,
        closing=flows.opening + sum(flows.in_year.values(), ZERO),
        generated_at=timezone.localtime(),
        last_entry_id=last_id,
        funds=list(funds.order_by("name", "year")),
        condolence=[
            _row(_("慰问金"), condolence.get("cash")),
            _row(_("物资（按价值）"), condolence.get("goods")),
        ],
        goods=[
            GoodsLine(
                t.value,
                t.quantity_unit,
                t.standing_quantity if t.quantity_unit else None,
                t.standing_value,
                t.standing,
            )
            for t in sorted(by_facet.get(Facet.GOODS, []), key=lambda t: (t.value, t.quantity_unit))
            if t.standing
        ],
        front_door=front_door_figures(unit, year),
        loans_out=-flows.of(Flow.LOAN_OUT),
        # Net of repayments reversed as entered wrongly (loans.services.repayment_reverse).
        loan_repayments=flows.of(Flow.LOAN_REPAYMENT, Flow.REPAYMENT_REVERSAL),
        loans=loan_figures(
            loans_of_units([unit.path]),
            on=min(datetime.date(year, 12, 31), timezone.localdate()),
            since=start,
        ),
        employment=employment_figures(
            Household.objects.filter(union__path__startswith=unit.path), year
        ).rows(),
    )


LEDGER_COLUMNS = (
    "posted_on",
    "voucher",
    "kind",
    "fund__name",
    "aid_type",
    "posted_union",
    "payee_name",
    "bank_account",
    "method",
    "note",
    "reverses__voucher",
    "amount",
)


def ledger_entries(year: int, unit: Unit):
    """The year's ledger rows of the funds of `unit` and the units below it."""
    return LedgerEntry.objects.filter(fund__unit__path__startswith=unit.path, posted_on__year=year)


def ledger_rows(year: int, unit: Unit):
    """The year's ledger for the Excel sheet, streamed in order as tuples of LEDGER_COLUMNS
    (model instances cost more than the sheet itself at 200,000 rows)."""
    return (
        ledger_entries(year, unit)
        # The union the household had when paid, as the sheets by union count it (a
        # reversal under its payment's).
        .annotate(posted_union=Coalesce("union__name", "reverses__union__name"))
        .order_by("posted_on", "pk")
        .values_list(*LEDGER_COLUMNS)
        .iterator(chunk_size=5000)
    )


def fund_utilisation(year: int, unit: Unit) -> Decimal:
    """The report's utilisation rate alone (the statistics page needs no more)."""
    flows = fund_flows(year, Fund.objects.filter(unit__path__startswith=unit.path))
    available = flows.opening + flows.of(Flow.RECEIPT, Flow.RECEIPT_REVERSAL)
    if available <= 0:
        return ZERO
    net_paid = -flows.of(Flow.PAYMENT, Flow.PAYMENT_REVERSAL)
    return (net_paid / available * 100).quantize(CENT, rounding=ROUND_HALF_UP)
