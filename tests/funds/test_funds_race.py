"""Payments racing for the last of a balance: exactly the affordable ones succeed, the others
are refused, and the balance stays at or above zero and equal to the ledger. Real
transactions and row locks, so PostgreSQL only.

The skip is decided when the module is imported, before any fixture writes a ledger row: on
SQLite the append-only trigger would make the transactional tests' flush (a DELETE) fail.
On PostgreSQL the flush is a TRUNCATE, which the row trigger does not see."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from factories import MembershipFactory, UserFactory
from fundkit import balance_of, ledger_sum, make_fund, pay, receive

from cases import engine
from funds import ledger, plans
from funds.models import DistributionPlan, LedgerEntry, PlanDecision
from hardship.models import Role

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the race needs real row locks: run with DATABASE_URL=postgres://…",
    ),
    # Real transactions (the flush afterwards also empties the hash-chain heads, which the
    # chain recreates on its next write).
    pytest.mark.django_db(transaction=True),
]


def race(*attempts):
    """Run each attempt (a callable) in its own thread, all released at once by a barrier;
    return what each got: the ledger row or the exception."""
    barrier = threading.Barrier(len(attempts))
    results = [None] * len(attempts)

    def run(index, attempt):
        try:
            barrier.wait(timeout=10)
            results[index] = attempt()
        except Exception as error:  # noqa: BLE001 - the outcome under test
            results[index] = error
        finally:
            from django.db import connection as thread_connection

            thread_connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return results


def outcome(results):
    paid = [r for r in results if isinstance(r, LedgerEntry)]
    refused = [r for r in results if isinstance(r, ledger.PaymentRefused)]
    others = [r for r in results if not isinstance(r, (LedgerEntry, ledger.PaymentRefused))]
    assert not others, others
    for refusal in refused:
        assert "保持资金平衡" in " ".join(refusal.messages)
    return paid, refused


def test_finance_cannot_pay_twice_from_a_balance_covering_one_payment(org, finance_c1, effective):
    fund = make_fund(org.c1, name="爱心一日捐")
    receive(finance_c1, fund, "5000")
    first, second = effective("3000"), effective("3000")

    paid, refused = outcome(
        race(
            lambda: pay(finance_c1, fund, first, "3000"),
            lambda: pay(finance_c1, fund, second, "3000"),
        )
    )
    assert len(paid) == 1 and len(refused) == 1
    assert balance_of(fund) == Decimal("2000") == ledger_sum(fund)
    assert LedgerEntry.objects.filter(fund=fund, kind="payment").count() == 1


def test_finance_can_pay_exactly_three_of_five_racing_payments_of_100_from_300(
    org, finance_c1, effective
):
    fund = make_fund(org.c1, name="爱心一日捐")
    receive(finance_c1, fund, "300")
    application = effective("500")

    paid, refused = outcome(
        race(*[lambda: pay(finance_c1, fund, application, "100") for _ in range(5)])
    )
    assert len(paid) == 3 and len(refused) == 2
    assert balance_of(fund) == 0 == ledger_sum(fund)
    assert balance_of(fund) >= 0
    assert ledger.paid_for_application(application) == Decimal("300")


def test_finance_cannot_post_a_plan_twice_at_once(
    org, finance_c1, committee_c1, fund_c1, household
):
    from fundkit import approve, new_plan, submit

    plan = approve(submit(new_plan(finance_c1, fund_c1, org.c1)), committee_c1)
    results = race(
        lambda: plans.plan_post(actor=finance_c1, plan=plan),
        lambda: plans.plan_post(actor=finance_c1, plan=plan),
    )
    assert not any(isinstance(r, Exception) for r in results), results
    assert sorted(len(r) for r in results) == [0, 1]
    assert LedgerEntry.objects.filter(kind="payment").count() == 1
    assert balance_of(fund_c1) == Decimal("9400") == ledger_sum(fund_c1)


def test_a_receipt_racing_the_year_closing_lands_before_it_or_not_at_all(org, finance_c1):
    """Closing and posting both lock the fund row: the receipt is either in the closed
    year's figures or refused, never posted into the year behind the closing's back."""
    import datetime

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from funds import closing
    from funds.models import YearClosing

    last_year = timezone.localdate().year - 1
    fund = make_fund(org.c1, name="上年度帮扶资金", year=last_year)
    receive(finance_c1, fund, "1000", on=datetime.date(last_year, 3, 1))
    results = race(
        lambda: closing.year_close(actor=finance_c1, fund=fund, year=last_year),
        lambda: receive(finance_c1, fund, "50", on=datetime.date(last_year, 12, 31)),
    )
    done, receipt = results
    assert isinstance(done, YearClosing), done
    assert isinstance(receipt, (LedgerEntry, ValidationError)), receipt
    expected = Decimal("1050") if isinstance(receipt, LedgerEntry) else Decimal("1000")
    assert done.closing == expected == closing.year_figures(fund, last_year).closing
    assert balance_of(fund) == expected == ledger_sum(fund)


def test_two_committee_members_deciding_a_plan_at_once_make_one_decision(
    org, committee_c1, submitted_plan
):
    """The plan's decision goes through the same engine as an application's: one decision,
    and the other member is told who handled the plan and when."""
    second = UserFactory(username="committee2_c1", full_name="钱委员")
    MembershipFactory(user=second, unit=org.c1, role=Role.COMMITTEE)
    plan = submitted_plan

    def decide(actor, action, comment):
        return lambda: engine.decide(
            chain=plans.PLAN_APPROVAL,
            obj=DistributionPlan.objects.get(pk=plan.pk),
            actor=actor,
            action=action,
            expected_state=DistributionPlan.State.SUBMITTED,
            comment=comment,
        )

    results = race(decide(committee_c1, "approve", ""), decide(second, "return", "请核实名单。"))
    won = [r for r in results if isinstance(r, DistributionPlan)]
    lost = [r for r in results if isinstance(r, engine.AlreadyHandled)]
    assert len(won) == 1 and len(lost) == 1, results
    decision = PlanDecision.objects.exclude(action="submit").get(plan=plan)
    plan.refresh_from_db()
    assert plan.state == won[0].state == decision.resulting_state
    assert f"已由 {decision.actor.full_name} 于" in lost[0].messages[0]
