"""Two people deciding the same appeal at the same moment: exactly one decision is taken
(one outcome on the application's trail); the other is told who handled it and when. Real
transactions and row locks, so PostgreSQL only."""

import re
import threading

import pytest
from appealkit import lodge
from django.db import connection

from cases import appeals, engine
from cases.models import Appeal, AppealDecision, Application, Decision

HANDLED = re.compile(r"该申诉已由 (\S+) 于 (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) 处理")


@pytest.fixture(autouse=True)
def postgresql_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("the race needs real row locks: run with DATABASE_URL=postgres://…")


def race(appeal, *attempts):
    """Run each (actor, uphold) in its own thread, all released at once by a barrier;
    return what each got: the appeal or the exception."""
    barrier = threading.Barrier(len(attempts))
    results = [None] * len(attempts)

    def run(index, actor, uphold):
        try:
            barrier.wait(timeout=10)
            results[index] = appeals.appeal_decide(
                actor=actor,
                appeal=Appeal.objects.get(pk=appeal.pk),
                uphold=uphold,
                expected_state=appeal.state,
                comment="经复查。",
                send_back_to="submitted" if uphold else "",
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


@pytest.mark.django_db(transaction=True)
def test_uphold_and_dismiss_at_once_take_one_decision(
    rejected_at, caseworker_g1a, reviewer_c1, reviewer2_c1
):
    application = rejected_at("submitted")
    appeal = lodge(caseworker_g1a, application)
    results = race(appeal, (reviewer_c1, True), (reviewer2_c1, False))
    won = [r for r in results if isinstance(r, Appeal)]
    lost = [r for r in results if isinstance(r, engine.AlreadyHandled)]
    assert (len(won), len(lost)) == (1, 1), results

    decided = AppealDecision.objects.filter(appeal=appeal).exclude(action="lodge")
    assert decided.count() == 1
    winner = decided.get().actor
    assert HANDLED.search(lost[0].messages[0]).group(1) == winner.full_name
    outcomes = Decision.objects.filter(
        application=application,
        action__in=[Decision.Action.APPEAL_UPHELD, Decision.Action.APPEAL_DISMISSED],
    )
    assert outcomes.count() == 1
    application.refresh_from_db()
    appeal.refresh_from_db()
    expected = {
        Appeal.State.UPHELD: Application.State.SUBMITTED,
        Appeal.State.DISMISSED: Application.State.REJECTED,
    }[appeal.state]
    assert application.state == expected
