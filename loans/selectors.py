"""Reads of loans, each starting from the user's scope: a loan is seen by whoever sees its
household's file. The figures (`loan_figures`) serve the portfolio page, the statistics
page and the annual report alike."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext as _

from cases import rules
from hardship import access
from households.access import households_visible_to
from households.involvement import involving
from loans import approval, standing
from loans.models import Loan, LoanDecision, Motion, Repayment

ZERO = Decimal("0.00")
# A loan more than this many days late counts as in default (不良), with what was written off.
DEFAULT_AFTER_DAYS = 90


def loans_visible_to(user):
    return Loan.objects.filter(household__in=households_visible_to(user).values("pk"))


def get_loan_for(user, pk) -> Loan:
    """A loan the user may see, else 404; what they may do with it is asked separately."""
    try:
        return (
            loans_visible_to(user)
            .select_related("household__union", "applied_by", "fund__unit", "disbursement")
            .prefetch_related("installments", "repayments__entry")
            .get(pk=pk)
        )
    except (Loan.DoesNotExist, ValueError):
        raise Http404 from None


def get_repayment_for(user, pk) -> Repayment:
    """A repayment of a loan the user may see; any other is a 404."""
    try:
        return Repayment.objects.select_related("loan__household", "loan__fund", "entry").get(
            pk=pk, loan__in=loans_visible_to(user)
        )
    except Repayment.DoesNotExist:
        raise Http404 from None


def with_schedule(loans):
    return loans.select_related("household__union").prefetch_related("installments", "repayments")


def loans_of_units(unit_paths):
    """Loans of the households in the given subtrees (for reports: no user scope here)."""
    return Loan.objects.filter(access.path_q("household__union__path", unit_paths))


@dataclass
class Band:
    label: str
    loans: int = 0
    outstanding: Decimal = ZERO


@dataclass
class LoanFigures:
    granted: int = 0
    granted_amount: Decimal = ZERO
    repaid_in_period: Decimal = ZERO
    outstanding: Decimal = ZERO
    current: int = 0
    repaid: int = 0
    repaid_on_time: int = 0
    overdue: int = 0
    overdue_amount: Decimal = ZERO
    overdue_outstanding: Decimal = ZERO
    written_off: int = 0
    written_off_amount: Decimal = ZERO
    in_default: Decimal = ZERO
    lent_total: Decimal = ZERO
    bands: list[Band] = field(default_factory=list)

    @property
    def default_rate(self) -> Decimal:
        """Written off plus what loans more than 90 days late still owe, as a share of all
        that was lent (不良率)."""
        if not self.lent_total:
            return ZERO
        rate = (self.in_default + self.written_off_amount) * 100 / self.lent_total
        return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def rows(self) -> list[tuple[str, object, bool]]:
        """The figures as (label, value, is money) lines, for the statistics page and the
        annual report (page, workbook and PDF)."""
        return [
            (_("发放借款笔数"), self.granted, False),
            (_("发放借款金额（元）"), self.granted_amount, True),
            (_("收回还款（元）"), self.repaid_in_period, True),
            (_("未还余额（元）"), self.outstanding, True),
            (_("已还清笔数"), self.repaid, False),
            (_("其中按期还清笔数"), self.repaid_on_time, False),
            (_("逾期笔数"), self.overdue, False),
            (_("逾期金额（元）"), self.overdue_amount, True),
            (_("已核销笔数"), self.written_off, False),
            (_("核销金额（元）"), self.written_off_amount, True),
            (_("不良率（%）"), self.default_rate, False),
        ]


def band_labels() -> dict[str, str]:
    return {
        "1-30": _("1至30天"),
        "31-90": _("31至90天"),
        "91-180": _("91至180天"),
        ">180": _("180天以上"),
    }


def loan_figures(loans, *, on: datetime.date, since: datetime.date | None = None) -> LoanFigures:
    """The loans' figures on day `on`: what was lent (since `since`, when given, else ever),
    repaid in that period, still owed, overdue by age band, written off, the default rate."""
    labels = band_labels()
    figures = LoanFigures(bands=[Band(labels[key]) for key, _f, _l in standing.AGE_BANDS])
    band_at = {
        key: band for (key, _f, _l), band in zip(standing.AGE_BANDS, figures.bands, strict=True)
    }
    lent = with_schedule(loans.filter(lent_on__isnull=False, lent_on__lte=on))
    for loan in lent:
        now = standing.standing(loan, on)
        figures.lent_total += loan.amount
        if since is None or loan.lent_on >= since:
            figures.granted += 1
            figures.granted_amount += loan.amount
        figures.repaid_in_period += sum(
            (
                r.amount
                for r in standing.live_repayments(loan)
                if r.paid_on <= on and (since is None or r.paid_on >= since)
            ),
            ZERO,
        )
        if now.written_off:
            figures.written_off += 1
            figures.written_off_amount += now.written_off
            continue
        if loan.state == Loan.State.REPAID and loan.closed_on <= on:
            figures.repaid += 1
            figures.repaid_on_time += standing.repaid_on_time(loan)
            continue
        figures.current += 1
        figures.outstanding += now.outstanding
        if now.is_overdue:
            figures.overdue += 1
            figures.overdue_amount += now.overdue_amount
            figures.overdue_outstanding += now.outstanding
            band = band_at[now.age_band]
            band.loans += 1
            band.outstanding += now.outstanding
            if now.days_late > DEFAULT_AFTER_DAYS:
                figures.in_default += now.outstanding
    return figures


@dataclass
class OverdueLine:
    loan: Loan
    standing: standing.Standing


def overdue(loans, on: datetime.date) -> list[OverdueLine]:
    """Loans late on `on`, the longest late first (the reminder list)."""
    lines = []
    for loan in with_schedule(loans.filter(state=Loan.State.CURRENT)):
        now = standing.standing(loan, on)
        if now.is_overdue:
            lines.append(OverdueLine(loan, now))
    return sorted(lines, key=lambda line: (-line.standing.days_late, line.loan.number))


def _loans_to_decide(user):
    """Loans waiting at a level where the user may act, less those the chain would refuse
    them (approval.loan_refusal): their own application, their own household, a loan they
    decided at another level."""
    conditions = []
    for level in approval.LOAN_CHAIN:
        paths = [m.unit.path for m in rules.memberships_acting_at(user, level)]
        if paths:
            conditions.append(Q(state=level.state) & access.path_q("household__union__path", paths))
    if not conditions:
        return Loan.objects.none()
    acted_elsewhere = LoanDecision.objects.filter(
        loan=OuterRef("pk"),
        motion__isnull=True,
        actor=user,
        step__in=[level.state for level in approval.LOAN_CHAIN],
    ).exclude(step=OuterRef("state"))
    return (
        Loan.objects.filter(reduce(or_, conditions))
        .exclude(applied_by=user)
        .exclude(involving(user, "household"))
        .exclude(Exists(acted_elsewhere))
    )


def _motions_to_decide(user):
    paths = [
        m.unit.path for lv in approval.MOTION_CHAIN for m in rules.memberships_acting_at(user, lv)
    ]
    if not paths:
        return Motion.objects.none()
    return (
        Motion.objects.filter(
            access.path_q("loan__household__union__path", paths), state=Motion.State.SUBMITTED
        )
        .exclude(requested_by=user)
        .exclude(involving(user, "loan__household"))
    )


def to_decide(user):
    """Loans and motions waiting at a level where the user may act (their inbox for loans)."""
    loans = _loans_to_decide(user).select_related("household").order_by("applied_at", "pk")
    motions = _motions_to_decide(user).select_related("loan__household").order_by("pk")
    return list(loans), list(motions)


def to_decide_count(user) -> int:
    """How many of them there are, for the navigation's count."""
    return _loans_to_decide(user).count() + _motions_to_decide(user).count()


def household_loans(household):
    """The borrower's loans for the household page, newest first, with what each owes."""
    return with_schedule(household.loans.all()).order_by("-applied_at")
