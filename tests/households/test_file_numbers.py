"""File numbers (档案编号) come from the locked counter of the union and year: they continue
the numbers already filed, and two requests at once never get the same one."""

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone
from factories import HouseholdFactory

from hardship.models import Counter
from households.services import reserve_file_numbers


def prefix(union):
    return f"{union.code}-{timezone.localdate():%Y}-"


def test_the_counter_continues_the_numbers_filed_before_it_existed(org):
    HouseholdFactory(union=org.g1a, file_number=f"{prefix(org.g1a)}0007")
    HouseholdFactory(union=org.g1a, file_number="G1a-2019-0042")  # another year

    with transaction.atomic():
        assert reserve_file_numbers(org.g1a, 2) == [f"{prefix(org.g1a)}{n:04d}" for n in (8, 9)]
    with transaction.atomic():
        assert reserve_file_numbers(org.g1a, 1) == [f"{prefix(org.g1a)}0010"]
    assert Counter.objects.get(name=f"file:{prefix(org.g1a)}").value == 10


def test_each_union_counts_on_its_own(org):
    with transaction.atomic():
        assert reserve_file_numbers(org.g1a, 1) == [f"{prefix(org.g1a)}0001"]
        assert reserve_file_numbers(org.g2a, 1) == [f"{prefix(org.g2a)}0001"]


def test_a_rolled_back_filing_leaves_no_gap(org):
    with pytest.raises(RuntimeError), transaction.atomic():
        reserve_file_numbers(org.g1a, 3)
        raise RuntimeError
    with transaction.atomic():
        assert reserve_file_numbers(org.g1a, 1) == [f"{prefix(org.g1a)}0001"]


@pytest.mark.django_db(transaction=True)
def test_two_filings_at_once_get_different_numbers(org):
    if connection.vendor != "postgresql":
        pytest.skip("the race needs real row locks: run with DATABASE_URL=postgres://…")
    HouseholdFactory(union=org.g1a, file_number=f"{prefix(org.g1a)}0007")
    barrier = threading.Barrier(2)
    results = [None, None]

    def run(index):
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                results[index] = reserve_file_numbers(org.g1a, 3)
        except Exception as error:  # noqa: BLE001 - the outcome under test
            results[index] = error
        finally:
            from django.db import connection as thread_connection

            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    numbers = sorted(n for result in results for n in result)
    assert numbers == [f"{prefix(org.g1a)}{n:04d}" for n in range(8, 14)]
