"""Helpers for the funds tests: make funds, receive and pay money, draw up plans, all
through the real services as the people named would."""

import datetime
import itertools
from decimal import Decimal

from cases import engine
from funds import ledger, plans
from funds.models import AidType, DistributionPlan, Fund, LedgerEntry
from hardship.models import PolicyParameter
from households.models import Household

ACCOUNT = "6222021234567890123"  # 19 digits
ACCOUNT_G2A = "6217000012345678"  # 16 digits
ALL_AID = [
    AidType.EMERGENCY,
    AidType.FESTIVAL,
    AidType.REGULAR,
    AidType.LIVING,
    AidType.IN_KIND,
]
PAY_DAY = datetime.date(2026, 6, 1)
SPRING_FESTIVAL = datetime.date(2026, 2, 10)

_numbers = itertools.count(1)


def open_window(months=600, *, unit=None):
    """Let postings go back `months` months: the fixed dates these tests post on (2024–2026)
    lie before the default window (the current and the previous month). The window is a
    policy parameter, set here as an administrator would."""
    return PolicyParameter.objects.create(
        key=PolicyParameter.Key.BACKDATE_MONTHS,
        value=Decimal(months),
        unit=unit,
        valid_from=datetime.date(2000, 1, 1),
        note="测试：放宽记账日期追溯期限",
    )


def money(value) -> Decimal:
    return Decimal(str(value))


def voucher(prefix="PZ") -> str:
    return f"{prefix}-{next(_numbers):06d}"


def set_account(household, account):
    Household.objects.filter(pk=household.pk).update(bank_account=account)
    household.refresh_from_db()
    return household


def make_fund(unit, *, name="帮扶资金", year=2026, aid_types=None, source=Fund.Source.GROUP):
    return Fund.objects.create(
        name=name,
        source=source,
        year=year,
        unit=unit,
        aid_types=list(ALL_AID if aid_types is None else aid_types),
    )


def receive(actor, fund, amount, *, on=None, number=None, note="到账"):
    return ledger.receipt_record(
        actor=actor,
        fund=fund,
        amount=money(amount),
        voucher=number or voucher("DZ"),
        posted_on=on or datetime.date(2026, 1, 8),
        note=note,
    )


def pay(actor, fund, application, amount, **kwargs):
    """payment_make with defaults: by bank card to the account on file, on PAY_DAY, with a
    fresh voucher number."""
    kwargs.setdefault("method", LedgerEntry.Method.BANK)
    kwargs.setdefault("bank_account", application.household.bank_account)
    kwargs.setdefault("voucher", voucher("FF"))
    kwargs.setdefault("paid_on", PAY_DAY)
    return ledger.payment_make(
        actor=actor, fund=fund, application=application, amount=money(amount), **kwargs
    )


def reverse_entry(actor, entry, reason="金额录入错误，冲销重发。", on=None):
    return ledger.entry_reverse(
        actor=actor, entry=entry, reason=reason, posted_on=on or entry.posted_on
    )


def ledger_sum(fund) -> Decimal:
    return sum((e.amount for e in LedgerEntry.objects.filter(fund=fund)), Decimal("0"))


def balance_of(fund) -> Decimal:
    return Fund.objects.get(pk=fund.pk).balance


def new_plan(actor, fund, unit, **fields):
    """A draft plan saved through the service (its list of households built)."""
    values = {
        "name": "2026年春节送温暖慰问金",
        "aid_type": AidType.FESTIVAL,
        "rule": DistributionPlan.Rule.FLAT,
        "flat_amount": Decimal("600"),
        "method": LedgerEntry.Method.BANK,
        "pay_on": SPRING_FESTIVAL,
    }
    values.update(fields)
    return plans.plan_save(actor=actor, plan=DistributionPlan(unit=unit, fund=fund, **values))


def submit(plan, actor=None):
    return plans.plan_submit(actor=actor or plan.created_by, plan=plan)


def approve(plan, committee):
    return engine.decide(
        chain=plans.PLAN_APPROVAL,
        actor=committee,
        obj=plan,
        action="approve",
        expected_state=DistributionPlan.State.SUBMITTED,
        comment="经党政班子会研究，同意。",
    )


def new_campaign(actor, fund, unit, rules=(), **fields):
    """A draft campaign (金秋助学 by default, 500 yuan a household before additions) with
    `rules` (PlanRule rows, unsaved), saved through the service."""
    values = {
        "name": "2026年金秋助学",
        "kind": DistributionPlan.Kind.GOLDEN_AUTUMN,
        "aid_type": AidType.LIVING,
        "rule": DistributionPlan.Rule.FLAT,
        "flat_amount": Decimal("500"),
        "method": LedgerEntry.Method.BANK,
        "pay_on": datetime.date(2026, 8, 20),
    }
    values.update(fields)
    return plans.plan_save(
        actor=actor, plan=DistributionPlan(unit=unit, fund=fund, **values), rules=list(rules)
    )
