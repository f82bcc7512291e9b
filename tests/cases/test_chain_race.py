"""Two people acting on the same application at the same moment: exactly one transition
happens; the other is told who handled it and when. Real transactions and row locks, so
PostgreSQL only."""

import re
import threading

import pytest
from casekit import file, investigate
from django.db import connection

from cases import engine, services
from cases.models import Application, Decision

State = Application.State
HANDLED = re.compile(r"已由 (\S+) 于 (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) 处理")


@pytest.fixture(autouse=True)
def postgresql_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("the race needs real row locks: run with DATABASE_URL=postgres://…")


def race(application, *attempts):
    """Run each (actor, action, comment) in its own thread, all released at once by a
    barrier; return what each got: the application or the exception."""
    barrier = threading.Barrier(len(attempts))
    results = [None] * len(attempts)

    def run(index, actor, action, comment):
        try:
            barrier.wait(timeout=10)
            results[index] = engine.decide(
                chain=services.APPLICATION_APPROVAL,
                actor=actor,
                obj=Application.objects.get(pk=application.pk),
                action=action,
                expected_state=application.state,
                comment=comment,
            )
        except Exception as error:  # noqa: BLE001 - the outcome under test
            results[index] = error
        finally:
            from django.db import connection as thread_connection

            thread_connection.close()

    threads = [
        threading.Thread(target=run, args=(index, *attempt))
        for index, attempt in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return results


def outcome(results):
    won = [r for r in results if isinstance(r, Application)]
    lost = [r for r in results if isinstance(r, engine.AlreadyHandled)]
    others = [r for r in results if not isinstance(r, (Application, engine.AlreadyHandled))]
    assert not others, others
    assert len(won) == 1 and len(lost) == 1, results
    return won[0], lost[0]


@pytest.mark.django_db(transaction=True)
def test_two_chairs_approving_at_once_make_one_transition(
    caseworker_g1a, chair_g1a, chair2_g1a, household_g1a
):
    application = file(caseworker_g1a, household_g1a)
    results = race(application, (chair_g1a, "approve", ""), (chair2_g1a, "approve", ""))
    won, lost = outcome(results)

    application.refresh_from_db()
    assert application.state == State.GRASSROOTS_APPROVED
    approvals = Decision.objects.filter(
        application=application, step=State.SUBMITTED, action="approve"
    )
    assert approvals.count() == 1
    winner = approvals.get().actor
    assert winner in (chair_g1a, chair2_g1a)
    match = HANDLED.search(lost.messages[0])
    assert match, lost.messages[0]
    assert match.group(1) == winner.full_name


@pytest.mark.django_db(transaction=True)
def test_approve_and_return_at_once_make_one_transition(
    caseworker_g1a, chair_g1a, chair2_g1a, household_g1a
):
    application = file(caseworker_g1a, household_g1a)
    results = race(
        application, (chair_g1a, "approve", ""), (chair2_g1a, "return", "请补充收入证明。")
    )
    won, lost = outcome(results)

    application.refresh_from_db()
    decisions = Decision.objects.filter(application=application).exclude(action="submit")
    assert decisions.count() == 1
    decision = decisions.get()
    expected = {"approve": State.GRASSROOTS_APPROVED, "return": State.RETURNED}[decision.action]
    assert application.state == expected == won.state
    assert HANDLED.search(lost.messages[0]).group(1) == decision.actor.full_name


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_company_verification_make_one_transition(
    caseworker_g1a, chair_g1a, reviewer_c1, reviewer2_c1, household_g1a
):
    application = file(caseworker_g1a, household_g1a)
    application = engine.decide(
        chain=services.APPLICATION_APPROVAL,
        actor=chair_g1a,
        obj=application,
        action="approve",
        expected_state=State.SUBMITTED,
    )
    investigate(reviewer_c1, application)
    results = race(
        application, (reviewer_c1, "approve", ""), (reviewer2_c1, "reject", "不符合条件。")
    )
    outcome(results)
    application.refresh_from_db()
    assert application.state in (State.COMPANY_VERIFIED, State.REJECTED)
    assert (
        Decision.objects.filter(application=application, step=State.GRASSROOTS_APPROVED).count()
        == 1
    )
