"""Demo small loans: a revolving loan fund of the petrochemical company with its receipt, and
loans in every state (waiting at each level, approved, current, repaid, overdue by weeks and
by months, written off, with a deferral waiting for the committee). Driven through the real
services and the approval engine; dates are relative to today, so an overdue loan stays
overdue whenever the demo is loaded. Called by `seed_demo`."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from cases import engine
from funds import closing, ledger
from funds.models import AidType, Fund, LedgerEntry
from hardship.history import acted_by
from hardship.models import PolicyParameter, Unit, User
from households.models import Household
from loans import approval, services
from loans.models import Loan, Motion
from loans.standing import add_months

# (months ago lent, amount, term months, schedule, installments repaid on time, then)
# `then`: "" (current), "overdue" (nothing more paid), "write_off".
LENT = [
    (3, "6000", 12, Loan.Schedule.MONTHLY, 3, ""),
    (13, "3600", 12, Loan.Schedule.MONTHLY, 12, ""),
    (7, "5000", 10, Loan.Schedule.MONTHLY, 2, "overdue"),
    (14, "8000", 6, Loan.Schedule.AT_TERM, 0, "overdue"),
    (20, "4000", 12, Loan.Schedule.MONTHLY, 3, "write_off"),
    (2, "10000", 24, Loan.Schedule.MONTHLY, 1, ""),
]
# Applications still in the chain: the state each stops at.
WAITING = [Loan.State.SUBMITTED, Loan.State.COMPANY_VERIFIED, Loan.State.APPROVED]
PURPOSES = [
    "开办早餐店",
    "购置家电维修工具",
    "承包蔬菜大棚",
    "开办家政服务点",
    "网店创业",
    "购买三轮车跑运输",
]
GUARANTOR_IDS = ["110101199003074514", "110101198507126213", "110101197809230011"]


def seed_loans() -> int:
    """Returns the number of loans added (0 when the demo loans are already there)."""
    if Loan.objects.exists():
        return 0
    users = {u.username: u for u in User.objects.all()}
    company = Unit.objects.get(code="SH")
    today = timezone.localdate()
    households = _borrowers(company, add_months(today, -21), len(LENT) + len(WAITING))
    if len(households) < len(LENT) + len(WAITING):
        return 0
    window = PolicyParameter.objects.create(
        key=PolicyParameter.Key.BACKDATE_MONTHS,
        value=Decimal("36"),
        unit=company,
        valid_from=datetime.date(2020, 1, 1),
        note="演示数据：录入往期借款期间临时放宽",
    )
    fund = _loan_fund(users["sh_finance"], company, add_months(today, -22))
    for number, spec in enumerate(LENT):
        _lend(users, fund, households[number], number, today, *spec)
    for offset, stop in enumerate(WAITING):
        number = len(LENT) + offset
        loan = _apply(users, households[number], number, Decimal("5000"), 12)
        _approve_until(users, loan, stop)
    window.delete()
    finance = users["sh_finance"]
    while (year := closing.year_to_close(fund)) is not None:
        closing.year_close(actor=finance, fund=fund, year=year)
    return Loan.objects.count()


def _borrowers(company, established_by, count):
    """Files in file long enough, taken from each grassroots union in turn."""
    candidates = (
        Household.objects.filter(
            union__path__startswith=company.path,
            status=Household.Status.IN_FILE,
            established_on__lte=established_by,
            worker_account__isnull=True,
            card_pending=False,
        )
        .select_related("union")
        .order_by("union__code", "file_number")
    )
    by_union: dict = {}
    for household in candidates:
        by_union.setdefault(household.union.code, []).append(household)
    turns = [h for row in itertools.zip_longest(*by_union.values()) for h in row if h]
    return turns[:count]


def _loan_fund(finance, company, received_on) -> Fund:
    fund = Fund(
        name="就业创业循环借款资金",
        source=Fund.Source.GROUP,
        year=received_on.year,
        unit=company,
        aid_types=[AidType.LOAN],
    )
    acted_by(finance, fund)
    fund.save()
    ledger.receipt_record(
        actor=finance,
        fund=fund,
        amount=Decimal("200000"),
        voucher="SH-LOAN-001",
        posted_on=received_on,
        note="集团公司拨付就业创业循环借款资金",
    )
    return fund


def _staff(users, household):
    code = household.union.code.lower()
    return users[f"{code}_caseworker"], users[f"{code}_chair"]


def _apply(users, household, number, amount, term, schedule=Loan.Schedule.MONTHLY) -> Loan:
    caseworker, _chair = _staff(users, household)
    return services.loan_apply(
        actor=caseworker,
        household=household,
        purpose=PURPOSES[number % len(PURPOSES)],
        amount=amount,
        term_months=term,
        schedule=schedule,
        guarantor_name="王担保" if number % 2 else "刘担保",
        guarantor_id_number=GUARANTOR_IDS[number % len(GUARANTOR_IDS)],
        guarantor_phone="13800138000",
        guarantor_relation="同事" if number % 2 else "亲属",
    )


def _approve_until(users, loan, stop) -> Loan:
    _caseworker, chair = _staff(users, loan.household)
    deciders = [chair, users["sh_reviewer"], users["sh_committee"]]
    for level, actor in zip(approval.LOAN_CHAIN, deciders, strict=True):
        if loan.state == stop:
            break
        loan = engine.decide(
            chain=approval.LOAN_APPROVAL,
            obj=loan,
            actor=actor,
            action="approve",
            expected_state=level.state,
        )
    return loan


def _lend(users, fund, household, number, today, months_ago, amount, term, schedule, paid, then):
    finance = users["sh_finance"]
    loan = _apply(users, household, number, Decimal(amount), term, schedule)
    loan = _approve_until(users, loan, Loan.State.CURRENT)
    lent_on = add_months(today, -months_ago)
    method = LedgerEntry.Method.BANK if household.bank_account else LedgerEntry.Method.CASH
    loan = services.loan_disburse(
        actor=finance,
        loan=loan,
        fund=fund,
        method=method,
        voucher=f"SH-JC-{number + 1:03d}",
        lent_on=lent_on,
    )
    for installment in loan.installments.order_by("number")[:paid]:
        services.repayment_record(
            actor=finance,
            loan=loan,
            amount=installment.amount,
            method=LedgerEntry.Method.CASH,
            voucher=f"SH-HK-{number + 1:03d}-{installment.number:02d}",
            paid_on=installment.due_on,
        )
    if then == "write_off":
        motion = services.motion_propose(
            actor=finance,
            loan=loan,
            kind=Motion.Kind.WRITE_OFF,
            reason="借款人重病丧失劳动能力，担保人无力代偿",
        )
        engine.decide(
            chain=approval.MOTION_APPROVAL,
            obj=motion,
            actor=users["sh_committee"],
            action="approve",
            expected_state=Motion.State.SUBMITTED,
        )
    elif then == "overdue" and schedule == Loan.Schedule.MONTHLY:
        caseworker, _chair = _staff(users, household)
        services.motion_propose(
            actor=caseworker,
            loan=loan,
            kind=Motion.Kind.DEFERRAL,
            months=6,
            reason="店面拆迁暂停营业，申请展期半年",
        )


def seed(run) -> None:
    """The loans' demo step (hardship.demo.DemoRun)."""
    loans = seed_loans()
    if loans:
        run.report.append(
            f"{loans} small loans added in every state (current, repaid, overdue, written off)."
        )
