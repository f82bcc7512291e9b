"""Helpers for the results tests: money received and paid through the real ledger and plan
services, and the casework and front-door records the indicators count, written as rows
(what they count is under test here, not how they are recorded)."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from cases.models import Decision
from casework.models import Duty, Visit, VisitRound
from funds import ledger, plans
from funds.models import AidType, DistributionPlan, Fund, LedgerEntry, PlanLine
from hardship.models import PolicyParameter
from intake.models import Contact

# A whole year behind us: every date in it is in the past, whatever day the tests run.
YEAR = timezone.localdate().year - 1
_numbers = itertools.count(1)


def day(month, dom=1, year=YEAR) -> datetime.date:
    return datetime.date(year, month, dom)


def open_books(unit):
    """Let postings go back years and pay in cash, as an administrator would allow."""
    for key, value in (
        (PolicyParameter.Key.BACKDATE_MONTHS, "600"),
        (PolicyParameter.Key.CASH_FESTIVAL, "1"),
    ):
        PolicyParameter.objects.get_or_create(
            key=key,
            unit=unit,
            valid_from=datetime.date(2000, 1, 1),
            defaults={"value": Decimal(value), "note": "测试"},
        )


def fund_of(unit, name="帮扶资金") -> Fund:
    open_books(unit)
    return Fund.objects.create(
        name=name, source=Fund.Source.GROUP, year=YEAR, unit=unit, aid_types=list(AidType.values)
    )


def receive(actor, fund, amount, on) -> LedgerEntry:
    return ledger.receipt_record(
        actor=actor,
        fund=fund,
        amount=Decimal(str(amount)),
        voucher=f"DZ-{next(_numbers):05d}",
        posted_on=on,
        note="到账",
    )


def pay(actor, fund, lines, on) -> list[LedgerEntry]:
    """Pay [(household, amount)] as festival money in cash through a posted plan."""
    plan = DistributionPlan.objects.create(
        name=f"慰问 {next(_numbers)}",
        unit=fund.unit,
        fund=fund,
        aid_type=AidType.FESTIVAL,
        rule=DistributionPlan.Rule.FLAT,
        flat_amount=Decimal("1"),
        method=LedgerEntry.Method.CASH,
        pay_on=on,
        state=DistributionPlan.State.APPROVED,
        created_by=actor,
    )
    for household, amount in lines:
        PlanLine.objects.create(
            plan=plan, household=household, union_id=household.union_id, amount=Decimal(str(amount))
        )
    plans.record_decision(
        plan,
        step=DistributionPlan.State.SUBMITTED,
        action=Decision.Action.APPROVE,
        actor=actor,
        result=DistributionPlan.State.APPROVED,
    )
    plans.plan_post(actor=actor, plan=plan)
    return list(LedgerEntry.objects.filter(plan_line__plan=plan).order_by("pk"))


def reverse(actor, entry, on) -> LedgerEntry:
    return ledger.entry_reverse(actor=actor, entry=entry, reason="录入错误，冲销。", posted_on=on)


def visit(household, actor, on, visit_round=None) -> Visit:
    return Visit.objects.create(
        household=household,
        visited_on=on,
        kind=Visit.Kind.FESTIVAL if visit_round else Visit.Kind.REGULAR,
        visitors="测试",
        recorded_by=actor,
        round=visit_round,
    )


def visit_round(unit, actor, ends_on) -> VisitRound:
    return VisitRound.objects.create(
        name=f"走访 {next(_numbers)}",
        unit=unit,
        starts_on=ends_on - datetime.timedelta(days=20),
        ends_on=ends_on,
        created_by=actor,
    )


def duty(household, due_on, *, done_on=None, actor=None) -> Duty:
    done_by = visit(household, actor, done_on) if done_on else None
    return Duty.objects.create(
        household=household,
        kind=Duty.Kind.CONTACT,
        event_on=due_on - datetime.timedelta(days=90),
        due_on=due_on,
        reason="定期联系",
        done_on=done_on,
        visit=done_by,
    )


def contact(unit, actor, received_on, due_on, closed_on=None) -> Contact:
    received = timezone.make_aware(datetime.datetime.combine(received_on, datetime.time(9)))
    closed = (
        timezone.make_aware(datetime.datetime.combine(closed_on, datetime.time(16)))
        if closed_on
        else None
    )
    return Contact.objects.create(
        number=f"LF-{next(_numbers):05d}",
        channel="hotline",
        received_at=received,
        topic="help",
        summary="求助",
        caller_name="来电人",
        unit=unit,
        handler=actor,
        due_on=due_on,
        status=Contact.Status.CLOSED if closed else Contact.Status.OPEN,
        outcome="已答复" if closed else "",
        told_how="电话" if closed else "",
        closed_at=closed,
        recorded_by=actor,
    )
