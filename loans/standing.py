"""Where a loan stands on a day, computed from its schedule and its repayments (never stored):
what was due, what was repaid, what is still owed, what is overdue and since when.

Repayments settle the installments in order (the oldest first). An installment is overdue
from the day after its due date while part of it is unpaid; a loan's days late count from
the oldest such due date. A loan written off owes nothing from the day it was written off.
"""

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")
CENT = Decimal("0.01")

# Overdue loans by how long they are late (逾期账龄), in days: (label key, first, last).
AGE_BANDS = (
    ("1-30", 1, 30),
    ("31-90", 31, 90),
    ("91-180", 91, 180),
    (">180", 181, None),
)


def schedule_amounts(amount: Decimal, term_months: int, monthly: bool, annual_rate: Decimal):
    """What each installment is: the principal plus simple interest over the term
    (annual_rate per cent a year; 0 = interest-free), in equal monthly parts (the last
    takes the rounding) or all at the end of the term."""
    interest = (amount * annual_rate / 100 * term_months / 12).quantize(CENT, ROUND_HALF_UP)
    total = amount + interest
    if not monthly:
        return [total]
    part = (total / term_months).quantize(CENT, ROUND_HALF_UP)
    return [part] * (term_months - 1) + [total - part * (term_months - 1)]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class Line:
    installment: object
    paid: Decimal
    remaining: Decimal
    overdue: bool


@dataclass
class Standing:
    due_total: Decimal = ZERO
    repaid: Decimal = ZERO
    outstanding: Decimal = ZERO
    overdue_amount: Decimal = ZERO
    days_late: int = 0
    written_off: Decimal = ZERO
    lines: list[Line] = field(default_factory=list)

    @property
    def is_overdue(self) -> bool:
        return self.days_late > 0

    @property
    def age_band(self) -> str | None:
        for key, first, last in AGE_BANDS:
            if self.days_late >= first and (last is None or self.days_late <= last):
                return key
        return None


def live_repayments(loan) -> list:
    """The loan's repayments that count: not reversed as entered wrongly (read through the
    prefetch cache when the caller prefetched them)."""
    return [r for r in loan.repayments.all() if r.reversal_id is None]


def standing(loan, on: datetime.date) -> Standing:
    """The loan on day `on` (its installments and repayments are read through the
    prefetch cache when the caller prefetched them)."""
    installments = sorted(loan.installments.all(), key=lambda i: i.number)
    repaid = sum((r.amount for r in live_repayments(loan) if r.paid_on <= on), ZERO)
    result = Standing(repaid=repaid)
    if loan.lent_on is None or loan.lent_on > on:
        return result
    result.due_total = sum((i.amount for i in installments), ZERO)
    if loan.state == loan.State.WRITTEN_OFF and loan.closed_on and loan.closed_on <= on:
        result.written_off = loan.written_off
        return result
    pool = repaid
    oldest_overdue = None
    for installment in installments:
        paid = min(installment.amount, pool)
        pool -= paid
        remaining = installment.amount - paid
        overdue = remaining > 0 and installment.due_on < on
        if overdue:
            result.overdue_amount += remaining
            oldest_overdue = oldest_overdue or installment.due_on
        result.lines.append(Line(installment, paid, remaining, overdue))
    result.outstanding = result.due_total - repaid
    if oldest_overdue:
        result.days_late = (on - oldest_overdue).days
    return result


def repaid_on_time(loan) -> bool:
    """Repaid in full with every installment covered by its due date (after deferrals)."""
    if loan.state != loan.State.REPAID:
        return False
    repayments = sorted(live_repayments(loan), key=lambda r: (r.paid_on, r.pk))
    due = ZERO
    for installment in sorted(loan.installments.all(), key=lambda i: i.number):
        due += installment.amount
        paid = sum((r.amount for r in repayments if r.paid_on <= installment.due_on), ZERO)
        if paid < due:
            return False
    return True
