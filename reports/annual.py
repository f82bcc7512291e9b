"""The annual fund-use report (年度帮扶资金使用情况), computed from the ledger alone; the
front door's figures of the year (intake.figures) are appended as their own section.

Scope: the funds owned by a unit and the units below it, and the payments made from them.
Every figure is a sum over ledger rows; payments are negative in the ledger, so amounts
paid are shown as their negation, net of reversals.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from employment.figures import employment_figures, shown
from funds.ledger import live_in
from funds.models import AidType, Fund, LedgerEntry
from hardship.models import Unit
from households.models import Cause, HardshipCause, Household, main_cause_by_default
from intake.figures import FrontDoorFigures, front_door_figures
from loans.selectors import LoanFigures, loan_figures, loans_of_units

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


def _sum(qs) -> Decimal:
    return qs.aggregate(total=Sum("amount"))["total"] or ZERO


@dataclass(slots=True)  # one per household and aid type: a province year holds 180,000
class _Cell:
    """The year's payments to one household of one aid type."""

    household: int
    union: int
    aid_type: str
    paid: Decimal = ZERO
    reversed: Decimal = ZERO
    live: int = 0


def _payment_flows(entries):
    """The year's payments and the reversals of payments (whatever year those were paid in)."""
    return entries.filter(
        Q(kind=LedgerEntry.Kind.PAYMENT)
        | Q(kind=LedgerEntry.Kind.REVERSAL, reverses__kind=LedgerEntry.Kind.PAYMENT)
    )


def _payment_cells(entries, year) -> list[_Cell]:
    """One grouped query (per household and aid type, with the sums and the count as
    conditional aggregates), instead of one query per figure and grouping: at province scale
    the year has hundreds of thousands of rows."""
    is_payment = Q(kind=LedgerEntry.Kind.PAYMENT)
    rows = (
        _payment_flows(entries)
        .values_list("household_id", "household__union_id", "aid_type")
        .annotate(
            paid=Sum("amount", filter=is_payment, default=ZERO),
            reversed=Sum("amount", filter=~is_payment, default=ZERO),
            live=Count("pk", filter=is_payment & live_in(year)),
        )
        .order_by()
    )
    return [
        _Cell(household, union, aid_type, -paid, reversed, live)
        for household, union, aid_type, paid, reversed, live in rows
    ]


@dataclass
class GoodsLine:
    """Goods of one name and unit handed over in the year (payments still standing)."""

    goods: str
    unit: str
    quantity: Decimal | None  # None when the rows record the goods without a quantity
    value: Decimal
    person_times: int


# In-kind (实物) rows, and the reversals of such rows; festival cash is the rest of 慰问.
IN_KIND = Q(kind=LedgerEntry.Kind.PAYMENT, method=LedgerEntry.Method.IN_KIND) | Q(
    kind=LedgerEntry.Kind.REVERSAL, reverses__method=LedgerEntry.Method.IN_KIND
)
FESTIVAL_CASH = (
    Q(kind=LedgerEntry.Kind.PAYMENT, aid_type=AidType.FESTIVAL)
    | Q(kind=LedgerEntry.Kind.REVERSAL, reverses__aid_type=AidType.FESTIVAL)
) & ~IN_KIND


def _condolence_rows(entries, year) -> list[Row]:
    rows = []
    for label, condition in ((_("慰问金"), FESTIVAL_CASH), (_("物资（按价值）"), IN_KIND)):
        cells = _payment_cells(entries.filter(condition), year)
        row = (_rows(cells, lambda cell: "", {"": label}) or [Row(label=str(label))])[0]
        rows.append(row)
    return rows


def _goods_lines(entries, year) -> list[GoodsLine]:
    rows = (
        entries.filter(kind=LedgerEntry.Kind.PAYMENT, method=LedgerEntry.Method.IN_KIND)
        .filter(live_in(year))
        .values_list("goods", "quantity_unit")
        .annotate(quantity=Sum("quantity"), value=Sum("amount"), n=Count("pk"))
        .order_by("goods", "quantity_unit")
    )
    return [GoodsLine(goods, unit, quantity, -value, n) for goods, unit, quantity, value, n in rows]


def _rows(cells, key_of, labels) -> list[Row]:
    """Sum cells into report rows keyed by `key_of(cell)` (a union, an aid type, a cause)."""
    groups: dict = {}
    for cell in cells:
        key = key_of(cell)
        if key not in groups:  # the label is translated once per row of the report, not per cell
            groups[key] = (Row(label=str(labels.get(key, key or _("未登记")))), set())
        row, households = groups[key]
        row.paid += cell.paid
        row.reversed += cell.reversed
        row.person_times += cell.live
        if cell.live:
            households.add(cell.household)
    for row, households in groups.values():
        row.households = len(households)
    return sorted((row for row, _households in groups.values()), key=lambda row: row.label)


def _model_worker_titles(households) -> dict[int, str]:
    """The title of each model worker among `households` (a subquery of ids); "" for a
    model worker whose title is not recorded."""
    return dict(
        Household.objects.filter(pk__in=households, is_model_worker=True).values_list(
            "pk", "model_worker_title"
        )
    )


def _main_causes(households) -> dict[int, str]:
    """Each household's main hardship cause (主要致困原因, chosen on the file); `households`
    is a subquery of ids, so no list of a hundred thousand ids travels to the database. A
    file without one (saved before it could be chosen) takes the default rule."""
    causes = dict(Household.objects.filter(pk__in=households).values_list("pk", "main_cause"))
    unset = [pk for pk, cause in causes.items() if not cause]
    if unset:
        registered: dict[int, list[str]] = {}
        rows = HardshipCause.objects.filter(household__in=unset).values_list(
            "household_id", "cause"
        )
        for household_id, cause in rows:
            registered.setdefault(household_id, []).append(cause)
        for pk in unset:
            causes[pk] = main_cause_by_default(registered.get(pk, []))
    return causes


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

    unions = dict(Unit.objects.filter(path__startswith=unit.path).values_list("pk", "name"))
    cells = _payment_cells(entries, year)
    # Every household in a cell, including one whose only row this year reverses an earlier
    # year's payment: its reversal belongs under its cause too.
    causes = _main_causes(_payment_flows(entries).values("household_id"))
    titles = _model_worker_titles(_payment_flows(entries).values("household_id"))
    # The newest row by id (an index walk from the end): rows are recorded in id order.
    last_id = ledger.order_by("-pk").values_list("pk", flat=True).first()
    return AnnualReport(
        year=year,
        unit=unit,
        opening=opening,
        receipts_by_source=receipts_by_source,
        receipts_total=sum((amount for _label, amount in receipts_by_source), ZERO),
        receipt_reversals=receipt_reversals,
        by_aid_type=_rows(cells, lambda cell: cell.aid_type, dict(AidType.choices)),
        by_union=_rows(cells, lambda cell: cell.union, unions),
        by_cause=_rows(cells, lambda cell: causes.get(cell.household), dict(Cause.choices)),
        model_workers=_rows(
            [cell for cell in cells if cell.household in titles],
            lambda cell: titles[cell.household] or "untitled",
            {**dict(Household.ModelWorkerTitle.choices), "untitled": _("称号未登记")},
        ),
        payments_total=sum((cell.paid for cell in cells), ZERO),
        payment_reversals=sum((cell.reversed for cell in cells), ZERO),
        households_helped=len({cell.household for cell in cells if cell.live}),
        person_times=sum(cell.live for cell in cells),
        closing=opening + _sum(entries),
        generated_at=timezone.localtime(),
        last_entry_id=last_id,
        funds=list(funds.order_by("name", "year")),
        condolence=_condolence_rows(entries, year),
        goods=_goods_lines(entries, year),
        front_door=front_door_figures(unit, year),
        loans_out=-_sum(entries.filter(kind=LedgerEntry.Kind.LOAN_OUT)),
        # Net of repayments reversed as entered wrongly (loans.services.repayment_reverse).
        loan_repayments=_sum(
            entries.filter(
                Q(kind=LedgerEntry.Kind.LOAN_REPAYMENT)
                | Q(kind=LedgerEntry.Kind.REVERSAL, reverses__kind=LedgerEntry.Kind.LOAN_REPAYMENT)
            )
        ),
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
    "household__union__name",
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
        .order_by("posted_on", "pk")
        .values_list(*LEDGER_COLUMNS)
        .iterator(chunk_size=5000)
    )


def fund_utilisation(year: int, unit: Unit) -> Decimal:
    """The report's utilisation rate alone, from one pass over the ledger up to the year's
    end (the statistics page needs no more)."""
    funds = Fund.objects.filter(unit__path__startswith=unit.path)
    receipts = Q(kind=LedgerEntry.Kind.RECEIPT) | Q(reverses__kind=LedgerEntry.Kind.RECEIPT)
    payments = Q(kind=LedgerEntry.Kind.PAYMENT) | Q(reverses__kind=LedgerEntry.Kind.PAYMENT)
    in_year = Q(posted_on__year=year)
    sums = LedgerEntry.objects.filter(fund__in=funds, posted_on__lte=datetime.date(year, 12, 31))
    sums = sums.aggregate(
        opening=Sum("amount", filter=~in_year, default=ZERO),
        receipts=Sum("amount", filter=in_year & receipts, default=ZERO),
        net_paid=Sum("amount", filter=in_year & payments, default=ZERO),
    )
    available = sums["opening"] + sums["receipts"]
    if available <= 0:
        return ZERO
    return (-sums["net_paid"] / available * 100).quantize(CENT, rounding=ROUND_HALF_UP)
