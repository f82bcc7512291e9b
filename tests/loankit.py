"""Helpers for the loan tests: a loan fund, a loan applied for, decided, lent and repaid,
all through the real services and the approval engine as the people named would."""

import datetime
import itertools
import threading
from decimal import Decimal

from django.utils import timezone
from fundkit import make_fund, receive

from cases import engine
from funds.models import AidType, LedgerEntry
from loans import approval, services
from loans.models import Loan, Motion
from loans.standing import add_months

GUARANTOR_ID = "110101199003074514"
_numbers = itertools.count(1)


def today() -> datetime.date:
    return timezone.localdate()


def months_ago(months: int) -> datetime.date:
    return add_months(today(), -months)


def loan_fund(finance, unit, amount="50000", *, name="就业创业循环借款资金"):
    fund = make_fund(unit, name=name, year=months_ago(12).year, aid_types=[AidType.LOAN])
    receive(finance, fund, amount, on=months_ago(12), note="借款资金拨付")
    fund.refresh_from_db()
    return fund


def apply(actor, household, amount="6000", term=6, schedule=Loan.Schedule.MONTHLY, **kwargs):
    values = {
        "purpose": "开办早餐店",
        "amount": Decimal(amount),
        "term_months": term,
        "schedule": schedule,
        "guarantor_name": "王担保",
        "guarantor_id_number": GUARANTOR_ID,
        "guarantor_phone": "13800138000",
        "guarantor_relation": "同事",
    }
    values.update(kwargs)
    return services.loan_apply(actor=actor, household=household, **values)


def decide(actor, loan, action="approve", comment=""):
    loan.refresh_from_db()
    return engine.decide(
        chain=approval.LOAN_APPROVAL,
        obj=loan,
        actor=actor,
        action=action,
        expected_state=loan.state,
        comment=comment,
    )


def approve_all(loan, chair, reviewer, committee) -> Loan:
    for actor in (chair, reviewer, committee):
        loan = decide(actor, loan)
    return loan


def lend(finance, loan, fund, on=None, method=LedgerEntry.Method.CASH) -> Loan:
    return services.loan_disburse(
        actor=finance,
        loan=loan,
        fund=fund,
        method=method,
        voucher=f"JC-{next(_numbers):05d}",
        lent_on=on or today(),
    )


def repay(finance, loan, amount, on=None, **kwargs):
    kwargs.setdefault("method", LedgerEntry.Method.CASH)
    kwargs.setdefault("voucher", f"HK-{next(_numbers):05d}")
    return services.repayment_record(
        actor=finance, loan=loan, amount=Decimal(str(amount)), paid_on=on or today(), **kwargs
    )


def propose(actor, loan, kind=Motion.Kind.WRITE_OFF, months=None, reason="借款人丧失劳动能力"):
    return services.motion_propose(actor=actor, loan=loan, kind=kind, months=months, reason=reason)


def decide_motion(actor, motion, action="approve", comment=""):
    motion.refresh_from_db()
    return engine.decide(
        chain=approval.MOTION_APPROVAL,
        obj=motion,
        actor=actor,
        action=action,
        expected_state=motion.state,
        comment=comment,
    )


def race(*attempts):
    """Run each attempt in its own thread, all released at once (as in
    tests/funds/test_funds_race.py); return what each got: its result or the exception."""
    barrier = threading.Barrier(len(attempts))
    results = [None] * len(attempts)

    def run(index, attempt):
        try:
            barrier.wait(timeout=10)
            results[index] = attempt()
        except Exception as error:  # noqa: BLE001 - the outcome under test
            results[index] = error
        finally:
            from django.db import connection

            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return results
