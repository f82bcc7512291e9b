"""Helpers for the reports tests: funds, receipts, payments and reversals written through
the real services, and the annual report's figures recomputed from ledger rows in plain
Python."""

import datetime
import itertools
from decimal import ROUND_HALF_UP, Decimal

from factories import HardshipCauseFactory, HouseholdFactory

from cases.models import Decision
from funds import ledger, plans
from funds.models import AidType, DistributionPlan, Fund, LedgerEntry, PlanLine
from hardship.models import PolicyParameter
from hardship.policy import CASH_KEYS
from households.models import Household

YEAR = 2025
ALL_AID = list(AidType.values)
IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}

_vouchers = itertools.count(1)


# The annual workbook's sheets, in order.
SHEETS = [
    "汇总",
    "慰问金与物资",
    "按基层工会",
    "按帮扶类型",
    "按致困原因",
    "困难劳模",
    "物资明细",
    "来访接待与法律援助",
    "资金专户",
    "小额借款",
    "就业帮扶",
    "资金台账",
]


def D(value) -> Decimal:
    return Decimal(str(value))


def make_fund(unit, name, source, *, year=YEAR) -> Fund:
    return Fund.objects.create(name=name, source=source, year=year, unit=unit, aid_types=ALL_AID)


def receive(actor, fund, amount, on, note="到账") -> LedgerEntry:
    return ledger.receipt_record(
        actor=actor,
        fund=fund,
        amount=D(amount),
        voucher=f"DZ-{next(_vouchers):05d}",
        posted_on=on,
        note=note,
    )


def allow_cash(unit, aid_type) -> None:
    """Regular and festival money goes to cards unless the unit's policy allows cash (these
    tests pay in cash to keep cards out of the figures): allow it, as an administrator would."""
    key = CASH_KEYS.get(aid_type)
    if key:
        PolicyParameter.objects.get_or_create(
            key=key,
            unit=unit,
            valid_from=datetime.date(2000, 1, 1),
            defaults={"value": D("1"), "note": "测试：允许现金发放"},
        )


def pay(
    actor, fund, lines, aid_type, on, *, name=None, method=LedgerEntry.Method.CASH
) -> list[LedgerEntry]:
    """Pay `lines` [(household, amount)] from `fund` on `on` through the real plan posting
    (the plan itself is set up approved: its approval chain is not what these tests check)."""
    if method == LedgerEntry.Method.CASH:
        allow_cash(fund.unit, aid_type)
    plan = DistributionPlan.objects.create(
        name=name or f"{on:%Y年%m月}{AidType(aid_type).label}",
        unit=fund.unit,
        fund=fund,
        aid_type=aid_type,
        rule=DistributionPlan.Rule.FLAT,
        flat_amount=Decimal("1"),
        method=method,
        pay_on=on,
        state=DistributionPlan.State.APPROVED,
        created_by=actor,
    )
    for household, amount in lines:
        PlanLine.objects.create(
            plan=plan, household=household, union_id=household.union_id, amount=D(amount)
        )
    # The approval the plan stands on, chained as the committee's would be, so the tamper
    # check finds the posted plan backed by a decision.
    plans.record_decision(
        plan,
        step=DistributionPlan.State.SUBMITTED,
        action=Decision.Action.APPROVE,
        actor=actor,
        result=DistributionPlan.State.APPROVED,
    )
    return plans.plan_post(actor=actor, plan=plan)


def reverse_entry(actor, entry, on, reason="金额录入错误，冲销。") -> LedgerEntry:
    return ledger.entry_reverse(actor=actor, entry=entry, reason=reason, posted_on=on)


def household(union, name, *causes, **fields) -> Household:
    h = HouseholdFactory(in_file=True, union=union, worker_name=name, **fields)
    for cause in causes:
        HardshipCauseFactory(household=h, cause=cause)
    return h


# The annual report recomputed from the rows ----------------------------------------------

CENT = Decimal("0.01")
NO_CAUSE = "未登记"


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def expected_report(year: int, unit) -> dict:
    """Every figure of the annual report, from LedgerEntry rows read one by one and summed
    in Python (no database aggregation): the rows of funds owned by `unit` or below it."""
    from households.models import Cause, HardshipCause

    everything = list(
        LedgerEntry.objects.select_related("fund__unit", "household__union", "reverses")
    )
    # A payment stops counting as help given in its year only if reversed in that same year:
    # a later year's reversal belongs to the later year and leaves the closed year as it was.
    reversed_in_year = {e.reverses_id: e.posted_on.year for e in everything if e.reverses_id}
    rows = [e for e in everything if e.fund.unit.path.startswith(unit.path)]
    # The main cause chosen on the file; where none was chosen, the first of the household's
    # causes in the form's order (Cause's order), as a caseworker would take it.
    first_cause = {}
    for hc in HardshipCause.objects.all():
        ranked = first_cause.get(hc.household_id)
        if ranked is None or Cause.values.index(hc.cause) < Cause.values.index(ranked):
            first_cause[hc.household_id] = hc.cause
    first_cause.update(Household.objects.exclude(main_cause="").values_list("pk", "main_cause"))

    start = datetime.date(year, 1, 1)
    opening = sum((e.amount for e in rows if e.posted_on < start), Decimal("0"))
    within = [e for e in rows if e.posted_on.year == year]
    receipts = [e for e in within if e.kind == LedgerEntry.Kind.RECEIPT]
    payments = [e for e in within if e.kind == LedgerEntry.Kind.PAYMENT]
    reversals = [e for e in within if e.kind == LedgerEntry.Kind.REVERSAL]
    payment_reversals = [e for e in reversals if e.reverses.kind == LedgerEntry.Kind.PAYMENT]
    receipt_reversals = [e for e in reversals if e.reverses.kind == LedgerEntry.Kind.RECEIPT]
    live = [e for e in payments if reversed_in_year.get(e.pk, year + 1) > year]

    by_source = {}
    for e in receipts:
        label = str(Fund.Source(e.fund.source).label)
        by_source[label] = by_source.get(label, Decimal("0")) + e.amount

    def grouped(label_of):
        groups = {}

        def group(e):
            return groups.setdefault(
                label_of(e),
                {
                    "paid": Decimal("0"),
                    "reversed": Decimal("0"),
                    "households": set(),
                    "person_times": 0,
                },
            )

        for e in payments:
            group(e)["paid"] -= e.amount
        for e in payment_reversals:
            group(e)["reversed"] += e.amount
        for e in live:
            group(e)["households"].add(e.household_id)
            group(e)["person_times"] += 1
        return {
            label: (
                g["paid"],
                g["reversed"],
                g["paid"] - g["reversed"],
                len(g["households"]),
                g["person_times"],
            )
            for label, g in groups.items()
        }

    def cause_label(e):
        cause = first_cause.get(e.household_id)
        return str(Cause(cause).label) if cause else NO_CAUSE

    payments_total = -sum((e.amount for e in payments), Decimal("0"))
    reversed_total = sum((e.amount for e in payment_reversals), Decimal("0"))
    receipts_total = sum((e.amount for e in receipts), Decimal("0"))
    receipts_reversed = -sum((e.amount for e in receipt_reversals), Decimal("0"))
    net_paid = payments_total - reversed_total
    households = len({e.household_id for e in live})
    available = opening + receipts_total - receipts_reversed
    return {
        "opening": opening,
        "receipts_by_source": by_source,
        "receipts_total": receipts_total,
        "receipt_reversals": receipts_reversed,
        "payments_total": payments_total,
        "payment_reversals": reversed_total,
        "net_paid": net_paid,
        "by_aid_type": grouped(lambda e: str(AidType(e.aid_type).label)),
        "by_union": grouped(lambda e: e.household.union.name),
        "by_cause": grouped(cause_label),
        "households_helped": households,
        "person_times": len(live),
        "average_per_household": _round(net_paid / households) if households else Decimal("0"),
        "closing": opening + sum((e.amount for e in within), Decimal("0")),
        "utilisation": _round(net_paid / available * 100) if available > 0 else Decimal("0"),
        "ledger_rows": len(within),
        "last_entry_id": max((e.pk for e in rows), default=None),
    }


def report_rows(rows) -> dict:
    """The report's Row objects in the shape expected_report() gives."""
    return {r.label: (r.paid, r.reversed, r.net, r.households, r.person_times) for r in rows}
