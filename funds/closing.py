"""Year-end closing (年度结账) of a fund.

When a year may be closed: once it has ended (the local date is in a later year). From then
on the year's annual report can only change by postings back-dated into it, which the closing
stops; so "final" means the year has ended and its closing is recorded. Years close in order,
one at a time, from the fund's first year (its own year or its first ledger row, whichever is
earlier): each closing's opening balance is the previous one's closing balance.

A closing locks the fund row, like every posting, so no row can land in the year while it is
being closed; its figures are the ledger's, and it is linked into its own hash chain.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from funds.models import Fund, LedgerEntry, YearClosing
from funds.posting import closed_through
from hardship import access
from hardship import chain as hash_chain
from hardship.models import Role
from hardship.templatetags.money import format_yuan

ZERO = Decimal("0.00")


@dataclass
class YearFigures:
    year: int
    opening: Decimal
    receipts: Decimal
    payments: Decimal  # negative, as in the ledger
    reversals: Decimal
    entries: int
    last_entry_id: int | None

    @property
    def closing(self) -> Decimal:
        return self.opening + self.receipts + self.payments + self.reversals


def year_figures(fund: Fund, year: int) -> YearFigures:
    """The year's movements of one fund from its ledger (one query)."""
    in_year = Q(posted_on__year=year)
    sums = LedgerEntry.objects.filter(fund=fund, posted_on__lte=datetime.date(year, 12, 31))
    sums = sums.aggregate(
        opening=Sum("amount", filter=~in_year, default=ZERO),
        # Loan repayments are money in, loans lent money out (funds.loan_ledger).
        receipts=Sum("amount", filter=in_year & Q(kind__in=LedgerEntry.INFLOW_KINDS), default=ZERO),
        payments=Sum(
            "amount", filter=in_year & Q(kind__in=LedgerEntry.OUTFLOW_KINDS), default=ZERO
        ),
        reversals=Sum("amount", filter=in_year & Q(kind=LedgerEntry.Kind.REVERSAL), default=ZERO),
        entries=Count("pk", filter=in_year),
    )
    last = LedgerEntry.objects.filter(fund=fund).aggregate(last=Max("pk"))["last"]
    return YearFigures(year=year, last_entry_id=last, **sums)


def year_to_close(fund: Fund, today: datetime.date | None = None) -> int | None:
    """The next year the fund can close, or None while that year has not ended."""
    today = today or timezone.localdate()
    closed = closed_through(fund)
    if closed is not None:
        year = closed + 1
    else:
        first = LedgerEntry.objects.filter(fund=fund).aggregate(first=Min("posted_on"))["first"]
        year = min(fund.year, first.year) if first else fund.year
    return year if year < today.year else None


def may_close(user, fund: Fund) -> bool:
    """Finance keeping the fund's books (its unit or above), like every posting."""
    return access.covers(user, {Role.FINANCE}, fund.unit.path)


def year_close(*, actor, fund: Fund, year: int, expected_closing=None) -> YearClosing:
    """Close `year` of `fund`: record the year's figures, chained. `expected_closing` is the
    closing balance the actor confirmed; if the ledger moved since, nothing is recorded."""
    with transaction.atomic():
        fund = Fund.objects.select_for_update().select_related("unit").get(pk=fund.pk)
        if not may_close(actor, fund):
            raise PermissionDenied(_("只有该资金账户所属单位的财务人员可以年度结账。"))
        closed = closed_through(fund)
        if closed is not None and year <= closed:
            raise ValidationError(_("%(y)s 年度已经结账。") % {"y": year})
        if year != year_to_close(fund):
            raise ValidationError(
                _("%(y)s 年度现在不能结账：年度结束后才能结账，且须按年度顺序逐年结账。")
                % {"y": year}
            )
        figures = year_figures(fund, year)
        if expected_closing is not None and Decimal(expected_closing) != figures.closing:
            raise ValidationError(
                _("确认之后台账有变动（年末余额现为 %(c)s 元），请重新核对后再结账。")
                % {"c": format_yuan(figures.closing)}
            )
        closing = YearClosing(
            fund=fund,
            year=year,
            opening=figures.opening,
            receipts=figures.receipts,
            payments=figures.payments,
            reversals=figures.reversals,
            closing=figures.closing,
            entries=figures.entries,
            last_entry_id=figures.last_entry_id,
            closed_by=actor,
        )
        hash_chain.link(YearClosing.CHAIN, closing)
        closing.save()
    return closing
